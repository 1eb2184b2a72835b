"""Cell-level output: send the terminal only the cells that changed, as curses does.

Textual repaints a widget by writing its whole dirty region, style codes and all, even where
the terminal already shows exactly those cells: a new step rewrites the frame, the big word's
blank margins, the footer's unchanged keys. Over SSH from a phone, and with fifty sessions on one
small server, those bytes are most of the cost of a running session.

:class:`CellOutput` keeps a copy of what the terminal shows (the cells and their styles, as the
last updates left them). A full update (the first frame, a new screen, a resize) writes every
cell and becomes the copy. A partial update is compared with the copy cell by cell, and only
runs of changed cells are written. Either way the style codes are Textual's own
(:meth:`Strip.render_ansi`), set only where the style changes rather than around every segment.
The copy is taken when an update is really written (``render_segments``), so an update Textual
drops is never mistaken for one that was sent.

A terminal that was changed behind our back (another program wrote to it) is repaired by the
next full update, or at once with Ctrl+L (as in curses apps), which forgets the copy and
repaints the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import COLOR_SYSTEMS, Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import Strip

#: One cell: its character ("" for the right half of a wide character) and its style.
Cell = tuple[str, Style | None]
#: Unchanged cells shorter than this between two changed runs are sent again rather than
#: skipped: a cursor move costs about as many bytes.
MERGE_GAP = 4

_MOVE = "\x1b[{};{}H"


def cells_of(segments: Iterable[Segment]) -> list[Cell]:
    """The cells that ``segments`` cover, left to right (control segments take none)."""
    out: list[Cell] = []
    append = out.append
    for text, style, control in segments:
        if control:
            continue
        if text.isascii():
            out.extend((char, style) for char in text)
            continue
        for char in text:
            size = get_character_cell_size(char)
            if size == 1:
                append((char, style))
            elif size == 2:
                append((char, style))
                append(("", style))
            elif out:  # a combining mark joins the cell before it
                before, before_style = out[-1]
                out[-1] = (before + char, before_style)
    return out


def _runs(old: Sequence[Cell | None], new: Sequence[Cell]) -> list[tuple[int, int]]:
    """[start, end) runs of ``new`` that differ from ``old``, merged across small gaps, and
    never splitting a wide character from its right half."""
    runs: list[tuple[int, int]] = []
    start = -1
    last_changed = -1
    for index, cell in enumerate(new):
        if index < len(old) and old[index] == cell:
            continue
        if start < 0:
            start = index
        elif index - last_changed > MERGE_GAP:
            runs.append((start, last_changed + 1))
            start = index
        last_changed = index
    if start >= 0:
        runs.append((start, last_changed + 1))
    fixed: list[tuple[int, int]] = []
    for begin, end in runs:
        while begin > 0 and new[begin][0] == "":
            begin -= 1
        while end < len(new) and new[end][0] == "":
            end += 1
        if fixed and begin <= fixed[-1][1]:
            begin = fixed.pop()[0]
        fixed.append((begin, end))
    return fixed


class _Pen:
    """Writes runs of cells, changing the terminal's style only when it differs.

    Textual resets the style after every segment and sets it again before the next; runs of one
    update mostly share a style (a frame's sides, a word's rows), so the pen keeps it set across
    cursor moves and resets once at the end. The codes are Textual's own
    (:meth:`Strip.render_ansi`)."""

    def __init__(self, console: Console) -> None:
        self._colors = COLOR_SYSTEMS.get(console.color_system or "", ColorSystem.TRUECOLOR)
        self._codes = ""
        self.out: list[str] = []

    def move(self, x: int, y: int) -> None:
        self.out.append(_MOVE.format(y + 1, x + 1))

    def cells(self, cells: Sequence[Cell]) -> None:
        """Write ``cells`` (consecutive cells of one style as one text)."""
        text: list[str] = []
        style: Style | None = None
        for char, cell_style in cells:
            if text and cell_style is not style and cell_style != style:
                self._text("".join(text), style)
                text = []
            style = cell_style
            text.append(char)
        if text:
            self._text("".join(text), style)

    def _text(self, text: str, style: Style | None) -> None:
        if style is not None and style.link:
            self._set("")
            self.out.append(Strip.render_style(style, text, self._colors))
            return
        self._set(Strip.render_ansi(style, self._colors) if style is not None else "")
        self.out.append(text)

    def _set(self, codes: str) -> None:
        if codes == self._codes:
            return
        if not codes:
            self.out.append("\x1b[0m")
        else:
            self.out.append(f"\x1b[0;{codes}m" if self._codes else f"\x1b[{codes}m")
        self._codes = codes

    def finish(self) -> str:
        self._set("")
        return "".join(self.out)


class CellOutput:
    """What the terminal shows, and the smallest update that brings it to a new frame."""

    def __init__(self) -> None:
        self._rows: dict[int, list[Cell | None]] = {}

    def forget(self) -> None:
        """The terminal's content is unknown (a resize, a resume): everything is sent again."""
        self._rows.clear()

    def wrap(self, update: object) -> object:
        """The update to hand to Textual instead of ``update`` (anything else passes through)."""
        if isinstance(update, LayoutUpdate):
            return _Full(self, update)
        if isinstance(update, ChopsUpdate):
            return _Partial(self, update)
        return update

    # ------------------------------------------------------------------ the copy

    def render_full(self, update: LayoutUpdate, console: Console) -> str:
        """Every cell of ``update`` (the terminal's content is not trusted: after a resize the
        terminal may have moved it), which becomes the copy. The same cells Textual would
        write, with the style set only where it changes."""
        self._rows.clear()
        pen = _Pen(console)
        x = update.region.x
        for y, line in enumerate(update.strips, update.region.y):
            cells: list[Cell] = []
            for strip in line:
                cells.extend(cells_of(strip))
            pen.move(x, y)
            pen.cells(cells)
            self._rows[y] = [*([None] * x), *cells]
        return pen.finish()

    def render_partial(self, update: ChopsUpdate, console: Console) -> str:
        """The bytes that bring the terminal from the copy to ``update``, and the new copy."""
        pen = _Pen(console)
        for y, x1, x2 in update.spans:
            wanted = self._wanted(update.chops[y], update.chop_ends[y], x1, x2)
            if not wanted:
                continue
            row = self._rows.setdefault(y, [])
            for x, cells in wanted:
                if len(row) < x + len(cells):
                    row.extend([None] * (x + len(cells) - len(row)))
                for begin, end in _runs(row[x : x + len(cells)], cells):
                    pen.move(x + begin, y)
                    pen.cells(cells[begin:end])
                row[x : x + len(cells)] = cells
        return pen.finish()

    @staticmethod
    def _wanted(
        line: Mapping[int, Strip | None], ends: Sequence[int], x1: int, x2: int
    ) -> list[tuple[int, list[Cell]]]:
        """The chops of one line that Textual would write for the span [x1, x2), as cells."""
        wanted: list[tuple[int, list[Cell]]] = []
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if not (x2 > x >= x1 and end <= x2):
                strip = strip.crop(0, min(end, x2) - x)
            wanted.append((x, cells_of(strip)))
        return wanted


class _Full(CompositorUpdate):
    """A full update: every cell written; it becomes the copy."""

    def __init__(self, output: CellOutput, update: LayoutUpdate) -> None:
        self._output = output
        self._update = update

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return self._update.__rich_console__(console, options)

    def render_segments(self, console: Console) -> str:
        return self._output.render_full(self._update, console)


class _Partial(CompositorUpdate):
    """A partial update, reduced to the cells that changed."""

    def __init__(self, output: CellOutput, update: ChopsUpdate) -> None:
        self._output = output
        self._update = update

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        return self._update.__rich_console__(console, options)

    def render_segments(self, console: Console) -> str:
        return self._output.render_partial(self._update, console)
