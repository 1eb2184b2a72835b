"""Large block letters, readable from a mat two metres away.

The countdown is one widget that marks dirty only the rows that change; the big word changes
only at a step change and is drawn whole.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

# Five rows per glyph, drawn with '#' here and full blocks on screen.
_FONT: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#   #", "#   #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "  ## ", " #   ", "#####"),
    "3": ("#### ", "    #", " ### ", "    #", "#### "),
    "4": ("#   #", "#   #", "#####", "    #", "    #"),
    "5": ("#####", "#    ", "#### ", "    #", "#### "),
    "6": (" ### ", "#    ", "#### ", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", "  #  "),
    "8": (" ### ", "#   #", " ### ", "#   #", " ### "),
    "9": (" ### ", "#   #", " ####", "    #", " ### "),
    ":": (" ", "#", " ", "#", " "),
    " ": ("   ", "   ", "   ", "   ", "   "),
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#### ", "#   #", "#### "),
    "C": (" ####", "#    ", "#    ", "#    ", " ####"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"),
    "F": ("#####", "#    ", "#### ", "#    ", "#    "),
    "G": (" ####", "#    ", "#  ##", "#   #", " ### "),
    "H": ("#   #", "#   #", "#####", "#   #", "#   #"),
    "I": ("###", " # ", " # ", " # ", "###"),
    "J": ("  ###", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "###  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#### ", "#  # ", "#   #"),
    "S": (" ####", "#    ", " ### ", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "# # #", "## ##", "#   #"),
    "X": ("#   #", " # # ", "  #  ", " # # ", "#   #"),
    "Y": ("#   #", " # # ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "   # ", "  #  ", " #   ", "#####"),
}
ROWS = 5


def glyph_rows(char: str) -> tuple[str, ...]:
    return tuple(row.replace("#", "█") for row in _FONT.get(char.upper(), _FONT[" "]))


def render_big(text: str) -> list[str]:
    """``"1:05"`` -> five lines of block letters (unknown characters show as spaces)."""
    glyphs = [glyph_rows(ch) for ch in text]
    if not glyphs:
        return [""] * ROWS
    return [" ".join(g[row] for g in glyphs) for row in range(ROWS)]


class BigText(Widget):
    """A short value (a countdown, PAUSED) in block letters, as one widget of five lines.

    One widget, not one per letter: every widget in the tree costs styling and compositing
    work at each repaint, and the countdown repaints every second. Only the lines that differ
    from the last value are marked dirty (9 -> 8 changes two rows of five).
    """

    DEFAULT_CSS = """
    BigText {
        height: 5;
        width: auto;
    }
    """

    def __init__(
        self, value: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._value = value
        self._rows = render_big(value)
        #: The width laid out for the value (kept when a countdown goes from "10" to "9").
        self._width = len(self._rows[0])

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, value: str) -> None:
        if value == self._value:
            return
        old, self._value = self._rows, value
        self._rows = render_big(value)
        if not self.is_mounted:
            return
        width = len(self._rows[0])
        if width > self._width or (width < self._width and not self._shrinks_soon(value)):
            # Wider than the room it has ("9" -> "10"), or a shorter value that stays: a new
            # layout. A countdown that is about to end keeps its room ("10" -> "9" draws the 9
            # in the middle of the 10's room), which spares a layout of the whole screen.
            self._width = width
            self.refresh(layout=True)
            return
        for y, (before, after) in enumerate(zip(old, self._rows, strict=True)):
            if before != after:
                self.refresh(Region(0, y, self._width, 1))

    @staticmethod
    def _shrinks_soon(value: str) -> bool:
        """A single digit: the last seconds of a countdown, which keeps the room of its "10"."""
        return len(value) <= 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return ROWS

    def render_line(self, y: int) -> Strip:
        if not 0 <= y < ROWS:
            return Strip.blank(self.size.width, self.rich_style)
        style = self.rich_style
        row = self._rows[y].center(self.size.width)
        return Strip([Segment(row, style)], len(row)).crop_extend(0, self.size.width, style)


_HALVES = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def half_rows(rows: list[str]) -> list[str]:
    """Five rows of block letters squeezed into three with half blocks (for small windows)."""
    padded = [*rows, " " * len(rows[0]) if rows else ""]
    out = []
    for top, bottom in zip(padded[0::2], padded[1::2], strict=True):
        line = []
        for up, down in zip(top, bottom.ljust(len(top)), strict=True):
            line.append(_HALVES[(up != " ", down != " ")])
        out.append("".join(line))
    return out


def fit_word(word: str, width: int, *, half: bool = False) -> list[str]:
    """``word`` in block letters no wider than ``width``: whole, else its first word, else in
    plain capitals (never cut in the middle of a letter)."""
    for candidate in (word, word.split()[0] if word.split() else word):
        rows = render_big(candidate)
        if len(rows[0]) <= width:
            return half_rows(rows) if half else rows
    return [word[:width]]


class BigWord(Widget):
    """What to do now (LIFT, HOLD, REST...), in block letters as large as the width allows.

    It changes only at a step change, so it is drawn whole (unlike the countdown). With the
    ``-half`` class it is three rows high instead of five.
    """

    DEFAULT_CSS = """
    BigWord {
        height: 5;
        width: 1fr;
        content-align: center middle;
    }
    BigWord.-half {
        height: 3;
    }
    """

    word: reactive[str] = reactive("", layout=False)

    def render(self) -> RenderResult:
        rows = fit_word(self.word, self.content_size.width, half=self.has_class("-half"))
        width = max((len(row) for row in rows), default=0)
        return Text("\n".join(row.ljust(width) for row in rows), no_wrap=True, justify="center")

    def on_resize(self) -> None:
        self.refresh()

    def watch_word(self) -> None:
        self.refresh()
