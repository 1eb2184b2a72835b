"""The optional check-in before a session: a score 0-10, or Enter alone / Escape to skip."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from trainer.records.history import CHECKIN_MAX, CHECKIN_MIN, CHECKIN_QUESTION, parse_checkin
from trainer.ui.plain import plain
from trainer.ui.widgets.score import ScoreInput


class CheckinScreen(ModalScreen[int | None]):
    """Dismissed with the score, or None when skipped."""

    CSS_PATH = "checkin.tcss"
    BINDINGS = [Binding("escape", "skip", "Skip")]

    def compose(self) -> ComposeResult:
        with Vertical(id="checkin-before"):
            yield Label(
                plain(f"Before you start: {CHECKIN_QUESTION}"), id="checkin-before-question"
            )
            yield Label(
                plain(f"{CHECKIN_MIN} = no pain, {CHECKIN_MAX} = the worst."), classes="hint"
            )
            yield ScoreInput(id="checkin-before-score")
            yield Label("type a number and Enter; Enter alone or Escape skips", classes="hint")
            yield Label("", id="checkin-before-problem", classes="error")

    def on_mount(self) -> None:
        self.query_one(ScoreInput).focus()

    @on(Input.Submitted)
    def __submitted(self, event: Input.Submitted) -> None:
        try:
            score = parse_checkin(event.value)
        except ValueError as problem:
            self.query_one("#checkin-before-problem", Label).update(plain(str(problem)))
            return
        self.dismiss(score)

    def action_skip(self) -> None:
        self.dismiss(None)
