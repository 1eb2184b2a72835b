"""Issue 19, items 4 and 6, as a person meets them: the history at 80x24 and 60x20 (today's
square, the pain chart), the dose dialog's default, "last done" with how much was done,
counts in words, and one rounding rule for a routine's length."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Button

from trainer import cli
from trainer.coaching.dose import Rule, Suggestion
from trainer.outputs import remind
from trainer.records import history
from trainer.records.history import ExerciseLog, HistoryEntry, Outcome
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.suggest import SuggestScreen

from .snapshot_apps import FIXED_NOW, answer_next_morning
from .test_session import TINY_ROUTINES


def add_session(ago: timedelta, *, reps_done: int = 5, reps: int = 5, checkin: int | None = 3):
    started = FIXED_NOW - ago
    history.append_entry(
        HistoryEntry(
            started_at=started,
            ended_at=started + timedelta(minutes=10),
            routine_id="quick-core",
            routine_name="Quick core",
            active_seconds=600,
            outcome=Outcome.FINISHED if reps_done == reps else Outcome.STOPPED,
            exercises=[
                ExerciseLog(
                    id="draw-in",
                    name="Draw-in",
                    sets_done=1 if reps_done == reps else 0,
                    sets=1,
                    reps_done=reps_done,
                    reps=reps,
                )
            ],
            checkin=checkin,
        )
    )


async def test_today_with_three_sessions_stays_visible_in_the_calendar(start_ui) -> None:
    for hours in (1, 2, 3):
        add_session(timedelta(hours=hours))
    async with start_ui() as ui:
        await ui.press("h")
        assert isinstance(ui.screen, HistoryScreen)
        assert "[██]" in ui.text("#heatmap")  # between brackets, drawn as a full block
        assert "[██]" in ui.screen_text()


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
async def test_the_pain_chart_never_wraps_and_its_title_is_whole(start_ui, size) -> None:
    for day in range(20, 0, -1):
        add_session(timedelta(days=day), checkin=day % 11)
    answer_next_morning(FIXED_NOW - timedelta(days=1))
    async with start_ui(size=size) as ui:
        await ui.press("h")
        label = ui.screen.query_one("#pain-label")
        chart = ui.screen.query_one("#pain")
        lines = ui.text("#pain").splitlines()
        assert chart.region.height == len(lines) == 7, ui.screen_text()  # 10..0, the values
        assert chart.region.right <= size[0] and label.region.height == 1
        shown = [n for n in lines[-1].split()]
        assert ui.text("#pain-label") == f"Back pain, last {len(shown)}: now {(1 % 11)}"
        if size[1] >= 20:
            row = ui.screen_lines()[label.region.y]
            assert f"Back pain, last {len(shown)}: now 1" in row
            assert len(shown) >= 10


async def test_the_dose_dialog_highlights_and_focuses_the_safe_answer(start_ui) -> None:
    suggestion = Suggestion(
        exercise_id="bridges",
        exercise_name="Bridges",
        rule=Rule.PROGRESS,
        change="reps",
        old=15,
        new=16,
        routine_id="full",
        reason="three calm sessions",
    )
    async with start_ui() as ui:
        answers: list[bool | None] = []
        app = ui.app
        app.push_screen(SuggestScreen(suggestion, app.routines.advice, "Full"), answers.append)
        await ui.settle()
        no = ui.screen.query_one("#suggest-no", Button)
        yes = ui.screen.query_one("#suggest-yes", Button)
        assert no.variant == "primary" and yes.variant == "default"
        assert ui.screen.focused is no
        assert no.region.x < yes.region.x  # the safe answer first
        await ui.press("enter")
        assert answers == [False]


async def test_last_done_says_how_much_of_a_partial_session(start_ui) -> None:
    add_session(timedelta(minutes=15), reps_done=2, reps=35)
    async with start_ui() as ui:
        await ui.press("down")  # Quick core
        shown = ui.screen_text()
        assert "(2 of 35 reps)" in shown and "Last done" in shown, shown


def test_share_done_only_for_a_session_not_all_done() -> None:
    end = datetime(2025, 1, 1, tzinfo=UTC)

    def entry(done: int) -> HistoryEntry:
        return HistoryEntry(
            started_at=end - timedelta(minutes=5),
            ended_at=end,
            routine_id="r",
            routine_name="R",
            active_seconds=300,
            outcome=Outcome.FINISHED,
            exercises=[ExerciseLog(id="e", name="E", sets_done=0, sets=1, reps_done=done, reps=35)],
        )

    assert history.share_done([entry(2)], "r", end) == "2 of 35 reps"
    assert history.share_done([entry(35)], "r", end) == ""
    assert history.share_done([entry(2)], "other", end) == ""


def test_check_counts_in_words(capsys, tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(TINY_ROUTINES, encoding="utf-8")
    assert cli.main(["check", str(tiny)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{tiny}: OK, 1 exercise, 1 routine"
    assert lines[1].startswith("  tiny: Tiny routine - 1 exercise, about ")


@pytest.mark.parametrize("seconds", [1390, 1410, 1440, 1469, 2332, 45])
def test_a_calendar_event_lasts_what_its_title_says(seconds: int) -> None:
    import icalendar

    reminder = remind.Reminder(
        routine_id="full",
        routine_name="Full",
        seconds=seconds,
        exercises=["Bridges"],
        days=["mon"],
        at="07:30",
    )
    text = remind.calendar(reminder, today=date(2026, 11, 26), stamp=datetime.now(UTC))
    (event,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    title = str(event["SUMMARY"])
    length = event.decoded("DURATION")
    if seconds < 60:
        assert title.endswith(f"({seconds} s)") and length == timedelta(seconds=seconds)
    else:
        assert title.endswith(f"({int(length.total_seconds() // 60)} min)"), (title, length)
