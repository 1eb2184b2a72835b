"""The session's progress bars (set, rep, hold, all) as one widget of four lines.

One widget, not sixteen (a grid of names, meters and labels): the countdown's and the hold
count's repaints every second made Textual re-render every widget between them, and each
costs styling and compositing work. A row is marked dirty only when its text changes or its
meter gains or loses a half cell. Filled and empty parts use different characters, so the meters
read without colour too. (Textual's ProgressBar also runs a one-second timer per bar.)
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

from trainer.text.safe import printable

FILLED = "━"
HALF = "╸"
EMPTY = "─"
#: The rows, top to bottom, by the name shown at their left.
NAMES = ("Set", "Rep", "Hold", "All")
NAME_WIDTH = 6
#: Room for a row's text ("13 %, about 34 min left"), after one space.
TEXT_WIDTH = 30


def meter_cells(fraction: float, width: int) -> tuple[int, int]:
    """(full cells, half cells: 0 or 1) of a ``width``-cell meter ``fraction`` filled."""
    fraction = min(1.0, max(0.0, fraction))
    halves = int(fraction * width * 2)
    return halves // 2, halves % 2


class Bars(Widget):
    DEFAULT_CSS = """
    Bars {
        height: 4;
        width: 1fr;
    }
    Bars > .bars--name {
        text-style: bold;
    }
    Bars > .bars--filled {
        color: $accent;
        text-style: bold;
    }
    Bars > .bars--empty {
        color: $foreground 35%;
    }
    """
    COMPONENT_CLASSES = {"bars--name", "bars--filled", "bars--empty"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.__text_width = TEXT_WIDTH
        #: Each row's fraction and text, as last set.
        self.__rows: list[tuple[float, str]] = [(0.0, "")] * len(NAMES)

    @property
    def text_width(self) -> int:
        return self.__text_width

    @text_width.setter
    def text_width(self, width: int) -> None:
        if width != self.__text_width:
            self.__text_width = width
            self.refresh()

    def __meter_width(self) -> int:
        return max(0, self.size.width - NAME_WIDTH - self.__text_width)

    def set_row(self, name: str, fraction: float, text: str) -> None:
        """Row ``name`` shows ``fraction`` and ``text``; repainted only if what it draws changed."""
        index = NAMES.index(name)
        text = printable(text)  # drawn as segments: no markup is read, but controls would pass
        width = self.__meter_width()
        old_fraction, old_text = self.__rows[index]
        self.__rows[index] = (fraction, text)
        if text == old_text and meter_cells(fraction, width) == meter_cells(old_fraction, width):
            return
        self.refresh(Region(0, index, self.size.width, 1))

    def row_text(self, name: str) -> str:
        """The text of row ``name`` ("Set 1 of 3")."""
        return self.__rows[NAMES.index(name)][1]

    def meter_text(self, name: str) -> str:
        """The meter of row ``name`` as drawn ("━━━╸───")."""
        fraction = self.__rows[NAMES.index(name)][0]
        width = self.__meter_width()
        full, half = meter_cells(fraction, width)
        return FILLED * full + HALF * half + EMPTY * (width - full - half)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(NAMES)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if not 0 <= y < len(NAMES):
            return Strip.blank(width, base)
        fraction, text = self.__rows[y]
        meter = self.__meter_width()
        full, half = meter_cells(fraction, meter)
        name_style = base + self.get_component_rich_style("bars--name", partial=True)
        filled = base + self.get_component_rich_style("bars--filled", partial=True)
        empty = base + self.get_component_rich_style("bars--empty", partial=True)
        segments = [
            Segment(NAMES[y].ljust(NAME_WIDTH)[:NAME_WIDTH], name_style),
            Segment(FILLED * full + HALF * half, filled),
            Segment(EMPTY * (meter - full - half), empty),
            Segment(" " + text, base),
        ]
        return Strip(segments).crop_extend(0, width, base)

    def on_resize(self) -> None:
        self.refresh()
