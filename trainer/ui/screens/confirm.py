"""A small question with a few answers, dismissed with the chosen key (or None on Escape)."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

Variant = Literal["default", "primary", "success", "warning", "error"]


class ConfirmScreen(ModalScreen[str | None]):
    CSS_PATH = "confirm.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str, Variant]]) -> None:
        super().__init__()
        self.question = question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.question, id="question")
            with Horizontal(id="choices"):
                for key, label, variant in self.choices:
                    yield Button(label, id=f"choice--{key}", variant=variant)

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice--"))

    def action_cancel(self) -> None:
        self.dismiss(None)
