"""The check-in box: a score typed as digits (before a session, and on the summary after)."""

from __future__ import annotations

from textual.widgets import Input

from trainer.records.history import CHECKIN_MAX, CHECKIN_MIN
from trainer.text.safe import printable


class ScoreInput(Input):
    """A compact box for a score from CHECKIN_MIN to CHECKIN_MAX. It takes digits only, so
    other keys (q, Escape) stay the screen's."""

    def __init__(self, *, id: str) -> None:
        super().__init__(
            placeholder=printable(f"{CHECKIN_MIN}-{CHECKIN_MAX}"),
            type="integer",
            max_length=2,
            id=id,
            compact=True,
        )

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character.isdigit()
