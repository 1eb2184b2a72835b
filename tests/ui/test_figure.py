"""The exercise's figure on the session screen, as a person sees it: it moves with the cues,
lies on the side being worked, shows where it fits, and repaints only when its frame changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.coaching import figures as motion
from trainer.engine import Side
from trainer.programme import figures, loading
from trainer.ui.screens.session import SessionScreen
from trainer.ui.widgets.bigtext import SIDE_FORMS, SideMark, side_rows
from trainer.ui.widgets.figure import Figure

from .snapshot_apps import (
    BRIDGE_HOLD,
    BRIDGE_RAISE,
    GET_READY,
    LEGS_ROUTINE,
    SHIPPED_ROUTINES,
    add_legs_routine,
)


def drawing(exercise_id: str) -> motion.Drawn:
    figure = loading.load_routines(SHIPPED_ROUTINES).exercise(exercise_id).figure
    assert figure is not None
    return motion.drawn(figure)


def shown(ui) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return ui.screen.query_one("#figure", Figure).lines


def on_screen(ui, lines: tuple[str, ...]) -> bool:  # type: ignore[no-untyped-def]
    """The frame's drawn lines are on the screen, one under the other."""
    rows = ui.screen_lines()
    body = [line.rstrip() for line in lines if line.strip()]
    for top in range(len(rows)):
        at = rows[top].find(body[0]) if body[0] else -1
        if at >= 0 and all(
            top + i < len(rows) and rows[top + i][at:].startswith(line)
            for i, line in enumerate(body)
        ):
            return True
    return False


async def test_the_bridge_rises_holds_and_comes_down_with_the_cues(start_ui) -> None:
    bridge = drawing("bridges")
    async with start_ui() as ui:
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.visible("#figure-box")
        assert shown(ui) == bridge.lines("start")  # get into position: the start pose
        assert on_screen(ui, bridge.lines("start"))
        painted = ui.screen.query_one("#figure", Figure).frames_drawn
        await ui.advance(GET_READY)
        assert ui.text("#cue") == "Raise your hips"
        assert shown(ui) == bridge.lines("between 1")  # on the way up
        await ui.advance(BRIDGE_RAISE - 1)
        assert shown(ui) == bridge.lines("end")  # up in the last second of the raise
        await ui.advance(1)
        assert ui.text("#cue").startswith("Hold")
        for _ in range(BRIDGE_HOLD - 1):
            await ui.advance(1)
            assert shown(ui) == bridge.lines("end")  # stays up for the whole hold
        await ui.advance(1)
        assert ui.text("#cue") == "Lower your hips"
        assert shown(ui) == bridge.lines("between 1")
        await ui.advance(3)
        assert ui.text("#cue") == "Rest"
        assert shown(ui) == bridge.lines("start")
        assert on_screen(ui, bridge.lines("start"))
        # 27 s of screen and one repaint per change of pose: up (2), down (2).
        assert ui.screen.query_one("#figure", Figure).frames_drawn - painted == 4


def offset_of(path: Path, routine: str, exercise: str, cue: int, side: str) -> float:
    from trainer.engine import plan_for

    plan = plan_for(loading.load_routines(path), routine)
    return next(
        step.offset
        for step in plan.steps
        if step.exercise_id == exercise and step.cue_index == cue and step.side.value == side
    )


async def test_the_leg_lifts_lie_on_the_side_being_worked(start_ui, routines_path: Path) -> None:
    # One rep a side, in a routine of its own: the second side comes within seconds.
    text = routines_path.read_text(encoding="utf-8")
    text = text.replace("sets = 3\nreps = 10\nhold = 2\n", "sets = 1\nreps = 1\nhold = 2\n", 1)
    routines_path.write_text(text + LEGS_ROUTINE, encoding="utf-8")
    left_hold = offset_of(routines_path, "legs", "leg-lifts", 1, "left") + 0.5
    right_hold = offset_of(routines_path, "legs", "leg-lifts", 1, "right") + 0.5
    legs = drawing("leg-lifts")
    async with start_ui() as ui:
        await ui.press("down", "down", "down", "enter")
        assert ui.text("#exercise").startswith("Lying lateral leg lifts")
        assert shown(ui) == legs.lines("start", Side.LEFT)  # get into position: on the left
        await ui.advance(left_hold)
        assert ui.text("#cue") == "Hold"
        left = legs.lines("end", Side.LEFT)
        assert shown(ui) == left and on_screen(ui, left)
        assert left[1].rstrip().endswith("▄▄")  # the head on the right: lying on the left side
        await ui.advance(right_hold - left_hold)
        assert ui.text("#cue") == "Hold"
        right = legs.lines("end", Side.RIGHT)
        assert shown(ui) == right and on_screen(ui, right)
        assert list(left) == [line.ljust(legs.width) for line in figures.mirror(right)]


async def test_the_figure_shows_where_it_fits(start_ui) -> None:
    async with start_ui(size=(60, 20)) as ui:
        await ui.press("enter")
        assert ui.visible("#figure-box")
        await ui.pilot.resize_terminal(40, 12)
        await ui.settle()
        assert not ui.visible("#figure-box")  # what to do now keeps the room
        assert ui.word  # the big word is still there
        await ui.pilot.resize_terminal(80, 24)
        await ui.settle()
        assert ui.visible("#figure-box")


async def test_an_exercise_without_a_figure_shows_none(start_ui, routines_path: Path) -> None:
    text = routines_path.read_text(encoding="utf-8")
    cut = text.index("[exercises.figure]")
    end = text.index("[[exercises]]", cut)
    routines_path.write_text(text[:cut] + text[end:], encoding="utf-8")
    assert loading.load_routines(routines_path).exercises[0].figure is None
    async with start_ui() as ui:
        await ui.press("enter")
        assert ui.text("#cue") == "Get into position"
        assert not ui.visible("#figure-box")
        await ui.advance(GET_READY + 1)
        assert ui.text("#cue") == "Raise your hips" and not ui.visible("#figure-box")


@pytest.mark.parametrize(
    ("size", "with_figure"), [((100, 30), True), ((80, 24), True), ((60, 20), False)]
)
async def test_the_side_in_big_letters_comes_first_then_the_figure(
    start_ui, routines_path: Path, size: tuple[int, int], with_figure: bool
) -> None:
    """On a side's row, the side is drawn in block letters at 60x20 and up; the figure joins it
    where both fit whole (never a cut body, never plain capitals to make room)."""
    add_legs_routine(routines_path)
    async with start_ui(size=size) as ui:
        await ui.press("down", "down", "down", "enter")
        assert ui.text("#exercise").startswith("Lying lateral leg lifts")
        side = ui.screen.query_one("#side", SideMark)
        for _ in range(3):  # get into position, raise, hold: the row stays as it was
            assert side.rows[0] in {side_rows("LEFT", form)[0] for form in SIDE_FORMS}
            assert any(side.rows[0].rstrip() in row for row in ui.screen_lines())
            assert ui.visible("#figure-box") is with_figure
            if with_figure:
                assert shown(ui) and on_screen(ui, shown(ui))
            await ui.advance(GET_READY if ui.text("#cue") == "Get into position" else 2)
