"""A routine flattened into a list of timed steps.

Pure data: building a plan reads the models and nothing else. Every step knows where it is
(exercise, side, set, rep, cue), what it asks (cue text, kind) and how long it lasts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from trainer.programme.schema import CueKind, Exercise, Routine, RoutinesFile, Timing


class StepKind(StrEnum):
    READY = "ready"  # before the first exercise: get into position
    MOVE = "move"  # a timed movement cue ("Raise your hips")
    HOLD = "hold"  # the hold of a rep ("Hold, squeeze")
    REP_REST = "rep_rest"  # rest between two reps
    SET_REST = "set_rest"  # rest between two sets
    SWITCH = "switch"  # switch sides
    EXERCISE_REST = "exercise_rest"  # rest, then get into position for the next exercise
    DONE = "done"  # the routine is over

    @property
    def is_rest(self) -> bool:
        """Rest-like steps: their length can be changed with +/- while they run."""
        return self in _RESTS

    @property
    def is_work(self) -> bool:
        return self in (StepKind.MOVE, StepKind.HOLD)


_RESTS = frozenset(
    {StepKind.READY, StepKind.REP_REST, StepKind.SET_REST, StepKind.SWITCH, StepKind.EXERCISE_REST}
)


class Side(StrEnum):
    BOTH = ""  # an exercise done once, not per side
    LEFT = "left"
    RIGHT = "right"

    @property
    def label(self) -> str:
        return {Side.BOTH: "", Side.LEFT: "Left side", Side.RIGHT: "Right side"}[self]


SIDES_BY_COUNT: dict[int, tuple[Side, ...]] = {1: (Side.BOTH,), 2: (Side.LEFT, Side.RIGHT)}


@dataclass(frozen=True, slots=True)
class Step:
    index: int
    kind: StepKind
    #: Position of the exercise in the routine (0-based).
    exercise_index: int
    exercise_id: str
    exercise_name: str
    side: Side
    set: int  # 1-based
    sets: int
    rep: int  # 1-based
    reps: int
    #: Index of the cue within the rep (0-based), -1 for steps outside a rep.
    cue_index: int
    text: str
    duration: int
    #: Seconds from the start of the routine (with no pauses or changes) to this step.
    offset: int
    #: Finishing this step by time completes the rep (its hold, or its last cue if none).
    completes_rep: bool = False
    #: The step comes after the rep's counting cue ("Lower your hips"): the rep is done.
    rep_done: bool = False
    #: The cue's shorter spoken form from the routines file ("" when it has none).
    say: str = ""
    #: The cue's own short word from the data ("LIFT"), or "" (the screen picks one).
    word: str = ""
    #: What this side means, from the data ("Lie on your left side, lift your right leg"), or
    #: "" for an exercise without sides or without that wording.
    side_words: str = ""

    @property
    def reps_fraction(self) -> float:
        """Reps finished in this set when the step runs (1 at the end of the routine)."""
        if self.kind is StepKind.DONE:
            return 1.0
        return (self.rep - 1 + self.rep_done) / self.reps

    @property
    def sets_fraction(self) -> float:
        """Sets finished (on this side) when the step runs (1 at the end of the routine)."""
        return 1.0 if self.kind is StepKind.DONE else (self.set - 1) / self.sets

    @property
    def key(self) -> tuple[str, str, int, int, int, str]:
        """Where the step is, independent of its index: used to resume on a changed plan."""
        return (
            self.exercise_id,
            self.side.value,
            self.set,
            self.rep,
            self.cue_index,
            self.kind.value,
        )


@dataclass(frozen=True, slots=True)
class ExerciseSummary:
    """An exercise as the plan runs it (for the picker and the summary)."""

    index: int
    id: str
    name: str
    #: The muscle it works and the article's steps, shown during the session.
    muscle: str
    steps: tuple[str, ...]
    sets: int
    reps: int
    sides: int
    hold: int
    first_step: int
    duration: int


@dataclass(frozen=True)
class Plan:
    routine_id: str
    routine_name: str
    steps: tuple[Step, ...]
    exercises: tuple[ExerciseSummary, ...]
    fingerprint: str = field(default="")
    #: The gentle version of the routine for a flare day (trainer.coaching.flare).
    flare: bool = False

    @property
    def total(self) -> int:
        """Seconds the whole routine takes without pauses."""
        last = self.steps[-1]
        return last.offset + last.duration

    def __len__(self) -> int:
        return len(self.steps)

    def next_phase(self, index: int) -> Step | None:
        """The next step whose kind or exercise differs from step ``index`` (for "Next: ...")."""
        here = self.steps[index]
        for step in self.steps[index + 1 :]:
            if step.kind is not here.kind or step.exercise_index != here.exercise_index:
                return step
            if step.kind.is_work:
                return step
        return None


def side_words_of(ex: Exercise, side: Side) -> str:
    """The data's wording for ``side`` of ``ex`` ("Lie on your left side, ..."), or ""."""
    if ex.side_words is None or side is Side.BOTH:
        return ""
    return ex.side_words[SIDES_BY_COUNT[2].index(side)]


def rep_counting_cue(ex: Exercise) -> int:
    """The cue whose completion counts the rep as done: the hold, or the last cue."""
    for i, cue in enumerate(ex.cues):
        if cue.kind is CueKind.HOLD:
            return i
    return len(ex.cues) - 1


def build_plan(routine: Routine, exercises: Sequence[Exercise], timing: Timing) -> Plan:
    steps: list[Step] = []
    summaries: list[ExerciseSummary] = []
    offset = 0

    for ex_index, ex in enumerate(exercises):
        first, start_offset = len(steps), offset
        sides = SIDES_BY_COUNT[ex.sides]
        counting_cue = rep_counting_cue(ex)

        def add(
            kind: StepKind,
            text: str,
            duration: int,
            *,
            side: Side,
            set_no: int = 1,
            rep: int = 1,
            cue_index: int = -1,
            say: str = "",
            word: str = "",
            ex: Exercise = ex,
            ex_index: int = ex_index,
            counting_cue: int = counting_cue,
        ) -> None:
            nonlocal offset
            in_rep = cue_index >= 0
            steps.append(
                Step(
                    index=len(steps),
                    kind=kind,
                    exercise_index=ex_index,
                    exercise_id=ex.id,
                    exercise_name=ex.name,
                    side=side,
                    set=set_no,
                    sets=ex.sets,
                    rep=rep,
                    reps=ex.reps,
                    cue_index=cue_index,
                    text=text,
                    duration=duration,
                    offset=offset,
                    completes_rep=in_rep and cue_index == counting_cue,
                    rep_done=in_rep and cue_index > counting_cue,
                    say=say,
                    word=word,
                    side_words=side_words_of(ex, side),
                )
            )
            offset += duration

        if ex_index == 0 and timing.get_ready:
            add(StepKind.READY, "Get into position", timing.get_ready, side=sides[0])
        elif ex_index > 0 and timing.rest_between_exercises:
            add(
                StepKind.EXERCISE_REST,
                "Rest, then get into position",
                timing.rest_between_exercises,
                side=sides[0],
            )
        for side_no, side in enumerate(sides):
            if side_no > 0 and timing.switch_sides:
                add(StepKind.SWITCH, "Switch sides", timing.switch_sides, side=side)
            for set_no in range(1, ex.sets + 1):
                if set_no > 1 and ex.rest_between_sets:
                    add(StepKind.SET_REST, "Rest", ex.rest_between_sets, side=side, set_no=set_no)
                for rep in range(1, ex.reps + 1):
                    if rep > 1 and ex.rest_between_reps:
                        add(
                            StepKind.REP_REST,
                            "Rest",
                            ex.rest_between_reps,
                            side=side,
                            set_no=set_no,
                            rep=rep,
                        )
                    for cue_index, cue in enumerate(ex.cues):
                        hold = cue.kind is CueKind.HOLD
                        add(
                            StepKind.HOLD if hold else StepKind.MOVE,
                            cue.text,
                            ex.hold if hold else cue.seconds or 0,
                            side=side,
                            set_no=set_no,
                            rep=rep,
                            cue_index=cue_index,
                            say=cue.say or "",
                            word=cue.word or "",
                        )
        summaries.append(
            ExerciseSummary(
                index=ex_index,
                id=ex.id,
                name=ex.name,
                muscle=ex.muscle,
                steps=tuple(ex.steps),
                sets=ex.sets,
                reps=ex.reps,
                sides=ex.sides,
                hold=ex.hold,
                first_step=first,
                duration=offset - start_offset,
            )
        )
    last = exercises[-1]
    steps.append(
        Step(
            index=len(steps),
            kind=StepKind.DONE,
            exercise_index=len(exercises) - 1,
            exercise_id=last.id,
            exercise_name=last.name,
            side=SIDES_BY_COUNT[last.sides][-1],
            set=last.sets,
            sets=last.sets,
            rep=last.reps,
            reps=last.reps,
            cue_index=-1,
            text="Done",
            duration=0,
            offset=offset,
            side_words=side_words_of(last, SIDES_BY_COUNT[last.sides][-1]),
        )
    )
    digest = hashlib.sha256(
        repr([(s.key, s.text, s.duration) for s in steps]).encode("utf-8")
    ).hexdigest()[:16]
    return Plan(
        routine_id=routine.id,
        routine_name=routine.name,
        steps=tuple(steps),
        exercises=tuple(summaries),
        fingerprint=digest,
    )


def plan_for(routines: RoutinesFile, routine_id: str) -> Plan:
    routine = routines.routine(routine_id)
    return build_plan(routine, routines.exercises_of(routine), routines.timing)
