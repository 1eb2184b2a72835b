"""The session state machine: where a person is in a plan, at any instant of an injected clock.

Time is never counted. The session keeps the clock reading at which the current step started;
when the clock passes the end of the step, the next step starts exactly at that end (not when
somebody noticed), so a full routine starts each step at the sum of the earlier durations plus
the pauses, however late or seldom the session is asked.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from trainer.engine.plan import SIDES_BY_COUNT, Plan, Side, Step, StepKind
from trainer.programme.schema import ReadText

Clock = Callable[[], float]

#: How much one press of +/- changes a rest.
ADJUST_STEP = 10
#: Seconds of "get back into position" before a restored session continues, and before an
#: interrupted hold starts again.
LEAD_IN = 5

SNAPSHOT_VERSION = 1


class State(StrEnum):
    IDLE = "idle"  # built, not started
    LEAD_IN = "lead_in"  # a short countdown before a restored session continues
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"

    @property
    def is_over(self) -> bool:
        return self in (State.FINISHED, State.STOPPED)


class Reason(StrEnum):
    TIME = "time"
    SKIP = "skip"
    BACK = "back"
    LEAD_IN = "lead_in"


@dataclass(frozen=True, slots=True)
class Transition:
    """A phase change: what the UI turns into a bell, a title and a notification."""

    previous: Step
    step: Step
    reason: Reason

    @property
    def new_exercise(self) -> bool:
        return self.step.exercise_index != self.previous.exercise_index or (
            self.step.kind is StepKind.DONE
        )


@dataclass(frozen=True, slots=True)
class View:
    """Everything the screen shows, at one instant."""

    state: State
    step: Step
    #: The next step of a different phase ("Next: rest 60 s"), None at the end.
    next: Step | None
    elapsed: float
    duration: float
    remaining: float
    #: 0..1 while holding, else 0.
    hold_progress: float
    #: Reps finished in the current set, 0..1.
    rep_progress: float
    #: Sets finished (on this side), 0..1.
    set_progress: float
    #: The whole routine, 0..1.
    progress: float
    #: Seconds left in the whole routine (current step included, no pauses).
    time_left: float
    #: Seconds spent in the session, pauses excluded.
    active_time: float
    #: Seconds paused.
    paused_time: float

    @property
    def seconds_shown(self) -> int:
        """The countdown as displayed: whole seconds, rounded up (3.2 s left shows 4)."""
        return math.ceil(self.remaining - 1e-9) if self.remaining > 0 else 0

    @property
    def until_display_changes(self) -> float:
        """Seconds until :attr:`seconds_shown` changes (or the step ends)."""
        if self.state is not State.RUNNING and self.state is not State.LEAD_IN:
            return math.inf
        if self.remaining <= 0:
            return 0.0
        return self.remaining - (self.seconds_shown - 1)


class SessionSnapshot(BaseModel):
    """A position in a plan that another process can restore days later."""

    model_config = ConfigDict(extra="forbid", defer_build=True, allow_inf_nan=False)

    version: int = Field(default=SNAPSHOT_VERSION, ge=1, le=SNAPSHOT_VERSION)
    # Text read back from session.json: control characters show as escapes (see ReadText).
    routine_id: ReadText
    routine_name: ReadText
    plan_fingerprint: ReadText
    state: State
    step_index: int = Field(ge=0)
    exercise_id: ReadText
    exercise_name: ReadText
    side: Side
    set: int = Field(ge=1)
    rep: int = Field(ge=1)
    cue_index: int = Field(ge=-1)
    kind: StepKind
    elapsed: float = Field(ge=0)
    extra: float = 0.0
    active_time: float = Field(default=0.0, ge=0)
    paused_time: float = Field(default=0.0, ge=0)
    done_reps: list[tuple[ReadText, Side, int, int]] = Field(default_factory=list)
    hurt: bool = False
    saved_at: datetime | None = None
    started_at: datetime | None = None


class RestoreProblem(StrEnum):
    OTHER_ROUTINE = "other_routine"  # the snapshot is of another routine
    EXERCISE_GONE = "exercise_gone"  # its exercise is no longer in the routine


class RestoreError(Exception):
    """A saved session cannot be continued on this plan (structured: the words are the UI's)."""

    def __init__(self, problem: RestoreProblem, *, snapshot: SessionSnapshot, plan: Plan) -> None:
        self.problem = problem
        self.snapshot = snapshot
        self.plan = plan
        super().__init__(problem.value)


@dataclass(frozen=True, slots=True)
class RestoreNote:
    """Why a restored session does not continue exactly where it stopped: its exercise changed
    (now ``sets`` of ``reps``), so it continues at ``step``, the nearest work step."""

    exercise_name: str
    sets: int
    reps: int
    step: Step


@dataclass(frozen=True, slots=True)
class HurtPlace:
    """Where the session was when "it hurts" stopped it (data only: the UI words it)."""

    exercise_id: str
    side: Side
    set: int
    rep: int
    #: The kind of step that was running (a hold, a rest between reps, ...).
    kind: StepKind


@dataclass(frozen=True, slots=True)
class ExerciseResult:
    id: str
    name: str
    sets_done: int
    sets: int
    reps_done: int
    reps: int


class Session:
    def __init__(self, plan: Plan, clock: Clock) -> None:
        if not plan.steps:
            raise ValueError("a plan has at least its DONE step")
        self.plan = plan
        self._clock = clock
        self.state = State.IDLE
        self._index = 0
        self._step_start = 0.0
        self._extra = 0.0
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._started = 0.0
        self._base_active = 0.0  # active seconds carried over from a restored snapshot
        self._base_paused = 0.0
        self._ended_at: float | None = None
        self._lead_in_until: float | None = None
        self._lead_in_elapsed = 0.0  # where the step continues once the lead-in ends
        self._lead_in_length = float(LEAD_IN)
        self._paused_state = State.RUNNING  # what resume returns to
        self._done_reps: set[tuple[str, Side, int, int]] = set()
        self._events: list[Transition] = []
        self.hurt = False
        #: Where "it hurts" stopped the session (None if it did not).
        self.hurt_at: HurtPlace | None = None

    # ------------------------------------------------------------------ queries

    @property
    def index(self) -> int:
        self._advance()
        return self._index

    @property
    def step(self) -> Step:
        self._advance()
        return self.plan.steps[self._index]

    def take_events(self) -> list[Transition]:
        """Phase changes since the last call (the UI rings once per batch)."""
        self._advance()
        events, self._events = self._events, []
        return events

    def view(self) -> View:
        self._advance()
        now = self._now_frozen()
        step = self.plan.steps[self._index]
        if self._lead_in_until is not None and self.state in (State.LEAD_IN, State.PAUSED):
            return self._lead_in_view(now, step)
        duration = self._duration()
        elapsed = max(0.0, now - self._step_start) if self.state is not State.IDLE else 0.0
        if self.state is State.FINISHED:
            elapsed = 0.0
        remaining = max(0.0, duration - elapsed)
        hold = 0.0
        if step.kind is StepKind.HOLD and duration > 0:
            hold = min(1.0, elapsed / duration)
        nominal = step.duration
        done_time = step.offset + min(elapsed, nominal)
        total = self.plan.total
        progress = (
            1.0 if self.state is State.FINISHED or total == 0 else min(1.0, done_time / total)
        )
        time_left = remaining + (total - step.offset - nominal)
        return View(
            state=self.state,
            step=step,
            next=self.plan.next_phase(self._index),
            elapsed=elapsed,
            duration=duration,
            remaining=remaining,
            hold_progress=hold,
            rep_progress=step.reps_fraction,
            set_progress=step.sets_fraction,
            progress=progress,
            time_left=max(0.0, time_left),
            active_time=self._active_time(now),
            paused_time=self._paused_time(now),
        )

    def results(self) -> list[ExerciseResult]:
        """Sets and reps done per exercise (a rep counts when its hold ran to the end)."""
        self._advance()
        out = []
        for ex in self.plan.exercises:
            mine = [key for key in self._done_reps if key[0] == ex.id]
            per_set: dict[tuple[Side, int], int] = {}
            for _, side, set_no, _rep in mine:
                per_set[(side, set_no)] = per_set.get((side, set_no), 0) + 1
            full_sets = sum(1 for n in per_set.values() if n >= ex.reps)
            out.append(
                ExerciseResult(
                    id=ex.id,
                    name=ex.name,
                    sets_done=full_sets,
                    sets=ex.sets * ex.sides,
                    reps_done=len(mine),
                    reps=ex.reps * ex.sets * ex.sides,
                )
            )
        return out

    # ------------------------------------------------------------------ operations

    def start(self) -> None:
        if self.state is not State.IDLE:
            return
        now = self._clock()
        self._started = now
        self._step_start = now
        self.state = State.RUNNING

    @property
    def clock(self) -> Clock:
        """The monotonic clock this session runs on."""
        return self._clock

    def pause(self, at: float | None = None) -> None:
        """Pause now, or as of the earlier clock reading ``at``.

        ``at`` is for a gap in which nobody could run the session (the process was stopped, the
        machine suspended): the session stops where it was at ``at``, nothing after ``at`` counts
        as done, and the whole gap counts as paused time. ``at`` is never taken earlier than the
        start of the current step, nor later than now.
        """
        now = self._clock()
        when = now if at is None else min(at, now)
        self._advance(when)
        if self.state in (State.RUNNING, State.LEAD_IN):
            if at is not None:
                when = max(when, self._step_start)
            self._paused_at = when
            self._paused_state = self.state
            self.state = State.PAUSED

    def resume(self) -> None:
        """Continue after a pause. A rest keeps the time it had left; an interrupted hold is
        done again whole, after a :data:`LEAD_IN` to get back into position."""
        if self.state is not State.PAUSED or self._paused_at is None:
            return
        now = self._clock()
        gap = now - self._paused_at
        interrupted = self._lead_in_until is None and self._interrupted_hold(self._paused_at)
        self._paused_total += gap
        self._step_start += gap
        if self._lead_in_until is not None:
            self._lead_in_until += gap
        self.state = self._paused_state
        self._paused_at = None
        if interrupted:
            self._start_lead_in(now, LEAD_IN, elapsed=0.0)
        self._advance()

    def toggle_pause(self) -> None:
        if self.state is State.PAUSED:
            self.resume()
        else:
            self.pause()

    def skip(self) -> None:
        """Go to the next step now (what is skipped does not count as done)."""
        self._advance()
        if self.state not in (State.RUNNING, State.PAUSED, State.LEAD_IN):
            return
        if self._lead_in_until is not None:
            self._end_lead_in(self._now_frozen())
            return
        if self._index >= len(self.plan.steps) - 1:
            return
        self._jump(self._index + 1, Reason.SKIP)

    def back(self) -> None:
        """Go to the previous step, from its start."""
        self._advance()
        if self.state not in (State.RUNNING, State.PAUSED, State.LEAD_IN) or self._index == 0:
            return
        self._lead_in_until = None
        self._paused_state = State.RUNNING
        if self.state is State.LEAD_IN:
            self.state = State.RUNNING
        self._jump(self._index - 1, Reason.BACK)

    def adjust(self, seconds: float = ADJUST_STEP) -> bool:
        """Add (or with a negative number, remove) seconds of the current rest.

        Only rests change; removing more than is left ends the rest now. Returns whether
        anything changed.
        """
        self._advance()
        step = self.plan.steps[self._index]
        if not step.kind.is_rest or self.state not in (State.RUNNING, State.PAUSED):
            return False
        if self._lead_in_until is not None:  # paused during a lead-in: the rest has not resumed
            return False
        now = self._now_frozen()
        elapsed = now - self._step_start
        new_duration = max(elapsed, step.duration + self._extra + seconds)
        new_duration = min(new_duration, step.duration + 3600)
        if new_duration == step.duration + self._extra:
            return False
        if new_duration <= elapsed:
            # Nothing left: the rest ends now, paused or not (the next step starts from 0).
            self._jump(self._index + 1, Reason.TIME)
            return True
        self._extra = new_duration - step.duration
        self._advance()
        return True

    def stop(self, *, hurt: bool = False) -> None:
        self._advance()
        if self.state.is_over:
            return
        if self.state is State.PAUSED and self._paused_at is not None:
            now = self._paused_at
        else:
            now = self._clock()
        self._close_pause()
        self._ended_at = now
        if hurt and not self.hurt:
            step = self.plan.steps[self._index]
            self.hurt_at = HurtPlace(step.exercise_id, step.side, step.set, step.rep, step.kind)
        self.hurt = self.hurt or hurt
        self.state = State.STOPPED

    # ------------------------------------------------------------------ snapshot

    def snapshot(
        self, saved_at: datetime | None = None, started_at: datetime | None = None
    ) -> SessionSnapshot:
        view = self.view()
        step = self.plan.steps[self._index]  # not view.step: during a lead-in that is "ready"
        state = self.state
        elapsed = view.elapsed
        if self._lead_in_until is not None:
            # The lead-in (running or paused) is not part of the position: save where it will
            # continue.
            elapsed = self._lead_in_elapsed
            if state is State.LEAD_IN:
                state = State.RUNNING
        return SessionSnapshot(
            routine_id=self.plan.routine_id,
            routine_name=self.plan.routine_name,
            plan_fingerprint=self.plan.fingerprint,
            state=state,
            step_index=step.index,
            exercise_id=step.exercise_id,
            exercise_name=step.exercise_name,
            side=step.side,
            set=step.set,
            rep=step.rep,
            cue_index=step.cue_index,
            kind=step.kind,
            elapsed=elapsed,
            extra=self._extra,
            active_time=view.active_time,
            paused_time=view.paused_time,
            done_reps=sorted(self._done_reps),
            hurt=self.hurt,
            saved_at=saved_at,
            started_at=started_at,
        )

    @classmethod
    def restore(
        cls,
        plan: Plan,
        snap: SessionSnapshot,
        clock: Clock,
        *,
        lead_in: float = 0,
        paused: bool | None = None,
    ) -> tuple[Session, RestoreNote | None]:
        """Continue a snapshot on ``plan``: the same step when it fits, the nearest when the
        routine changed (with a note saying so), or :class:`RestoreError` when it cannot."""
        if snap.routine_id != plan.routine_id:
            raise RestoreError(RestoreProblem.OTHER_ROUTINE, snapshot=snap, plan=plan)
        index, note = _locate(plan, snap)
        step = plan.steps[index]
        session = cls(plan, clock)
        now = clock()
        extra = snap.extra if step.kind.is_rest and note is None else 0.0
        duration = max(0.0, step.duration + extra)
        elapsed = min(snap.elapsed, duration) if note is None else 0.0
        if step.kind is StepKind.HOLD and not snap.state.is_over:
            elapsed = 0.0  # an interrupted hold is done again whole
        session._index = index
        session._extra = extra
        session._started = now
        session._base_active = snap.active_time
        session._base_paused = snap.paused_time
        session._step_start = now - elapsed
        # Only reps the plan still has (a routine edited down must not count 34 of 30).
        counted = {(s.exercise_id, s.side, s.set, s.rep) for s in plan.steps if s.completes_rep}
        session._done_reps = {
            (ex, side, set_no, rep)
            for ex, side, set_no, rep in snap.done_reps
            if (ex, side, set_no, rep) in counted
        }
        session.hurt = snap.hurt
        if snap.state.is_over or step.kind is StepKind.DONE:
            session.state = State.FINISHED if snap.state is not State.STOPPED else State.STOPPED
            session._ended_at = now
            return session, note
        session.state = State.RUNNING
        if lead_in > 0:
            session._start_lead_in(now, lead_in, elapsed=elapsed)
        want_paused = snap.state is State.PAUSED if paused is None else paused
        if want_paused:
            session.pause()
        return session, note

    # ------------------------------------------------------------------ internals

    def _now_frozen(self) -> float:
        """The clock, or the instant time stopped for this session (paused or over)."""
        if self.state is State.PAUSED and self._paused_at is not None:
            return self._paused_at
        if self.state.is_over and self._ended_at is not None:
            return self._ended_at
        return self._clock()

    def _duration(self) -> float:
        return max(0.0, self.plan.steps[self._index].duration + self._extra)

    def _active_time(self, now: float) -> float:
        if self.state is State.IDLE:
            return self._base_active
        return self._base_active + max(0.0, now - self._started - self._paused_total)

    def _paused_time(self, now: float) -> float:
        current = 0.0
        if self.state is State.PAUSED and self._paused_at is not None:
            current = self._clock() - self._paused_at
        return self._base_paused + self._paused_total + current

    def _lead_in_view(self, now: float, step: Step) -> View:
        assert self._lead_in_until is not None
        remaining = max(0.0, self._lead_in_until - now)
        total = self.plan.total
        ready = replace(
            step,
            kind=StepKind.READY,
            text="Get back into position",
            duration=math.ceil(self._lead_in_length),
            cue_index=-1,
            completes_rep=False,
        )
        done = step.offset + min(self._lead_in_elapsed, step.duration)
        return View(
            state=self.state,
            step=ready,
            next=step,
            elapsed=max(0.0, self._lead_in_length - remaining),
            duration=self._lead_in_length,
            remaining=remaining,
            hold_progress=0.0,
            rep_progress=step.reps_fraction,
            set_progress=step.sets_fraction,
            progress=min(1.0, done / total) if total else 1.0,
            time_left=remaining + total - done,
            active_time=self._active_time(now),
            paused_time=self._paused_time(now),
        )

    def _interrupted_hold(self, at: float) -> bool:
        """Whether the current step is a hold that had started running at ``at``."""
        step = self.plan.steps[self._index]
        return step.kind is StepKind.HOLD and at - self._step_start > 0

    def _start_lead_in(self, now: float, length: float, *, elapsed: float) -> None:
        """A "get back into position" countdown; then the step continues at ``elapsed``."""
        self.state = State.LEAD_IN
        self._paused_state = State.RUNNING
        self._lead_in_until = now + length
        self._lead_in_length = float(length)
        self._lead_in_elapsed = elapsed

    def _end_lead_in(self, at: float) -> None:
        self._lead_in_until = None
        self._step_start = at - self._lead_in_elapsed
        if self.state is State.LEAD_IN:
            self.state = State.RUNNING
        self._paused_state = State.RUNNING
        step = self.plan.steps[self._index]
        self._events.append(Transition(step, step, Reason.LEAD_IN))

    def _jump(self, index: int, reason: Reason) -> None:
        now = self._now_frozen()
        previous = self.plan.steps[self._index]
        self._index = index
        self._extra = 0.0
        self._step_start = now
        self._events.append(Transition(previous, self.plan.steps[index], reason))
        if self.plan.steps[index].kind is StepKind.DONE:
            self._finish(now)

    def _close_pause(self) -> None:
        """A session that ends while paused keeps that pause in its paused time."""
        if self.state is State.PAUSED and self._paused_at is not None:
            self._base_paused += self._clock() - self._paused_at

    def _finish(self, at: float) -> None:
        self._close_pause()
        self.state = State.FINISHED
        self._ended_at = at
        self._paused_at = None

    def _advance(self, until: float | None = None) -> None:
        """Move through every step whose end the clock (or ``until``) has passed, each ending
        exactly on time."""
        if self.state is State.LEAD_IN and self._lead_in_until is not None:
            now = self._clock() if until is None else until
            if now < self._lead_in_until:
                return
            self._end_lead_in(self._lead_in_until)
        if self.state is not State.RUNNING:
            return
        now = self._clock() if until is None else until
        last = len(self.plan.steps) - 1
        while self._index < last:
            end = self._step_start + self._duration()
            if now < end:
                break
            finished = self.plan.steps[self._index]
            if finished.completes_rep:
                self._done_reps.add(
                    (finished.exercise_id, finished.side, finished.set, finished.rep)
                )
            self._index += 1
            self._extra = 0.0
            self._step_start = end
            self._events.append(Transition(finished, self.plan.steps[self._index], Reason.TIME))
        if self._index == last:
            self._finish(self._step_start)


def _locate(plan: Plan, snap: SessionSnapshot) -> tuple[int, RestoreNote | None]:
    """The step of ``plan`` where ``snap`` continues, and why it is not the same, if it isn't."""
    if snap.plan_fingerprint == plan.fingerprint and snap.step_index < len(plan.steps):
        return snap.step_index, None
    key = (snap.exercise_id, snap.side.value, snap.set, snap.rep, snap.cue_index, snap.kind.value)
    for step in plan.steps:
        if step.key == key:
            return step.index, None
    ex = next((e for e in plan.exercises if e.id == snap.exercise_id), None)
    if ex is None:
        raise RestoreError(RestoreProblem.EXERCISE_GONE, snapshot=snap, plan=plan)
    if snap.kind is StepKind.DONE:
        return len(plan.steps) - 1, None
    sides = list(SIDES_BY_COUNT[ex.sides])
    side = snap.side if snap.side in sides else sides[-1 if snap.side is Side.RIGHT else 0]
    set_no = min(snap.set, ex.sets)
    rep = min(snap.rep, ex.reps)
    target = (sides.index(side), set_no, rep)
    end = ex.first_step
    while end < len(plan.steps) and plan.steps[end].exercise_index == ex.index:
        end += 1
    candidates = [
        s
        for s in plan.steps[ex.first_step : end]
        if s.kind.is_work and (sides.index(s.side), s.set, s.rep) >= target
    ]
    # Every exercise has work steps; past the last one, its first work step.
    found = candidates[0] if candidates else plan.steps[ex.first_step]
    return found.index, RestoreNote(exercise_name=ex.name, sets=ex.sets, reps=ex.reps, step=found)
