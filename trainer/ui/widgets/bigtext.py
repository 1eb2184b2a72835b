"""Large block letters, readable from a mat two metres away.

Three widgets: the countdown (:class:`BigText`), what to do now (:class:`BigWord`) and which
side is worked (:class:`SideMark`). Each repaints its WHOLE area when its value changes, never
only the cells that differ: block glyphs bleed a pixel into their neighbours in some fonts
(xterm with DejaVu Sans Mono), so a cell left as it was keeps a faint ghost of the last word.

A phrase too wide for its room is never cut to its first word: it is drawn in a narrow font
(three columns a letter), and failing that in plain spaced capitals. With the ``plain``
preference (a font without block characters) every big value is drawn in plain spaced capitals.
"""

from __future__ import annotations

import functools

from rich.segment import Segment
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
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

# The narrow font: three columns a letter, for phrases too wide for the big one.
_NARROW: dict[str, tuple[str, ...]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", " ##", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", " # ", " # ", " # "),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
    " ": (" ", " ", " ", " ", " "),
    "A": (" # ", "# #", "###", "# #", "# #"),
    "B": ("## ", "# #", "## ", "# #", "## "),
    "C": (" ##", "#  ", "#  ", "#  ", " ##"),
    "D": ("## ", "# #", "# #", "# #", "## "),
    "E": ("###", "#  ", "## ", "#  ", "###"),
    "F": ("###", "#  ", "## ", "#  ", "#  "),
    "G": (" ##", "#  ", "# #", "# #", " ##"),
    "H": ("# #", "# #", "###", "# #", "# #"),
    "I": ("###", " # ", " # ", " # ", "###"),
    "J": ("  #", "  #", "  #", "# #", " # "),
    "K": ("# #", "# #", "## ", "# #", "# #"),
    "L": ("#  ", "#  ", "#  ", "#  ", "###"),
    "M": ("# #", "###", "###", "# #", "# #"),
    "N": ("## ", "# #", "# #", "# #", "# #"),
    "O": (" # ", "# #", "# #", "# #", " # "),
    "P": ("## ", "# #", "## ", "#  ", "#  "),
    "Q": (" # ", "# #", "# #", "## ", " ##"),
    "R": ("## ", "# #", "## ", "# #", "# #"),
    "S": (" ##", "#  ", " # ", "  #", "## "),
    "T": ("###", " # ", " # ", " # ", " # "),
    "U": ("# #", "# #", "# #", "# #", "###"),
    "V": ("# #", "# #", "# #", "# #", " # "),
    "W": ("# #", "# #", "###", "###", "# #"),
    "X": ("# #", "# #", " # ", "# #", "# #"),
    "Y": ("# #", "# #", " # ", " # ", " # "),
    "Z": ("###", "  #", " # ", "#  ", "###"),
}


def glyph_rows(char: str, font: dict[str, tuple[str, ...]] = _FONT) -> tuple[str, ...]:
    return tuple(row.replace("#", "█") for row in font.get(char.upper(), font[" "]))


def render_big(text: str) -> list[str]:
    """``"1:05"`` -> five lines of block letters (unknown characters show as spaces)."""
    return _render(text, _FONT)


def render_narrow(text: str) -> list[str]:
    """``text`` in the narrow font (three columns a letter), five lines."""
    return _render(text, _NARROW)


def _render(text: str, font: dict[str, tuple[str, ...]]) -> list[str]:
    glyphs = [glyph_rows(ch, font) for ch in text]
    if not glyphs:
        return [""] * ROWS
    return [" ".join(g[row] for g in glyphs) for row in range(ROWS)]


def spaced(text: str) -> str:
    """Plain capitals, spaced out so they read as one big word: ``"GET READY"`` -> ``"G E T   R
    E A D Y"`` (the fallback for a font without block characters, and for no room)."""
    return "   ".join(" ".join(word) for word in text.upper().split())


def plain_rows(text: str, height: int) -> list[str]:
    """``text`` in spaced capitals on the middle one of ``height`` rows."""
    rows = [""] * height
    rows[height // 2] = spaced(text)
    return rows


class BigText(Widget):
    """A short value (a countdown, PAUSED) in block letters, as one widget of five lines.

    One widget, not one per letter: every widget in the tree costs styling and compositing
    work at each repaint, and the countdown repaints every second. A new value repaints the
    widget's whole area (see the module's docstring: a ghost of the last digit otherwise).
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
        self.__value = value
        self.__plain = False
        self.__rows = self.__draw_rows(value)
        #: The width laid out for the value (kept when a countdown goes from "10" to "9").
        self.__width = len(self.__rows[0])

    @property
    def value(self) -> str:
        return self.__value

    @value.setter
    def value(self, value: str) -> None:
        if value == self.__value:
            return
        self.__value = value
        self.__rows = self.__draw_rows(value)
        if not self.is_mounted:
            return
        width = len(self.__rows[0])
        if width > self.__width or (width < self.__width and not self.__shrinks_soon(value)):
            # Wider than the room it has ("9" -> "10"), or a shorter value that stays: a new
            # layout. A countdown that is about to end keeps its room ("10" -> "9" draws the 9
            # in the middle of the 10's room), which spares a layout of the whole screen.
            self.__width = width
            self.refresh(layout=True)
            return
        # The whole area, not only the rows that changed: a block glyph's bleed into the
        # cells around it is cleared only when those cells are written again.
        self.refresh()

    @property
    def laid_width(self) -> int:
        """The columns its value is laid out in (a countdown keeps its "10"'s room)."""
        return self.__width

    @property
    def plain(self) -> bool:
        """Drawn in plain spaced capitals (for a font without block characters)."""
        return self.__plain

    @plain.setter
    def plain(self, plain: bool) -> None:
        if plain != self.__plain:
            self.__plain = plain
            self.__rows = self.__draw_rows(self.__value)
            self.__width = len(self.__rows[ROWS // 2])
            self.refresh(layout=True)

    def __draw_rows(self, value: str) -> list[str]:
        if self.__plain:
            rows = plain_rows(value, ROWS)
            width = len(rows[ROWS // 2])
            return [row.ljust(width) for row in rows]
        return render_big(value)

    @staticmethod
    def __shrinks_soon(value: str) -> bool:
        """A single digit: the last seconds of a countdown, which keeps the room of its "10"."""
        return len(value) <= 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.__width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return ROWS

    def render_line(self, y: int) -> Strip:
        if not 0 <= y < ROWS:
            return Strip.blank(self.size.width, self.rich_style)
        style = self.rich_style
        row = self.__rows[y].center(self.size.width)
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


def fit_word(word: str, width: int, *, half: bool = False, plain: bool = False) -> list[str]:
    """``word`` as large as ``width`` allows, always whole: in block letters, else in the
    narrow font, else in plain spaced capitals (never cut to its first word, nor in the
    middle of a letter). ``plain``: spaced capitals whatever the room."""
    height = 3 if half else ROWS
    if not plain:
        for render in (render_big, render_narrow):
            rows = render(word)
            if len(rows[0]) <= width:
                return half_rows(rows) if half else rows
    text = spaced(word)
    if len(text) > width:
        text = word.upper()  # no room for the spaces: the word as it is (cut by the frame)
    rows = [""] * height
    rows[height // 2] = text
    return rows


class BigWord(Widget):
    """What to do now (LIFT, HOLD, REST...), in block letters as large as the width allows.

    It changes only at a step change, and is then drawn whole. With the ``-half`` class it is
    three rows high instead of five.
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
    #: Plain spaced capitals instead of block letters (a font without block characters).
    plain: reactive[bool] = reactive(False, layout=False)

    def render(self) -> RenderResult:
        rows = fit_word(
            self.word, self.content_size.width, half=self.has_class("-half"), plain=self.plain
        )
        width = max((len(row) for row in rows), default=0)
        return Text("\n".join(row.ljust(width) for row in rows), no_wrap=True, justify="center")

    def on_resize(self) -> None:
        self.refresh()

    def watch_word(self) -> None:
        self.refresh()  # the whole area: see the module's docstring (ghosts)

    def watch_plain(self) -> None:
        self.refresh()


#: The forms of the side, largest first: the font and whether "SIDE" follows the side's name.
SIDE_FORMS: tuple[tuple[str, bool], ...] = (
    ("big", True),
    ("narrow", True),
    ("big", False),
    ("narrow", False),
)


def side_rows(label: str, form: tuple[str, bool]) -> list[str]:
    """``label`` ("LEFT") in ``form``: block letters of the font, with " SIDE" or not."""
    font, with_side = form
    text = f"{label} SIDE" if with_side else label
    return (render_big if font == "big" else render_narrow)(text)


@functools.lru_cache(maxsize=64)
def side_form(labels: tuple[str, ...], width: int) -> tuple[str, bool] | None:
    """The largest form in which EVERY label fits ``width`` (both sides are drawn the same
    size), or None (no room: plain capitals). Cached: the session asks at every tick of a
    side, and the answer only changes with the window's width."""
    for form in SIDE_FORMS:
        if all(len(side_rows(label, form)[0]) <= width for label in labels):
            return form
    return None


def side_in_block_letters(width: int) -> bool:
    """Every side fits ``width`` in block letters (the plain capitals are the last resort)."""
    return side_form(SideMark.LABELS, width) is not None


class SideMark(Widget):
    """Which side is worked ("LEFT SIDE"), in block letters beside the countdown, on every
    step of a side. Empty (no room taken) for an exercise done once.

    Its size is chosen from the room the screen gives it (``room``), the same for both sides:
    "RIGHT SIDE" and "LEFT SIDE" are never drawn at different sizes.
    """

    DEFAULT_CSS = """
    SideMark {
        height: 5;
        width: auto;
        text-style: bold;
    }
    """

    #: Every side's label, to pick one size for all.
    LABELS = ("LEFT", "RIGHT")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.__side = ""
        self.__room = 0
        self.__plain = False
        self.__rows: list[str] = []

    def show(self, side: str, room: int, *, plain: bool = False) -> None:
        """Show ``side`` ("LEFT", "" for none) in at most ``room`` columns."""
        if (side, room, plain) == (self.__side, self.__room, self.__plain):
            return
        self.__side, self.__room, self.__plain = side.upper(), room, plain
        self.__rows = self.__draw_rows()
        self.display = bool(side)
        self.refresh(layout=True)  # its width follows the form: the whole area is repainted

    @property
    def side(self) -> str:
        return self.__side

    @property
    def rows(self) -> list[str]:
        """What is drawn, row by row (for tests)."""
        return list(self.__rows)

    def __draw_rows(self) -> list[str]:
        if not self.__side:
            return []
        form = None if self.__plain else side_form(self.LABELS, self.__room)
        if form is None:
            text = f"{self.__side} SIDE"
            if len(spaced(text)) > self.__room:
                text = self.__side
            rows = plain_rows(text, ROWS)
        else:
            rows = side_rows(self.__side, form)
        width = max(len(row) for row in rows)
        return [row.ljust(width) for row in rows]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((len(row) for row in self.__rows), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.__rows) or 1

    def render_line(self, y: int) -> Strip:
        style = self.rich_style
        row = self.__rows[y] if 0 <= y < len(self.__rows) else ""
        return Strip([Segment(row, style)], len(row)).crop_extend(0, self.size.width, style)
