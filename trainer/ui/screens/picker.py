"""The routine picker: each routine with its length; the highlighted one's details beside it."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from trainer.coaching.flow import CONTINUE, SAVED
from trainer.outputs.remind import plan_line
from trainer.programme.catalog import RoutineSummary
from trainer.text import wording
from trainer.ui.plain import plain
from trainer.ui.screens.base import SizeClasses, TrainerScreen
from trainer.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from trainer.records import history
    from trainer.ui.app import TrainerApp


def routine_details(
    app: TrainerApp,
    routine: RoutineSummary,
    last_done: dict[str, datetime] | None,
    entries: list[history.HistoryEntry] | None = None,
    figure_width: int = 0,
) -> Text:
    """The details pane under the routine's name (``#details-name``, one line); ``last_done``
    is None until the history has been read. Drawn from the catalog
    (:mod:`trainer.programme.catalog`):
    no plan is built and no model loaded for it. Exercise names are cut short
    (:func:`wording.clip`): a long one never hides its numbers. Each exercise's figure (its
    end position) follows its numbers when it is at most ``figure_width`` columns wide."""
    settings = app.workout.catalog.settings
    text = Text()
    text.append(routine.description + "\n\n")
    text.append(f"About {wording.estimate(routine.seconds)}", style="bold")
    text.append(f", {wording.count(len(routine.exercises), 'exercise')}\n")
    last = last_done.get(routine.id) if last_done is not None else None
    if last is not None:
        text.append(f"Last done {wording.ago((app.now() - last).total_seconds())}")
        # How much, when not all of it: "just now (2 of 35 reps)", as the history says.
        from trainer.records.history import share_done  # read by now: no cost

        share = share_done(entries or [], routine.id, last)
        text.append(f" ({share})\n" if share else "\n")
    else:
        text.append("Not done yet\n" if last_done is not None else "\n", style="italic")
    if plan_text := plan_line(settings, entries, app.now()):
        text.append(plan_text + "\n", style="bold" if "missed" in plan_text else "")
    text.append("\n")
    for n, ex in enumerate(routine.exercises, start=1):
        text.append(f"{n}. {wording.clip(ex.name)}\n", style="bold")
        sides = " each side" if ex.sides == 2 else ""
        hold = f", hold {ex.hold} s" if ex.hold else ""
        sets = f"{ex.sets} sets of {ex.reps}" if ex.sets > 1 else wording.count(ex.reps, "rep")
        text.append(f"   {sets}{sides}{hold}\n")
        if ex.figure and max(len(line) for line in ex.figure) + 3 <= figure_width:
            text.append("".join(f"   {line}\n" for line in ex.figure))
    return text


class PickerScreen(SizeClasses, TrainerScreen[None]):
    """Below 60 columns (``-narrow``) the details pane goes: the list keeps the whole width.
    Each routine is two rows of the list, its name cut to one."""

    CSS_PATH = "picker.tcss"
    # The footer shows them in this order and cuts the last ones in a narrow window. Enter is
    # a priority binding, so that the footer shows it (the list's own Enter, which does the
    # same, would hide it).
    BINDINGS = [
        Binding("enter", "start", "Start", priority=True),
        Binding("q", "app.quit_app", "Quit"),
        # A flare day: the highlighted routine's gentle version (trainer.coaching.flare).
        Binding("f", "flare", "Flare day"),
        # Not "s" (in a session s stops) nor "o" (at the resume prompt o starts over): a letter
        # never means something harmless here and something that ends a session there.
        Binding("e", "app.open_settings", "Settings"),
        Binding("h", "app.open_history", "History"),
        Binding("a", "app.advice", "Safety"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: When each routine was last done; None until the history has been read.
        self.__last_done: dict[str, datetime] | None = None
        self.__entries: list[history.HistoryEntry] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="picker"):
            with Vertical(id="list-pane"):
                yield Label("Choose a routine", id="list-title")
                yield OptionList(id="routines")
                yield Label(
                    "Enter or click to start\nf: a flare day (gentler)",
                    classes="hint",
                    id="list-hint",
                )
            with VerticalScroll(id="details-pane"):
                yield Label("", id="details-name", classes="one-line")
                yield Static(id="details")
        yield KeyFooter()

    def on_screen_resume(self) -> None:
        """Shown (first, or again after a session or settings): rebuild, then bring "last done"
        up to date from the history, in a thread (a long history never holds up the list),
        once the list is on screen (the history's models load then, not before)."""
        self.refresh_routines()
        self.call_after_refresh(self.__read_last_done)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def __read_last_done(self) -> None:
        # None: no history yet (a first run), and no models loaded for it.
        summary = self.trainer.workout.history_summary()
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self.__history_read, summary)

    def __history_read(self, summary: history.HistorySummary | None) -> None:
        """``summary`` None: there is no history file."""
        if summary is not None and summary.problem is not None:
            self.notify(f"History not read: {summary.problem}", severity="warning", timeout=10)
        self.__last_done = dict(summary.last_done) if summary is not None else {}
        self.__entries = list(summary.entries) if summary is not None else []
        if self.is_mounted:
            self.__show_details()
        self.post_message(self.HistoryRead(list(summary.records) if summary is not None else []))

    def refresh_routines(self) -> None:
        """Rebuild the list from the app's routines (after settings saved, a session ended)."""
        options = self.query_one("#routines", OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        coach = self.trainer.coach
        saved = self.trainer.workout.saved
        if coach is not None:
            step = coach.session.step
            where = f"{wording.clip(step.exercise_name)}, set {step.set} of {step.sets}"
            label = Text.assemble(
                ("Continue: ", "bold"), coach.plan.routine_name, "\n", (f"  {where}", "italic")
            )
            options.add_option(Option(plain(label), id=CONTINUE))
        elif saved is not None:
            snap = saved.snapshot
            where = f"{wording.clip(snap.exercise_name)}, set {snap.set}"
            label = Text.assemble(
                ("Saved session: ", "bold"), snap.routine_name, "\n", (f"  {where}", "italic")
            )
            options.add_option(Option(plain(label), id=SAVED))
        for routine in self.trainer.workout.catalog.routines:
            exercises = wording.count(len(routine.exercises), "exercise")
            label = Text.assemble(
                (routine.name, "bold"), "\n", f"  {wording.estimate(routine.seconds)}, {exercises}"
            )
            options.add_option(Option(plain(label), id=routine.id))
        ids = [opt.id for opt in options.options]
        # A session in progress (or saved) comes first and is what Enter does.
        first = coach is not None or saved is not None
        options.highlighted = 0 if first or keep not in ids else ids.index(keep)
        options.focus()
        self.__show_details()

    def __show_details(self) -> None:
        options = self.query_one("#routines", OptionList)
        option = options.highlighted_option
        details = self.query_one("#details", Static)
        name = self.query_one("#details-name", Label)
        if option is None:
            details.update("")
            name.update("")
            return
        routine_id = option.id
        if option.id == CONTINUE and self.trainer.coach is not None:
            routine_id = self.trainer.coach.plan.routine_id
        elif option.id == SAVED and self.trainer.workout.saved is not None:
            routine_id = self.trainer.workout.saved.snapshot.routine_id
        if not self.trainer.workout.has_routine(routine_id or ""):
            details.update("")
            name.update("")
            return
        routine = self.trainer.workout.catalog.routine(routine_id or "")
        name.update(plain(routine.name))
        # The pane's text width, from the stylesheet (list 2fr but at least 30 columns, the
        # pane 3fr less its border, padding and a scroll bar): known before a layout, so a
        # figure never wraps in the frame after a resize.
        total = self.app.size.width
        width = total - max(30, total * 2 // 5) - 1 - 4 - 2
        details.update(
            plain(
                routine_details(
                    self.trainer, routine, self.__last_done, self.__entries, figure_width=width
                )
            )
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.__show_details()

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        self.__show_details()  # a figure shows only where it fits

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.__start(event.option.id)

    def action_start(self) -> None:
        option = self.query_one("#routines", OptionList).highlighted_option
        if option is not None:
            self.__start(option.id)

    def action_flare(self) -> None:
        option = self.query_one("#routines", OptionList).highlighted_option
        self.post_message(self.Chosen(None if option is None else option.id, flare=True))

    def __start(self, option_id: str | None) -> None:
        self.post_message(self.Chosen(option_id))

    class HistoryRead(Message):
        """The history was read (after the first frame): the app checks the doctor rule."""

        def __init__(self, records: list[history.Record]) -> None:
            super().__init__()
            self.records = records

    class Chosen(Message):
        """An option was chosen: a routine id, :data:`CONTINUE` or :data:`SAVED`; ``flare``:
        its gentle version was asked for (the flare key)."""

        def __init__(self, option_id: str | None, *, flare: bool = False) -> None:
            super().__init__()
            self.option_id = option_id
            self.flare = flare
