"""The session's key bar: the keys Textual's compact footer would show, as one line.

Textual's :class:`Footer` rebuilds itself (a widget per key, removed and mounted, then a layout
of the screen) whenever the bindings may have changed, and the session changes them at every
rest (``+/-`` is dimmed outside rests) and pause (Pause becomes Resume): in leg lifts every
second or two, which doubled a running session's CPU. This bar is one widget: it repaints its
one line when a key's name or state changes. A click on a key presses it (a dimmed one rings
the bell, as in Textual's footer).
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class Shown(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool


class KeyBar(Widget):
    """The screen's shown bindings, in their order: the first binding of each action."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .keybar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .keybar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: list[Shown] = []
        #: [start, end) columns of each key on the line, for clicks.
        self.spans: list[tuple[int, int, Shown]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        shown = self.wanted(screen)
        if shown != self.shown:
            self.shown = shown
            self.refresh()

    def wanted(self, screen: Screen[object]) -> list[Shown]:
        keys: dict[str, Shown] = {}
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.show and binding.action not in keys:
                display = self.app.get_key_display(binding)
                keys[binding.action] = Shown(binding.key, display, binding.description, enabled)
        return list(keys.values())

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        self.spans = []
        for shown in self.shown:
            dim = Style() if shown.enabled else Style(dim=True)
            start = line.cell_len
            line.append(shown.display, key_style + dim)
            if shown.description:
                line.append(" " + shown.description, description_style + dim)
            self.spans.append((start, line.cell_len, shown))
            line.append(" ")
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, shown in self.spans:
            if start <= event.x < end:
                if shown.enabled:
                    self.app.simulate_key(shown.key)
                else:
                    self.app.bell()
                return
