"""A whole routine by ear: the coach run on a hand-moved clock, its sounds recorded.

The clock moves exactly as the session screen wakes (a one-shot timer 0.01 s after the displayed
second changes, never sooner than 0.05 s), so the sounds come out on the screen's own schedule.
Nothing is spoken or rung: the signals are recorded with the time they were sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trainer.coaching.coach import Coach
from trainer.engine import Plan, Session, Step, StepKind, plan_for
from trainer.programme.preferences import Preferences
from trainer.programme.schema import RoutinesFile

#: The session screen's own rule for its next wake-up (trainer/ui/screens/session.py).
MIN_DELAY = 0.05
LATE = 0.01
GOLDEN = Path(__file__).parent / "golden"


class Clock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@dataclass(frozen=True)
class Heard:
    """One moment of sound: seconds from the start, the words and/or the bell pattern."""

    t: float
    say: str | None
    bell: str | None
    step: Step


@dataclass
class Run:
    plan: Plan
    heard: list[Heard] = field(default_factory=list)
    hooks: list[dict[str, object]] = field(default_factory=list)
    #: What a speaker was told: phrases, and "<stop>" where speech was cut.
    speaker: list[str] = field(default_factory=list)

    @property
    def phrases(self) -> list[Heard]:
        return [h for h in self.heard if h.say]

    @property
    def patterns(self) -> list[Heard]:
        return [h for h in self.heard if h.bell]


def listen(
    routines: RoutinesFile, routine_id: str = "full", settings: Preferences | None = None
) -> Run:
    """Run ``routine_id`` to its end and record every sound, as the session screen plays it."""
    clock = Clock()
    plan = plan_for(routines, routine_id)
    session = Session(plan, clock)
    coach = Coach(session, settings or Preferences(), advice=routines.advice)
    session.start()
    start = clock.now
    run = Run(plan)
    while True:
        view, signal = coach.tick()
        if signal.hush:
            run.speaker.append("<stop>")
        if signal.say:
            run.speaker.append(signal.say)
        if signal.say or signal.bell_pattern:
            bell = signal.bell_pattern.name if signal.bell_pattern else None
            run.heard.append(Heard(clock.now - start, signal.say, bell, view.step))
        run.hooks.extend(signal.hook_events)
        if view.state.is_over:
            return run
        clock.now += max(MIN_DELAY, view.until_display_changes + LATE)


def where(step: Step) -> str:
    """ "Bridges 1/3 rep 2/15 hold", for a reader checking the sounds against the article."""
    if step.kind is StepKind.DONE:
        return "end"
    side = f" {step.side.value}" if step.side.value else ""
    rep = f" rep {step.rep}/{step.reps}" if step.cue_index >= 0 else ""
    return f"{step.exercise_name}{side} set {step.set}/{step.sets}{rep} {step.kind.value}"


def clock_text(t: float) -> str:
    minutes, seconds = divmod(round(t, 1), 60)
    return f"{int(minutes):2d}:{seconds:04.1f}"


def golden_text(run: Run, title: str, dots: dict[str, str]) -> str:
    """The sound track as a table a person can read against the article."""
    lines = [
        f"# {title}",
        "# Every phrase and bell pattern, at its time from the start (min:s), with the step.",
        "# Regenerate: TRAINER_UPDATE_GOLDEN=1 python -m pytest tests/test_sounds.py",
        f"# {len(run.phrases)} phrases, {len(run.patterns)} bell patterns, "
        f"{sum(len(dots[h.bell].replace(' ', '')) for h in run.patterns if h.bell)} bells",
        "",
    ]
    for h in run.heard:
        bell = f"{dots[h.bell]:11} {h.bell}" if h.bell else ""
        say = f'"{h.say}"' if h.say else ""
        lines.append(f"{clock_text(h.t)}  {bell:18}  {where(h.step):44}  {say}".rstrip())
    return "\n".join(lines) + "\n"
