"""Escape sequences for a person who is not looking: bells, window title, desktop notification.

They are written straight to the terminal, so over SSH they reach the user's own machine.
Textual has ``App.bell`` but no title or notification call, so these use the same driver write.
Every call is also recorded in :attr:`TerminalSignals.sent` (tests read it; a headless app writes
nothing).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.timer import Timer

if TYPE_CHECKING:
    from trainer.coaching.audible import BellPattern

from trainer.text.safe import UNSAFE
from trainer.ui.textual_private import write_to_terminal


def _clean(text: str, limit: int = 120) -> str:
    """No control characters (they would end the sequence early, or start another), no
    direction overrides (see ``trainer.text.safe.UNSAFE``), and a sane length."""
    return UNSAFE.sub(" ", text)[:limit]


def title_sequence(text: str) -> str:
    return f"\x1b]2;{_clean(text)}\x07"


def notification_sequences(title: str, body: str) -> str:
    """OSC 777 (foot, kitty, urxvt, VTE-based) then OSC 9 (iTerm2, WezTerm, Windows Terminal)."""
    safe_title = _clean(title, 60).replace(";", ",")
    safe_body = _clean(body, 200)
    return f"\x1b]777;notify;{safe_title};{safe_body.replace(';', ',')}\x07\x1b]9;{safe_body}\x07"


class TerminalSignals:
    """The app's bells, window title and desktop notifications (what it sent kept in ``sent``)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        #: The last signals sent (bounded: a session sends one title a second).
        self.sent: deque[tuple[str, str]] = deque(maxlen=200)
        self.__title = ""
        self.__bell_timers: list[Timer] = []

    def __write(self, data: str) -> None:
        write_to_terminal(self.app, data)

    def save_title(self) -> None:
        """Push the terminal's own title (xterm title stack), to give it back at exit."""
        self.__write("\x1b[22;0t")

    def restore_title(self) -> None:
        """Clear ours and pop the saved one (terminals without a title stack keep it empty)."""
        self.__title = ""
        self.__write(title_sequence("") + "\x1b[23;0t")

    def bell_pattern(self, pattern: BellPattern) -> None:
        """Ring ``pattern``: the first bell now, each other one at its time, by the app's timer.

        Every BEL is its own write at its own moment, so over SSH each travels in its own
        packet and rings on the person's terminal. A new pattern cancels the rest of the last.
        """
        self.sent.append(("bell", pattern.name))
        for timer in self.__bell_timers:
            timer.stop()
        self.__bell_timers = [self.app.set_timer(at, self.app.bell) for at in pattern.times[1:]]
        self.app.bell()

    def title(self, text: str) -> None:
        if text == self.__title:
            return
        self.__title = text
        self.sent.append(("title", text))
        self.__write(title_sequence(text))

    def notify(self, title: str, body: str) -> None:
        self.sent.append(("notify", body))
        self.__write(notification_sequences(title, body))
