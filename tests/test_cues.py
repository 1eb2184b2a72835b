"""The words of the session screen and the resume prompt, without a terminal."""

from __future__ import annotations

from trainer.coaching.display import (
    Look,
    big_word,
    describe_saved,
    describe_step,
    look_of,
    screenful,
    warning_seconds,
)
from trainer.engine import Session, Side, StepKind, plan_for
from trainer.programme.schema import RoutinesFile


def first(plan, kind: StepKind, **where):
    return next(
        s
        for s in plan.steps
        if s.kind is kind and all(getattr(s, k) == v for k, v in where.items())
    )


def test_the_resume_prompt_says_exactly_where(routines: RoutinesFile) -> None:
    plan = plan_for(routines, "full")
    rest = first(plan, StepKind.SET_REST, exercise_id="bridges", set=3)
    assert describe_step(rest) == "Bridges, rest before set 3 of 3"
    hold = first(plan, StepKind.HOLD, exercise_id="bridges", set=2, rep=5)
    assert describe_step(hold) == "Bridges, set 2 of 3, rep 5 of 15: Hold, squeeze your buttocks"
    rep_rest = first(plan, StepKind.REP_REST, exercise_id="bridges", set=1, rep=4)
    assert describe_step(rep_rest) == "Bridges, set 1 of 3, rest before rep 4 of 15"
    switch = first(plan, StepKind.SWITCH)
    assert describe_step(switch) == (
        "Lying lateral leg lifts, switching sides: Lie on right side, lift left leg"
    )
    right = first(plan, StepKind.MOVE, exercise_id="leg-lifts", side=Side.RIGHT, set=1, rep=2)
    assert describe_step(right).startswith("Lying lateral leg lifts, right side, set 1 of 3")


def test_a_saved_position_is_described_from_the_plan(routines: RoutinesFile, clock) -> None:
    plan = plan_for(routines, "full")
    rest = first(plan, StepKind.SET_REST, exercise_id="bridges", set=3)
    session = Session(plan, clock)
    session.start()
    clock.advance(rest.offset + 5)
    snap = session.snapshot()
    assert describe_saved(snap, routines) == "Bridges, rest before set 3 of 3"
    # The routine gone: what the snapshot itself knows.
    assert describe_saved(snap, None) == "Bridges, set 3, rep 1"


def test_big_words_and_looks(routines: RoutinesFile, clock) -> None:
    plan = plan_for(routines, "full")
    session = Session(plan, clock)
    session.start()
    seen = {}
    for step in plan.steps:
        clock.now = 1000.0 + step.offset + 0.5
        view = session.view()
        seen.setdefault((big_word(view), look_of(view)), step.kind)
    words = {word for word, _ in seen}
    assert {"GET READY", "LIFT", "HOLD", "LOWER", "REST", "SWITCH SIDES", "INHALE"} <= words
    assert ("HOLD", Look.HOLD) in seen
    assert ("REST", Look.REST) in seen
    assert ("LIFT", Look.MOVE) in seen
    assert ("SWITCH SIDES", Look.SWITCH) in seen
    again = Session(plan, clock)
    again.start()
    again.pause()
    assert (big_word(again.view()), look_of(again.view())) == ("PAUSED", Look.PAUSED)


def test_three_two_one_before_the_end_of_long_rests_and_holds(routines, clock) -> None:
    plan = plan_for(routines, "full")
    session = Session(plan, clock)
    session.start()
    hold = first(plan, StepKind.HOLD, exercise_id="bridges")  # 10 s
    rep_rest = first(plan, StepKind.REP_REST, exercise_id="bridges")  # 3 s: too short
    got = []
    for at in (hold.offset + 6.5, hold.offset + 7.5, hold.offset + 8.5, hold.offset + 9.5):
        clock.now = 1000.0 + at
        got.append(warning_seconds(session.view()))
    assert got == [0, 3, 2, 1]
    clock.now = 1000.0 + rep_rest.offset + 0.5
    assert warning_seconds(session.view()) == 0
    shown = screenful(session.view(), plan)
    assert shown.next == "Next: Raise your hips"


def test_sides_in_words_on_every_step_of_that_side(routines: RoutinesFile, clock) -> None:
    plan = plan_for(routines, "full")
    session = Session(plan, clock)
    session.start()
    for side, words in (
        (Side.LEFT, "Lie on left side, lift right leg"),
        (Side.RIGHT, "Lie on right side, lift left leg"),
    ):
        for step in plan.steps:
            if step.exercise_id == "leg-lifts" and step.side is side:
                clock.now = 1000.0 + step.offset + 0.25
                assert screenful(session.view(), plan).frame_subtitle == words
    session = Session(plan, clock)
    session.start()
    clock.advance(first(plan, StepKind.HOLD, exercise_id="bridges").offset + 0.25)
    assert screenful(session.view(), plan).frame_subtitle == ""
