"""The check-in box: a score typed as digits (before a session, and on the summary after)."""

from __future__ import annotations

from textual.widgets import Input


class ScoreInput(Input):
    """Takes digits only, so other keys (q, Escape) stay the screen's."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character.isdigit()
