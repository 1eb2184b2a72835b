"""The active session: what to do now, in big letters, and how far along it is.

The screen holds no rules: it asks the coach for the view at each displayed-second change,
draws it, and forwards keys. It repaints only widgets whose text or filled cells changed, and
wakes only when the displayed second changes (a one-shot timer, never a fixed fast interval).
"""

from __future__ import annotations

import math
from enum import Enum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Label, Static

from trainer.coach import Coach, screenful, window_title
from trainer.engine import ADJUST_STEP, View
from trainer.ui.screens.base import TrainerScreen
from trainer.ui.widgets.bigtext import BigText
from trainer.ui.widgets.meter import Meter

#: Labels whose width follows their text (the others are sized by the stylesheet).
RESIZING = frozenset({"where", "hold-text"})
#: Never wake more often than this, whatever the clock says (a guard, not a tick).
MIN_DELAY = 0.05


class SessionExit(Enum):
    """How the session screen was left."""

    #: The session is over (finished, stopped, or stopped because it hurt): the summary next.
    ENDED = "ended"
    #: Back to the list; the session waits, paused.
    LEFT = "left"


class SessionScreen(TrainerScreen[SessionExit]):
    CSS_PATH = "session.tcss"
    BINDINGS = [
        Binding("space", "toggle_pause", "Pause"),
        Binding("n", "skip", "Next"),
        Binding("b", "back", "Back"),
        Binding("plus,equals_sign", f"adjust({ADJUST_STEP})", f"+{ADJUST_STEP}s"),
        Binding("minus,underscore", f"adjust(-{ADJUST_STEP})", f"-{ADJUST_STEP}s"),
        Binding("s", "stop", "Stop"),
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
                with Horizontal(classes="bar-text"):
                    yield Label(id="hold-text")
                    # Only this repaints each second of a hold (a dozen cells, not the row).
                    yield Label(id="hold-count")
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
        self.tick()  # an ended session (under a dialog) leaves now

    def on_unmount(self) -> None:
        self._cancel_timer()

    # ------------------------------------------------------------------ drawing

    def tick(self) -> None:
        """Ask the coach for now, draw what changed, signal, and sleep until the next change."""
        self._cancel_timer()
        view, signal = self.coach.tick()
        self.trainer.sounds.play(signal)
        self.trainer.terminal.title(window_title(view))
        self.draw(view)
        if view.state.is_over:
            self._end()
            return
        delay = view.until_display_changes
        if math.isfinite(delay):
            self._timer = self.set_timer(max(MIN_DELAY, delay + 0.01), self.tick)

    def _end(self) -> None:
        """Over: leave for the summary, now or (under a dialog) as soon as this is on top."""
        if not self._finished and self.app.screen is self:
            self._finished = True
            self.dismiss(SessionExit.ENDED)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _set(self, widget_id: str, value: str) -> None:
        if self._shown.get(widget_id) != value:
            self._shown[widget_id] = value
            # Every label but #where has a fixed size: new text needs a repaint, not a new
            # layout of the whole screen (the difference between 0.7 % and 1.4 % of a core).
            label = self.query_one(f"#{widget_id}", Label)
            label.update(value, layout=widget_id in RESIZING)

    def _bar(self, widget_id: str, fraction: float) -> None:
        # The meter itself repaints only when a half cell changes.
        self.query_one(f"#{widget_id}", Meter).fraction = fraction

    def draw(self, view: View) -> None:
        shown = screenful(view, self.coach.plan)
        for widget_id, text in (
            ("exercise", shown.exercise),
            ("where", shown.where),
            ("muscle", shown.muscle),
            ("cue", shown.cue),
            ("set-text", shown.set_text),
            ("rep-text", shown.rep_text),
            ("hold-text", shown.hold_text),
            ("hold-count", shown.hold_count),
            ("all-text", shown.all_text),
            ("next", shown.next),
        ):
            self._set(widget_id, text)
        self.set_class(shown.paused, "-paused")
        self.set_class(shown.rest, "-rest")
        if self._shown.get("rest") != shown.rest:
            self._shown["rest"] = shown.rest
            self.refresh_bindings()  # + and - come and go with rests
        self.set_class(shown.hold, "-hold")
        self.query_one("#countdown", BigText).value = shown.countdown
        self._bar("set-bar", shown.set_fraction)
        self._bar("rep-bar", shown.rep_fraction)
        self._bar("hold-bar", shown.hold_fraction)
        self._bar("all-bar", shown.all_fraction)
        if self._shown.get("steps") != shown.steps:
            self._shown["steps"] = shown.steps
            self.query_one("#steps", Static).update(shown.steps)

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

    def action_adjust(self, seconds: int) -> None:
        self.coach.adjust(seconds)
        self.tick()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """+ and - are offered (and shown in the footer) only while a rest runs."""
        if action == "adjust":
            return self.coach.session.step.kind.is_rest
        return True

    def action_stop(self) -> None:
        """End the session here: the summary, the check-in and the history follow."""
        self.coach.stop()
        self.tick()

    def action_hurts(self) -> None:
        self.coach.stop_hurt()
        self.tick()

    def action_leave(self) -> None:
        """Back to the list; the session waits, paused, where it was."""
        self.coach.pause()
        self._cancel_timer()
        self.trainer.sounds.hush()
        self.dismiss(SessionExit.LEFT)

    def action_quit_app(self) -> None:
        self._cancel_timer()
        self.trainer.action_quit_app()
