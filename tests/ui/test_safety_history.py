"""Safety and history in the app: first-launch advice, "this hurts", the check-in, the log.

A stop, a finished session and an abandoned one must all show in ``trainer history`` and on
the history screen with the right counts.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer import cli
from trainer.coaching.lifecycle import ADVICE_SEEN
from trainer.records import history, saved_session
from trainer.ui.screens.advice import AdviceScreen
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.resume import ResumeScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.suggest import SuggestScreen
from trainer.ui.screens.summary import SummaryScreen

from .conftest import UI, StartUI


def words(ui: UI) -> str:
    """The screen's text as one line of words (wrapping and box borders removed)."""
    return " ".join(re.sub(r"[█▀▄▔▁▊▎]", " ", ui.screen_text()).split())


def session_lines() -> list[dict[str, object]]:
    """The history's session lines (without the dose decisions and next-morning answers)."""
    return [line for line in history_lines() if "kind" not in line]


def history_lines() -> list[dict[str, object]]:
    path = history.history_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def test_first_launch_shows_the_advice_once_and_a_key_dismisses_it(
    start_ui: StartUI,
) -> None:
    async with start_ui(show_advice=None) as ui:
        assert isinstance(ui.screen, AdviceScreen)
        text = words(ui)
        assert "stop doing them immediately and see a doctor" in text
        assert "significant lower back pain" in text
        assert "posture" in text and "heavy objects" in text
        assert "space pauses" in text
        await ui.press("enter")
        assert isinstance(ui.screen, PickerScreen)
    marker = Path(os.environ["XDG_STATE_HOME"]) / "trainer" / ADVICE_SEEN
    assert marker.exists()
    async with start_ui(show_advice=None) as ui:
        assert isinstance(ui.screen, PickerScreen), "the advice is shown only once"
        await ui.press("a")  # ...and stays reachable from the list
        assert isinstance(ui.screen, AdviceScreen)
        assert "Safety advice" in ui.screen_text()
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)


async def test_this_hurts_stops_at_once_records_it_and_shows_the_advice(
    start_ui: StartUI,
) -> None:
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(15 + 3 + 10 + 3)  # rep 1 of bridges done
        await ui.advance(5)
        assert "x Hurts" in ui.screen_text()  # the key is in the footer
        await ui.press("x")
        assert isinstance(ui.screen, SummaryScreen)
        text = words(ui)
        assert "Stopped because it hurt" in text
        assert "stop doing them immediately and see a doctor" in text
        assert "How does your back feel?" in text
        assert ui.app.coach is None
        await ui.type_into("#checkin", "7")
        await ui.press("enter")
        # It hurt in the bridges, already at the bottom of their range: ease off by leaving
        # them out of this routine, with the article's advice; n declines.
        assert isinstance(ui.screen, SuggestScreen)
        text = words(ui)
        assert "Ease off" in text and "Bridges: leave it out of this routine" in text
        assert "it hurt during this exercise" in text
        assert "stop doing them immediately and see a doctor" in text
        await ui.press("n")
        assert isinstance(ui.screen, PickerScreen)
    entry, declined = history_lines()
    assert (declined["kind"], declined["change"], declined["exercise_id"]) == (
        "dose-declined",
        "leave_out",
        "bridges",
    )
    assert entry["outcome"] == "hurt"
    assert entry["hurt_at"] == {
        "exercise_id": "bridges",
        "side": "",
        "set": 1,
        "rep": 2,
        "step": "move",
    }
    assert entry["checkin"] == 7
    assert entry["exercises"][0]["reps_done"] == 1  # type: ignore[index]
    assert not saved_session.session_path().exists(), "a stopped session is not offered for resume"


async def test_a_wall_clock_set_back_mid_session_never_ends_it_before_it_began(
    start_ui: StartUI,
) -> None:
    """The wall clock is a label: set back an hour during the session (NTP, a manual change),
    the entry still ends after it began and its times come from the monotonic clock."""
    wall = [datetime(2026, 3, 2, 8, 0, tzinfo=UTC)]
    async with start_ui(now=lambda: wall[0]) as ui:
        await ui.press("enter")
        await ui.advance(40)
        wall[0] -= timedelta(hours=1)
        await ui.press("s")  # stop (it asks first: yes), the summary, the check-in skipped
        await ui.click("#choice--true")
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)
    (entry,) = history_lines()
    started = datetime.fromisoformat(str(entry["started_at"]))
    ended = datetime.fromisoformat(str(entry["ended_at"]))
    assert ended >= started
    assert entry["active_seconds"] == 40
    assert ended - started == timedelta(seconds=40)


async def test_the_check_in_is_skipped_with_one_key(start_ui: StartUI) -> None:
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.press("x")
        await ui.press("escape")
        assert isinstance(ui.screen, SuggestScreen)  # easing off after "it hurts"
        await ui.press("n")
        assert isinstance(ui.screen, PickerScreen)
    entry, declined = history_lines()
    assert entry["checkin"] is None
    assert declined["kind"] == "dose-declined", "the 'no' is recorded too"


async def test_a_check_in_out_of_range_is_explained_not_recorded(start_ui: StartUI) -> None:
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.press("x")
        await ui.type_into("#checkin", "11")
        await ui.press("enter")
        assert isinstance(ui.screen, SummaryScreen)
        assert "from 0 to 10" in words(ui)
        await ui.click("#score-4")  # the mouse way
        assert isinstance(ui.screen, SuggestScreen)
        await ui.click("#suggest-no")
        assert isinstance(ui.screen, PickerScreen)
    assert [e["checkin"] for e in session_lines()] == [4]
    assert [e.get("kind") for e in history_lines()] == [None, "dose-declined"]


async def test_stopped_finished_and_abandoned_all_show_in_the_history(
    start_ui: StartUI, capsys: object
) -> None:
    # 1. Stopped: it hurt, during the quick core routine.
    async with start_ui() as ui:
        await ui.press("down", "enter")  # Quick core
        await ui.advance(15 + 4 + 3 + 5)  # one draw-in rep
        await ui.press("x", "escape")
        assert isinstance(ui.screen, SuggestScreen)
        assert "Draw-in maneuvers: leave it out of this routine" in words(ui)
        await ui.press("n")
        # 2. Finished: the quick core routine (still highlighted) to the end.
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        await ui.advance(5000)
        assert isinstance(ui.screen, SummaryScreen)
        assert "routine complete" in ui.screen_text()
        await ui.type_into("#checkin", "2")
        await ui.press("enter")
        # 3. Abandoned: start the full routine, quit in the middle...
        await ui.press("up", "enter")
        await ui.advance(40)
        await ui.press("q")
    assert saved_session.load_session().saved is not None
    # ...and discard it at the resume prompt next time.
    saved = saved_session.load_session().saved
    async with start_ui(saved=saved) as ui:
        assert isinstance(ui.screen, ResumeScreen)
        await ui.press("d")  # asks first: Keep it (the default) or Discard
        await ui.click("#choice--true")
        assert isinstance(ui.screen, PickerScreen)
        await ui.press("h")
        assert isinstance(ui.screen, HistoryScreen)
        text = ui.screen_text()
        assert "All sessions: 3" in text
        assert "This week: 3 sessions" in text
        assert "Streak: 1 day" in text
        assert "Draw-in maneuvers" in text and "Partial curls" in text
    outcomes = [e["outcome"] for e in session_lines()]
    assert outcomes == ["hurt", "finished", "abandoned"]
    finished = session_lines()[1]
    assert finished["checkin"] == 2
    reps = {ex["id"]: ex["reps_done"] for ex in finished["exercises"]}  # type: ignore[union-attr]
    assert reps == {"draw-in": 5, "partial-curls": 30}
    assert cli.main(["history"]) == 0
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert "finished" in out and "stopped, it hurt" in out and "not finished" in out


async def test_s_asks_then_ends_the_session_early_as_stopped(start_ui: StartUI) -> None:
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(15 + 3 + 10 + 3 + 3)
        await ui.press("s")  # asks first
        await ui.click("#choice--true")
        assert isinstance(ui.screen, SummaryScreen)
        assert "Session stopped" in words(ui)
        assert "stop doing them immediately" not in words(ui)  # that is for "it hurts"
        await ui.press("escape")
    (entry,) = history_lines()
    assert entry["outcome"] == "stopped"
    assert entry["exercises"][0]["reps_done"] == 1  # type: ignore[index]


async def test_the_light_theme_is_a_preference_saved_in_its_file(
    start_ui: StartUI, routines_path: Path
) -> None:
    async with start_ui() as ui:
        assert ui.app.theme == "textual-dark"
        await ui.press("e")
        await ui.click("#light")
        await ui.press("ctrl+s")
        assert ui.app.theme == "textual-light"
    from trainer.programme import preferences

    # The person's preference: in preferences.toml, never in the (shareable) routines file.
    assert 'theme = "light"' in preferences.preferences_path().read_text()
    assert "theme" not in routines_path.read_text()
    async with start_ui() as ui:
        assert ui.app.theme == "textual-light"


async def test_q_quits_from_the_summary_and_keeps_the_session_in_the_history(
    start_ui: StartUI,
) -> None:
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.press("s")
        await ui.click("#choice--true")
        assert isinstance(ui.screen, SummaryScreen)
        await ui.press("q")
        assert ui.app._exit, "q did not quit"  # (return_code is set once the app has gone)
    (entry,) = history_lines()
    assert entry["outcome"] == "stopped"
    assert entry["checkin"] is None
