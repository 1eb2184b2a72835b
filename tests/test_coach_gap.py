"""A gap in which the app could not run (Ctrl+Z, kill -STOP, a suspended VM) pauses the session
where it was: the coach's rule, on a fake clock (issue 9, item 7)."""

from __future__ import annotations

import pytest
from conftest import FakeClock
from test_engine import tiny_plan

from trainer.coaching.coach import GAP_LIMIT, Coach
from trainer.engine import LEAD_IN, Session, SessionSnapshot, State, StepKind
from trainer.programme.preferences import Preferences

# tiny_plan(): 0 READY 0-4 | 1 Up 4-5, 2 Hold 5-8, 3 Down 8-9, 4 rest 9-11, 5 Up 11-12,
# 6 Hold 12-15, 7 Down 15-16 | 8 set rest 16-21 | set 2: 9..15 (21-33) | 16 DONE at 33.


def running(clock: FakeClock, saved: list[SessionSnapshot] | None = None) -> Coach:
    session = Session(tiny_plan(), clock)
    session.start()

    def persist(s: Session) -> None:
        if saved is not None:
            saved.append(s.snapshot())

    return Coach(session, Preferences(), persist=persist)


def ticking(coach: Coach, clock: FakeClock, until: float, every: float = 0.5) -> None:
    """The screen's ticks, on time, up to ``until`` seconds after the start (1000)."""
    while clock.now < 1000 + until:
        clock.advance(min(every, 1000 + until - clock.now))
        coach.tick()


def test_a_gap_pauses_at_the_last_tick_and_counts_nothing_in_it(clock: FakeClock) -> None:
    saved: list[SessionSnapshot] = []
    coach = running(clock, saved)
    ticking(coach, clock, until=6.0)  # in the first hold (5-8), 1 s held
    before, _ = coach.tick()
    assert before.step.kind is StepKind.HOLD and before.step.rep == 1
    clock.advance(45)  # stopped for 45 s: without the rule, the rest of set 1 and more go by
    view, _ = coach.tick()
    assert view.state is State.PAUSED
    assert view.step.index == before.step.index
    assert view.elapsed == pytest.approx(before.elapsed)  # the hold stays where it was
    assert coach.session.results()[0].reps_done == 0
    assert view.paused_time == pytest.approx(45)
    assert view.active_time == pytest.approx(before.active_time)
    assert coach.gap == pytest.approx(45)
    assert saved[-1].state is State.PAUSED and saved[-1].step_index == before.step.index
    # The person resumes: an interrupted hold is done again whole, after the lead-in.
    coach.toggle_pause()
    view, _ = coach.tick()
    assert view.state is State.LEAD_IN and view.next == before.step
    clock.advance(LEAD_IN + 1)
    view, _ = coach.tick()
    assert view.state is State.RUNNING and view.step.index == before.step.index
    assert view.elapsed == pytest.approx(1)


def test_a_late_tick_within_the_limit_is_just_late(clock: FakeClock) -> None:
    coach = running(clock)
    ticking(coach, clock, until=4.5)  # Up, 4-5
    due = 1005.0  # the next displayed second: the end of "Up"
    clock.now = due + GAP_LIMIT - 0.5  # a busy machine, not a stopped one
    view, _ = coach.tick()
    assert view.state is State.RUNNING
    assert view.step.kind is StepKind.REP_REST  # time went on: 9.5 s in, the first rest
    assert coach.session.results()[0].reps_done == 1


def test_just_past_the_limit_pauses(clock: FakeClock) -> None:
    coach = running(clock)
    ticking(coach, clock, until=4.5)
    clock.now = 1005.0 + GAP_LIMIT + 0.01
    view, _ = coach.tick()
    assert view.state is State.PAUSED and view.step.index == 1


def test_a_key_pressed_during_the_gap_sees_the_session_paused_not_resumed(
    clock: FakeClock,
) -> None:
    coach = running(clock)
    ticking(coach, clock, until=6.0)
    clock.advance(30)
    coach.toggle_pause()  # space, read after SIGCONT, before the late tick
    view, _ = coach.tick()
    assert view.state is State.PAUSED and view.step.kind is StepKind.HOLD
    assert coach.session.results()[0].reps_done == 0


def test_skip_or_stop_after_a_gap_act_on_the_paused_step(clock: FakeClock) -> None:
    coach = running(clock)
    ticking(coach, clock, until=6.0)
    clock.advance(30)
    coach.stop()
    view, _ = coach.tick()
    assert view.state is State.STOPPED
    assert view.active_time == pytest.approx(6.0)
    assert coach.session.results()[0].reps_done == 0


def test_a_paused_session_waits_any_time_without_a_gap(clock: FakeClock) -> None:
    coach = running(clock)
    ticking(coach, clock, until=6.0)
    coach.toggle_pause()
    coach.tick()
    clock.advance(3600)
    view, _ = coach.tick()
    assert view.state is State.PAUSED and coach.gap is None
    coach.toggle_pause()
    view, _ = coach.tick()
    assert view.state is State.LEAD_IN  # paused in a hold: it starts again whole after this


def test_a_gap_in_the_lead_in_of_a_resumed_session(clock: FakeClock) -> None:
    plan = tiny_plan()
    first = Session(plan, clock)
    first.start()
    clock.advance(6)
    snap = first.snapshot()
    session, _ = Session.restore(plan, snap, clock, lead_in=LEAD_IN, paused=False)
    coach = Coach(session, Preferences())
    view, _ = coach.tick()
    assert view.state is State.LEAD_IN
    clock.advance(1)
    coach.tick()
    clock.advance(60)
    view, _ = coach.tick()
    assert view.state is State.PAUSED
    coach.toggle_pause()
    clock.advance(LEAD_IN)  # the rest of the lead-in, then the hold again where it was
    view, _ = coach.tick()
    assert view.step.kind is StepKind.HOLD
    assert coach.session.results()[0].reps_done == 0


def test_the_engine_pauses_as_of_an_earlier_instant(clock: FakeClock) -> None:
    session = Session(tiny_plan(), clock)
    session.start()
    clock.advance(6)
    session.view()
    clock.advance(20)  # would end the first rep (at 9) and more
    session.pause(at=1006.0)
    view = session.view()
    assert view.state is State.PAUSED and view.step.kind is StepKind.HOLD
    assert view.elapsed == pytest.approx(1.0)
    assert view.paused_time == pytest.approx(20)
    assert session.results()[0].reps_done == 0
    # Never later than now, never before the step began.
    session.resume()
    session.pause(at=clock.now + 100)
    assert session.view().paused_time == pytest.approx(20)


def test_wake_by_is_the_last_moment_that_is_not_a_gap(clock: FakeClock) -> None:
    coach = running(clock)
    assert coach.wake_by is None  # not ticked yet
    ticking(coach, clock, until=4.5)
    assert coach.wake_by == pytest.approx(1005.0 + GAP_LIMIT)
    clock.now = coach.wake_by
    view, _ = coach.tick()
    assert view.state is State.RUNNING
    coach.toggle_pause()
    coach.tick()
    assert coach.wake_by is None  # paused: nothing is due
