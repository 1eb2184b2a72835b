"""An exercise's figure (see :mod:`trainer.coaching.figures`): it only draws the lines it is
given, centred in its box, and repaints only when they change (a new frame at most once a
second, at a step or pose change)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

from trainer.programme.figures import fit
from trainer.text.safe import printable


class Figure(Widget):
    """The lines of one frame; blank when they do not fit (a body is never cut)."""

    DEFAULT_CSS = """
    Figure {
        width: auto;
        height: 5;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.__lines: tuple[str, ...] = ()
        self.__width = 0
        #: How many times the frame changed (a repaint each): the cost tests read it.
        self.frames_drawn = 0

    @property
    def lines(self) -> tuple[str, ...]:
        return self.__lines

    def show(self, lines: Sequence[str], width: int = 0) -> None:
        """Draw ``lines`` (text from the routines file: shown as text, never as controls) in
        ``width`` columns (the drawing's: every frame of it takes the same room)."""
        shown = tuple(printable(line) for line in lines)
        width = max(width, *(len(line) for line in shown), 0) if shown else 0
        if (shown, width) == (self.__lines, self.__width):
            return
        resized = width != self.__width
        self.__lines, self.__width = shown, width
        self.frames_drawn += 1
        self.refresh(layout=resized)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.__width

    def fits(self, lines: Sequence[str]) -> bool:
        """``lines`` fit this widget's box (as the stylesheet sizes it)."""
        return fit(list(lines), self.size.width, self.size.height) is not None

    def render_line(self, y: int) -> Strip:
        width, height = self.size.width, self.size.height
        style = self.rich_style
        fitted = fit(list(self.__lines), width, height) if self.__lines else None
        if fitted is None or not 0 <= y < len(fitted):
            return Strip.blank(width, style)
        return Strip([Segment(fitted[y], style)], width)
