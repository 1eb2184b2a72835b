"""What the coach says and when: the rules between the engine and the screen (no Textual).

The session screen asks :meth:`Coach.tick` whenever its displayed second may have changed and
gets back the view to draw plus what to tell a person who is not looking at the screen: a bell
at every phase change, a desktop notification at every new exercise, the window title. Saving the
position (at every step change and pause) is triggered here too, through an injected callback,
so the rules are the same whatever the UI.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from trainer import words
from trainer.engine import (
    Plan,
    Reason,
    Session,
    Side,
    State,
    Step,
    StepKind,
    Transition,
    View,
)
from trainer.models import Settings


@dataclass(frozen=True, slots=True)
class Signal:
    """What to send to the terminal after a tick."""

    bell: bool = False
    #: (title, body) of a desktop notification (OSC 777 / OSC 9), or None.
    notification: tuple[str, str] | None = None


def step_label(step: Step, duration: float | None = None) -> str:
    """Short words for a step, as used in "Next: ..." and notifications."""
    seconds = words.duration(step.duration if duration is None else duration)
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
    """ "Next: rest 60 s", "Next: Draw-in maneuvers", "Next: Right side" ..."""
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
        return f"Next: switch to the {nxt.side.label.lower()}"
    if nxt.set != here.set and nxt.kind is StepKind.SET_REST:
        return f"Next: rest {words.duration(nxt.duration)} before set {nxt.set}"
    return f"Next: {step_label(nxt)}"


def window_title(view: View) -> str:
    """The terminal window title: the cue and the countdown, readable in a task bar."""
    if view.state is State.FINISHED:
        return "trainer: done"
    if view.state is State.PAUSED:
        return f"trainer: PAUSED - {view.step.text}"
    return f"{words.clock(view.remaining)} {view.step.text}"


@dataclass(frozen=True, slots=True)
class Screenful:
    """Every text and fraction the session screen shows, for one view (the screen only draws)."""

    exercise: str
    where: str
    muscle: str
    cue: str
    countdown: str
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
    #: The article's steps of the current exercise, numbered.
    steps: str


def screenful(view: View, plan: Plan) -> Screenful:
    step = view.step
    ex = plan.exercises[step.exercise_index]
    paused = view.state is State.PAUSED
    cue = "Done! Well done." if step.kind is StepKind.DONE else step.text
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
    # Time left in whole minutes: the label changes once a minute, not every second.
    left = words.estimate(math.ceil(view.time_left / 60) * 60)
    return Screenful(
        exercise=f"{step.exercise_name}  ({ex.index + 1} of {len(plan.exercises)})",
        where=plan.routine_name + (f"  {step.side.label}" if step.side is not Side.BOTH else ""),
        muscle=f"Works: {ex.muscle}",
        cue=cue,
        countdown=words.clock(view.remaining),
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
        all_text=f"{math.floor(view.progress * 100)} %, about {left} left",
        all_fraction=view.progress,
        next=next_label(view, plan),
        steps="\n".join(f"{n}. {text}" for n, text in enumerate(ex.steps, start=1)),
    )


class Coach:
    """Owns a running session for the UI: ticks it, says what to signal, saves on changes."""

    def __init__(
        self,
        session: Session,
        settings: Settings,
        *,
        persist: Callable[[Session], None] | None = None,
    ) -> None:
        self.session = session
        self.settings = settings
        self._persist = persist
        self._last_index = -1

    @property
    def plan(self) -> Plan:
        return self.session.plan

    def tick(self) -> tuple[View, Signal]:
        """The view now, and what the terminal should do about the changes since last tick."""
        view = self.session.view()
        events = self.session.take_events()
        signal = self.signal_for(events)
        if view.step.index != self._last_index:
            self._last_index = view.step.index
            self.save()
        return view, signal

    def signal_for(self, events: list[Transition]) -> Signal:
        if not events:
            return Signal()
        # Several steps may pass at once (a suspended laptop): one bell, about the last one.
        last = events[-1]
        bell = self.settings.bell and any(e.reason is not Reason.BACK for e in events)
        notification = None
        if self.settings.notifications and any(
            e.new_exercise and e.reason is not Reason.BACK for e in events
        ):
            if last.step.kind is StepKind.DONE:
                notification = ("trainer", f"{self.plan.routine_name}: done. Well done!")
            else:
                nxt = last.step
                notification = ("trainer", f"Now: {nxt.exercise_name} - {nxt.text}")
        return Signal(bell=bell, notification=notification)

    def save(self) -> None:
        if self._persist is not None and not self.session.state.is_over:
            self._persist(self.session)

    # Keys, forwarded as they are: each returns nothing; the screen re-ticks after.
    def toggle_pause(self) -> None:
        self.session.toggle_pause()
        self.save()

    def pause(self) -> None:
        if self.session.state in (State.RUNNING, State.LEAD_IN):
            self.session.pause()
        self.save()

    def skip(self) -> None:
        self.session.skip()

    def back(self) -> None:
        self.session.back()

    def stop(self) -> None:
        self.session.stop()

    def stop_hurt(self) -> None:
        """ "This hurts": stop at once; the session records why."""
        self.session.stop(hurt=True)

    def adjust(self, seconds: int) -> bool:
        changed = self.session.adjust(seconds)
        if changed:
            self.save()
        return changed
