"""The pure engine, driven by a fake clock: plan, every operation, events, results, restore."""

from __future__ import annotations

import dataclasses
import math

import pytest

from trainer.coaching import display
from trainer.engine import (
    ADJUST_STEP,
    LEAD_IN,
    Plan,
    Reason,
    RestoreError,
    RestoreProblem,
    Session,
    SessionSnapshot,
    Side,
    State,
    Step,
    StepKind,
    View,
    build_plan,
    plan_for,
)
from trainer.programme.schema import Cue, CueKind, Exercise, Routine, RoutinesFile, Timing

# --------------------------------------------------------------------------- helpers


def exercise(
    ex_id: str = "ex",
    *,
    sets: int = 2,
    reps: int = 2,
    hold: int = 3,
    sides: int = 1,
    rest_between_reps: int = 2,
    rest_between_sets: int = 5,
) -> Exercise:
    """A small exercise: "Up" 1 s, "Hold" ``hold`` s (if any), "Down" 1 s."""
    cues = [Cue(text="Up", kind=CueKind.MOVE, seconds=1)]
    if hold:
        cues.append(Cue(text="Hold", kind=CueKind.HOLD))
    cues.append(Cue(text="Down", kind=CueKind.MOVE, seconds=1))
    return Exercise(
        id=ex_id,
        name=ex_id.title(),
        muscle="a muscle",
        why="a reason",
        steps=["do it"],
        sets=sets,
        reps=reps,
        hold=hold,
        sides=sides,
        rest_between_reps=rest_between_reps,
        rest_between_sets=rest_between_sets,
        cues=cues,
    )


def tiny_plan(
    *exercises: Exercise, get_ready: int = 4, switch_sides: int = 2, between: int = 6
) -> Plan:
    """By default one exercise, 2 sets of 2 reps, whose steps are (start..end, in seconds):

    0 READY 0-4 | set 1: 1 Up 4-5, 2 Hold 5-8, 3 Down 8-9, 4 rest 9-11, 5 Up 11-12,
    6 Hold 12-15, 7 Down 15-16 | 8 set rest 16-21 | set 2: 9..15 (21-33) | 16 DONE at 33.
    """
    chosen = exercises or (exercise(),)
    routine = Routine(
        id="tiny", name="Tiny", description="a test routine", exercises=[e.id for e in chosen]
    )
    timing = Timing(get_ready=get_ready, switch_sides=switch_sides, rest_between_exercises=between)
    return build_plan(routine, chosen, timing)


def find(plan: Plan, kind: StepKind, *, exercise_id: str | None = None, **where: object) -> Step:
    """The first step of ``kind`` matching ``where`` (side, set, rep, cue_index...)."""
    for step in plan.steps:
        if step.kind is not kind:
            continue
        if exercise_id is not None and step.exercise_id != exercise_id:
            continue
        if all(getattr(step, name) == value for name, value in where.items()):
            return step
    raise LookupError((kind, exercise_id, where))


def started(plan: Plan, clock) -> Session:
    session = Session(plan, clock)
    session.start()
    return session


def frozen(view: View) -> View:
    """A view without the one field that keeps moving while paused."""
    return dataclasses.replace(view, paused_time=0.0)


def routine_formula_seconds(routines: RoutinesFile, routine_id: str) -> int:
    """A routine's length computed straight from the file, independently of build_plan."""
    timing = routines.timing
    routine = routines.routine(routine_id)
    total = timing.get_ready + timing.rest_between_exercises * (len(routine.exercises) - 1)
    for ex in routines.exercises_of(routine):
        rep = sum(ex.hold if cue.kind is CueKind.HOLD else (cue.seconds or 0) for cue in ex.cues)
        per_side = (
            ex.sets * ex.reps * rep
            + ex.sets * (ex.reps - 1) * ex.rest_between_reps
            + (ex.sets - 1) * ex.rest_between_sets
        )
        total += ex.sides * per_side + (ex.sides - 1) * timing.switch_sides
    return total


# --------------------------------------------------------------------------- plan


class TestPlan:
    def test_tiny_plan_layout(self) -> None:
        plan = tiny_plan()
        assert [(s.kind, s.offset, s.duration) for s in plan.steps] == [
            (StepKind.READY, 0, 4),
            (StepKind.MOVE, 4, 1),
            (StepKind.HOLD, 5, 3),
            (StepKind.MOVE, 8, 1),
            (StepKind.REP_REST, 9, 2),
            (StepKind.MOVE, 11, 1),
            (StepKind.HOLD, 12, 3),
            (StepKind.MOVE, 15, 1),
            (StepKind.SET_REST, 16, 5),
            (StepKind.MOVE, 21, 1),
            (StepKind.HOLD, 22, 3),
            (StepKind.MOVE, 25, 1),
            (StepKind.REP_REST, 26, 2),
            (StepKind.MOVE, 28, 1),
            (StepKind.HOLD, 29, 3),
            (StepKind.MOVE, 32, 1),
            (StepKind.DONE, 33, 0),
        ]
        assert plan.total == 33
        assert [s.index for s in plan.steps] == list(range(len(plan)))

    @pytest.mark.parametrize("routine_id", ["full", "quick-core", "gentle"])
    def test_shipped_routine_lengths(self, routines: RoutinesFile, routine_id: str) -> None:
        plan = plan_for(routines, routine_id)
        assert plan.total == routine_formula_seconds(routines, routine_id)
        offset = 0
        for step in plan.steps:
            assert step.offset == offset
            offset += step.duration
        assert plan.steps[-1].kind is StepKind.DONE
        assert plan.steps[-1].offset == plan.total

    def test_full_routine_is_38_min_52_s(self, routines: RoutinesFile) -> None:
        assert plan_for(routines, "full").total == 38 * 60 + 52

    def test_full_routine_exercises_in_order(self, routines: RoutinesFile) -> None:
        plan = plan_for(routines, "full")
        assert [e.id for e in plan.exercises] == [
            "bridges",
            "draw-in",
            "leg-lifts",
            "cat-stretch",
            "partial-curls",
        ]
        for summary in plan.exercises:
            first = plan.steps[summary.first_step]
            assert first.exercise_id == summary.id
            steps = [s for s in plan.steps[:-1] if s.exercise_index == summary.index]
            assert sum(s.duration for s in steps) == summary.duration

    def test_every_rep_counted_once(self, routines: RoutinesFile) -> None:
        plan = plan_for(routines, "full")
        for ex in routines.exercises:
            counting = [s for s in plan.steps if s.completes_rep and s.exercise_id == ex.id]
            assert len(counting) == ex.sets * ex.reps * ex.sides
            expected_kind = StepKind.HOLD if ex.hold else StepKind.MOVE
            assert {s.kind for s in counting} == {expected_kind}

    def test_leg_lifts_left_then_switch_then_right_three_sets_each(
        self, routines: RoutinesFile
    ) -> None:
        plan = plan_for(routines, "full")
        legs = [s for s in plan.steps if s.exercise_id == "leg-lifts"]
        phases: list[tuple[StepKind, Side, int]] = []
        for step in legs:
            starts_a_set = step.kind is StepKind.MOVE and step.cue_index == 0 and step.rep == 1
            between_sets = step.kind.is_rest and step.kind is not StepKind.REP_REST
            if starts_a_set or between_sets:
                phases.append((step.kind, step.side, step.set))
        assert phases == [
            (StepKind.EXERCISE_REST, Side.LEFT, 1),
            (StepKind.MOVE, Side.LEFT, 1),
            (StepKind.SET_REST, Side.LEFT, 2),
            (StepKind.MOVE, Side.LEFT, 2),
            (StepKind.SET_REST, Side.LEFT, 3),
            (StepKind.MOVE, Side.LEFT, 3),
            (StepKind.SWITCH, Side.RIGHT, 1),
            (StepKind.MOVE, Side.RIGHT, 1),
            (StepKind.SET_REST, Side.RIGHT, 2),
            (StepKind.MOVE, Side.RIGHT, 2),
            (StepKind.SET_REST, Side.RIGHT, 3),
            (StepKind.MOVE, Side.RIGHT, 3),
        ]
        switch = find(plan, StepKind.SWITCH, exercise_id="leg-lifts")
        assert switch.text == "Switch sides"
        assert switch.duration == routines.timing.switch_sides
        holds = [s for s in legs if s.kind is StepKind.HOLD]
        assert [s.side.label for s in holds[:1] + holds[-1:]] == ["Left side", "Right side"]
        assert sum(1 for s in holds if s.side is Side.LEFT) == 30
        assert sum(1 for s in holds if s.side is Side.RIGHT) == 30
        assert {s.duration for s in holds} == {2}

    def test_next_phase_names_the_next_kind_of_step(self) -> None:
        plan = tiny_plan()
        assert plan.next_phase(0) == plan.steps[1]  # after READY: "Up"
        assert plan.next_phase(1) == plan.steps[2]  # work steps always show the next cue
        assert plan.next_phase(15) == plan.steps[16]  # the last cue: next is DONE
        assert plan.next_phase(16) is None

    def test_no_zero_length_rests(self) -> None:
        plan = tiny_plan(exercise(rest_between_reps=0, rest_between_sets=0), get_ready=0, between=0)
        assert all(s.duration > 0 for s in plan.steps[:-1])
        assert not any(s.kind.is_rest for s in plan.steps)
        assert plan.total == 2 * 2 * 5


# --------------------------------------------------------------------------- start and time


class TestStartAndTime:
    def test_idle_until_started(self, clock) -> None:
        plan = tiny_plan()
        session = Session(plan, clock)
        clock.advance(100)
        view = session.view()
        assert view.state is State.IDLE
        assert view.step.index == 0
        assert view.elapsed == 0
        assert view.remaining == 4
        assert view.progress == 0
        assert view.time_left == plan.total
        assert view.active_time == 0

    def test_start_runs_the_first_step_and_counts_down(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(1.25)
        view = session.view()
        assert view.state is State.RUNNING
        assert view.step.kind is StepKind.READY
        assert view.step.text == "Get into position"
        assert view.elapsed == 1.25
        assert view.remaining == 2.75
        assert view.seconds_shown == 3
        assert view.time_left == 33 - 1.25
        assert view.active_time == 1.25

    def test_start_twice_does_not_restart(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(3)
        session.start()
        assert session.view().elapsed == 3

    def test_steps_follow_each_other_on_time(self, clock) -> None:
        plan = tiny_plan()
        t0 = clock.now
        session = started(plan, clock)
        for step in plan.steps[:-1]:
            clock.now = t0 + step.offset
            view = session.view()
            assert view.step == step
            assert view.elapsed == 0
            clock.now = t0 + step.offset + step.duration - 0.25
            assert session.view().step == step
            assert session.view().remaining == 0.25

    def test_hold_progress_only_while_holding(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(5 + 1.5)  # half of the first 3 s hold
        view = session.view()
        assert view.step.kind is StepKind.HOLD
        assert view.hold_progress == 0.5
        clock.advance(2)  # into "Down"
        assert session.view().hold_progress == 0

    def test_rep_and_set_progress(self, clock) -> None:
        plan = tiny_plan()
        t0 = clock.now
        session = started(plan, clock)
        clock.now = t0 + 12  # set 1, rep 2
        view = session.view()
        assert (view.step.set, view.step.rep) == (1, 2)
        assert (view.rep_progress, view.set_progress) == (0.5, 0.0)
        clock.now = t0 + 29  # set 2, rep 2
        view = session.view()
        assert (view.rep_progress, view.set_progress) == (0.5, 0.5)

    def test_runs_to_done(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(plan.total + 50)
        view = session.view()
        assert view.state is State.FINISHED
        assert view.step.kind is StepKind.DONE
        assert view.next is None
        assert (view.progress, view.time_left, view.remaining, view.elapsed) == (1, 0, 0, 0)
        assert (view.rep_progress, view.set_progress) == (1, 1)
        # The session ended at 33 s; the 50 s after it are not active time.
        assert view.active_time == plan.total
        assert view.until_display_changes == math.inf


# --------------------------------------------------------------------------- pause


class TestPause:
    def test_pause_freezes_the_view(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(6.5)  # 1.5 s into the first hold
        session.pause()
        before = session.view()
        assert before.state is State.PAUSED
        clock.advance(500)
        after = session.view()
        assert frozen(after) == frozen(before)
        assert after.step.kind is StepKind.HOLD
        assert after.remaining == 1.5
        assert after.paused_time == 500
        assert after.until_display_changes == math.inf

    def test_a_rest_resumes_with_the_time_it_had_left(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(17.5)  # 1.5 s into the 5 s set rest
        session.pause()
        clock.advance(42)
        session.resume()
        view = session.view()
        assert (view.state, view.step.kind) == (State.RUNNING, StepKind.SET_REST)
        assert view.remaining == 3.5
        assert view.active_time == 17.5
        assert view.paused_time == 42
        clock.advance(3.5)
        assert (session.view().step.text, session.view().step.set) == ("Up", 2)
        assert session.view().elapsed == 0

    def test_a_move_resumes_where_it_was(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(4.25)  # into "Up", 4-5
        session.pause()
        clock.advance(30)
        session.resume()
        view = session.view()
        assert (view.state, view.step.text, view.remaining) == (State.RUNNING, "Up", 0.75)

    def test_pause_twice_and_resume_twice_change_nothing(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(2)
        session.pause()
        clock.advance(10)
        session.pause()  # must not move the pause start
        clock.advance(10)
        session.resume()
        session.resume()
        view = session.view()
        assert (view.elapsed, view.paused_time) == (2, 20)

    def test_toggle_pause(self, clock) -> None:
        session = started(tiny_plan(), clock)
        session.toggle_pause()
        assert session.state is State.PAUSED
        clock.advance(3)
        session.toggle_pause()
        assert session.state is State.RUNNING
        assert session.view().elapsed == 0

    def test_pause_before_start_does_nothing(self, clock) -> None:
        session = Session(tiny_plan(), clock)
        session.toggle_pause()
        assert session.state is State.IDLE

    def test_pause_after_unpolled_steps_lands_in_the_right_step(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(13.25)  # nobody asked since the start: now 1.25 s into hold 2
        session.pause()
        clock.advance(60)
        view = session.view()
        assert view.step == find(plan, StepKind.HOLD, set=1, rep=2)
        assert view.elapsed == 1.25
        assert [e.step.index for e in session.take_events()] == [1, 2, 3, 4, 5, 6]


# --------------------------------------------------------------------------- skip and back


class TestSkipAndBack:
    def test_skip_starts_the_next_step_from_zero(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(1)
        session.skip()
        view = session.view()
        assert view.step == plan.steps[1]
        assert view.elapsed == 0
        [event] = session.take_events()
        assert (event.previous, event.step, event.reason) == (
            plan.steps[0],
            plan.steps[1],
            Reason.SKIP,
        )
        # Time continues from the skip, not from the planned offset.
        clock.advance(1)
        assert session.view().step == plan.steps[2]

    def test_skip_while_paused_stays_paused(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        session.pause()
        session.skip()
        clock.advance(30)
        view = session.view()
        assert view.state is State.PAUSED
        assert view.step == plan.steps[1]
        assert view.elapsed == 0
        session.resume()
        clock.advance(0.5)
        assert session.view().remaining == 0.5

    def test_skip_on_the_last_step_finishes(self, clock) -> None:
        plan = tiny_plan()
        t0 = clock.now
        session = started(plan, clock)
        clock.now = t0 + 32.5  # the last "Down"
        session.take_events()
        session.skip()
        view = session.view()
        assert view.state is State.FINISHED
        assert view.step.kind is StepKind.DONE
        assert view.progress == 1
        assert [e.reason for e in session.take_events()] == [Reason.SKIP]
        assert view.active_time == 32.5

    def test_skip_at_the_end_does_nothing(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(plan.total)
        session.take_events()
        session.skip()
        assert session.view().step.kind is StepKind.DONE
        assert session.take_events() == []

    def test_skip_before_start_does_nothing(self, clock) -> None:
        session = Session(tiny_plan(), clock)
        session.skip()
        assert session.view().step.index == 0
        assert session.take_events() == []

    def test_back_restarts_the_previous_step(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(6)  # 1 s into the first hold
        session.take_events()
        session.back()
        view = session.view()
        assert view.step == plan.steps[1]
        assert view.elapsed == 0
        assert view.remaining == 1
        [event] = session.take_events()
        assert (event.previous, event.step, event.reason) == (
            plan.steps[2],
            plan.steps[1],
            Reason.BACK,
        )

    def test_back_at_the_start_does_nothing(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(2)
        session.back()
        view = session.view()
        assert (view.step.index, view.elapsed) == (0, 2)
        assert session.take_events() == []

    def test_back_after_the_end_does_nothing(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(plan.total)
        session.take_events()
        session.back()
        assert session.view().state is State.FINISHED
        assert session.take_events() == []

    def test_back_while_paused_stays_paused(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(4.5)
        session.pause()
        session.back()
        clock.advance(10)
        view = session.view()
        assert view.state is State.PAUSED
        assert view.step == plan.steps[0]
        assert view.remaining == 4
        session.resume()
        clock.advance(4)
        assert session.view().step == plan.steps[1]

    def test_progress_goes_back_only_with_back(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(10)
        before = session.view().progress
        session.back()
        assert session.view().progress < before


# --------------------------------------------------------------------------- adjust


class TestAdjust:
    def at_rest(self, clock, seconds_in: float = 0.5) -> tuple[Plan, Session]:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(9 + seconds_in)  # the 2 s rest between reps of set 1
        assert session.view().step.kind is StepKind.REP_REST
        return plan, session

    def test_plus_lengthens_the_rest(self, clock) -> None:
        _, session = self.at_rest(clock)
        left = session.view().time_left
        assert session.adjust() is True
        view = session.view()
        assert view.duration == 2 + ADJUST_STEP
        assert view.remaining == 1.5 + ADJUST_STEP
        assert view.time_left == left + ADJUST_STEP
        clock.advance(1.5 + ADJUST_STEP - 0.25)
        assert session.view().step.kind is StepKind.REP_REST

    def test_minus_shortens_the_rest(self, clock) -> None:
        _, session = self.at_rest(clock)
        session.adjust(ADJUST_STEP)
        assert session.adjust(-5) is True
        assert session.view().remaining == 1.5 + ADJUST_STEP - 5

    def test_removing_more_than_is_left_ends_the_rest(self, clock) -> None:
        plan, session = self.at_rest(clock)
        session.take_events()
        assert session.adjust(-ADJUST_STEP) is True
        view = session.view()
        assert view.step == plan.steps[5]  # "Up" of rep 2
        assert view.elapsed == 0
        [event] = session.take_events()
        assert (event.previous.kind, event.reason) == (StepKind.REP_REST, Reason.TIME)

    def test_removing_the_rest_while_paused_ends_it_and_stays_paused(self, clock) -> None:
        plan, session = self.at_rest(clock)
        session.pause()
        assert session.adjust(-ADJUST_STEP) is True
        clock.advance(20)
        view = session.view()
        assert view.state is State.PAUSED
        assert (view.step, view.elapsed) == (plan.steps[5], 0)
        session.resume()
        clock.advance(0.25)
        assert session.view().remaining == 0.75

    def test_adjust_while_paused(self, clock) -> None:
        _, session = self.at_rest(clock)
        session.pause()
        assert session.adjust(ADJUST_STEP) is True
        clock.advance(100)
        view = session.view()
        assert (view.state, view.remaining) == (State.PAUSED, 1.5 + ADJUST_STEP)

    def test_not_during_holds_or_moves(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(4.5)
        assert session.view().step.kind is StepKind.MOVE
        assert session.adjust(ADJUST_STEP) is False
        clock.advance(1)
        assert session.view().step.kind is StepKind.HOLD
        assert session.adjust(ADJUST_STEP) is False
        assert session.adjust(-ADJUST_STEP) is False
        view = session.view()
        assert (view.duration, view.remaining) == (3, 2.5)

    @pytest.mark.parametrize(
        ("at", "kind"),
        [(1, StepKind.READY), (17, StepKind.SET_REST), (27, StepKind.REP_REST)],
    )
    def test_every_kind_of_rest(self, clock, at: float, kind: StepKind) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(at)
        assert session.view().step.kind is kind
        assert session.adjust(ADJUST_STEP) is True

    def test_switch_and_exercise_rests_adjust(self, clock) -> None:
        plan = tiny_plan(exercise("a", sides=2, sets=1, reps=1), exercise("b", sets=1, reps=1))
        t0 = clock.now
        session = started(plan, clock)
        for kind in (StepKind.SWITCH, StepKind.EXERCISE_REST):
            step = find(plan, kind)
            clock.now = t0 + step.offset + 0.5
            assert session.view().step == step
            assert session.adjust(ADJUST_STEP) is True
            t0 += ADJUST_STEP

    def test_not_before_start_or_after_the_end(self, clock) -> None:
        plan = tiny_plan()
        session = Session(plan, clock)
        assert session.adjust(ADJUST_STEP) is False  # IDLE, on the READY step
        session.start()
        clock.advance(plan.total)
        assert session.adjust(ADJUST_STEP) is False

    def test_zero_changes_nothing(self, clock) -> None:
        _, session = self.at_rest(clock)
        assert session.adjust(0) is False

    def test_at_most_an_hour_more(self, clock) -> None:
        _, session = self.at_rest(clock)
        assert session.adjust(100_000) is True
        assert session.view().duration == 2 + 3600
        assert session.adjust(ADJUST_STEP) is False

    @pytest.mark.parametrize("move", ["skip", "back"])
    def test_the_extra_is_dropped_when_leaving_the_rest(self, clock, move: str) -> None:
        plan, session = self.at_rest(clock)
        session.adjust(ADJUST_STEP)
        getattr(session, move)()
        view = session.view()
        assert view.step == plan.steps[5 if move == "skip" else 3]
        assert view.duration == 1

    def test_the_extra_belongs_to_one_rest(self, clock) -> None:
        plan, session = self.at_rest(clock)
        session.adjust(ADJUST_STEP)
        clock.advance(1.5 + ADJUST_STEP)
        assert session.view().step == plan.steps[5]
        clock.advance(5.5)  # through "Up", hold, "Down", into the 5 s set rest
        view = session.view()
        assert view.step.kind is StepKind.SET_REST
        assert view.duration == 5


# --------------------------------------------------------------------------- stop


class TestStop:
    def test_stop_freezes_and_ignores_later_operations(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(6)
        session.stop()
        session.take_events()
        before = session.view()
        assert before.state is State.STOPPED
        clock.advance(100)
        for operation in (
            session.start,
            session.pause,
            session.resume,
            session.toggle_pause,
            session.skip,
            session.back,
        ):
            operation()
        assert session.adjust(ADJUST_STEP) is False
        assert session.view() == before
        assert before.active_time == 6
        assert session.take_events() == []

    def test_stop_while_paused_ends_at_the_pause(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(6)
        session.pause()
        clock.advance(30)
        session.stop()
        clock.advance(30)
        view = session.view()
        assert view.state is State.STOPPED
        assert (view.elapsed, view.active_time) == (1, 6)

    def test_stop_because_it_hurts(self, clock) -> None:
        session = started(tiny_plan(), clock)
        session.stop(hurt=True)
        assert session.hurt is True
        assert session.snapshot().hurt is True

    def test_stop_twice_keeps_the_first(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(2)
        session.stop()
        clock.advance(2)
        session.stop(hurt=True)
        assert session.view().elapsed == 2
        assert session.hurt is False


# --------------------------------------------------------------------------- events


class TestEvents:
    def test_one_transition_per_phase_change_by_time(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(11.5)
        events = session.take_events()
        assert [(e.previous.index, e.step.index) for e in events] == [
            (0, 1),
            (1, 2),
            (2, 3),
            (3, 4),
            (4, 5),
        ]
        assert {e.reason for e in events} == {Reason.TIME}
        assert session.take_events() == []

    def test_reasons(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(4)
        session.skip()
        session.back()
        clock.advance(0.5)
        assert [(e.step.index, e.reason) for e in session.take_events()] == [
            (1, Reason.TIME),
            (2, Reason.SKIP),
            (1, Reason.BACK),
        ]

    def test_new_exercise_flag(self, clock) -> None:
        plan = tiny_plan(exercise("a", sets=1, reps=1), exercise("b", sets=1, reps=1))
        session = started(plan, clock)
        clock.advance(plan.total)
        flagged = [e.step.kind for e in session.take_events() if e.new_exercise]
        assert flagged == [StepKind.EXERCISE_REST, StepKind.DONE]

    def test_finishing_is_a_transition_to_done(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(plan.total)
        last = session.take_events()[-1]
        assert (last.previous.index, last.step.kind, last.reason) == (
            15,
            StepKind.DONE,
            Reason.TIME,
        )


# --------------------------------------------------------------------------- both sides


def test_leg_lifts_session_switches_sides(routines: RoutinesFile, clock) -> None:
    plan = plan_for(routines, "full")
    legs = plan.exercises[2]
    t0 = clock.now
    session = started(plan, clock)
    clock.now = t0 + plan.steps[legs.first_step].offset
    session.take_events()
    clock.advance(legs.duration)  # through all of leg lifts, polled once
    events = [e for e in session.take_events() if e.previous.exercise_id == "leg-lifts"]
    sides = [e.step.side for e in events if e.step.kind is StepKind.MOVE and e.step.cue_index == 0]
    assert sides == [Side.LEFT] * 30 + [Side.RIGHT] * 30
    [switch] = [e for e in events if e.step.kind is StepKind.SWITCH]
    assert (switch.previous.side, switch.previous.set, switch.previous.rep) == (Side.LEFT, 3, 10)
    assert (switch.step.side.label, switch.step.text) == ("Right side", "Switch sides")
    after = events[events.index(switch) + 1].step
    assert (after.side, after.set, after.rep, after.text) == (
        Side.RIGHT,
        1,
        1,
        "Raise your top leg",
    )
    result = next(r for r in session.results() if r.id == "leg-lifts")
    assert (result.sets_done, result.reps_done) == (6, 60)


# --------------------------------------------------------------------------- full-routine timing


class TestFullRoutineTiming:
    #: Pauses as (seconds of routine done when pausing, seconds paused). Not on step edges,
    #: and not inside a hold (an interrupted hold starts again: see TestInterruptedHold).
    PAUSES = ((333.3, 61.7), (1234.5, 600.0), (2003.1, 0.4))

    def expected_start(self, start: float, step: Step) -> float:
        """When ``step`` starts: its offset plus every pause before it."""
        return start + step.offset + sum(gap for at, gap in self.PAUSES if at < step.offset)

    def test_polled_every_7_3_s_with_pauses(self, routines: RoutinesFile, make_clock) -> None:
        plan = plan_for(routines, "full")
        start = 1000.0
        clock = make_clock(start)
        session = started(plan, clock)
        actions: list[tuple[float, str]] = []
        pause_walls: list[tuple[float, float]] = []  # (wall time of the pause, its length)
        shift = 0.0
        for at, gap in self.PAUSES:
            pause_walls.append((start + at + shift, gap))
            actions += [(start + at + shift, "pause"), (start + at + shift + gap, "resume")]
            shift += gap
        end = start + plan.total + shift
        actions += [(start + 7.3 * k, "poll") for k in range(1, int((end - start) / 7.3) + 3)]
        events = []
        seen: set[int] = set()
        for when, what in sorted(actions):
            clock.now = when
            if what == "pause":
                session.pause()
            elif what == "resume":
                session.resume()
            view = session.view()
            events += session.take_events()
            if view.state is State.RUNNING:
                # Where the routine is = wall time minus the pauses so far, to the nanosecond.
                active = when - start - sum(g for w, g in pause_walls if w + g <= when)
                assert view.step.offset + view.elapsed == pytest.approx(active, abs=1e-9)
                assert view.active_time == pytest.approx(active, abs=1e-9)
                here = view.step.offset
                if not any(here < at <= here + view.elapsed + 1e-6 for at, _ in self.PAUSES):
                    # Not paused since it began: the step started at its offset + earlier pauses.
                    assert when - view.elapsed == pytest.approx(
                        self.expected_start(start, view.step), abs=1e-9
                    )
                    seen.add(view.step.index)
        assert view.state is State.FINISHED
        # Every step happened, in order, each ended by time: none lost between two polls.
        assert [(e.previous.index, e.step.index) for e in events] == [
            (i, i + 1) for i in range(len(plan) - 1)
        ]
        assert {e.reason for e in events} == {Reason.TIME}
        assert view.active_time == pytest.approx(plan.total, abs=1e-9)
        assert view.paused_time == pytest.approx(sum(g for _, g in self.PAUSES), abs=1e-9)
        assert len(seen) > 200  # step starts were checked on many steps, not a handful
        assert len(seen) < len(plan) - 1  # and polls were rare enough to miss some steps

    def test_one_look_after_1000_s(self, routines: RoutinesFile, make_clock) -> None:
        plan = plan_for(routines, "full")
        clock = make_clock(5000.0)
        session = started(plan, clock)
        clock.advance(1000)
        view = session.view()
        current = max((s for s in plan.steps if s.offset <= 1000), key=lambda s: s.index)
        assert view.step == current
        assert view.elapsed == 1000 - current.offset
        assert len(session.take_events()) == current.index
        assert view.progress == 1000 / plan.total
        assert view.time_left == plan.total - 1000

    def test_seldom_and_often_agree(self, routines: RoutinesFile, make_clock) -> None:
        plan = plan_for(routines, "quick-core")
        often_clock, seldom_clock = make_clock(0.0), make_clock(0.0)
        often, seldom = started(plan, often_clock), started(plan, seldom_clock)
        for k in range(1, plan.total // 97 + 2):
            target = k * 97.25
            while often_clock.now + 0.25 <= target:
                often_clock.advance(0.25)
                often.view()
            often_clock.now = seldom_clock.now = target
            assert seldom.view() == often.view()
        assert seldom.take_events() == often.take_events()


# --------------------------------------------------------------------------- results


class TestResults:
    def test_nothing_done_before_start(self, clock) -> None:
        [result] = Session(tiny_plan(), clock).results()
        assert (result.sets_done, result.sets, result.reps_done, result.reps) == (0, 2, 0, 4)

    def test_rep_counts_only_when_its_hold_ran_to_the_end(self, clock) -> None:
        plan = tiny_plan()
        t0 = clock.now
        session = started(plan, clock)
        clock.now = t0 + 7.75  # 0.25 s before the end of hold 1
        session.skip()  # hold 1 skipped: rep 1 does not count
        assert session.view().step.text == "Down"
        assert session.results()[0].reps_done == 0
        session.skip()  # "Down" -> the rest
        session.skip()  # the rest -> "Up" of rep 2
        clock.advance(1 + 2.75)
        assert session.results()[0].reps_done == 0  # hold 2 has 0.25 s to go
        clock.advance(0.25)  # hold 2 ran to its end
        assert session.results()[0].reps_done == 1
        session.skip()  # skipping "Down" after a full hold keeps the rep
        assert session.results()[0].reps_done == 1

    def test_back_then_full_hold_counts(self, clock) -> None:
        plan = tiny_plan()
        t0 = clock.now
        session = started(plan, clock)
        clock.now = t0 + 6
        session.back()  # hold abandoned
        clock.advance(1 + 3)  # "Up" again, then the whole hold
        assert session.results()[0].reps_done == 1

    def test_without_a_hold_the_last_cue_counts(self, clock) -> None:
        plan = tiny_plan(exercise(hold=0, sets=1, reps=2))
        session = started(plan, clock)
        clock.advance(4 + 1 + 0.5)
        assert session.results()[0].reps_done == 0
        clock.advance(0.5)
        assert session.results()[0].reps_done == 1

    def test_full_routine_all_done(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        session = started(plan, clock)
        clock.advance(plan.total)
        results = {r.id: r for r in session.results()}
        assert results["leg-lifts"].sets_done == results["leg-lifts"].sets == 6
        assert results["leg-lifts"].reps_done == results["leg-lifts"].reps == 60
        for ex in routines.exercises:
            r = results[ex.id]
            assert (r.sets_done, r.reps_done) == (ex.sets * ex.sides, ex.sets * ex.reps * ex.sides)

    def test_stopped_half_way(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        t0 = clock.now
        session = started(plan, clock)
        # Bridges: set 2, rep 4 has just started; 15 + 3 reps are done.
        clock.now = t0 + find(plan, StepKind.MOVE, exercise_id="bridges", set=2, rep=4).offset
        session.stop()
        bridges = session.results()[0]
        assert (bridges.sets_done, bridges.reps_done) == (1, 18)
        assert all(r.reps_done == 0 for r in session.results()[1:])

    def test_skipping_everything_counts_nothing(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        for _ in range(len(plan)):
            session.skip()
        assert session.view().state is State.FINISHED
        assert session.results()[0].reps_done == 0


# --------------------------------------------------------------------------- display helpers


class TestDisplay:
    @pytest.mark.parametrize(
        ("elapsed", "shown", "until"),
        [(0, 4, 1.0), (0.25, 4, 0.75), (1, 3, 1.0), (1.75, 3, 0.25), (3.5, 1, 0.5)],
    )
    def test_seconds_shown_round_up(self, clock, elapsed, shown, until) -> None:
        session = started(tiny_plan(), clock)  # READY: 4 s
        clock.advance(elapsed)
        view = session.view()
        assert view.seconds_shown == shown
        assert view.until_display_changes == until
        # Just before the predicted change the number is the same; at it, it changes.
        clock.advance(until - 0.125)
        assert session.view().seconds_shown == shown
        clock.advance(0.125)
        later = session.view()
        assert later.seconds_shown == shown - 1 or later.step.index == 1

    def test_seconds_shown_when_not_running(self, clock) -> None:
        plan = tiny_plan()
        session = Session(plan, clock)
        assert session.view().seconds_shown == 4
        assert session.view().until_display_changes == math.inf
        session.start()
        clock.advance(plan.total)
        view = session.view()
        assert (view.seconds_shown, view.until_display_changes) == (0, math.inf)


# --------------------------------------------------------------------------- interrupted holds


class TestInterruptedHold:
    """A hold that was interrupted is done again whole, after a lead-in; a rest is not."""

    def test_resume_inside_a_hold_restarts_it_whole_after_the_lead_in(self, clock) -> None:
        plan = tiny_plan()
        hold = plan.steps[2]  # 5-8
        session = started(plan, clock)
        clock.advance(6.5)  # 1.5 s into the 3 s hold
        session.pause()
        session.take_events()
        clock.advance(42)
        session.resume()
        view = session.view()
        assert view.state is State.LEAD_IN
        assert (view.step.kind, view.step.text) == (StepKind.READY, "Get back into position")
        assert view.next == hold
        assert (view.remaining, view.seconds_shown) == (LEAD_IN, LEAD_IN)
        clock.advance(LEAD_IN)
        view = session.view()
        assert (view.state, view.step, view.elapsed, view.remaining) == (
            State.RUNNING,
            hold,
            0,
            hold.duration,
        )
        assert [e.reason for e in session.take_events()] == [Reason.LEAD_IN]
        clock.advance(hold.duration - 0.25)
        assert session.view().step == hold
        clock.advance(0.25)
        assert session.view().step.text == "Down"
        assert session.results()[0].reps_done == 1  # the whole hold was done: the rep counts

    def test_pause_during_that_lead_in_keeps_its_time(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(6.5)
        session.pause()
        session.resume()
        clock.advance(2)
        session.pause()
        clock.advance(100)
        session.resume()  # the lead-in goes on (3 s left); it is not started again
        view = session.view()
        assert (view.state, view.remaining) == (State.LEAD_IN, LEAD_IN - 2)
        clock.advance(LEAD_IN - 2)
        view = session.view()
        assert (view.state, view.step.kind, view.elapsed) == (State.RUNNING, StepKind.HOLD, 0)

    def test_a_hold_paused_as_it_begins_just_continues(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(5)  # the hold starts now: nothing of it was done yet
        session.pause()
        clock.advance(10)
        session.resume()
        view = session.view()
        assert (view.state, view.step.kind, view.remaining) == (State.RUNNING, StepKind.HOLD, 3)

    def test_a_snapshot_in_the_lead_in_saves_the_hold_from_its_start(self, clock) -> None:
        session = started(tiny_plan(), clock)
        clock.advance(6.5)
        session.pause()
        session.resume()
        clock.advance(1)
        snap = session.snapshot()
        assert (snap.kind, snap.elapsed, snap.state) == (StepKind.HOLD, 0, State.RUNNING)

    @pytest.mark.parametrize("lead_in", [0, LEAD_IN])
    def test_restored_inside_a_hold_it_starts_whole(self, clock, lead_in: int) -> None:
        plan = tiny_plan()
        hold = plan.steps[2]
        snap = snapshot_at(plan, clock, hold, 2.5)  # 2.5 s into the 3 s hold
        restored, note = Session.restore(plan, snap, clock, lead_in=lead_in)
        assert note is None
        clock.advance(lead_in)
        view = restored.view()
        assert (view.state, view.step, view.elapsed, view.remaining) == (
            State.RUNNING,
            hold,
            0,
            3,
        )

    def test_restored_inside_a_rest_it_keeps_the_time_left(self, clock) -> None:
        plan = tiny_plan()
        rest = plan.steps[8]  # the set rest, 16-21
        assert rest.kind is StepKind.SET_REST
        snap = snapshot_at(plan, clock, rest, 3.5)
        restored, _ = Session.restore(plan, snap, clock, lead_in=LEAD_IN)
        clock.advance(LEAD_IN)
        view = restored.view()
        assert (view.step, view.remaining) == (rest, 1.5)


# --------------------------------------------------------------------------- snapshot and restore


def snapshot_at(plan: Plan, clock, step: Step, seconds_in: float) -> SessionSnapshot:
    session = started(plan, clock)
    clock.advance(step.offset + seconds_in)
    assert session.view().step == step
    return session.snapshot()


class TestRestore:
    def test_same_plan_continues_at_the_same_instant(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        hold = find(plan, StepKind.SET_REST, exercise_id="bridges", set=2)
        original = started(plan, clock)
        clock.advance(hold.offset + 4.5)
        snap = original.snapshot()
        restored, note = Session.restore(plan, snap, clock)
        assert note is None
        assert restored.view() == original.view()
        clock.advance(123.25)
        assert restored.view() == original.view()
        assert restored.results() == original.results()

    def test_survives_json(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        step = find(plan, StepKind.REP_REST, exercise_id="leg-lifts", side=Side.RIGHT, set=2, rep=7)
        original = started(plan, clock)
        clock.advance(step.offset + 0.5)
        original.pause()
        clock.advance(8)
        snap = original.snapshot()
        text = snap.model_dump_json()
        again = SessionSnapshot.model_validate_json(text)
        assert again == snap
        restored, note = Session.restore(plan, again, clock)
        assert note is None
        assert restored.view() == original.view()
        assert restored.state is State.PAUSED
        clock.advance(5)
        restored.resume()
        original.resume()
        clock.advance(0.5)
        assert restored.view() == original.view()
        assert restored.results() == original.results()

    def test_paused_can_be_overridden(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        session = started(plan, clock)
        clock.advance(30)
        session.pause()
        restored, _ = Session.restore(plan, session.snapshot(), clock, paused=False)
        assert restored.state is State.RUNNING

    def test_finished_stays_finished(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(plan.total)
        restored, note = Session.restore(plan, session.snapshot(), clock, lead_in=LEAD_IN)
        assert note is None
        assert restored.view().state is State.FINISHED
        assert restored.results() == session.results()

    def test_fewer_reps_clamps_with_a_note(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        hold = find(plan, StepKind.HOLD, exercise_id="bridges", set=2, rep=14)
        snap = snapshot_at(plan, clock, hold, 4)
        routines.exercise("bridges").reps = 10
        changed = plan_for(routines, "full")
        restored, note = Session.restore(changed, snap, clock)
        assert note is not None and display.restore_note(note) == (
            "Bridges changed since you stopped (now 3 sets of 10); continuing at set 2, rep 10"
        )
        view = restored.view()
        assert view.step == find(changed, StepKind.MOVE, exercise_id="bridges", set=2, rep=10)
        assert (view.state, view.elapsed) == (State.RUNNING, 0)

    def test_fewer_sets_on_the_right_side(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        hold = find(plan, StepKind.HOLD, exercise_id="leg-lifts", side=Side.RIGHT, set=3, rep=4)
        snap = snapshot_at(plan, clock, hold, 1)
        routines.exercise("leg-lifts").sets = 2
        changed = plan_for(routines, "full")
        restored, note = Session.restore(changed, snap, clock)
        assert note is not None and display.restore_note(note) == (
            "Lying lateral leg lifts changed since you stopped (now 2 sets of 10); "
            "continuing at right side, set 2, rep 4"
        )
        step = restored.view().step
        assert (step.exercise_id, step.side, step.set, step.rep, step.cue_index) == (
            "leg-lifts",
            Side.RIGHT,
            2,
            4,
            0,
        )

    def test_unrelated_change_keeps_the_position(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        hold = find(plan, StepKind.MOVE, exercise_id="partial-curls", set=2, rep=5, cue_index=0)
        snap = snapshot_at(plan, clock, hold, 2.5)
        routines.exercise("bridges").hold = 12
        changed = plan_for(routines, "full")
        assert changed.fingerprint != plan.fingerprint
        restored, note = Session.restore(changed, snap, clock)
        assert note is None
        view = restored.view()
        assert view.step.key == hold.key
        assert view.elapsed == 2.5

    def test_removed_exercise_is_an_error(self, routines: RoutinesFile, clock) -> None:
        plan = plan_for(routines, "full")
        hold = find(plan, StepKind.HOLD, exercise_id="draw-in", rep=2)
        snap = snapshot_at(plan, clock, hold, 1)
        routines.routine("full").exercises.remove("draw-in")
        changed = plan_for(routines, "full")
        with pytest.raises(RestoreError) as caught:
            Session.restore(changed, snap, clock)
        assert caught.value.problem is RestoreProblem.EXERCISE_GONE
        assert display.restore_problem(caught.value) == (
            "the saved session was at 'Draw-in maneuvers', which is no longer in "
            "'Full lower-back routine'; start the routine over"
        )

    def test_other_routine_is_an_error(self, routines: RoutinesFile, clock) -> None:
        full = plan_for(routines, "full")
        snap = snapshot_at(full, clock, full.steps[3], 1)
        with pytest.raises(RestoreError) as caught:
            Session.restore(plan_for(routines, "quick-core"), snap, clock)
        assert caught.value.problem is RestoreProblem.OTHER_ROUTINE
        assert (
            display.restore_problem(caught.value)
            == "the saved session is for routine 'full', not 'quick-core'"
        )


class TestLeadIn:
    def restored(self, clock, lead_in: float = LEAD_IN) -> tuple[Plan, Session, Step]:
        plan = tiny_plan()
        rest = plan.steps[8]
        snap = snapshot_at(plan, clock, rest, 1)  # 1 s into the 5 s set rest
        session, note = Session.restore(plan, snap, clock, lead_in=lead_in)
        assert note is None
        return plan, session, rest

    def test_lead_in_then_the_step_continues(self, clock) -> None:
        _, session, rest = self.restored(clock)
        view = session.view()
        assert view.state is State.LEAD_IN
        assert (view.step.kind, view.step.text) == (StepKind.READY, "Get back into position")
        assert view.next == rest
        assert (view.duration, view.remaining, view.seconds_shown) == (LEAD_IN, LEAD_IN, LEAD_IN)
        clock.advance(LEAD_IN - 0.25)
        assert session.view().state is State.LEAD_IN
        clock.advance(0.25)
        view = session.view()
        assert (view.state, view.step, view.elapsed) == (State.RUNNING, rest, 1)
        [event] = session.take_events()
        assert (event.step, event.reason) == (rest, Reason.LEAD_IN)
        clock.advance(4)  # the rest ends exactly lead-in + 4 s after the restore
        assert session.view().step.text == "Up"

    def test_lead_in_of_another_length(self, clock) -> None:
        _, session, _ = self.restored(clock, lead_in=3)
        view = session.view()
        assert (view.duration, view.elapsed, view.remaining) == (3, 0, 3)
        assert view.step.duration == 3
        clock.advance(3)
        assert session.view().state is State.RUNNING

    def test_skip_ends_the_lead_in_not_the_step(self, clock) -> None:
        _, session, rest = self.restored(clock)
        clock.advance(1)
        session.skip()
        view = session.view()
        assert (view.state, view.step, view.elapsed) == (State.RUNNING, rest, 1)
        assert [e.reason for e in session.take_events()] == [Reason.LEAD_IN]

    def test_pause_during_the_lead_in(self, clock) -> None:
        _, session, rest = self.restored(clock)
        clock.advance(4)
        session.pause()
        clock.advance(60)
        view = session.view()
        assert view.state is State.PAUSED
        assert view.step.kind is StepKind.READY  # still the lead-in, with 1 s left
        assert view.remaining == 1
        snap = session.snapshot()  # the lead-in is not part of the saved position
        assert (snap.kind, snap.elapsed, snap.state) == (StepKind.SET_REST, 1, State.PAUSED)
        assert session.adjust(-ADJUST_STEP) is False
        session.resume()
        assert session.view().state is State.LEAD_IN
        clock.advance(1)
        view = session.view()
        assert (view.state, view.step, view.elapsed) == (State.RUNNING, rest, 1)

    def test_snapshot_during_the_lead_in_saves_the_position(self, clock) -> None:
        _, session, _ = self.restored(clock)
        clock.advance(2)
        snap = session.snapshot()
        assert (snap.state, snap.kind, snap.elapsed) == (State.RUNNING, StepKind.SET_REST, 1)

    def test_back_during_the_lead_in(self, clock) -> None:
        plan, session, _ = self.restored(clock)
        session.back()
        view = session.view()
        assert (view.state, view.step, view.elapsed) == (State.RUNNING, plan.steps[7], 0)

    def test_restored_paused_with_lead_in(self, clock) -> None:
        plan = tiny_plan()
        session = started(plan, clock)
        clock.advance(6)
        session.pause()
        restored, _ = Session.restore(plan, session.snapshot(), clock, lead_in=LEAD_IN)
        clock.advance(100)
        view = restored.view()
        assert (view.state, view.step.kind, view.remaining) == (
            State.PAUSED,
            StepKind.READY,
            LEAD_IN,
        )
        restored.resume()
        clock.advance(LEAD_IN)
        view = restored.view()
        assert (view.state, view.step, view.elapsed) == (State.RUNNING, plan.steps[2], 0)


# --------------------------------------------------------------------------- review fixes


def test_the_rep_bar_fills_once_the_hold_is_done(routines: RoutinesFile, clock) -> None:
    """During "Lower your hips" of rep 15 of 15 the rep is done: the bar is full, not 14/15."""
    plan = plan_for(routines, "full")
    lower = find(plan, StepKind.MOVE, exercise_id="bridges", set=1, rep=15, cue_index=2)
    hold = find(plan, StepKind.HOLD, exercise_id="bridges", set=1, rep=15)
    session = started(plan, clock)
    clock.advance(hold.offset + 1)
    assert session.view().rep_progress == pytest.approx(14 / 15)
    clock.advance(lower.offset - hold.offset)
    assert session.view().step == lower
    assert session.view().rep_progress == 1.0


def test_restore_on_fewer_sets_forgets_reps_the_plan_no_longer_has(
    routines: RoutinesFile, clock
) -> None:
    plan = plan_for(routines, "full")
    hold = find(plan, StepKind.HOLD, exercise_id="bridges", set=3, rep=5)
    snap = snapshot_at(plan, clock, hold, 1.0)
    assert sum(1 for key in snap.done_reps if key[0] == "bridges") == 34
    bridges = routines.exercise("bridges").model_copy(update={"sets": 2})
    fewer = routines.model_copy(
        update={"exercises": [bridges, *[e for e in routines.exercises if e.id != "bridges"]]}
    )
    restored, note = Session.restore(plan_for(fewer, "full"), snap, clock)
    assert note is not None and "now 2 sets of 15" in display.restore_note(note)
    (bridges_result,) = [r for r in restored.results() if r.id == "bridges"]
    assert bridges_result.reps_done <= bridges_result.reps == 30
