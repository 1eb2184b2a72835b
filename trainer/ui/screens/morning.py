"""The next-morning question about the last session: better / same / worse (b, s, w or a click),
and this morning's pain 0-10 (optional); Enter saves, Escape skips. Never in the way: one key
(Escape) and the routine list is there."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from trainer.coaching.morning import Answer
from trainer.records.history import CHECKIN_MAX, CHECKIN_MIN, parse_checkin
from trainer.records.history.record import Compared
from trainer.ui.plain import plain
from trainer.ui.screens.base import SizeClasses
from trainer.ui.widgets.score import ScoreInput

CHOICES: tuple[tuple[Compared, str], ...] = (("better", "b"), ("same", "s"), ("worse", "w"))


class MorningScreen(SizeClasses, ModalScreen[Answer | None]):
    """Dismissed with the answer, or None when skipped (Escape)."""

    CSS_PATH = "morning.tcss"
    # Priority: the score box (focused) takes digits only, but an Input stops every printable
    # key it is sent, so the letters must reach the screen first.
    BINDINGS = [
        Binding("b", "pick('better')", "Better", priority=True),
        Binding("s", "pick('same')", "Same", priority=True),
        Binding("w", "pick('worse')", "Worse", priority=True),
        Binding("escape", "skip", "Skip"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question
        self.compared: Compared | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="morning"):
            yield Label(plain(self.question), id="morning-question")
            with Horizontal(id="morning-buttons"):
                for value, key in CHOICES:
                    yield Button(plain(f"{value.capitalize()} ({key})"), id=f"morning-{value}")
            yield Label(
                plain(f"Back pain now, {CHECKIN_MIN} = none, {CHECKIN_MAX} = the worst:"),
                classes="hint",
            )
            yield ScoreInput(id="morning-score")
            yield Label("b, s or w, a number, Enter; Escape skips", classes="hint")
            yield Label("", id="morning-problem", classes="error")

    def on_mount(self) -> None:
        self.query_one(ScoreInput).focus()

    def action_pick(self, compared: Compared) -> None:
        self.compared = compared
        for value, _key in CHOICES:
            button = self.query_one(f"#morning-{value}", Button)
            button.variant = "primary" if value == compared else "default"
        self.query_one("#morning-problem", Label).update("")
        self.query_one(ScoreInput).focus()

    @on(Button.Pressed)
    def __pressed(self, event: Button.Pressed) -> None:
        for value, _key in CHOICES:
            if event.button.id == f"morning-{value}":
                self.action_pick(value)

    @on(Input.Submitted)
    def __submitted(self, event: Input.Submitted) -> None:
        problem = self.query_one("#morning-problem", Label)
        try:
            score = parse_checkin(event.value)
        except ValueError as exc:
            problem.update(plain(str(exc)))
            return
        if self.compared is None:  # the comparison is what the rules use: it comes first
            problem.update("Press b, s or w (better, same, worse), or Escape to skip.")
            return
        self.dismiss(Answer(self.compared, score))

    def action_skip(self) -> None:
        self.dismiss(None)
