"""What the session screen shows for a view: the big word, the state, every text and fraction.

Pure (no Textual): the screen draws a :class:`Screenful` and holds no rule of its own, so the
words a person reads from the floor are tested here without a terminal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from trainer.engine import (
    Plan,
    RestoreError,
    RestoreNote,
    RestoreProblem,
    SessionSnapshot,
    Side,
    State,
    Step,
    StepKind,
    View,
    plan_for,
)
from trainer.programme.schema import RoutinesFile
from trainer.text import wording

if TYPE_CHECKING:
    from trainer.records.saved_session import SavedSession

#: A rest or hold at least this long (seconds) ends with a visible 3-2-1 ("a few seconds":
#: ours, see docs/routines.md). Shorter ones (a 3 s rest between reps, a 2 s hold) only count down.
WARN_LONGER_THAN = 5
#: How many seconds the 3-2-1 lasts.
WARN_SECONDS = 3


class Look(StrEnum):
    """The state of the screen: each one has its own frame or fill, not only a colour."""

    MOVE = "move"  # a rounded thin frame
    HOLD = "hold"  # a thick solid frame
    REST = "rest"  # a dashed frame (rests, getting ready, the lead-in)
    SWITCH = "switch"  # a double frame
    PAUSED = "paused"  # a filled box
    DONE = "done"  # a double frame


def step_label(step: Step, duration: float | None = None) -> str:
    """Short words for a step, as used in "Next: ..." and notifications."""
    seconds = wording.duration(step.duration if duration is None else duration)
    match step.kind:
        case StepKind.DONE:
            return "done"
        case StepKind.SET_REST | StepKind.REP_REST | StepKind.EXERCISE_REST:
            return f"rest {seconds}"
        case StepKind.SWITCH:
            return f"switch sides ({seconds})"
        case StepKind.READY:
            return f"get into position ({seconds})"
        case StepKind.HOLD:
            return f"{step.text} ({seconds})"
        case _:
            return step.text


def next_label(view: View, plan: Plan) -> str:
    """ "Next: rest 60 s", "Next: Draw-in maneuvers", "Next: Lie on right side, ..." """
    nxt = view.next
    if nxt is None or view.step.kind is StepKind.DONE:
        return "Last step"
    here = view.step
    if nxt.kind is StepKind.DONE:
        return "Next: done!"
    if nxt.exercise_index != here.exercise_index and view.state is not State.LEAD_IN:
        return f"Next: {nxt.exercise_name}"
    if nxt.kind is StepKind.EXERCISE_REST:
        following = plan.steps[nxt.index + 1] if nxt.index + 1 < len(plan.steps) else None
        name = f", then {following.exercise_name}" if following is not None else ""
        return f"Next: {step_label(nxt)}{name}"
    if nxt.kind is StepKind.SWITCH:
        return f"Next: switch sides: {side_words(nxt)}"
    if nxt.set != here.set and nxt.kind is StepKind.SET_REST:
        return f"Next: rest {wording.duration(nxt.duration)} before set {nxt.set}"
    return f"Next: {step_label(nxt)}"


def side_words(step: Step) -> str:
    """What the side means ("Lie on left side, lift right leg"), or "Left side" without data."""
    return step.side_words or step.side.label


def big_word(view: View) -> str:
    """The word in block letters: PAUSED, the cue's own word, HOLD, REST, SWITCH SIDES..."""
    step = view.step
    if view.state is State.PAUSED:
        return "PAUSED"
    match step.kind:
        case StepKind.DONE:
            return "DONE"
        case StepKind.READY:
            return "GET READY"
        case StepKind.SWITCH:
            return "SWITCH SIDES"
        case StepKind.SET_REST | StepKind.REP_REST | StepKind.EXERCISE_REST:
            return "REST"
        case StepKind.HOLD:
            return (step.word or "HOLD").upper()
        case _:
            return (step.word or _first_word(step.text)).upper()


def _first_word(text: str) -> str:
    first = text.split()[0] if text.split() else ""
    return "".join(ch for ch in first if ch.isalpha()) or "MOVE"


def look_of(view: View) -> Look:
    if view.state is State.PAUSED:
        return Look.PAUSED
    match view.step.kind:
        case StepKind.DONE:
            return Look.DONE
        case StepKind.HOLD:
            return Look.HOLD
        case StepKind.MOVE:
            return Look.MOVE
        case StepKind.SWITCH:
            return Look.SWITCH
        case _:
            return Look.REST


def warning_seconds(view: View) -> int:
    """3, 2 or 1 in the last seconds of a rest or hold longer than a few seconds, else 0."""
    if view.state is not State.RUNNING:
        return 0
    kind = view.step.kind
    if not (kind.is_rest or kind is StepKind.HOLD) or view.duration <= WARN_LONGER_THAN:
        return 0
    shown = view.seconds_shown
    return shown if 1 <= shown <= WARN_SECONDS else 0


def window_title(view: View) -> str:
    """The terminal window title: the cue and the countdown, readable in a task bar."""
    if view.state is State.FINISHED:
        return "trainer: done"
    if view.state is State.PAUSED:
        return f"trainer: PAUSED - {view.step.text}"
    return f"{wording.clock(view.remaining)} {view.step.text}"


@dataclass(frozen=True, slots=True)
class Screenful:
    """Every text and fraction the session screen shows, for one view (the screen only draws)."""

    exercise: str
    #: The exercise's name alone.
    exercise_name: str
    where: str
    muscle: str
    #: The big word ("LIFT", "PAUSED") and the state, which picks the frame or fill.
    word: str
    look: Look
    #: The frame's title (the state in words) and its subtitle (the side, in words).
    frame_title: str
    frame_subtitle: str
    #: The cue sentence, in normal letters under the big word.
    cue: str
    countdown: str
    #: A one-line "where am I" for small windows: "Bridges · set 1/3 · rep 2/15".
    position: str
    #: The counts of that line ("set 1/3 · rep 2/15", "" when done): never cut, whatever the
    #: width (the name before them gives way first, see :func:`position_line`).
    position_count: str
    #: The side worked, for the big letters beside the countdown ("LEFT", "RIGHT"), on every
    #: step of a side; "" for an exercise done once.
    side: str
    paused: bool
    rest: bool
    hold: bool
    set_text: str
    set_fraction: float
    rep_text: str
    rep_fraction: float
    hold_text: str
    #: ": 4 s held" during a hold, else empty.
    hold_count: str
    hold_fraction: float
    all_text: str
    all_fraction: float
    next: str
    #: 3, 2, 1 in the last seconds of a long rest or hold (0 otherwise).
    warning: int
    #: The article's steps of the current exercise, numbered.
    steps: str


def frame_title(view: View, look: Look) -> str:
    step = view.step
    match look:
        case Look.PAUSED:
            return "paused: space to continue"
        case Look.HOLD:
            return f"hold {wording.duration(view.duration)}"
        case Look.SWITCH:
            return "switch sides"
        case Look.DONE:
            return "done"
        case Look.REST if view.state is State.LEAD_IN:
            return "get back into position"
        case Look.REST:
            return "get into position" if step.kind is StepKind.READY else "rest"
        case _:
            return "move"


def screenful(view: View, plan: Plan) -> Screenful:
    step = view.step
    ex = plan.exercises[step.exercise_index]
    paused = view.state is State.PAUSED
    look = look_of(view)
    cue = "Done! Well done." if step.kind is StepKind.DONE else step.text
    if step.kind is StepKind.SWITCH:
        cue = f"Switch sides: {side_words(step)}"
    if paused:
        cue = f"PAUSED: {cue}  (space to continue)"
    side = f" ({step.side.label.lower()})" if step.side is not Side.BOTH else ""
    holding = step.kind is StepKind.HOLD
    hold_text = f"Hold {ex.hold} s" if ex.hold else "No hold"
    hold_count = ""
    if holding:
        held = min(math.floor(view.elapsed + 1e-9), math.ceil(view.duration))
        hold_text = f"Hold {math.ceil(view.duration)} s"
        hold_count = f": {held} s held"
    sides = side_words(step) if step.side is not Side.BOTH else ""
    left = wording.estimate(view.time_left)
    count = f"set {step.set}/{step.sets} · rep {step.rep}/{step.reps}"
    position = f"{step.exercise_name} · {count}"
    if step.kind is StepKind.DONE:
        position, count = plan.routine_name, ""
    return Screenful(
        exercise=f"{step.exercise_name}  ({ex.index + 1} of {len(plan.exercises)})",
        exercise_name=step.exercise_name,
        where=plan.routine_name,
        muscle=f"Works: {ex.muscle}",
        word=big_word(view),
        look=look,
        frame_title=frame_title(view, look),
        frame_subtitle=sides,
        cue=cue,
        countdown=wording.clock(view.remaining),
        position=position,
        position_count=count,
        side=step.side.value.upper() if step.kind is not StepKind.DONE else "",
        paused=paused,
        rest=step.kind.is_rest,
        hold=holding,
        set_text=f"Set {step.set} of {step.sets}{side}",
        set_fraction=view.set_progress,
        rep_text=f"Rep {step.rep} of {step.reps}",
        rep_fraction=view.rep_progress,
        hold_text=hold_text,
        hold_count=hold_count,
        hold_fraction=view.hold_progress if holding else 0.0,
        # The one estimate of a routine's length (as on the list and in `trainer check`).
        all_text=f"{math.floor(view.progress * 100)} %, about {left} left",
        all_fraction=view.progress,
        next=next_label(view, plan),
        warning=warning_seconds(view),
        steps="\n".join(f"{n}. {text}" for n, text in enumerate(ex.steps, start=1)),
    )


def position_line(shown: Screenful, width: int) -> str:
    """The position line in ``width`` columns: the exercise's name is cut (with an ellipsis)
    before the set and rep numbers ever are."""
    if not shown.position_count or len(shown.position) <= width:
        return shown.position
    tail = f" · {shown.position_count}"
    room = width - len(tail)
    if room < 4:
        return shown.position_count
    return wording.clip(shown.exercise_name, room) + tail


def describe_step(step: Step) -> str:
    """Where a step is, exactly, for the resume prompt: "Bridges, rest before set 3 of 3",
    "Bridges, set 2 of 3, rep 5 of 15: Hold, squeeze your buttocks"."""
    name = step.exercise_name
    if step.side is not Side.BOTH:
        name += f", {step.side.label.lower()}"
    sets = f"set {step.set} of {step.sets}"
    rep = f"rep {step.rep} of {step.reps}"
    match step.kind:
        case StepKind.DONE:
            return f"{step.exercise_name}, at the end of the routine"
        case StepKind.READY:
            return f"{name}, getting into position before the first rep"
        case StepKind.EXERCISE_REST:
            return f"{name}, rest before its first set"
        case StepKind.SWITCH:
            return f"{step.exercise_name}, switching sides: {side_words(step)}"
        case StepKind.SET_REST:
            return f"{name}, rest before {sets}"
        case StepKind.REP_REST:
            return f"{name}, {sets}, rest before {rep}"
        case _:
            return f"{name}, {sets}, {rep}: {step.text}"


def describe_saved(snap: SessionSnapshot, routines: RoutinesFile | None) -> str:
    """:func:`describe_step` for a saved position; from the snapshot alone when its routine
    is gone or changed (then without the counts it no longer knows)."""
    try:
        plan = plan_for(routines, snap.routine_id) if routines is not None else None
    except KeyError:
        plan = None
    if plan is not None:
        key = (snap.exercise_id, snap.side.value, snap.set, snap.rep, snap.cue_index)
        for step in plan.steps:
            if step.key == (*key, snap.kind.value):
                return describe_step(step)
    where = snap.exercise_name
    if snap.side is not Side.BOTH:
        where += f", {snap.side.label.lower()}"
    if snap.kind not in (StepKind.READY, StepKind.DONE):
        where += f", set {snap.set}, rep {snap.rep}"
    return where


def restore_note(note: RestoreNote) -> str:
    """Why a resumed session continues elsewhere than where it stopped (the engine's note)."""
    step = note.step
    where = f"set {step.set}, rep {step.rep}"
    if step.side is not Side.BOTH:
        where = f"{step.side.label.lower()}, {where}"
    sets = wording.count(note.sets, "set")
    return (
        f"{note.exercise_name} changed since you stopped (now {sets} of {note.reps}); "
        f"continuing at {where}"
    )


def restore_problem(error: RestoreError) -> str:
    """Why a saved session cannot be continued (the engine's structured error), in words."""
    snap, plan = error.snapshot, error.plan
    if error.problem is RestoreProblem.OTHER_ROUTINE:
        return f"the saved session is for routine '{snap.routine_id}', not '{plan.routine_id}'"
    return (
        f"the saved session was at '{snap.exercise_name}', which is no longer in "
        f"'{plan.routine_name}'; start the routine over"
    )


def describe_position(
    saved: SavedSession, now: datetime, routines: RoutinesFile | None = None
) -> tuple[str, str, str]:
    """(routine line, position line, when line) of a saved session, for the resume prompt and
    the read-only view. The position line names the exercise cut short (:func:`wording.clip`),
    so that where in it the session is stays in sight."""
    snap = saved.snapshot
    where = describe_saved(snap, routines)
    # It starts with the exercise's name: the one saved, or the routines file's for that id.
    names = [snap.exercise_name]
    if routines is not None:
        names += [ex.name for ex in routines.exercises if ex.id == snap.exercise_id]
    for name in sorted(names, key=len, reverse=True):
        if where.startswith(name):
            where = wording.clip(name) + where[len(name) :]
            break
    ago = wording.ago((now - saved.saved_at).total_seconds())
    paused = " (paused)" if snap.state is State.PAUSED else ""
    return snap.routine_name, where, f"Stopped {ago}{paused}"
