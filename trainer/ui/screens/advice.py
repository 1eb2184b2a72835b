"""The article's safety advice: shown once on first launch, and from the list with `a`."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from trainer.coaching.audible import vocabulary_line
from trainer.programme.schema import Advice
from trainer.text.wording import SESSION_KEYS
from trainer.ui.plain import plain

#: Rows around the text: the frame (2) and the OK button (3).
OK_ROWS = 5


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
            with VerticalScroll(id="advice-body"):
                yield from self.__doctor_lines() if self.doctor else self.__lines()
            yield Button("OK (Enter)", id="advice-ok", variant="primary")

    def on_resize(self, event: events.Resize) -> None:
        """The text scrolls, so that OK stays in sight however small the window."""
        self.query_one("#advice-body").styles.max_height = max(1, event.size.height - OK_ROWS)

    def __doctor_lines(self) -> ComposeResult:
        yield Label("Please see a doctor", id="advice-title")
        yield Label(plain(self.doctor or ""), classes="advice-line -important", id="advice-doctor")
        yield Label(plain(self.advice.see_doctor), classes="advice-line -important")
        yield Label(plain(self.advice.stop_if_worse), classes="advice-line -important")
        yield Label(
            "Until your back is better, trainer suggests no more exercise than now.",
            classes="advice-line",
        )

    def __lines(self) -> ComposeResult:
        yield Label("Before you start" if self.first_time else "Safety advice", id="advice-title")
        yield Label(plain(self.advice.stop_if_worse), classes="advice-line -important")
        yield Label(plain(self.advice.see_doctor), classes="advice-line -important")
        yield Label(plain(self.advice.posture), classes="advice-line")
        yield Label(plain(self.advice.lifting), classes="advice-line")
        yield Label(
            plain(
                "In a session everything advances by itself; a voice (where the machine has "
                f"one) and the bell tell each change, and space pauses. {vocabulary_line()} "
                f"Keys: {SESSION_KEYS}."
            ),
            classes="advice-line hint",
            id="advice-keys",
        )

    @on(Button.Pressed, "#advice-ok")
    def action_close(self) -> None:
        self.dismiss(None)
