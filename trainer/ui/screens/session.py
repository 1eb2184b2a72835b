"""The active session: what to do now, in big letters, and how far along it is.

The screen holds no rules: it asks the coach for the view at each displayed-second change,
draws it (see :mod:`trainer.coaching.display` for every word), and forwards keys. It repaints
only widgets whose text or filled cells changed, and wakes only when the displayed second
changes (a one-shot timer, never a fixed fast interval).

Layouts, by window size (the screen's class):

- ``-full`` (80x24 and larger): everything, with the exercise's steps at the bottom.
- ``-medium`` (about 60x20): the steps and the muscle line go; the bars stay.
- ``-small`` (about 40x12): only the position, the big word (half height) and the countdown.
- ``-tiny`` (smaller): one line saying how big the window must be.
"""

from __future__ import annotations

import contextlib
import math
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Label, Static

from trainer.coaching import figures
from trainer.coaching.coach import Coach
from trainer.coaching.display import (
    WARN_SECONDS,
    Screenful,
    position_line,
    screenful,
    window_title,
)
from trainer.coaching.flow import SessionExit
from trainer.engine import ADJUST_STEP, State, View
from trainer.ui.plain import plain
from trainer.ui.screens.base import TrainerScreen
from trainer.ui.widgets.bigtext import BigText, BigWord, SideMark, side_in_block_letters
from trainer.ui.widgets.figure import Figure
from trainer.ui.widgets.footer import KeyFooter
from trainer.ui.widgets.meter import TEXT_WIDTH, Bars

if TYPE_CHECKING:
    from trainer.programme.schema import Exercise

#: Labels whose width follows their text (the others are sized by the stylesheet).
RESIZING = frozenset({"where"})
#: Never wake more often than this, whatever the clock says (a guard, not a tick).
MIN_DELAY = 0.05
#: The smallest window of each layout (columns, rows), largest first.
LAYOUTS: tuple[tuple[str, int, int], ...] = (
    ("-full", 80, 24),
    ("-medium", 60, 20),
    ("-small", 40, 12),
)
MINIMUM = LAYOUTS[-1][1:]
#: The figure's box beside the countdown (columns, rows: the height of the big digits); a
#: larger figure shows in the report and the handout only.
FIGURE_SIZE = (32, 5)
#: The countdown's columns the row is planned for: two digits in block letters ("10").
COUNTDOWN_ROOM = 11
#: Columns of the screen's left and right padding.
SESSION_PADDING = 2


def layout_for(width: int, height: int) -> str:
    """The layout class for a window of ``width`` x ``height``."""
    for name, min_width, min_height in LAYOUTS:
        if width >= min_width and height >= min_height:
            return name
    return "-tiny"


def countdown_line(warning: int, nxt: str) -> Text:
    """ "3 · 2 · 1  Next: Lower your hips", the second shown now reversed (reads without colour)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for n in range(WARN_SECONDS, 0, -1):
        style = "bold reverse" if n == warning else ("dim" if n > warning else "")
        text.append(f" {n} ", style=style)
        if n > 1:
            text.append("·")
    text.append(f"  {nxt}", style="bold")
    return text


class SessionScreen(TrainerScreen[SessionExit]):
    CSS_PATH = "session.tcss"
    # In the order of importance: a narrow footer cuts from the right.
    BINDINGS = [
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),
        Binding("x", "hurts", "Hurts"),
        Binding("s", "stop", "Stop"),
        Binding("n", "skip", "Next"),
        Binding("b", "back", "Back", show=False),
        Binding("escape", "leave", "List"),
        Binding("q", "quit_app", "Quit"),
        # One footer entry for + and -, and none for b: at 60 columns every key shows. Last:
        # outside rests it is dimmed, and a dimmed key must not push a live one off a narrow
        # footer.
        Binding("plus,equals_sign", f"adjust({ADJUST_STEP})", f"{ADJUST_STEP}s", key_display="+/-"),
        Binding("minus,underscore", f"adjust(-{ADJUST_STEP})", f"-{ADJUST_STEP}s", show=False),
    ]

    def __init__(self, coach: Coach) -> None:
        super().__init__()
        self.coach = coach
        self.__timer: Timer | None = None
        self.__shown: dict[str, object] = {}
        self.__finished = False
        #: Each exercise's model and figure, by id (None: no figure), read once.
        self.__figures: dict[str, tuple[Exercise | None, figures.Drawn | None]] = {}
        self.__view: View | None = None
        self.__last: Screenful | None = None
        # The layout of the window as it is now, before the screen is first styled: set in
        # on_mount only, it restyled the whole screen a second time at every session's start.
        with contextlib.suppress(RuntimeError):  # no running app yet: on_mount sets it
            self.__layout_classes(layout_for(*self.app.size), update=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="session"):
            with Horizontal(id="heading"):
                yield Label(id="exercise")
                yield Label(id="where")
            yield Label(id="muscle", classes="hint")
            yield Label(id="position")
            with Vertical(id="frame"):
                yield BigWord(id="word")
            yield Label(id="cue")
            with Horizontal(id="big"):
                yield SideMark(id="side")
                yield BigText(id="countdown")
                with Vertical(id="figure-box"):
                    yield Figure(id="figure")
            yield Label(id="next")
            yield Bars(id="bars")
            with VerticalScroll(id="steps-pane"):
                yield Static(id="steps")
        yield Label(id="too-small")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.__letters()
        self.__fit(self.app.size.width, self.app.size.height)
        self.tick()

    def __letters(self) -> None:
        """Block letters, or plain spaced capitals for a font without block characters (the
        ``plain_letters`` preference)."""
        plain_letters = self.trainer.flow.settings.plain_letters
        self.query_one("#word", BigWord).plain = plain_letters
        self.query_one("#countdown", BigText).plain = plain_letters

    def on_screen_resume(self) -> None:
        self.__letters()  # the settings may have changed them meanwhile
        self.tick()  # an ended session (under a dialog) leaves now

    def on_unmount(self) -> None:
        self.__cancel_timer()

    def on_resize(self, event: events.Resize) -> None:
        self.__fit(event.size.width, event.size.height)  # the figure may go or come back

    def __fit(self, width: int, height: int) -> None:
        """Pick the layout for the window (see the module's docstring)."""
        layout = layout_for(width, height)
        self.__layout_classes(layout)
        self.query_one("#word", BigWord).set_class(layout == "-small", "-half")
        self.query_one(Bars).text_width = TEXT_WIDTH if layout == "-full" else TEXT_WIDTH - 4
        min_width, min_height = MINIMUM
        self.query_one("#too-small", Label).update(
            plain(f"Make the window at least {min_width}x{min_height}.")
        )
        if self.__last is not None:
            self.__draw_where(self.__last, width)

    def __layout_classes(self, layout: str, *, update: bool = True) -> None:
        for name, *_ in LAYOUTS:
            self.set_class(name == layout, name, update=update)
        self.set_class(layout == "-tiny", "-tiny", update=update)

    # ------------------------------------------------------------------ drawing

    def tick(self) -> None:
        """Ask the coach for now, draw what changed, signal, and sleep until the next change."""
        self.__cancel_timer()
        view, signal = self.coach.tick()
        self.trainer.outlets.play(signal)
        self.trainer.signals.title(window_title(view))
        self.draw(view)
        if view.state.is_over:
            self.__end()
            return
        delay = view.until_display_changes
        if math.isfinite(delay):
            self.__timer = self.set_timer(max(MIN_DELAY, delay + 0.01), self.tick)

    def __end(self) -> None:
        """Over: leave for the summary, now or (under a dialog) as soon as this is on top."""
        if not self.__finished and self.app.screen is self:
            self.__finished = True
            self.__leave(SessionExit.ENDED)

    def __cancel_timer(self) -> None:
        if self.__timer is not None:
            self.__timer.stop()
            self.__timer = None

    def __set(self, widget_id: str, value: str | Text) -> None:
        if self.__shown.get(widget_id) != value:
            self.__shown[widget_id] = value
            # Every label but #where has a fixed size: new text needs a repaint, not a new
            # layout of the whole screen (the difference between 0.7 % and 1.4 % of a core).
            label = self.query_one(f"#{widget_id}", Label)
            label.update(plain(value), layout=widget_id in RESIZING)

    def draw(self, view: View) -> None:
        shown = screenful(view, self.coach.plan)
        self.__last = shown
        for widget_id, text in (
            ("exercise", shown.exercise),
            ("where", shown.where),
            ("muscle", shown.muscle),
            ("cue", shown.cue),
        ):
            self.__set(widget_id, text)
        self.__set(
            "next", countdown_line(shown.warning, shown.next) if shown.warning else shown.next
        )
        self.__draw_state(shown)
        self.__view = view
        self.query_one("#countdown", BigText).value = shown.countdown
        self.__draw_where(shown, self.app.size.width)
        bars = self.query_one(Bars)
        bars.set_row("Set", shown.set_fraction, shown.set_text)
        bars.set_row("Rep", shown.rep_fraction, shown.rep_text)
        bars.set_row("Hold", shown.hold_fraction, shown.hold_text + shown.hold_count)
        bars.set_row("All", shown.all_fraction, shown.all_text)
        if self.__shown.get("steps") != shown.steps:
            self.__shown["steps"] = shown.steps
            self.query_one("#steps", Static).update(plain(shown.steps))

    def __figure_of(self, exercise_id: str) -> tuple[Exercise | None, figures.Drawn | None]:
        if exercise_id not in self.__figures:
            exercise = None
            if self.trainer.workout.validated:
                try:
                    exercise = self.trainer.workout.routines.exercise(exercise_id)
                except KeyError:  # a saved session of an exercise no longer in the file
                    exercise = None
            drawing = figures.drawn(exercise.figure) if exercise and exercise.figure else None
            self.__figures[exercise_id] = (exercise, drawing)
        return self.__figures[exercise_id]

    def __draw_where(self, shown: Screenful, width: int) -> None:
        """The position line (the name cut before the numbers), and the countdown's row: the
        side in big letters first (it must be read from the floor), then the exercise's figure
        in its pose now where the row has room for it beside a side in block letters.

        The row is planned for a two-digit countdown: a step whose countdown is one digit
        never makes the figure come and go."""
        self.__set("position", position_line(shown, width - SESSION_PADDING))
        countdown = self.query_one("#countdown", BigText)
        side = self.query_one("#side", SideMark)
        box = self.query_one("#figure-box", Vertical)
        room = (
            width
            - SESSION_PADDING
            - max(countdown.laid_width, COUNTDOWN_ROOM)
            - countdown.styles.margin.width
            - side.styles.margin.width
            - side.styles.gutter.width
        )
        lines: list[str] = []
        drawn_width = 0
        plain_letters = self.trainer.flow.settings.plain_letters
        room_for_figure = self.has_class("-full") or self.has_class("-medium")
        # Plain letters are for a font without block characters: the figures are drawn in them.
        if self.__view is not None and room_for_figure and not plain_letters:
            exercise, drawing = self.__figure_of(self.__view.step.exercise_id)
            if (
                drawing is not None
                and drawing.width <= FIGURE_SIZE[0]
                and drawing.height <= FIGURE_SIZE[1]
            ):
                lines = list(figures.frame_for(exercise, drawing, self.__view))
                drawn_width = drawing.width
        box_width = drawn_width + box.styles.gutter.width
        if shown.side:
            visible = bool(lines) and side_in_block_letters(room - box_width)
        else:
            visible = bool(lines) and room >= box_width
        if self.__shown.get("figure-visible") != visible:
            self.__shown["figure-visible"] = visible
            box.display = visible
        self.query_one("#figure", Figure).show(lines if visible else (), drawn_width)
        side.show(shown.side, room - box_width if visible else room, plain=plain_letters)

    def __draw_state(self, shown: Screenful) -> None:
        """The big word, and the frame or fill of the state (only when they change).

        The state classes sit on the few widgets they style (the frame, the cue, the
        countdown), never on the screen: a class on the screen restyles every widget on it,
        which was 40 % of a running session's CPU.
        """
        self.query_one("#countdown", BigText).set_class(shown.warning > 0, "-soon")
        state = (shown.word, shown.look, shown.frame_title, shown.frame_subtitle)
        if self.__shown.get("state") == state:
            return
        self.__shown["state"] = state
        self.query_one("#word", BigWord).word = shown.word
        frame = self.query_one("#frame", Vertical)
        frame.border_title = plain(shown.frame_title)
        frame.border_subtitle = plain(shown.frame_subtitle)  # the file's side words
        look = f"-{shown.look.value}"
        frame.set_classes(look)
        self.query_one("#cue", Label).set_classes(look)
        # The footer: + and - dim outside rests, Pause becomes Resume. Only when they change:
        # a footer refresh rebuilds its keys (a repaint of the whole line, twice).
        keys = (shown.rest, shown.paused)
        if self.__shown.get("keys") != keys:
            self.__shown["keys"] = keys
            self.refresh_bindings()

    # ------------------------------------------------------------------ keys

    def action_pause(self) -> None:
        self.coach.pause()
        self.tick()

    def action_resume(self) -> None:
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
        """+ and - only while a rest runs (dimmed, not hidden, otherwise: the keys after it
        would move at every rest); space says Pause or Resume, as it will do."""
        session = self.coach.session
        if action == "adjust":
            return True if session.step.kind.is_rest else None
        if action == "pause":
            return session.state is not State.PAUSED
        if action == "resume":
            return session.state is State.PAUSED
        return True

    def action_stop(self) -> None:
        """Ask first (Keep going is the default, Escape keeps going too); then the summary."""
        from trainer.ui.dialogs.confirm import Choice, ConfirmScreen

        def decided(stop: bool | None) -> None:
            if stop:
                self.coach.stop()
            self.tick()

        self.app.push_screen(
            ConfirmScreen(
                "Stop the session here? What you did is kept in the history.",
                [
                    Choice(False, "Keep going", "primary"),
                    Choice(True, "Stop the session", "warning"),
                ],
            ),
            decided,
        )

    def action_hurts(self) -> None:
        self.coach.stop_hurt()
        self.tick()

    def action_leave(self) -> None:
        """Back to the list; the session waits, paused, where it was."""
        self.coach.pause()
        self.__cancel_timer()
        self.trainer.outlets.hush()
        self.__leave(SessionExit.LEFT)

    def __leave(self, how: SessionExit) -> None:
        """Off this screen: the window's title is the app's again."""
        self.trainer.signals.title("trainer")
        self.dismiss(how)

    def action_quit_app(self) -> None:
        self.__cancel_timer()
        self.trainer.action_quit_app()
