"""The adapting coach in the app: the check-in before, dose suggestions accepted with one key
(one line of routines.toml changes), and the see-a-doctor advice at start."""

from __future__ import annotations

import difflib
import json
from datetime import timedelta
from pathlib import Path

from trainer.records import history
from trainer.records.history import ExerciseLog, HistoryEntry, Outcome
from trainer.ui.screens.advice import AdviceScreen
from trainer.ui.screens.checkin import CheckinScreen
from trainer.ui.screens.morning import MorningScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.suggest import SuggestScreen
from trainer.ui.screens.summary import SummaryScreen

from .conftest import UI, StartUI
from .snapshot_apps import FIXED_NOW
from .test_safety_history import history_lines, words


def ask_before(routines_path: Path) -> None:
    text = routines_path.read_text()
    assert "checkin_before = false" in text
    routines_path.write_text(text.replace("checkin_before = false", "checkin_before = true"))


async def gentle_session(ui: UI, before: str, after: str) -> None:
    """Start the gentle routine from the list, answer both check-ins, run it to the end."""
    assert isinstance(ui.screen, PickerScreen)
    await ui.click_text("Gentle mobility")
    assert isinstance(ui.screen, CheckinScreen)
    assert "Before you start: How does your back feel?" in words(ui)
    await ui.type_into("#checkin-before-score", before)
    await ui.press("enter")
    assert isinstance(ui.screen, SessionScreen)
    await ui.advance(5000)
    assert isinstance(ui.screen, SummaryScreen)
    await ui.type_into("#checkin", after)
    await ui.press("enter")


async def test_three_calm_sessions_lead_to_a_suggestion_that_changes_one_line(
    start_ui: StartUI, routines_path: Path
) -> None:
    ask_before(routines_path)
    async with start_ui() as ui:
        for _ in range(2):
            await gentle_session(ui, "3", "3")
            assert isinstance(ui.screen, PickerScreen), "two calm sessions are not enough"
            answer_the_morning_after("same")  # a step up needs a known 24-hour response
        original = routines_path.read_text()
        await gentle_session(ui, "3", "2")
        assert isinstance(ui.screen, SuggestScreen)
        text = words(ui)
        assert "Ready for a little more? (1 of 2)" in text
        assert "Cat stretch: 4 reps instead of 3" in text
        assert "3 sessions in a row" in text and "the range is 3-5" in text
        await ui.press("y")
        assert isinstance(ui.screen, SuggestScreen)
        assert "Bridges: hold 11 s instead of 10 s" in words(ui)
        await ui.press("n")
        assert isinstance(ui.screen, PickerScreen)
        assert ui.app.routines.exercise("cat-stretch").reps == 4
        assert "Saved: Cat stretch: 4 reps instead of 3" in " ".join(ui.toasts())
    changed = [
        line
        for line in difflib.unified_diff(
            original.splitlines(), routines_path.read_text().splitlines(), lineterm="", n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == ["-reps = 3", "+reps = 4"]
    lines = history_lines()
    kinds = [line.get("kind", "session") for line in lines]
    assert kinds == ["session", "morning"] * 2 + ["session", "dose", "dose-declined"]
    assert [line.get("checkin_before") for line in lines[:5:2]] == [3, 3, 3]
    declined = lines[-1]
    assert (declined["exercise_id"], declined["old"], declined["new"]) == ("bridges", 10, 11)
    dose_line = lines[-2]
    assert (dose_line["exercise_id"], dose_line["change"], dose_line["old"], dose_line["new"]) == (
        "cat-stretch",
        "reps",
        3,
        4,
    )
    assert dose_line["rule"] == "progress"


def answer_the_morning_after(compared: str) -> None:
    """The last session of the history file answered the next morning (as the question at
    the next launch would record it)."""
    from trainer.coaching import morning

    entries, _ = history.read_entries()
    line = morning.record(
        entries[-1], entries[-1].ended_at + timedelta(hours=12), morning.Answer(compared, 3)
    )
    history.append_entry(line)


async def test_the_check_in_before_is_skipped_with_one_key(
    start_ui: StartUI, routines_path: Path
) -> None:
    ask_before(routines_path)
    async with start_ui() as ui:
        await ui.press("enter")
        assert isinstance(ui.screen, CheckinScreen)
        await ui.press("escape")
        assert isinstance(ui.screen, SessionScreen)
        await ui.press("s")  # asks first
        await ui.click("#choice--true")
        await ui.press("escape")
    (entry,) = history_lines()
    assert entry["checkin_before"] is None and entry["outcome"] == "stopped"


def gentle_entry(days_ago: int, pain: int) -> HistoryEntry:
    """A finished gentle session at the shipped doses, ``pain`` before and after."""
    start = FIXED_NOW - timedelta(days=days_ago)

    def log(ex_id: str, hold: int, reps: int, sets: int = 1) -> ExerciseLog:
        total = reps * sets
        return ExerciseLog(
            id=ex_id,
            name=ex_id,
            sets_done=sets,
            sets=sets,
            reps_done=total,
            reps=total,
            hold=hold,
            set_reps=reps,
        )

    return HistoryEntry(
        started_at=start,
        ended_at=start + timedelta(minutes=20),
        routine_id="gentle",
        routine_name="Gentle mobility",
        active_seconds=1200,
        outcome=Outcome.FINISHED,
        exercises=[log("cat-stretch", 0, 3), log("draw-in", 5, 5), log("bridges", 10, 15, 3)],
        checkin_before=pain,
        checkin=pain,
    )


async def test_rising_pain_shows_the_doctor_advice_at_start_and_no_progress(
    start_ui: StartUI, routines_path: Path
) -> None:
    ask_before(routines_path)
    for days_ago, pain in ((4, 0), (3, 1), (2, 2), (1, 3)):
        history.append_entry(gentle_entry(days_ago, pain))
    async with start_ui() as ui:
        await ui.pilot.pause()
        assert isinstance(ui.screen, AdviceScreen)
        text = words(ui)
        assert "Please see a doctor" in text
        assert "risen session after session (0, 1, 2, 3 of 10)" in text
        assert "Make an appointment with a doctor" in text
        await ui.press("enter")
        # Under the advice, the next-morning question about yesterday's session: the same.
        assert isinstance(ui.screen, MorningScreen)
        await ui.press("s")
        await ui.press("enter")
        assert isinstance(ui.screen, PickerScreen)
        # Calm (no more pain after than before), every rep done, and the morning after the
        # session before was "the same", a fourth time: without the rule this would suggest
        # more. Pain is still rising: only easing off is offered
        # (4 is also 2 or more above the recent level), never more exercise.
        await gentle_session(ui, "4", "4")
        assert isinstance(ui.screen, AdviceScreen), "still rising: the advice again, at once"
        assert "(1, 2, 3, 4 of 10)" in words(ui)
        await ui.press("enter")
        offered = []
        while isinstance(ui.screen, SuggestScreen):
            offered.append(words(ui))
            await ui.press("n")
        assert isinstance(ui.screen, PickerScreen)
        assert len(offered) == 3
        assert all("Ease off" in text and "little more" not in text for text in offered)
    # Once pain falls below 6 and below the session before, the advice is no longer shown.
    history.append_entry(gentle_entry(0, 2))
    async with start_ui() as ui:
        await ui.pilot.pause()
        assert isinstance(ui.screen, PickerScreen)
    lines = [json.loads(line) for line in history.history_path().read_text().splitlines()]
    assert lines[-5]["checkin"] == 4
    assert [line["compared"] for line in lines if line.get("kind") == "morning"] == ["same"]
    declined = lines[-4:-1]
    assert [line["kind"] for line in declined] == ["dose-declined"] * 3
    assert {line["rule"] for line in declined} == {"ease_off"}


async def test_the_list_shows_the_next_planned_day_and_a_missed_one(
    start_ui: StartUI, routines_path: Path
) -> None:
    text = routines_path.read_text()
    routines_path.write_text(
        text.replace(
            "checkin_before = false\n",
            'checkin_before = false\nplan_days = ["mon", "fri"]\nplan_at = "18:00"\n',
        )
    )
    async with start_ui() as ui:  # FIXED_NOW is Monday 3 March 2025, 07:30
        await ui.pilot.pause()
        details = ui.text("#details")
        assert "Next planned: today 18:00; missed Friday 28 Feb" in details


# --------------------------------------------------------------------------- the next morning


async def test_the_next_morning_question_is_asked_once_and_recorded(start_ui: StartUI) -> None:
    history.append_entry(gentle_entry(1, 3))  # yesterday; the app's now is FIXED_NOW
    async with start_ui() as ui:
        await ui.pilot.pause()
        assert isinstance(ui.screen, MorningScreen)
        assert ui.text("#morning-question") == (
            "How is your back this morning compared with before yesterday's session?"
        )
        text = words(ui)
        assert "Better (b)" in text and "Same (s)" in text and "Worse (w)" in text
        assert "Choose a routine" in ui.screen_text(), "the list is there underneath"
        await ui.type_into("#morning-score", "5")
        await ui.press("enter")
        assert isinstance(ui.screen, MorningScreen), "better, same or worse first"
        assert "Press b, s or w" in words(ui)
        await ui.press("w")
        await ui.press("enter")
        assert isinstance(ui.screen, PickerScreen)
    line = history_lines()[-1]
    assert (line["kind"], line["compared"], line["score"]) == ("morning", "worse", 5)
    assert line["session_started_at"] == history_lines()[0]["started_at"]
    async with start_ui() as ui:  # launched again: answered, never asked twice
        await ui.pilot.pause()
        assert isinstance(ui.screen, PickerScreen)


async def test_escape_skips_the_question_and_the_list_starts_a_routine(
    start_ui: StartUI,
) -> None:
    history.append_entry(gentle_entry(2, 3))
    async with start_ui() as ui:
        await ui.pilot.pause()
        assert isinstance(ui.screen, MorningScreen)
        assert "before Saturday's session" in ui.text("#morning-question")
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
    skipped = [line for line in history_lines() if line.get("kind") == "morning"]
    assert len(skipped) == 1 and skipped[0]["compared"] is None and skipped[0]["score"] is None


async def test_not_asked_about_a_session_four_days_ago(start_ui: StartUI) -> None:
    history.append_entry(gentle_entry(4, 3))
    async with start_ui() as ui:
        await ui.pilot.pause()
        assert isinstance(ui.screen, PickerScreen)
