"""A small question with a few answers; it dismisses with the chosen answer's value (or None on
Escape, which always means "do nothing")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from trainer.ui.plain import plain
from trainer.ui.screens.base import SizeClasses

Variant = Literal["default", "primary", "success", "warning", "error"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Choice(Generic[T]):
    """One answer: the value the dialog returns, its button's label and look."""

    value: T
    label: str
    variant: Variant = "default"


def _button_id(choice: Choice[Any]) -> str:
    """``choice--save`` for a value ``"save"`` (or an enum whose value is ``"save"``)."""
    value = getattr(choice.value, "value", choice.value)
    return f"choice--{str(value).lower()}"


class ConfirmScreen(SizeClasses, ModalScreen[T | None]):
    """Asks ``question``; the first choice has the focus, so Enter takes it: put the safe
    answer first. The answers sit at the bottom of the dialog; a question too long for the
    window scrolls above them."""

    CSS_PATH = "confirm.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, choices: list[Choice[T]]) -> None:
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            with VerticalScroll(id="question-box"):
                yield Label(plain(self.question), id="question")
            with Horizontal(id="choices"):
                for choice in self.choices:
                    yield Button(plain(choice.label), id=_button_id(choice), variant=choice.variant)

    def on_mount(self) -> None:
        if self.choices:
            self.query_one(f"#{_button_id(self.choices[0])}", Button).focus()

    @on(Button.Pressed)
    def __chosen(self, event: Button.Pressed) -> None:
        for choice in self.choices:
            if _button_id(choice) == event.button.id:
                self.dismiss(choice.value)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)
