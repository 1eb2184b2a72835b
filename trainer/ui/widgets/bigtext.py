"""Large block letters, readable from a mat two metres away."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
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
    ":": ("   ", " # ", "   ", " # ", "   "),
    " ": ("   ", "   ", "   ", "   ", "   "),
    "A": (" ### ", "#   #", "#####", "#   #", "#   #"),
    "D": ("#### ", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#### ", "#    ", "#####"),
    "N": ("#   #", "##  #", "# # #", "#  ##", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#### ", "#    ", "#    "),
    "S": (" ####", "#    ", " ### ", "    #", "#### "),
    "U": ("#   #", "#   #", "#   #", "#   #", " ### "),
}
ROWS = 5


def render_big(text: str) -> list[str]:
    """``"1:05"`` -> five lines of block letters (unknown characters are left out)."""
    glyphs = [_FONT[ch] for ch in text.upper() if ch in _FONT]
    if not glyphs:
        return [""] * ROWS
    return [" ".join(g[row] for g in glyphs).replace("#", "█") for row in range(ROWS)]


class BigText(Widget):
    """Block letters for a short value; falls back to plain text when too narrow."""

    DEFAULT_CSS = """
    BigText {
        height: 5;
        width: auto;
    }
    """

    value: reactive[str] = reactive("", layout=True)

    def __init__(
        self, value: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(BigText.value, value)

    def get_content_width(self, container: object, viewport: object) -> int:
        lines = render_big(self.value)
        return max((len(line) for line in lines), default=0)

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return ROWS

    def render(self) -> RenderResult:
        lines = render_big(self.value)
        if self.size.width and max(len(line) for line in lines) > self.size.width:
            return Text(self.value, style="bold")
        return Text("\n".join(lines))
