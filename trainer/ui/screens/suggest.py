"""After a session: the dose suggestions, one at a time, each accepted (y) or declined (n).

The screen only shows them and returns the answers: the app saves an accepted change (the
routines file and a line of history). An "ease off" suggestion comes with the article's advice.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from trainer.coaching.dose import Rule, Suggestion
from trainer.programme.schema import Advice
from trainer.text import wording
from trainer.ui.plain import plain
from trainer.ui.screens.base import SizeClasses


class SuggestScreen(SizeClasses, ModalScreen[bool]):
    """One suggestion; dismissed with True (accept) or False (decline, or no change to make).

    The buttons sit at the bottom of the dialog; the words scroll above them when the window
    is too small, and the exercise's name is cut short (:func:`wording.clip`) in the sentence."""

    CSS_PATH = "suggest.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, change it"),
        Binding("n,escape", "answer(False)", "No"),
        Binding("enter", "answer(False)", "OK", show=False),
    ]

    def __init__(self, suggestion: Suggestion, advice: Advice, where: str) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.advice = advice
        self.where = where

    def compose(self) -> ComposeResult:
        s = self.suggestion
        easing = s.rule is Rule.EASE_OFF
        with Vertical(id="suggest", classes="-ease" if easing else ""):
            title = "Ease off" if easing else "Ready for a little more?"
            yield Label(plain(f"{title}  ({self.where})"), id="suggest-title", classes="one-line")
            with VerticalScroll(id="suggest-body"):
                text = replace(s, exercise_name=wording.clip(s.exercise_name)).text
                yield Label(plain(text), id="suggest-text")
                yield Label(plain(f"Why: {s.reason}."), classes="hint")
                if easing:
                    yield Label(plain(self.advice.stop_if_worse), classes="suggest-advice")
                    yield Label(plain(self.advice.see_doctor), classes="suggest-advice")
            with Horizontal(id="suggest-buttons"):
                # The safe answer first, highlighted and focused: Enter keeps things as they
                # are (as in every dialog of the app); y or a click changes the routine.
                if s.change is not None:
                    yield Button("No (n, Enter)", id="suggest-no", variant="primary")
                    yield Button("Yes, change it (y)", id="suggest-yes")
                else:
                    yield Button("OK (Enter)", id="suggest-no", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#suggest-no", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer" and parameters == (True,):
            return self.suggestion.change is not None
        return True

    @on(Button.Pressed, "#suggest-yes")
    def __yes(self) -> None:
        self.action_answer(True)

    @on(Button.Pressed, "#suggest-no")
    def __no(self) -> None:
        self.action_answer(False)

    def action_answer(self, accept: bool) -> None:
        self.dismiss(accept and self.suggestion.change is not None)
