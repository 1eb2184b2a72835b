"""The article's safety advice: shown once on first launch, and from the list with `a`."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from trainer.announce import vocabulary_line
from trainer.models import Advice
from trainer.words import SESSION_KEYS


class AdviceScreen(ModalScreen[None]):
    CSS_PATH = "advice.tcss"
    BINDINGS = [
        Binding("enter,space,escape", "close", "OK", priority=True),
    ]

    def __init__(
        self, advice: Advice, *, first_time: bool = False, doctor: str | None = None
    ) -> None:
        super().__init__()
        self.advice = advice
        self.first_time = first_time
        #: Why the see-a-doctor rule holds (the advice then leads with the doctor).
        self.doctor = doctor

    def compose(self) -> ComposeResult:
        with Vertical(id="advice", classes="-doctor" if self.doctor else ""):
            if self.doctor:
                yield Label("Please see a doctor", id="advice-title")
                yield Label(self.doctor, classes="advice-line -important", id="advice-doctor")
                yield Label(self.advice.see_doctor, classes="advice-line -important")
                yield Label(self.advice.stop_if_worse, classes="advice-line -important")
                yield Label(
                    "Until your back is better, trainer suggests no more exercise than now.",
                    classes="advice-line",
                )
                yield Button("OK (Enter)", id="advice-ok", variant="primary")
                return
            yield Label(
                "Before you start" if self.first_time else "Safety advice", id="advice-title"
            )
            yield Label(self.advice.stop_if_worse, classes="advice-line -important")
            yield Label(self.advice.see_doctor, classes="advice-line -important")
            yield Label(self.advice.posture, classes="advice-line")
            yield Label(self.advice.lifting, classes="advice-line")
            yield Label(
                "In a session everything advances by itself; a voice (where the machine has "
                f"one) and the bell tell each change, and space pauses. {vocabulary_line()} "
                f"Keys: {SESSION_KEYS}.",
                classes="advice-line hint",
                id="advice-keys",
            )
            yield Button("OK (Enter)", id="advice-ok", variant="primary")

    @on(Button.Pressed, "#advice-ok")
    def action_close(self) -> None:
        self.dismiss(None)
