"""The active session: what to do now, in big letters, and how far along it is.

The screen holds no rules: it asks the coach for the view at each displayed-second change,
draws it, and forwards keys. It repaints only widgets whose text or filled cells changed, and
wakes only when the displayed second changes (a one-shot timer, never a fixed fast interval).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Label, Static

from trainer import format
from trainer.coach import Coach, next_label, window_title
from trainer.engine import ADJUST_STEP, Side, State, StepKind, View
from trainer.ui.widgets.bigtext import BigText
from trainer.ui.widgets.meter import Meter

if TYPE_CHECKING:
    from trainer.ui.app import TrainerApp

#: Never wake more often than this, whatever the clock says (a guard, not a tick).
MIN_DELAY = 0.05


class SessionScreen(Screen[None]):
    CSS_PATH = "session.tcss"
    BINDINGS = [
        Binding("space", "toggle_pause", "Pause"),
        Binding("n", "skip", "Next"),
        Binding("b", "back", "Back"),
        Binding("plus,equals_sign", "more_rest", "Rest+10"),
        Binding("minus,underscore", "less_rest", "Rest-10"),
        Binding("x", "hurts", "Hurts"),
        Binding("escape", "leave", "List"),
        Binding("q", "quit_app", "Quit"),
    ]

    def __init__(self, coach: Coach) -> None:
        super().__init__()
        self.coach = coach
        self._timer: Timer | None = None
        self._shown: dict[str, object] = {}
        self._finished = False

    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="session"):
            with Horizontal(id="heading"):
                yield Label(id="exercise")
                yield Label(id="where")
            yield Label(id="muscle", classes="hint")
            yield Label(id="cue")
            with Horizontal(id="big"):
                yield BigText(id="countdown")
                yield BigText("PAUSED", id="paused")
            with Grid(id="bars"):
                yield Label("Set", classes="bar-name")
                yield Meter(id="set-bar")
                yield Label(id="set-text", classes="bar-text")
                yield Label("Rep", classes="bar-name")
                yield Meter(id="rep-bar")
                yield Label(id="rep-text", classes="bar-text")
                yield Label("Hold", classes="bar-name")
                yield Meter(id="hold-bar")
                yield Label(id="hold-text", classes="bar-text")
                yield Label("All", classes="bar-name")
                yield Meter(id="all-bar")
                yield Label(id="all-text", classes="bar-text")
            yield Label(id="next")
            with VerticalScroll(id="steps-pane"):
                yield Static(id="steps")
        yield Footer()

    def on_mount(self) -> None:
        self.tick()

    def on_screen_resume(self) -> None:
        self.tick()

    def on_unmount(self) -> None:
        self._cancel_timer()

    # ------------------------------------------------------------------ drawing

    def tick(self) -> None:
        """Ask the coach for now, draw what changed, signal, and sleep until the next change."""
        self._cancel_timer()
        view, signal = self.coach.tick()
        terminal = self.trainer.terminal
        if signal.bell:
            terminal.bell()
        if signal.notification is not None:
            terminal.notify(*signal.notification)
        terminal.title(window_title(view))
        self.draw(view)
        if view.state.is_over:
            if not self._finished:
                self._finished = True
                self.trainer.session_over()
            return
        delay = view.until_display_changes
        if math.isfinite(delay):
            self._timer = self.set_timer(max(MIN_DELAY, delay + 0.01), self.tick)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _set(self, widget_id: str, value: str) -> None:
        if self._shown.get(widget_id) != value:
            self._shown[widget_id] = value
            self.query_one(f"#{widget_id}", Label).update(value)

    def _bar(self, widget_id: str, fraction: float) -> None:
        # The meter itself repaints only when a half cell changes.
        self.query_one(f"#{widget_id}", Meter).fraction = fraction

    def draw(self, view: View) -> None:
        step = view.step
        plan = self.coach.plan
        ex = plan.exercises[step.exercise_index]
        self._set("exercise", f"{step.exercise_name}  ({ex.index + 1} of {len(plan.exercises)})")
        side = f"  {step.side.label}" if step.side is not Side.BOTH else ""
        self._set("where", f"{plan.routine_name}{side}")
        routine_ex = (
            self.trainer.routines.exercise(step.exercise_id)
            if self._has(step.exercise_id)
            else None
        )
        self._set("muscle", f"Works: {routine_ex.muscle}" if routine_ex else "")
        paused = view.state is State.PAUSED
        cue = step.text
        if step.kind is StepKind.DONE:
            cue = "Done! Well done."
        self._set("cue", ("PAUSED: " + cue + "  (space to continue)") if paused else cue)
        self.set_class(paused, "-paused")
        self.set_class(step.kind.is_rest, "-rest")
        self.set_class(step.kind is StepKind.HOLD, "-hold")
        countdown = self.query_one("#countdown", BigText)
        shown = format.clock(view.remaining)
        if countdown.value != shown:
            countdown.value = shown
        # Bars.
        sides = f" ({step.side.label.lower()})" if step.side is not Side.BOTH else ""
        self._bar("set-bar", view.set_progress)
        self._set("set-text", f"Set {step.set} of {step.sets}{sides}")
        self._bar("rep-bar", view.rep_progress)
        self._set("rep-text", f"Rep {step.rep} of {step.reps}")
        # The hold's seconds are the big countdown; the label names its length only, so
        # that a hold repaints one number a second, not two.
        self._bar("hold-bar", view.hold_progress if step.kind is StepKind.HOLD else 0.0)
        self._set("hold-text", f"Hold {ex.hold} s" if ex.hold else "No hold")
        self._bar("all-bar", view.progress)
        left = format.estimate(math.ceil(view.time_left / 60) * 60)  # changes once a minute
        self._set("all-text", f"{math.floor(view.progress * 100)} %, about {left} left")
        self._set("next", next_label(view, plan))
        if self._shown.get("steps-for") != step.exercise_id:
            self._shown["steps-for"] = step.exercise_id
            self._show_steps(step.exercise_id)

    def _has(self, exercise_id: str) -> bool:
        return any(ex.id == exercise_id for ex in self.trainer.routines.exercises)

    def _show_steps(self, exercise_id: str) -> None:
        if not self._has(exercise_id):
            return
        ex = self.trainer.routines.exercise(exercise_id)
        lines = [f"{n}. {text}" for n, text in enumerate(ex.steps, start=1)]
        self.query_one("#steps", Static).update("\n".join(lines))

    # ------------------------------------------------------------------ keys

    def action_toggle_pause(self) -> None:
        self.coach.toggle_pause()
        self.tick()

    def action_skip(self) -> None:
        self.coach.skip()
        self.tick()

    def action_back(self) -> None:
        self.coach.back()
        self.tick()

    def action_more_rest(self) -> None:
        if not self.coach.adjust(ADJUST_STEP):
            self.notify("Only a rest can be made longer", timeout=2)
        self.tick()

    def action_less_rest(self) -> None:
        if not self.coach.adjust(-ADJUST_STEP):
            self.notify("Only a rest can be made shorter", timeout=2)
        self.tick()

    def action_hurts(self) -> None:
        self.coach.stop_hurt()
        self.tick()

    def action_leave(self) -> None:
        """Back to the list; the session waits, paused, where it was."""
        self.coach.pause()
        self._cancel_timer()
        self.trainer.terminal.title("trainer")
        self.trainer.show_list()

    def action_quit_app(self) -> None:
        self._cancel_timer()
        self.trainer.action_quit_app()
