"""Issue 10, as a person on the floor meets it: no accidental endings, honest records, the big
word and the states, the layouts of small windows."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from trainer.records import history
from trainer.records.history import ExerciseLog, HistoryEntry, Outcome
from trainer.ui.dialogs.confirm import ConfirmScreen
from trainer.ui.screens.history import HistoryScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen

from .snapshot_apps import (
    BRIDGE_RAISE,
    FIRST_SET,
    FIXED_NOW,
    GET_READY,
    SWITCH_SIDES_AT,
    answer_next_morning,
)
from .test_session import TINY_ROUTINES


def history_lines() -> list[dict[str, object]]:
    path = history.history_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def test_s_then_escape_leaves_the_session_running(start_ui) -> None:
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(5)
        assert ui.countdown == "10"
        await ui.press("s")
        assert isinstance(ui.screen, ConfirmScreen)
        assert "Stop the session here?" in ui.screen_text()
        await ui.advance(2)  # the session runs on behind the question
        await ui.press("escape")
        assert isinstance(ui.screen, SessionScreen)
        await ui.advance(0)
        assert ui.countdown == "8"
        assert ui.app.coach is not None and not ui.app.coach.session.state.is_over
        await ui.advance(1)
        assert ui.countdown == "7"
    assert history_lines() == []


async def test_s_then_enter_keeps_going_the_safe_choice_is_the_default(start_ui) -> None:
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.press("s")
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.word == "GET READY"
        assert ui.app.coach is not None and not ui.app.coach.session.state.is_over


async def test_skipping_through_a_routine_is_recorded_as_partial(start_ui, tmp_path) -> None:
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(TINY_ROUTINES, encoding="utf-8")
    async with start_ui(path=tiny) as ui:
        await ui.press("enter")
        await ui.advance(2 + 1 + 2)  # get ready, lift, hold: the first rep is done
        for _ in range(10):
            if isinstance(ui.screen, SummaryScreen):
                break
            await ui.press("n")  # the rest and the second rep, skipped
        assert isinstance(ui.screen, SummaryScreen)
        assert ui.text("#summary-title") == "Routine over, with steps skipped"
        assert ui.text("#summary-done") == "Done: 0 of 1 exercise, 1 of 2 reps"
        await ui.press("escape")  # no check-in
        assert isinstance(ui.screen, PickerScreen)
    (entry,) = history_lines()
    assert entry["outcome"] == "partial"
    (done,) = entry["exercises"]  # type: ignore[misc]
    assert {k: done[k] for k in ("id", "sets_done", "sets", "reps_done", "reps")} == {
        "id": "tiny",
        "sets_done": 0,
        "sets": 1,
        "reps_done": 1,
        "reps": 2,
    }


def write_checkins(*scores: int) -> None:
    for n, score in enumerate(scores):
        started = FIXED_NOW - timedelta(days=len(scores) - n)
        history.append_entry(
            HistoryEntry(
                started_at=started,
                ended_at=started + timedelta(minutes=10),
                routine_id="quick-core",
                routine_name="Quick core",
                active_seconds=600,
                outcome=Outcome.FINISHED,
                exercises=[
                    ExerciseLog(
                        id="draw-in", name="Draw-in", sets_done=1, sets=1, reps_done=5, reps=5
                    )
                ],
                checkin=score,
            )
        )
    answer_next_morning(started)


async def test_the_pain_chart_of_3_4_3_draws_three_nearly_equal_bars(start_ui) -> None:
    write_checkins(3, 4, 3)
    async with start_ui() as ui:
        await ui.press("h")
        assert isinstance(ui.screen, HistoryScreen)
        chart = ui.text("#pain").splitlines()
        assert chart[0] == "10 ┤"  # the scale is fixed and shown
        assert chart[3:7] == [" 4 ┤ ▄▄ ██ ▄▄", " 2 ┤ ██ ██ ██", " 0 └─────────", "      3  4  3"]
        rows = [row.ljust(13) for row in chart[:5]]
        heights = [sum(2 if row[i] == "█" else row[i] == "▄" for row in rows) for i in (5, 8, 11)]
        assert heights == [3, 4, 3]  # in half rows: nearly equal, a 3 is a 3
        shown = ui.screen_text()
        assert "partly done" not in shown
        assert "1 of 1 exercise, 5 of 5 reps" in shown  # how much each session did


async def test_40x12_keeps_the_position_the_word_and_the_countdown(start_ui) -> None:
    async with start_ui(size=(40, 12)) as ui:
        await ui.press("enter")
        await ui.advance(GET_READY + BRIDGE_RAISE + 4)
        lines = ui.screen_lines()
        assert lines[0].strip() == "Bridges · set 1/3 · rep 1/15"
        assert "hold 10 s" in lines[1]  # the thick frame's title
        assert "▀" in lines[2] and "█" in lines[6]  # the word (half height), the countdown
        assert lines[-1].startswith("space Pause x Hurts s Stop")
        assert ui.word == "HOLD" and ui.countdown == "6"
        assert not ui.visible("#bars") or not ui.screen.query_one("#bars").region.height


async def test_below_the_minimum_one_line_says_how_big(start_ui) -> None:
    async with start_ui(size=(38, 10)) as ui:
        await ui.press("enter")
        assert ui.screen_lines()[0].strip() == "Make the window at least 40x12."
        await ui.press("space")  # the keys still work
        assert ui.app.coach is not None and ui.app.coach.session.state.value == "paused"


async def test_60x20_keeps_the_bars_and_drops_the_steps(start_ui) -> None:
    async with start_ui(size=(60, 20)) as ui:
        await ui.press("enter")
        await ui.advance(FIRST_SET + 20)
        shown = ui.screen_text()
        for words in ("Set 2 of 3", "Rep 1 of 15", "about", "Next: Raise your hips"):
            assert words in shown
        assert "1. Lie on the ground" not in shown
        assert ui.word == "REST"
        assert "rest" in ui.screen_lines()[1]  # the dashed frame's title


async def test_a_switch_says_which_side_and_which_leg_in_words(start_ui, routines_path: Path):
    from trainer.engine import StepKind, plan_for
    from trainer.programme.loading import load_routines

    plan = plan_for(load_routines(routines_path), "full")
    switch = next(s for s in plan.steps if s.kind is StepKind.SWITCH)
    assert switch.offset == SWITCH_SIDES_AT  # the snapshot scene's constant is still right
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(switch.offset + 1)
        assert ui.word == "SWITCH SIDES"
        assert ui.text("#cue") == "Switch sides: Lie on right side, lift left leg"
        assert "Lie on right side, lift left leg" in ui.screen_lines()[8]  # under the word


async def test_the_side_in_the_frame_is_shown_as_written_never_as_markup(
    start_ui, routines_path: Path
):
    """The side's words come from the routines file: on the frame's edge they are text (a
    ``[/]`` in them must not stop the session, a ``[b]`` must not vanish)."""
    from trainer.engine import StepKind, plan_for
    from trainer.programme.loading import load_routines

    text = routines_path.read_text(encoding="utf-8")
    routines_path.write_text(
        text.replace("Lie on right side, lift left leg", "Right [/] [b]side"), encoding="utf-8"
    )
    plan = plan_for(load_routines(routines_path), "full")
    switch = next(s for s in plan.steps if s.kind is StepKind.SWITCH)
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(switch.offset + 1)
        assert ui.word == "SWITCH SIDES"
        frame = ui.screen.query_one("#frame").region
        assert "Right [/] [b]side" in ui.screen_lines()[frame.bottom - 1]  # the frame's edge
