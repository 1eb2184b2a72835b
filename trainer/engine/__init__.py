"""The pure core: a routine as a plan of timed steps, and a session over it.

No Textual, no I/O: the clock is injected, so tests drive it by hand.
"""

from trainer.engine.clock import ManualClock
from trainer.engine.plan import (
    ExerciseSummary,
    Plan,
    Side,
    Step,
    StepKind,
    build_plan,
    plan_for,
)
from trainer.engine.session import (
    ADJUST_STEP,
    LEAD_IN,
    Clock,
    ExerciseResult,
    HurtPlace,
    Reason,
    RestoreError,
    RestoreNote,
    RestoreProblem,
    Session,
    SessionSnapshot,
    State,
    Transition,
    View,
)

__all__ = [
    "ADJUST_STEP",
    "LEAD_IN",
    "Clock",
    "ExerciseResult",
    "ExerciseSummary",
    "HurtPlace",
    "ManualClock",
    "Plan",
    "Reason",
    "RestoreError",
    "RestoreNote",
    "RestoreProblem",
    "Session",
    "SessionSnapshot",
    "Side",
    "State",
    "Step",
    "StepKind",
    "Transition",
    "View",
    "build_plan",
    "plan_for",
]
