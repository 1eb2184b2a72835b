"""What is said and rung, step by step: the words, the shortening, the count, the schedule on
the session's clock (pause, +/-, skip, a restored session), notifications at most every 30 s."""

from __future__ import annotations

import itertools

import pytest
from sound_run import listen

from trainer.coaching import audible
from trainer.coaching.coach import Coach
from trainer.engine import LEAD_IN, Session, StepKind, plan_for
from trainer.programme import preferences as prefs
from trainer.programme.constants import BellMode
from trainer.programme.preferences import Preferences
from trainer.text import wording


def test_spoken_numbers_and_lengths():
    assert [wording.spoken_number(n) for n in (0, 7, 15, 20, 42, 100, 600)] == [
        "zero",
        "seven",
        "fifteen",
        "twenty",
        "forty-two",
        "one hundred",
        "six hundred",
    ]
    assert wording.spoken_duration(60) == "one minute"
    assert wording.spoken_duration(90) == "one minute thirty"
    assert wording.spoken_duration(1) == "one second"
    assert wording.spoken_duration(30) == "thirty seconds"


def test_the_exercise_is_introduced_in_the_articles_numbers(routines):
    plan = plan_for(routines, "full")
    intros = [audible.intro(ex) for ex in plan.exercises]
    assert intros == [
        "Bridges. Three sets of fifteen, hold ten seconds.",
        "Draw-in maneuvers. Five times, hold five seconds.",
        "Lying lateral leg lifts. Three sets of ten on each side, hold two seconds.",
        "Cat stretch. Three times.",
        "Partial curls. Three sets of ten, hold five seconds.",
    ]


def test_cue_word():
    assert audible.cue_word("Hold, squeeze your buttocks") == "Hold"
    assert audible.cue_word("Raise your top leg") == "Raise"
    assert audible.cue_word("Back to the start") == "Back"
    assert audible.cue_word("Breathe in") == "Breathe in"


@pytest.mark.parametrize("rate", [80, 120, 175, 260, 400])
def test_at_any_rate_no_phrase_is_expected_to_run_into_the_next(routines, rate):
    """The shortening rule, checked on its own estimate for the full routine at many rates;
    the real lengths at the default rate are checked with espeak-ng in test_speech.py."""
    settings = Preferences().with_values(**{"voice_rate": rate})
    run = listen(routines, "full", settings)
    phrases = run.phrases
    for this, nxt in itertools.pairwise(phrases):
        assert audible.estimate(this.say or "", rate) <= nxt.t - this.t + 1e-6, this.say
    said = {h.say for h in phrases}
    if rate <= 80:
        assert "Raise" in said  # "Raise your top leg" does not fit 2 s: the cue word
        assert "three" not in said  # one number a second no longer fits: no count
    if rate == 175:
        assert "Breathe out, belly button in" in said  # the file's short form
        assert "Breathe out, pull your belly button in" not in said


def session_with_coach(routines, routine_id="full", **settings):
    clock = [1000.0]
    plan = plan_for(routines, routine_id)
    session = Session(plan, lambda: clock[0])
    coach = Coach(
        session,
        Preferences().with_values(**settings),
        advice=routines.advice,
    )
    session.start()
    return clock, session, coach


def run_for(coach, clock, seconds):
    """Let ``seconds`` pass while the app runs: a tick at the last moment that is not a gap
    (``Coach.wake_by``), as often as that takes, then the clock moved to the end (no tick)."""
    end = clock[0] + seconds
    while (wake_by := coach.wake_by) is not None and end > wake_by:
        clock[0] = wake_by
        coach.tick()
    clock[0] = end


def test_nothing_is_said_while_paused_and_the_count_comes_after(routines):
    clock, _session, coach = session_with_coach(routines)
    _, signal = coach.tick()
    assert signal.say == "Bridges. Three sets of fifteen, hold ten seconds."
    run_for(coach, clock, 11.0)
    coach.tick()
    coach.toggle_pause()
    _, signal = coach.tick()
    assert signal.hush and signal.say is None
    clock[0] += 100
    assert coach.tick()[1].say is None
    coach.toggle_pause()
    _, signal = coach.tick()
    assert signal.say is None  # 1 s before "three": even "Bridges." would run into it
    clock[0] += 1.01
    assert coach.tick()[1].say == "three"


def test_a_longer_rest_moves_its_count(routines):
    clock, session, coach = session_with_coach(routines)
    first_set_end = plan_for(routines, "full").steps[1].offset + 15 * 16 + 14 * 3
    clock[0] += first_set_end - 15 + 1 + 15  # 1 s into the 60 s rest
    coach.tick()
    assert session.step.kind is StepKind.SET_REST
    assert coach.adjust(10)
    run_for(coach, clock, 57)
    assert coach.tick()[1].say is None  # 58 s of 70: "three" moved from 57 to 67
    run_for(coach, clock, 9.01)
    assert coach.tick()[1].say == "three"


def test_notifications_one_per_exercise_never_closer_than_30_s(routines):
    clock, session, coach = session_with_coach(routines, "quick-core")
    sent = []
    for _ in range(20):  # skip through everything as fast as the keys go
        session.skip()
        clock[0] += 1
        sent.append(coach.tick()[1].notification)
    assert [n for n in sent if n] == [
        ("trainer", "Now: Partial curls - Rest, then get into position")
    ] or (len([n for n in sent if n]) <= 1)


def test_a_full_run_notifies_each_exercise_and_the_end(routines):
    clock, session, coach = session_with_coach(routines)
    notes = []
    while not session.state.is_over:
        view, signal = coach.tick()
        if signal.notification:
            notes.append(signal.notification[1])
        clock[0] += max(0.05, view.until_display_changes + 0.01)
    assert len(notes) == 5  # the four exercises after bridges, and the end
    assert notes[-1] == "Full lower-back routine: done. Well done!"


def test_a_restored_session_says_get_back_into_position_then_the_cue(routines):
    clock, session, coach = session_with_coach(routines)
    clock[0] += 15 + 3 + 4  # 4 s into the first hold
    coach.tick()
    snap = session.snapshot()
    restored, _ = Session.restore(session.plan, snap, lambda: clock[0], lead_in=LEAD_IN)
    again = Coach(restored, Preferences(), advice=routines.advice)
    assert again.tick()[1].say == "Get back into position."
    clock[0] += LEAD_IN + 0.01
    _, signal = again.tick()
    assert signal.say == "Hold, squeeze your buttocks"
    assert signal.bell_pattern is audible.HOLD_BELL


def test_going_back_speaks_but_does_not_ring_and_x_says_the_advice(routines):
    _clock, _session, coach = session_with_coach(routines)
    coach.tick()
    coach.skip()
    coach.tick()
    coach.back()
    _, signal = coach.tick()
    assert signal.say == "Bridges. Three sets of fifteen, hold ten seconds."
    assert signal.bell_pattern is None
    coach.stop_hurt()
    _, signal = coach.tick()
    assert signal.say.startswith("Stopped. If any of these exercises make your discomfort")
    assert [e["event"] for e in signal.hook_events] == ["hurt"]


def test_holds_only_and_off(routines):
    holds = listen(routines, "gentle", Preferences().with_values(**{"bell": "holds"}))
    assert {h.bell for h in holds.patterns} <= {"hold", "move", "rest", "count", "next", "done"}
    moves = [h for h in holds.patterns if h.bell == "move"]
    assert all(h.step.cue_index > 0 or h.step.kind is StepKind.REP_REST for h in moves)
    assert prefs.check_value("bell", True) is BellMode.ALL
    assert prefs.check_value("bell", False) is BellMode.OFF
