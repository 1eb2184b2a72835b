"""Escape sequences for a person who is not looking: bell, window title, desktop notification.

They are written straight to the terminal, so over SSH they reach the user's own machine.
Textual has ``App.bell`` but no title or notification call, so these use the same driver write.
Every call is also recorded in :attr:`Terminal.sent` (tests read it; a headless app writes
nothing).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from textual.app import App

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(text: str, limit: int = 120) -> str:
    """No control characters (they would end the sequence early) and a sane length."""
    return _CONTROL.sub(" ", text)[:limit]


def title_sequence(text: str) -> str:
    return f"\x1b]2;{_clean(text)}\x07"


def notification_sequences(title: str, body: str) -> str:
    """OSC 777 (foot, kitty, urxvt, VTE-based) then OSC 9 (iTerm2, WezTerm, Windows Terminal)."""
    safe_title = _clean(title, 60).replace(";", ",")
    safe_body = _clean(body, 200)
    return f"\x1b]777;notify;{safe_title};{safe_body.replace(';', ',')}\x07\x1b]9;{safe_body}\x07"


@dataclass
class Terminal:
    app: App[Any]
    #: The last signals sent (bounded: a session sends one title a second).
    sent: deque[tuple[str, str]] = field(default_factory=lambda: deque(maxlen=200))
    _title: str = ""

    def _write(self, data: str) -> None:
        driver = self.app._driver
        if not self.app.is_headless and driver is not None:
            driver.write(data)

    def save_title(self) -> None:
        """Push the terminal's own title (xterm title stack), to give it back at exit."""
        self._write("\x1b[22;0t")

    def restore_title(self) -> None:
        """Clear ours and pop the saved one (terminals without a title stack keep it empty)."""
        self._title = ""
        self._write(title_sequence("") + "\x1b[23;0t")

    def bell(self) -> None:
        self.sent.append(("bell", ""))
        self.app.bell()

    def title(self, text: str) -> None:
        if text == self._title:
            return
        self._title = text
        self.sent.append(("title", text))
        self._write(title_sequence(text))

    def notify(self, title: str, body: str) -> None:
        self.sent.append(("notify", body))
        self._write(notification_sequences(title, body))
