"""Fuzz the app's screens with hostile text that the loaders accept.

Whatever text a routines file or a saved session holds, once it loads, every screen a person
goes through (advice, list, session, summary, settings, history, resume) draws without an error,
shows the text as typed (markup is never read) and puts no raw control character on screen.
The texts are drawn from ``hostile_text`` (control characters, escape sequences, markup, bidi
overrides and ordinary Unicode mixed); the ones the loader refuses are checked in
``tests/test_loader_fuzz.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hostile_inputs import CONTROL, LEGIT, MARKUP, UNSAFE, assert_no_raw_control, with_value
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable

from trainer.engine import ManualClock
from trainer.programme import loading
from trainer.records import saved_session
from trainer.storage import files
from trainer.text import wording
from trainer.text.errors import TrainerError
from trainer.text.safe import printable
from trainer.ui.screens.advice import AdviceScreen
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.resume import ResumeScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.settings import SettingsScreen
from trainer.ui.screens.summary import SummaryScreen

from .conftest import UI
from .snapshot_apps import CLOCK_START, make_app, prepare_folder

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = tomllib.loads((ROOT / "routines.toml").read_text(encoding="utf-8"))
#: Each example runs the real app through several screens (seconds each): a tenth of what the
#: Hypothesis profile (tests/conftest.py) gives other tests: 2 in "quick", 40 in "thorough".
RENDER_FUZZ = settings(
    max_examples=max(1, settings().max_examples // 10),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

PIECES = st.one_of(
    st.text(max_size=8),
    st.text(st.sampled_from("[]/@=$\\:#\u05d0\u0627 "), min_size=1, max_size=6),
    st.sampled_from(sorted({*CONTROL.values(), *MARKUP.values(), *LEGIT.values()})),
)
#: Hostile text with the characters the routines loader refuses taken out (so it loads).
loadable_text = (
    st.lists(PIECES, min_size=1, max_size=4)
    .map("".join)
    .map(lambda text: UNSAFE.sub("", text).strip()[:60] or "x")
)
#: Hostile text as it may sit in session.json (the loader escapes, never refuses).
saved_text = st.lists(PIECES, min_size=1, max_size=4).map(lambda parts: "".join(parts)[:200])


@contextlib.contextmanager
def private_home() -> Iterator[Path]:
    """A temporary folder with the routines file and XDG folders, as the working directory."""
    keep_env = dict(os.environ)
    keep_cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="trainer-render-fuzz-") as folder:
        home = Path(folder)
        os.environ.update(prepare_folder(home))
        os.chdir(home)
        try:
            yield home
        finally:
            os.chdir(keep_cwd)
            os.environ.clear()
            os.environ.update(keep_env)


def seen(ui: UI) -> None:
    assert_no_raw_control(ui.screen_text().replace("\n", " "), type(ui.screen).__name__)


def cells(ui: UI, selector: str) -> list[str]:
    table = ui.screen.query_one(selector, DataTable)
    return [str(c) for row in range(table.row_count) for c in table.get_row_at(row)]


async def walk(routines_path: Path, name: str, exercise: str, cue: str, advice: str) -> None:
    """Through every screen of a session, checking the hostile texts show as typed."""
    clock = ManualClock(CLOCK_START)
    app = make_app(clock, routines_path, show_advice=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        ui = UI(app, pilot, clock)
        await pilot.pause()
        assert isinstance(ui.screen, AdviceScreen)
        assert advice in [str(label.render()) for label in ui.screen.query(".advice-line")]
        seen(ui)
        await ui.press("enter")
        assert isinstance(ui.screen, PickerScreen)
        assert ui.options()[0].startswith(name + "\n")
        assert ui.text("#details-name") == name
        seen(ui)
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.text("#exercise").startswith(exercise + "  (1 of ")
        await ui.advance(15)
        assert ui.text("#cue") == cue
        seen(ui)
        await ui.press("x")
        assert isinstance(ui.screen, SummaryScreen)
        # In a sentence or a table a name is cut short (the same text, only shorter).
        assert ui.text("#summary-time").startswith(wording.clip(name) + ": ")
        assert wording.clip(exercise) in cells(ui, "#results")
        seen(ui)
        await ui.press("escape")
        await ui.decline_suggestions(wording.clip(exercise))
        assert isinstance(ui.screen, PickerScreen)
        await ui.press("e")
        assert isinstance(ui.screen, SettingsScreen)
        seen(ui)
        await ui.press("escape")
        await ui.press("h")
        assert isinstance(ui.screen, HistoryScreen)
        assert wording.clip(exercise) in cells(ui, "#totals")
        seen(ui)
        await ui.press("escape")
        # Leave a session in progress for the resume prompt.
        await ui.press("enter")
        await ui.advance(20)
        await ui.press("q")
    loaded = saved_session.load_session()
    assert loaded.saved is not None
    app = make_app(clock, routines_path, saved=loaded.saved)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        ui = UI(app, pilot, clock)
        await pilot.pause()
        assert isinstance(ui.screen, ResumeScreen)
        assert ui.text("#resume-routine") == name
        seen(ui)


@RENDER_FUZZ
@given(
    name=loadable_text,
    exercise=loadable_text,
    cue=loadable_text,
    advice=loadable_text,
    steps=st.lists(loadable_text, min_size=1, max_size=3),
)
def test_any_loadable_text_renders_as_typed_on_every_screen(
    name: str, exercise: str, cue: str, advice: str, steps: list[str]
) -> None:
    doc: dict[str, Any] = with_value(SHIPPED, ("routines", 0, "name"), name)
    doc = with_value(doc, ("exercises", 0, "name"), exercise)
    doc = with_value(doc, ("exercises", 0, "cues", 0, "text"), cue)
    doc = with_value(doc, ("exercises", 0, "steps"), steps)
    doc = with_value(doc, ("advice", "stop_if_worse"), advice)
    import tomli_w

    with private_home() as home:
        path = home / "routines.toml"
        path.write_text(tomli_w.dumps(doc, indent=4), encoding="utf-8")
        try:
            loading.load_routines(path)
        except TrainerError as err:  # e.g. two equal names are fine, but a blank one is not
            assert_no_raw_control(str(err))
            return
        asyncio.run(walk(path, name, exercise, cue, advice))


@RENDER_FUZZ
@given(routine_name=saved_text, exercise_name=saved_text, path_part=saved_text)
def test_any_saved_session_text_renders_escaped_at_the_resume_prompt(
    routine_name: str, exercise_name: str, path_part: str
) -> None:
    with private_home() as home:
        from trainer.engine import Session, plan_for

        routines = loading.load_routines(home / "routines.toml")
        session = Session(plan_for(routines, "full"), ManualClock(CLOCK_START))
        session.start()
        saved = saved_session.SavedSession.of(session, home / "routines.toml", _now())
        doc = json.loads(saved.model_dump_json())
        doc["snapshot"]["routine_name"] = routine_name
        doc["snapshot"]["exercise_name"] = exercise_name
        doc["routines_path"] = f"/tmp/{path_part}/routines.toml"
        files.ensure_dir(saved_session.session_path().parent)
        saved_session.session_path().write_bytes(json.dumps(doc).encode())
        loaded = saved_session.load_session()
        if loaded.saved is None:  # e.g. a lone surrogate in the path: set aside, one line
            assert loaded.warning is not None
            assert_no_raw_control(loaded.warning)
            return
        asyncio.run(_resume(home, loaded.saved, printable(routine_name)))


def _now() -> Any:
    from .snapshot_apps import FIXED_NOW

    return FIXED_NOW


async def _resume(home: Path, saved: saved_session.SavedSession, shown_name: str) -> None:
    clock = ManualClock(CLOCK_START)
    app = make_app(clock, home / "routines.toml", saved=saved)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        ui = UI(app, pilot, clock)
        await pilot.pause()
        assert isinstance(ui.screen, ResumeScreen)
        assert ui.text("#resume-routine") == shown_name
        seen(ui)
        await ui.press("r")
        assert isinstance(ui.screen, SessionScreen)
        seen(ui)
        for _kind, sent in app.signals.sent:
            assert not re.search("[\x00-\x1f\x7f-\x9f]", sent), sent
