"""The cell-level output (``trainer.ui.output``) leaves exactly the screen Textual's own output
would, in a terminal emulator (pyte), whatever sequence of full and partial updates comes."""

from __future__ import annotations

import inspect
import itertools

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App
from textual.strip import Strip

from trainer.ui.output import CellOutput, cells_of

WIDTH, HEIGHT = 16, 5
STYLES = [
    None,
    Style(bold=True),
    Style(color="red", bgcolor="black"),
    Style(color="color(214)", bgcolor="color(17)", bold=True),
    Style(reverse=True),
    Style(color="#e0e0e0", bgcolor="#121212"),
]
# Narrow, block and wide characters (a wide one takes two cells).
CHARS = ["a", "b", " ", "█", "─", "╍", "字", "é"]


def _console() -> Console:
    return Console(width=WIDTH, height=HEIGHT, color_system="256", force_terminal=True)


@st.composite
def strips(draw: st.DrawFn, width: int) -> Strip:
    """A strip of exactly ``width`` cells."""
    segments: list[Segment] = []
    used = 0
    while used < width:
        char = draw(st.sampled_from(CHARS))
        if char == "字" and used + 2 > width:
            char = "x"
        count = draw(st.integers(1, max(1, (width - used) // (2 if char == "字" else 1))))
        text = char * count
        segments.append(Segment(text, draw(st.sampled_from(STYLES))))
        used += count * (2 if char == "字" else 1)
    return Strip(segments, width)


@st.composite
def full_updates(draw: st.DrawFn) -> LayoutUpdate:
    from textual.geometry import Region

    lines = [[draw(strips(WIDTH))] for _ in range(HEIGHT)]
    return LayoutUpdate(lines, Region(0, 0, WIDTH, HEIGHT))  # type: ignore[arg-type]


@st.composite
def partial_updates(draw: st.DrawFn) -> ChopsUpdate:
    """Lines cut into chops (as widgets cut them), some lines dirty over some spans."""
    chops: list[dict[int, Strip | None]] = []
    ends: list[list[int]] = []
    spans: list[tuple[int, int, int]] = []
    for y in range(HEIGHT):
        cuts = sorted(set(draw(st.lists(st.integers(1, WIDTH - 1), max_size=3))))
        edges = [0, *cuts, WIDTH]
        dirty = draw(st.booleans())
        line: dict[int, Strip | None] = {}
        for x, end in itertools.pairwise(edges):
            line[x] = draw(strips(end - x)) if dirty else None
        chops.append(line)
        ends.append(edges[1:])
        if dirty:
            x1 = draw(st.integers(0, WIDTH - 1))
            x2 = draw(st.integers(x1 + 1, WIDTH))
            spans.append((y, x1, x2))
    if not spans:
        line = {0: draw(strips(WIDTH))}
        chops[0], ends[0] = line, [WIDTH]
        spans.append((0, 0, WIDTH))
    return ChopsUpdate(chops, spans, ends)


def _cells(screen: pyte.Screen) -> list[list[tuple[str, str, str, bool, bool]]]:
    return [
        [
            (c.data, c.fg, c.bg, c.bold, c.reverse)
            for c in (screen.buffer[y][x] for x in range(screen.columns))
        ]
        for y in range(screen.lines)
    ]


@settings(deadline=None)
@given(
    first=full_updates(),
    rest=st.lists(st.one_of(partial_updates(), full_updates()), min_size=1, max_size=8),
)
def test_the_screen_is_what_textual_would_leave(first: LayoutUpdate, rest: list) -> None:
    console = _console()
    theirs, ours = pyte.Screen(WIDTH, HEIGHT), pyte.Screen(WIDTH, HEIGHT)
    their_stream, our_stream = pyte.Stream(theirs), pyte.Stream(ours)
    output = CellOutput()
    for update in [first, *rest]:
        their_stream.feed(update.render_segments(console))
        our_stream.feed(output.wrap(update).render_segments(console))  # type: ignore[attr-defined]
        assert _cells(ours) == _cells(theirs)


def test_an_unchanged_repaint_sends_nothing_but_a_changed_cell_is_sent() -> None:
    from textual.geometry import Region

    console = _console()
    output = CellOutput()
    line = Strip([Segment("Hold  10", Style(bold=True)), Segment(" " * 8)], WIDTH)
    full = LayoutUpdate([[line] for _ in range(HEIGHT)], Region(0, 0, WIDTH, HEIGHT))  # type: ignore[arg-type]
    output.wrap(full).render_segments(console)  # type: ignore[attr-defined]
    same = ChopsUpdate(
        [{0: line}, *[{0: None}] * (HEIGHT - 1)], [(0, 0, WIDTH)], [[WIDTH]] * HEIGHT
    )
    assert output.wrap(same).render_segments(console) == ""  # type: ignore[attr-defined]
    nine = Strip([Segment("Hold   9", Style(bold=True)), Segment(" " * 8)], WIDTH)
    changed = ChopsUpdate(
        [{0: nine}, *[{0: None}] * (HEIGHT - 1)], [(0, 0, WIDTH)], [[WIDTH]] * HEIGHT
    )
    sent = output.wrap(changed).render_segments(console)  # type: ignore[attr-defined]
    # The cursor goes to the changed cells only ("10" becomes " 9"), in bold, then resets.
    assert sent == "\x1b[1;7H\x1b[1m 9\x1b[0m"


def test_forgetting_sends_everything_again() -> None:
    from textual.geometry import Region

    console = _console()
    output = CellOutput()
    line = Strip([Segment("x" * WIDTH)], WIDTH)
    full = LayoutUpdate([[line] for _ in range(HEIGHT)], Region(0, 0, WIDTH, HEIGHT))  # type: ignore[arg-type]
    output.wrap(full).render_segments(console)  # type: ignore[attr-defined]
    output.forget()
    again = ChopsUpdate(
        [{0: line}, *[{0: None}] * (HEIGHT - 1)], [(0, 0, WIDTH)], [[WIDTH]] * HEIGHT
    )
    assert output.wrap(again).render_segments(console) == "\x1b[1;1H" + "x" * WIDTH  # type: ignore[attr-defined]


def test_wide_characters_and_combining_marks_take_their_cells() -> None:
    cells = cells_of([Segment("a字e\u0301", None)])
    assert [c for c, _ in cells] == ["a", "字", "", "e\u0301"]


def test_textual_still_writes_every_frame_through_the_hook() -> None:
    """The pinned Textual turns a frame into bytes in ``App._display(screen, renderable)``; if
    an upgrade renames it, this fails (the output would silently be Textual's again: correct
    but bigger). The next test proves the running app's frames pass through it."""
    assert list(inspect.signature(App._display).parameters) == ["self", "screen", "renderable"]
    from trainer.ui.app import TrainerApp

    assert TrainerApp._display is not App._display


async def test_a_running_session_hands_its_frames_to_the_cell_output(start_ui, monkeypatch):
    seen: list[type] = []
    original = CellOutput.wrap

    def spy(self: CellOutput, update: object) -> object:
        seen.append(type(update))
        return original(self, update)

    monkeypatch.setattr(CellOutput, "wrap", spy)
    async with start_ui() as ui:
        await ui.press("enter")  # the first routine
        from trainer.ui.screens.session import SessionScreen

        assert isinstance(ui.app.screen, SessionScreen)
        seen.clear()
        await ui.advance(1)
    assert ChopsUpdate in seen  # the countdown's partial repaint went through the hook
