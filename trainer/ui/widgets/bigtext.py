"""Large block letters, readable from a mat two metres away.

One small widget per character: when a countdown goes from 57 to 56 only the last glyph is
repainted (about a fifth of the bytes of repainting the whole number), which keeps a running
countdown cheap over SSH.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.reactive import reactive
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


class GlyphRow(Widget):
    """One row of a block letter: repainted only when this row differs from the last letter's
    (9 -> 8 changes two rows of five), which about halves a countdown's bytes per second."""

    DEFAULT_CSS = """
    GlyphRow {
        height: 1;
        width: 1fr;
    }
    """

    text: reactive[str] = reactive("")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.set_reactive(GlyphRow.text, text)

    def render(self) -> RenderResult:
        return Text(self.text, no_wrap=True)


class Glyph(Widget):
    """One block letter, five rows high."""

    DEFAULT_CSS = """
    Glyph {
        layout: vertical;
        height: 5;
        width: 5;
        margin: 0 0 0 1;
    }
    Glyph:first-child {
        margin: 0;
    }
    """

    def __init__(self, char: str) -> None:
        super().__init__()
        self._char = char
        self.styles.width = len(glyph_rows(char)[0])

    def compose(self) -> ComposeResult:
        for row in glyph_rows(self._char):
            yield GlyphRow(row)

    @property
    def char(self) -> str:
        return self._char

    @char.setter
    def char(self, char: str) -> None:
        if char == self._char:
            return
        self._char = char
        rows = glyph_rows(char)
        width = len(rows[0])
        if self.styles.width is None or self.styles.width.value != width:
            self.styles.width = width
        for row, text in zip(self.query_children(GlyphRow), rows, strict=True):
            row.text = text


class BigText(Widget):
    """A short value (a countdown, PAUSED) in block letters; only changed letters repaint."""

    DEFAULT_CSS = """
    BigText {
        layout: horizontal;
        height: 5;
        width: auto;
    }
    """

    def __init__(
        self, value: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._value = value

    def compose(self) -> ComposeResult:
        for char in self._value:
            yield Glyph(char)

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, value: str) -> None:
        if value == self._value:
            return
        old, self._value = self._value, value
        if len(old) == len(value) and self.is_mounted:
            for glyph, char in zip(self.query_children(Glyph), value, strict=True):
                glyph.char = char
            return
        if self.is_mounted:
            self.remove_children()
            self.mount_all(Glyph(char) for char in value)


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
