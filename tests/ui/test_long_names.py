"""Long names never push a screen's buttons or keys out of sight.

The routines file allows names of up to 400 characters (``trainer.programme.schema.Text``);
session.json
and history.jsonl, which trainer wrote, hold whatever name was in use then (any length). Every
screen that shows such a name in a heading, a button or a list row keeps it to one line (cut
with an ellipsis), and long prose wraps in a scrolling area that never pushes the buttons out:
at 80x24, 60x20 and 40x12 every button of a screen lies inside the screen.
"""

from __future__ import annotations

import tomllib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hostile_inputs import with_value
from lock_helpers import take_lock
from textual.widget import Widget
from textual.widgets import Button, DataTable

from trainer.coaching.dose import Rule, Suggestion
from trainer.engine import Session, plan_for
from trainer.programme.loading import load_routines
from trainer.programme.schema import RoutinesFile
from trainer.records import history, saved_session
from trainer.text import wording
from trainer.ui.screens.base import NARROW

from .conftest import UI, StartUI
from .snapshot_apps import FIXED_NOW, answer_next_morning

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = tomllib.loads((ROOT / "routines.toml").read_text(encoding="utf-8"))
SIZES = {"80x24": (80, 24), "60x20": (60, 20), "40x12": (40, 12)}


def long_text(word: str, length: int) -> str:
    """``length`` characters of ``word`` repeated, words apart (so it could wrap), ending in
    ``END`` (which a one-line heading never reaches)."""
    text = (f"{word} " * length)[: length - 4].rstrip()
    return text + " " * (length - 4 - len(text)) + " END"


#: The longest name the routines file allows (400) and a 200-character exercise name.
ROUTINE_NAME = long_text("Routine", 400)
EXERCISE_NAME = long_text("Bridges", 200)
#: Longer than the routines file allows: session.json and the history may hold it.
SAVED_NAME = long_text("Saved", 500)
PROSE = long_text("Advice", 400)


def long_routines() -> dict[str, object]:
    doc = with_value(SHIPPED, ("routines", 0, "name"), ROUTINE_NAME)
    doc = with_value(doc, ("routines", 0, "description"), PROSE)
    doc = with_value(doc, ("exercises", 0, "name"), EXERCISE_NAME)
    for key in SHIPPED["advice"]:  # type: ignore[union-attr]
        doc = with_value(doc, ("advice", key), PROSE)
    return doc


@pytest.fixture
def long_path(routines_path: Path) -> Path:
    routines_path.write_text(tomli_w.dumps(long_routines(), indent=4), encoding="utf-8")
    return routines_path


def saved_long(routines: RoutinesFile, routines_path: Path) -> saved_session.SavedSession:
    session = Session(plan_for(routines, "full"), lambda: 1000.0)
    session.start()
    saved = saved_session.SavedSession.of(
        session, routines_path.absolute(), FIXED_NOW - timedelta(hours=1), saved_at=FIXED_NOW
    )
    snapshot = saved.snapshot.model_copy(
        update={"routine_name": SAVED_NAME, "exercise_name": SAVED_NAME}
    )
    return saved.model_copy(update={"snapshot": snapshot})


def long_history() -> None:
    start = FIXED_NOW - timedelta(days=1)
    history.append_entry(
        history.HistoryEntry(
            started_at=start,
            ended_at=start + timedelta(minutes=20),
            routine_id="full",
            routine_name=SAVED_NAME,
            active_seconds=1200,
            outcome=history.Outcome.FINISHED,
            exercises=[
                history.ExerciseLog(
                    id="bridges", name=SAVED_NAME, sets_done=1, sets=3, reps_done=5, reps=15
                )
            ],
        )
    )
    answer_next_morning(start)


def dump(ui: UI) -> str:
    return f"{type(ui.screen).__name__} at {ui.app.size}:\n" + ui.screen_text()


def assert_on_screen(ui: UI, widget: Widget, text: str = "") -> None:
    """``widget`` lies wholly inside the screen (and shows ``text`` there, when given)."""
    region = widget.region
    assert region.area > 0, f"{widget!r} has no room\n{dump(ui)}"
    assert ui.screen.region.contains_region(region), (
        f"{widget!r} at {region} is outside {ui.screen.region}\n{dump(ui)}"
    )
    if text:
        rows = ui.screen_lines()[region.y : region.bottom]
        assert any(text in row[region.x : region.right] for row in rows), (
            f"{widget!r} does not show {text!r} whole\n{dump(ui)}"
        )


def assert_buttons_on_screen(ui: UI, at_least: int = 1) -> None:
    """Every button shown lies wholly inside the screen, its label whole."""
    buttons = [b for b in ui.screen.query(Button) if b.display]
    assert len(buttons) >= at_least, dump(ui)
    for button in buttons:
        assert_on_screen(ui, button, str(button.label))


def assert_one_line(ui: UI, *selectors: str, cut: bool = True) -> None:
    """Each of ``selectors`` takes one row, inside the screen, and shows the start of its long
    name (never its end), cut with an ellipsis at the end of the row (if ``cut``)."""
    for selector in selectors:
        widget = ui.screen.query_one(selector, Widget)
        assert widget.region.height == 1, f"{selector} takes {widget.region}\n{dump(ui)}"
        assert_on_screen(ui, widget)
        row = ui.screen_lines()[widget.region.y]
        shown = row[widget.region.x : widget.region.right].rstrip()
        assert shown.endswith("…") or not cut, f"{selector} is not cut: {shown!r}\n{dump(ui)}"
        assert "END" not in shown, shown


def list_rows(ui: UI, selector: str = "#routines") -> list[str]:
    """The rows of the list as shown, cut to its region."""
    region = ui.screen.query_one(selector, Widget).region
    return [row[region.x : region.right] for row in ui.screen_lines()[region.y : region.bottom]]


Scene = Callable[[UI], Awaitable[None]]


async def on_list(ui: UI) -> None:
    pass


async def on_resume(ui: UI) -> None:
    pass


async def on_discard_question(ui: UI) -> None:
    await ui.press("d")


async def on_end_question(ui: UI) -> None:
    """A session in progress, back on the list, another routine chosen: end the first?"""
    await ui.press("enter")
    await ui.advance(3)
    await ui.press("escape")
    await ui.press("down", "down", "enter")


async def on_checkin(ui: UI) -> None:
    settings = ui.app.routines.settings.model_copy(update={"checkin_before": True})
    ui.app.save_routines(ui.app.routines.model_copy(update={"settings": settings}))
    await ui.press("enter")


async def on_summary(ui: UI) -> None:
    await ui.press("enter")
    await ui.advance(20)
    await ui.press("x")


async def on_suggest(ui: UI) -> None:
    from trainer.ui.screens.suggest import SuggestScreen

    suggestion = Suggestion(
        exercise_id="bridges",
        exercise_name=EXERCISE_NAME,
        rule=Rule.EASE_OFF,
        change="hold",
        old=10,
        new=8,
        routine_id="full",
        reason=PROSE,
    )
    await ui.app.push_screen(SuggestScreen(suggestion, ui.app.routines.advice, "1 of 2"))
    await ui.settle()


async def on_advice(ui: UI) -> None:
    await ui.press("a")


async def on_doctor(ui: UI) -> None:
    from trainer.ui.screens.advice import AdviceScreen

    await ui.app.push_screen(AdviceScreen(ui.app.routines.advice, doctor=PROSE))
    await ui.settle()


async def on_settings(ui: UI) -> None:
    await ui.press("e")


async def on_history(ui: UI) -> None:
    await ui.press("h")


async def on_watch(ui: UI) -> None:
    await ui.press("v")


@dataclass(frozen=True)
class Case:
    """How to reach a screen (``prepare`` runs before the app starts and returns its options;
    ``steps`` then drive it) and what to check there (``check``), besides its buttons."""

    prepare: Callable[[Path], dict[str, Any]]
    steps: Scene
    check: Callable[[UI], None]
    #: How many buttons at least the screen shows.
    buttons: int = 0


def nothing(_path: Path) -> dict[str, Any]:
    return {}


def with_saved(path: Path) -> dict[str, Any]:
    return {"saved": saved_long(load_routines(path), path)}


def with_history(_path: Path) -> dict[str, Any]:
    long_history()
    return {}


#: Locks the watch cases hold until the test ends (released by the ``release_locks`` fixture).
HELD: list[saved_session.SessionLock] = []


def locked(path: Path) -> dict[str, Any]:
    saved_session.save_session(saved_long(load_routines(path), path))
    HELD.append(take_lock())
    holder = saved_session.SessionLock.try_acquire()
    assert isinstance(holder, saved_session.LockHolder)
    return {"locked_by": holder}


def check_list(ui: UI) -> None:
    rows = list_rows(ui)
    first = next(i for i, row in enumerate(rows) if "Routine Routine" in row)
    assert rows[first].rstrip(" ▎").endswith("…"), dump(ui)  # inside the frame
    assert "39 min, 5 exercises" in rows[first + 1], dump(ui)  # the name took one row
    assert "Quick core" in rows[first + 2], dump(ui)
    if ui.app.size.width >= NARROW:  # the details pane: the name, then the numbers
        assert_one_line(ui, "#details-name")
        assert f"1. {wording.clip(EXERCISE_NAME)}\n" in ui.text("#details")


def check_resume(ui: UI) -> None:
    assert_one_line(ui, "#resume-routine")
    assert_one_line(ui, "#resume-where", cut=False)  # its name is cut short (wording.clip)
    where = ui.screen.query_one("#resume-where", Widget).region
    assert ", getting" in ui.screen_lines()[where.y], dump(ui)  # the name is cut short
    assert ui.screen.query_one("#resume-resume", Button).has_focus


def check_question(ui: UI) -> None:
    """The name is cut short in the sentence: the question's own words stay in sight."""
    assert wording.clip(ROUTINE_NAME) in ui.text("#question")
    assert "start a new" in ui.screen_text(), dump(ui)


def check_checkin(ui: UI) -> None:
    assert_on_screen(ui, ui.screen.query_one("#checkin-before-score", Widget))


def check_summary(ui: UI) -> None:
    assert_on_screen(ui, ui.screen.query_one("#checkin", Widget))
    assert ui.text("#summary-time").startswith(wording.clip(ROUTINE_NAME) + ": ")
    table = ui.screen.query_one("#results", DataTable)
    assert str(table.get_row_at(0)[0]) == wording.clip(EXERCISE_NAME)


def check_suggest(ui: UI) -> None:
    assert ui.text("#suggest-text") == f"{wording.clip(EXERCISE_NAME)}: hold 8 s instead of 10 s"
    assert_on_screen(ui, ui.screen.query_one("#suggest-title", Widget), "Ease off")


def check_nothing(ui: UI) -> None:
    pass


def check_settings(ui: UI) -> None:
    name = ui.screen.query_one("#name--bridges.exercise-name", Widget)
    name.scroll_visible(animate=False, immediate=True)
    assert name.size.height == 1, dump(ui)


def check_history(ui: UI) -> None:
    totals = ui.screen.query_one("#totals", DataTable)
    assert str(totals.get_row_at(0)[0]) == wording.clip(SAVED_NAME)
    recent = ui.screen.query_one("#recent", DataTable)
    assert str(recent.get_row_at(0)[1]) == wording.clip(SAVED_NAME)


def check_watch(ui: UI) -> None:
    assert_one_line(ui, "#watch-routine")
    assert_one_line(ui, "#watch-where", cut=False)


CASES: dict[str, Case] = {
    "list": Case(nothing, on_list, check_list),
    "resume": Case(with_saved, on_resume, check_resume, buttons=3),
    "discard-question": Case(with_saved, on_discard_question, check_nothing, buttons=2),
    "end-question": Case(nothing, on_end_question, check_question, buttons=2),
    "checkin": Case(nothing, on_checkin, check_checkin),
    "summary": Case(nothing, on_summary, check_summary, buttons=11),
    "suggest": Case(nothing, on_suggest, check_suggest, buttons=2),
    "advice": Case(nothing, on_advice, check_nothing, buttons=1),
    "doctor": Case(nothing, on_doctor, check_nothing, buttons=1),
    "settings": Case(nothing, on_settings, check_settings, buttons=2),
    "history": Case(with_history, on_history, check_history),
    "watch": Case(locked, on_watch, check_watch, buttons=2),
}


@pytest.fixture
def release_locks() -> Iterator[None]:
    yield
    while HELD:
        HELD.pop().release()


@pytest.mark.usefixtures("release_locks")
@pytest.mark.parametrize("case", sorted(CASES))
async def test_long_names_keep_every_button_on_screen(
    case: str, start_ui: StartUI, long_path: Path
) -> None:
    """The longest names the files can hold, on each screen at 80x24, 60x20 and 40x12: each
    button inside the screen, its label whole; the names one row each, cut with an ellipsis.
    Started at 40x12 (the screen built at its smallest), then the window made larger, as a
    person does (a screen that only fits when it starts at its size fails here)."""
    spec = CASES[case]
    async with start_ui(size=SIZES["40x12"], **spec.prepare(long_path)) as ui:
        await spec.steps(ui)
        for size in ("40x12", "60x20", "80x24"):
            await ui.pilot.resize_terminal(*SIZES[size])
            await ui.settle()
            assert ui.app.size == SIZES[size]
            assert_buttons_on_screen(ui, spec.buttons)
            spec.check(ui)


#: The keys the footer must show whole at 40 columns, on each screen that has a footer.
NEEDED_KEYS = {
    "list": ["Start", "Quit"],
    "resume": ["Resume", "Later", "Quit"],
    "summary": ["Skip check-in", "Quit"],
    "settings": ["Save", "Back"],
    "history": ["Back", "Quit"],
    "watch": ["View read-only", "Quit"],
}


@pytest.mark.usefixtures("release_locks")
@pytest.mark.parametrize("case", sorted(NEEDED_KEYS))
async def test_the_footer_keeps_the_keys_that_matter_at_40_columns(
    case: str, start_ui: StartUI, long_path: Path
) -> None:
    spec = CASES[case]
    async with start_ui(size=(40, 12), **spec.prepare(long_path)) as ui:
        if case != "watch":  # its footer is the watch screen's, before v
            await spec.steps(ui)
        footer = ui.screen_lines()[-1]
        for key in NEEDED_KEYS[case]:
            assert key in footer, f"{key!r} cut from the footer: {footer!r}"


def test_clip_keeps_short_names_and_cuts_long_ones_at_a_space() -> None:
    assert wording.clip("Bridges") == "Bridges"
    assert wording.clip("x" * wording.NAME_ROOM) == "x" * wording.NAME_ROOM
    assert wording.clip("x" * 500) == "x" * (wording.NAME_ROOM - 1) + "…"
    cut = wording.clip(EXERCISE_NAME)
    assert len(cut) <= wording.NAME_ROOM and cut.endswith("Bridges…")
    assert wording.clip("Lying lateral leg lifts, slowly, with a band", 20) == "Lying lateral leg…"


@pytest.mark.parametrize("size", sorted(SIZES))
async def test_the_session_heading_keeps_the_exercise_beside_a_long_routine_name(
    size: str, start_ui: StartUI, long_path: Path
) -> None:
    """The exercise's name is what matters in a session: a long routine name beside it takes
    at most its share of the row, and both are cut with an ellipsis."""
    async with start_ui(size=SIZES[size], show_advice=False) as ui:
        await ui.press("enter")
        if size == "40x12":  # the heading gives way to the one-line position there: the name
            # is cut, never the set and rep numbers after it
            assert_one_line(ui, "#position", cut=False)
            line = ui.text("#position")
            assert "…" in line and line.endswith("· set 1/3 · rep 1/15"), dump(ui)
            return
        assert_one_line(ui, "#exercise", "#where")
        exercise = ui.screen.query_one("#exercise", Widget)
        assert exercise.region.width >= SIZES[size][0] // 2 - 2, dump(ui)
        assert ui.screen_lines()[exercise.region.y].lstrip().startswith(EXERCISE_NAME[:10])
