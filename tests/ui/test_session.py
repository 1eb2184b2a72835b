"""The session screen as a person on a mat meets it: cues, the big countdown, keys, signals."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.records import history, saved_session
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.resume import ResumeScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen
from trainer.ui.widgets.meter import FILLED, HALF

from .snapshot_apps import ALL_BRIDGES, BRIDGE_HOLD, BRIDGE_RAISE, FIRST_SET, GET_READY

# The shipped full routine starts with 15 s to get into position, then bridges: raise the hips
# 3 s, hold 10 s, lower 3 s, 3 s of rest between reps, 15 reps a set, 60 s between sets.
# (Constants from snapshot_apps: GET_READY, BRIDGE_RAISE, BRIDGE_HOLD, FIRST_SET, ALL_BRIDGES.)

TINY_ROUTINES = """\
schema_version = 1

[source]
title = "A routine small enough to run to the end in a test"
note = "Test data."

[timing]
get_ready = 2
switch_sides = 0
rest_between_exercises = 0

[advice]
stop_if_worse = "Stop if it hurts."
see_doctor = "See a doctor if it does not go away."
posture = "Mind your posture."
lifting = "Lift with care."
why_core = "A strong core helps."

[[exercises]]
id = "tiny"
name = "Tiny lift"
muscle = "A test muscle"
why = "To test the end of a session."
steps = ["Lift", "Hold", "Lower"]
sets = 1
reps = 2
hold = 2
sides = 1
rest_between_reps = 1
rest_between_sets = 0
cues = [
    { text = "Lift", kind = "move", seconds = 1 },
    { text = "Hold it", kind = "hold" },
]

[[routines]]
id = "tiny"
name = "Tiny routine"
description = "One exercise, one set of two reps."
exercises = ["tiny"]
"""


@pytest.fixture
def tiny_routines(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_ROUTINES, encoding="utf-8")
    return path


def hold_filled(ui) -> float:
    """How much of the hold meter is drawn filled (0..1), counting a half cell as half."""
    meter = ui.meter("Hold")
    return (meter.count(FILLED) + meter.count(HALF) / 2) / len(meter)


async def start_full(ui) -> None:
    await ui.press("enter")
    assert isinstance(ui.screen, SessionScreen)


async def test_starting_the_full_routine_shows_where_you_are(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        assert ui.text("#exercise") == "Bridges  (1 of 5)"
        assert ui.text("#where") == "Full lower-back routine"
        assert ui.text("#cue") == "Get into position"
        assert ui.bar("Set") == "Set 1 of 3"
        assert ui.bar("Rep") == "Rep 1 of 15"
        assert ui.text("#next") == "Next: Raise your hips"
        assert ui.countdown == "15"
        assert ui.word != "PAUSED"
        # The steps of the exercise, from the article, under the bars.
        assert ui.text("#steps").startswith("1. Lie on the ground with feet flat on the floor")
        shown = ui.screen_text()
        assert "Bridges" in shown
        assert "Get into position" in shown
        assert "█" in shown  # the countdown in block letters


async def test_time_moves_the_countdown_and_rings_a_pattern_at_each_change(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        assert ui.sent("bell") == ["next"]  # an exercise begins: get into position
        await ui.advance(4)
        assert ui.countdown == "11"
        await ui.advance(0.5)
        assert ui.countdown == "11"  # 10.5 s left is shown as 11, rounded up
        await ui.advance(10.5)
        assert ui.text("#cue") == "Raise your hips"
        assert ui.countdown == str(BRIDGE_RAISE)
        assert ui.sent("bell") == ["next", "move"]
        await ui.advance(BRIDGE_RAISE)
        assert ui.text("#cue") == "Hold, squeeze your buttocks"
        assert ui.countdown == str(BRIDGE_HOLD)
        assert ui.bar("Hold") == "Hold 10 s: 0 s held"
        assert hold_filled(ui) == 0
        assert ui.sent("bell") == ["next", "move", "hold"]
        await ui.advance(4)
        assert ui.countdown == "6"
        assert ui.bar("Hold") == "Hold 10 s: 4 s held"
        assert 0.35 <= hold_filled(ui) <= 0.45
        assert len(ui.sent("bell")) == 3  # no bell within a hold
        await ui.advance(6)
        assert ui.text("#cue") == "Lower your hips"
        assert hold_filled(ui) == 0
        assert ui.sent("bell") == ["next", "move", "hold", "move"]  # let go


async def test_the_window_title_holds_the_countdown_and_the_cue(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        title = ui.sent("title")[-1]
        assert title.split()[0] == "15"
        assert "Get into position" in title
        await ui.advance(GET_READY + 1)
        title = ui.sent("title")[-1]
        assert title.split()[0] == "2"
        assert "Raise your hips" in title
        await ui.press("space")
        assert "PAUSED" in ui.sent("title")[-1]


async def test_space_pauses_and_a_rest_resumes_from_the_same_value(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(FIRST_SET + 20)
        assert (ui.word, ui.countdown) == ("REST", "40")
        await ui.press("space")
        assert ui.word == "PAUSED"
        assert ui.text("#cue") == "PAUSED: Rest  (space to continue)"
        assert "PAUSED" in ui.sent("title")[-1]
        assert "space Resume" in ui.screen_lines()[-1]  # the footer says what space does now
        await ui.advance(30)
        assert ui.countdown == "40"
        await ui.press("space")
        assert (ui.word, ui.text("#cue"), ui.countdown) == ("REST", "Rest", "40")
        assert "space Pause" in ui.screen_lines()[-1]
        await ui.advance(1)
        assert ui.countdown == "39"


async def test_resuming_inside_a_hold_restarts_it_whole_after_the_lead_in(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(GET_READY + BRIDGE_RAISE + 4)
        assert (ui.word, ui.countdown) == ("HOLD", "6")
        await ui.press("space")
        assert ui.text("#cue") == "PAUSED: Hold, squeeze your buttocks  (space to continue)"
        await ui.advance(30)
        assert ui.countdown == "6"
        await ui.press("space")
        assert (ui.word, ui.text("#cue"), ui.countdown) == (
            "GET READY",
            "Get back into position",
            "5",
        )
        await ui.advance(5)
        assert (ui.word, ui.text("#cue")) == ("HOLD", "Hold, squeeze your buttocks")
        assert ui.countdown == str(BRIDGE_HOLD)  # the whole hold again
        await ui.advance(BRIDGE_HOLD)
        assert ui.text("#cue") == "Lower your hips"


async def test_n_skips_to_the_next_step_and_b_goes_back_to_its_start(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(5)
        assert ui.countdown == "10"
        await ui.press("n")
        assert ui.text("#cue") == "Raise your hips"
        assert ui.countdown == "3"
        await ui.press("n")
        assert ui.text("#cue") == "Hold, squeeze your buttocks"
        await ui.press("b")
        assert ui.text("#cue") == "Raise your hips"
        await ui.press("b")
        assert ui.text("#cue") == "Get into position"
        assert ui.countdown == "15"  # from its start again


async def test_plus_and_minus_change_a_rest_by_ten_seconds(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(FIRST_SET + 5)
        assert ui.text("#cue") == "Rest"
        assert ui.bar("Set") == "Set 2 of 3"
        assert ui.countdown == "55"
        await ui.press("plus")
        assert ui.countdown == "1:05"
        await ui.press("minus", "minus")
        assert ui.countdown == "45"
        assert ui.toasts() == []


async def test_plus_and_minus_are_offered_only_during_a_rest(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        assert "+/- 10s" in ui.screen_lines()[-1]  # "Get into position" is a rest
        await ui.advance(GET_READY + BRIDGE_RAISE + 2)
        assert ui.countdown == "8"
        assert ui.footer_dimmed("+/-")  # dimmed in the footer during a hold
        await ui.press("plus")
        assert ui.countdown == "8"
        await ui.press("minus")
        assert ui.countdown == "8"
        assert ui.text("#cue") == "Hold, squeeze your buttocks"


async def test_escape_goes_back_to_the_list_and_continue_resumes_the_same_step(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(GET_READY + BRIDGE_RAISE + 3)
        assert ui.countdown == "7"
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)
        assert ui.options()[0] == "Continue: Full lower-back routine\n  Bridges, set 1 of 3"
        assert ui.sent("title")[-1] == "trainer"
        await ui.advance(60)  # the session waits while the list is shown
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.text("#cue").endswith("Hold, squeeze your buttocks  (space to continue)")
        assert ui.countdown == "7"
        await ui.press("space")  # the interrupted hold is done again whole, after a lead-in
        assert ui.text("#cue") == "Get back into position"
        await ui.advance(5)
        assert ui.text("#cue") == "Hold, squeeze your buttocks"
        assert ui.countdown == str(BRIDGE_HOLD)


async def test_a_notification_is_sent_at_each_new_exercise(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(FIRST_SET + 1)
        assert ui.sent("notify") == []  # a new set is not a new exercise
        await ui.advance(ALL_BRIDGES - FIRST_SET)
        assert ui.text("#exercise") == "Draw-in maneuvers  (2 of 5)"
        assert ui.sent("notify") == ["Now: Draw-in maneuvers - Rest, then get into position"]


async def test_a_short_routine_runs_to_the_summary_and_back_to_the_list(start_ui, tiny_routines):
    async with start_ui(path=tiny_routines) as ui:
        assert ui.options() == ["Tiny routine\n  9 s, 1 exercise"]
        await ui.press("enter")
        assert ui.text("#cue") == "Get into position"
        assert ui.countdown == "2"
        await ui.advance(2)
        assert ui.text("#cue") == "Lift"
        await ui.advance(1 + 2 + 1)  # lift, hold, rest
        assert ui.bar("Rep") == "Rep 2 of 2"
        await ui.advance(100)
        assert isinstance(ui.screen, SummaryScreen)
        assert ui.text("#summary-title") == "Well done: routine complete!"
        assert ui.text("#summary-time") == "Tiny routine: 9 s"
        shown = ui.screen_text()
        assert "Tiny lift" in shown
        assert "1 of 1" in shown  # sets done
        assert "2 of 2" in shown  # reps done
        assert ui.sent("notify")[-1] == "Tiny routine: done. Well done!"
        assert ui.sent("title")[-1] == "trainer"
        await ui.press("enter")
        assert isinstance(ui.screen, PickerScreen)
        assert ui.options() == ["Tiny routine\n  9 s, 1 exercise"]  # no "Continue"


async def test_no_color_still_says_paused_in_words(monkeypatch, start_ui):
    monkeypatch.setenv("NO_COLOR", "1")
    async with start_ui() as ui:
        assert ui.app.no_color
        await start_full(ui)
        await ui.advance(GET_READY + 1)
        await ui.press("space")
        shown = ui.screen_text()
        assert "PAUSED: Raise your hips  (space to continue)" in shown
        assert "█" in shown
        assert ui.word == "PAUSED"


async def test_a_quit_session_is_offered_again_and_resumes_at_the_same_step(start_ui):
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(GET_READY + BRIDGE_RAISE + 3)
        assert ui.countdown == "7"
        await ui.press("q")
        assert not ui.app.is_running
    saved = saved_session.load_session().saved
    assert saved is not None
    async with start_ui(saved=saved) as ui:
        assert isinstance(ui.screen, ResumeScreen)
        assert ui.text("#resume-routine") == "Full lower-back routine"
        assert ui.text("#resume-where") == (
            "Bridges, set 1 of 3, rep 1 of 15: Hold, squeeze your buttocks"
        )
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.text("#cue") == "Get back into position"
        assert ui.countdown == "5"
        await ui.advance(5)
        assert ui.text("#cue") == "Hold, squeeze your buttocks"
        assert ui.countdown == str(BRIDGE_HOLD)  # relaunched inside a hold: the whole hold


async def quit_midway(start_ui) -> saved_session.SavedSession:
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(GET_READY + BRIDGE_RAISE + 3)
        await ui.press("q")
    saved = saved_session.load_session().saved
    assert saved is not None
    return saved


async def test_discard_asks_first_and_escape_keeps_the_saved_session(start_ui):
    saved = await quit_midway(start_ui)
    async with start_ui(saved=saved) as ui:
        assert isinstance(ui.screen, ResumeScreen)
        await ui.press("d")
        assert "Discard the saved session?" in ui.screen_text()
        await ui.press("escape")
        assert isinstance(ui.screen, ResumeScreen)
        await ui.press("d", "enter")  # Enter takes the default: keep it
        assert isinstance(ui.screen, ResumeScreen)
    assert saved_session.load_session().saved is not None
    assert not history.history_path().exists()  # nothing discarded, nothing recorded


async def test_escape_at_the_resume_prompt_keeps_it_offered_on_the_list(start_ui):
    saved = await quit_midway(start_ui)
    async with start_ui(saved=saved) as ui:
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)
        shown = ui.screen_text()
        assert "Saved session: Full" in shown and "Bridges, set 1" in shown
        await ui.press("enter")
        assert isinstance(ui.screen, ResumeScreen)
        await ui.press("r")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.text("#cue") == "Get back into position"
    assert saved_session.load_session().saved is not None


async def test_a_click_on_a_footer_key_presses_it_and_a_dimmed_one_only_rings(
    start_ui, monkeypatch
):
    """The mouse way: a click on "space Pause" pauses (the key then says Resume); a click on
    the dimmed "+/-" during a hold changes nothing but rings the bell."""
    async with start_ui() as ui:
        await start_full(ui)
        await ui.advance(GET_READY + BRIDGE_RAISE + 2)  # a hold: +/- dimmed
        bells: list[None] = []
        monkeypatch.setattr(ui.app, "bell", lambda: bells.append(None))
        countdown = ui.countdown
        await ui.click_text("+/- 10s")
        assert (ui.countdown, len(bells)) == (countdown, 1)
        await ui.click_text("space Pause")
        assert "space Resume" in ui.screen_lines()[-1]
        await ui.advance(3)
        assert ui.countdown == countdown  # paused: the clock runs, the countdown does not
        await ui.click_text("space Resume")
        await ui.advance(1)
        assert ui.countdown != countdown
        assert len(bells) == 1


async def test_the_footer_shows_the_keys_in_textuals_order(start_ui):
    """Pause renames space's key, +/- is dimmed outside rests, in its place."""
    async with start_ui() as ui:
        await start_full(ui)
        rest_line = "space Pause x Hurts s Stop n Next esc List q Quit +/- 10s"
        assert ui.screen_lines()[-1].strip() == rest_line
        assert not ui.footer_dimmed("+/-")
        await ui.advance(GET_READY + BRIDGE_RAISE + 2)  # a hold: +/- dimmed, in its place
        assert ui.screen_lines()[-1].strip() == rest_line
        assert ui.footer_dimmed("+/-")
        await ui.press("space")
        assert ui.screen_lines()[-1].strip() == (
            "space Resume x Hurts s Stop n Next esc List q Quit +/- 10s"
        )
        await ui.press("space")
        await ui.advance(FIRST_SET)  # into the rest after the first set
        assert ui.text("#cue") == "Rest"
        assert ui.screen_lines()[-1].strip() == rest_line
