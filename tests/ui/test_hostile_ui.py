"""Text from files on screen is text: markup is shown as typed, control characters as escapes.

Issue 9, item 3 (and item 2 in the app): ``Bridges [/]`` crashed the session screen, ``[/]`` in
the advice crashed the first launch, ``[/]`` in session.json crashed the resume prompt, a
warning naming a key ``[/]`` crashed as a toast, ``Breathe in [slowly]`` lost its words; and
names held ESC sequences that Textual passes through to the terminal.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
import tomli_w
from hostile_inputs import CONTROL, LONG, MARKUP, assert_no_raw_control, text_fields, with_value
from textual.widgets import DataTable

from trainer.engine import Session, plan_for
from trainer.programme import loading
from trainer.records import history, saved_session
from trainer.records.saved_session import LockHolder
from trainer.storage import files
from trainer.text import wording
from trainer.text.safe import printable
from trainer.ui.screens.advice import AdviceScreen
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.resume import ResumeScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.settings import SettingsScreen
from trainer.ui.screens.summary import SummaryScreen
from trainer.ui.screens.watch import WatchScreen

from .conftest import UI, StartUI
from .snapshot_apps import FIXED_NOW, answer_next_morning

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = tomllib.loads((ROOT / "routines.toml").read_text(encoding="utf-8"))


def seen(ui: UI) -> str:
    """The whole screen as one line of words; no raw control character may be in it."""
    text = ui.screen_text()
    assert_no_raw_control(text.replace("\n", " "), type(ui.screen).__name__)
    return " ".join(re.sub(r"[█▀▄▔▁▊▎▌▐]", " ", text).split())


def table_cells(ui: UI, selector: str) -> list[str]:
    table = ui.screen.query_one(selector, DataTable)
    return [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]


def write_marked_routines(path: Path, payload: str) -> None:
    """Every text field of the shipped file, tagged with where it is, followed by ``payload``."""
    doc = SHIPPED
    for field, _multiline in text_fields(SHIPPED):
        tag = "".join(str(part)[:2] for part in field[-2:])
        doc = with_value(doc, field, f"{tag} {payload}")
    path.write_text(tomli_w.dumps(doc, indent=4), encoding="utf-8")


#: One app run per case (each takes seconds): the two the issue names alone, then every markup
#: payload in one string (a superset: nothing in it may be read as markup either).
MARKUP_CASES = {
    "close-tag": MARKUP["close-tag"],
    "ordinary-brackets": MARKUP["ordinary-brackets"],
    "all": " ".join(MARKUP[k] for k in sorted(MARKUP)),
}


@pytest.mark.parametrize("name", sorted(MARKUP_CASES))
async def test_markup_in_every_field_shows_as_typed_on_every_screen(
    name: str, start_ui: StartUI, routines_path: Path
) -> None:
    payload = MARKUP_CASES[name]
    write_marked_routines(routines_path, payload)
    async with start_ui(show_advice=None) as ui:
        # First launch: the advice, from the file.
        assert isinstance(ui.screen, AdviceScreen)
        seen(ui)
        for key in ("stop_if_worse", "see_doctor", "posture", "lifting"):
            shown = [str(label.render()) for label in ui.screen.query(".advice-line")]
            assert f"ad{key[:2]} {payload}" in shown
        await ui.press("enter")
        # The list and the details pane.
        assert isinstance(ui.screen, PickerScreen)
        assert any(option.startswith(f"0na {payload}\n") for option in ui.options())
        assert ui.text("#details-name") == f"0na {payload}"
        details = ui.text("#details")
        assert f"0de {payload}" in details
        # A name inside a sentence or a table is cut short (the same text, only shorter).
        short = wording.clip(f"0na {payload}")
        assert f"1. {short}\n" in details
        seen(ui)
        # The session screen: name, muscle, cue, steps.
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.text("#exercise").startswith(f"0na {payload}  (1 of 5)")
        assert ui.text("#muscle") == f"Works: 0mu {payload}"
        assert ui.text("#where").startswith(f"0na {payload}")
        assert ui.text("#steps").startswith(f"1. st0 {payload}\n2. st1 {payload}\n")
        await ui.advance(15)
        assert ui.text("#cue") == f"0te {payload}"
        seen(ui)
        assert all("\x1b" not in title for title in ui.sent("title"))
        # Stopped because it hurt: the summary, with the advice and the results table.
        await ui.press("x")
        assert isinstance(ui.screen, SummaryScreen)
        assert ui.text("#summary-time").startswith(f"{short}: ")
        assert short in table_cells(ui, "#results")
        assert f"adst {payload}" in seen(ui) or f"adst {payload}" in ui.text("#hurt-advice Label")
        await ui.press("escape")
        await ui.decline_suggestions(short)
        # Settings: the exercise names.
        assert isinstance(ui.screen, PickerScreen)
        await ui.press("e")
        assert isinstance(ui.screen, SettingsScreen)
        names = [str(label.render()) for label in ui.screen.query(".exercise-name")]
        assert f"0na {payload}" in names
        seen(ui)
        await ui.press("escape")
        # History: the totals table.
        await ui.press("h")
        assert isinstance(ui.screen, HistoryScreen)
        assert short in table_cells(ui, "#totals")
        seen(ui)
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)


async def test_ordinary_brackets_keep_their_words(start_ui: StartUI, routines_path: Path) -> None:
    doc = with_value(SHIPPED, ("exercises", 0, "cues", 0, "text"), "Breathe in [slowly]")
    routines_path.write_text(tomli_w.dumps(doc, indent=4), encoding="utf-8")
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(15)
        assert ui.text("#cue") == "Breathe in [slowly]"
        assert "Breathe in [slowly]" in seen(ui)


def saved_json(routine_name: str, exercise_name: str, routines_path: str) -> bytes:
    routines = loading.load_routines(ROOT / "routines.toml")
    session = Session(plan_for(routines, "full"), lambda: 1000.0)
    session.start()
    saved = saved_session.SavedSession.of(
        session, ROOT / "routines.toml", FIXED_NOW - timedelta(hours=1), saved_at=FIXED_NOW
    )
    doc = json.loads(saved.model_dump_json())
    doc["snapshot"]["routine_name"] = routine_name
    doc["snapshot"]["exercise_name"] = exercise_name
    doc["routines_path"] = routines_path
    return json.dumps(doc).encode()


#: Every payload, in three app runs: all markup in one name, all control sequences in one, and a
#: 500-character right-to-left name (too long for routines.toml, possible in session.json).
HOSTILE_SAVED = {
    "markup": " ".join(MARKUP[k] for k in sorted(MARKUP)),
    "control": " ".join(CONTROL[k] for k in sorted(CONTROL)),
    "long-rtl": "גשר " + LONG,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SAVED))
async def test_the_resume_prompt_shows_a_hostile_saved_session_as_text(
    name: str, start_ui: StartUI
) -> None:
    payload = HOSTILE_SAVED[name]
    saved, problem = saved_session.parse_session(
        saved_json(f"R {payload}", f"E {payload}", f"/tmp/P {payload}/routines.toml")
    )
    assert saved is not None, problem
    async with start_ui(saved=saved) as ui:
        assert isinstance(ui.screen, ResumeScreen)
        shown = printable(payload)
        assert ui.text("#resume-routine") == f"R {shown}"
        ran_on = str(Path(f"/tmp/P {payload}/routines.toml"))
        assert f"It ran on {printable(ran_on)};" in ui.text("#resume-file")
        seen(ui)
        # Its names reach the session screen, the title and a notification the same way.
        await ui.press("r")
        assert isinstance(ui.screen, SessionScreen)
        seen(ui)
        for kind in ("title", "notify"):
            for sent in ui.sent(kind):
                assert "\x1b" not in sent


async def test_a_warning_naming_a_key_with_markup_is_shown_as_text(
    start_ui: StartUI, ui_home: Path
) -> None:
    # The real path: a session.json with a key "[/]" is set aside with a warning naming it.
    files.ensure_dir(saved_session.session_path().parent)
    doc = json.loads(saved_json("Full", "Bridges", str(ROOT / "routines.toml")))
    doc["[/]\x1b]2;PWNED\x07"] = 1
    saved_session.session_path().write_text(json.dumps(doc), encoding="utf-8")
    loaded = saved_session.load_session()
    assert loaded.saved is None and loaded.warning is not None
    async with start_ui(startup_warning=loaded.warning) as ui:
        assert isinstance(ui.screen, PickerScreen)
        (toast,) = ui.toasts()
        assert "[/]\\x1b]2;PWNED\\x07" in toast.replace("\n", "")
        seen(ui)


async def test_every_toast_is_text(start_ui: StartUI) -> None:
    async with start_ui() as ui:
        for name, payload in {**MARKUP, **CONTROL}.items():
            ui.app.clear_notifications()
            ui.screen.notify(f"From a screen: {payload}", title=f"T {payload}")
            ui.app.notify(f"From the app: {payload}", markup=True)  # markup=True is ignored
            await ui.pilot.pause()
            toasts = ui.toasts()
            assert len(toasts) == 2, name
            shown = printable(payload, keep="\n")
            assert any(f"From a screen: {shown}" in t for t in toasts), (name, toasts)
            assert any(f"From the app: {shown}" in t for t in toasts), (name, toasts)
            seen(ui)


async def test_the_lock_holder_is_shown_as_text(start_ui: StartUI) -> None:
    holder = LockHolder(pid=4242, host="[/]evil\x1b]2;PWNED\x07", since=FIXED_NOW)
    async with start_ui(locked_by=holder) as ui:
        assert isinstance(ui.screen, WatchScreen)
        assert "on [/]evil\\x1b]2;PWNED\\x07" in ui.text("#watch-title")
        seen(ui)


async def test_the_history_screen_shows_hostile_names_as_text(start_ui: StartUI) -> None:
    entry = history.HistoryEntry(
        started_at=FIXED_NOW - timedelta(days=1),
        ended_at=FIXED_NOW - timedelta(days=1) + timedelta(minutes=20),
        routine_id="full",
        routine_name="Full [/]\x1b[2J",
        active_seconds=1200,
        outcome=history.Outcome.FINISHED,
        exercises=[
            history.ExerciseLog(
                id="bridges",
                name="[bold]Bridges\x1b]52;c;eA==\x07",
                sets_done=1,
                sets=3,
                reps_done=5,
                reps=15,
            )
        ],
    )
    history.append_entry(entry)
    answer_next_morning(entry.started_at)
    path = history.history_path()
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"[/]\x1b[2J": 1}) + "\n")  # a damaged line, warned about
    async with start_ui() as ui:
        await ui.press("h")
        assert isinstance(ui.screen, HistoryScreen)
        assert "[bold]Bridges\\x1b]52;c;eA==\\x07" in table_cells(ui, "#totals")
        seen(ui)
        (warning,) = [str(label.render()) for label in ui.screen.query(".warning")]
        assert "skipped a damaged line" in warning, warning


async def test_a_dose_suggestion_shows_its_words_as_text(start_ui: StartUI) -> None:
    from trainer.coaching.dose import Rule, Suggestion
    from trainer.ui.screens.suggest import SuggestScreen

    suggestion = Suggestion(
        exercise_id="bridges",
        exercise_name="Bridges [/] \x1b]2;PWNED\x07",
        rule=Rule.EASE_OFF,
        change="hold",
        old=10,
        new=8,
        routine_id="full",
        reason="it hurt [bold]twice",
    )
    async with start_ui() as ui:
        await ui.app.push_screen(SuggestScreen(suggestion, ui.app.routines.advice, "[/] here"))
        await ui.pilot.pause()
        assert (
            ui.text("#suggest-text") == "Bridges [/] \\x1b]2;PWNED\\x07: hold 8 s instead of 10 s"
        )
        assert ui.text("#suggest-title").endswith("([/] here)")
        assert "Why: it hurt [bold]twice." in seen(ui)
