"""A one-line progress meter that repaints only when a half cell changes.

Textual's ProgressBar runs a one-second timer per bar even with ``show_eta=False``; four of
them cost four wakeups a second and a repaint each. This draws a fraction and nothing else.
Filled and empty parts use different characters, so the meter reads without colour too.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual.widget import Widget

FILLED = "━"
HALF = "╸"
EMPTY = "─"


class Meter(Widget):
    DEFAULT_CSS = """
    Meter {
        height: 1;
        width: 1fr;
    }
    Meter > .meter--filled {
        color: $accent;
        text-style: bold;
    }
    Meter > .meter--empty {
        color: $foreground 35%;
    }
    """
    COMPONENT_CLASSES = {"meter--filled", "meter--empty"}

    fraction: reactive[float] = reactive(0.0)

    def validate_fraction(self, fraction: float) -> float:
        """Clamp to 0..1 and round down to a half cell: a smaller change draws nothing new."""
        fraction = min(1.0, max(0.0, fraction))
        halves = self.size.width * 2
        return int(fraction * halves) / halves if halves else fraction

    def on_resize(self) -> None:
        self.refresh()

    def render(self) -> RenderResult:
        width = self.size.width
        cells = self.fraction * width
        full = min(width, int(cells))
        half = 1 if full < width and cells - full >= 0.5 else 0
        filled = self.get_component_rich_style("meter--filled")
        empty = self.get_component_rich_style("meter--empty")
        text = Text(no_wrap=True, overflow="crop")
        text.append(FILLED * full + HALF * half, style=filled)
        text.append(EMPTY * (width - full - half), style=empty)
        return text
