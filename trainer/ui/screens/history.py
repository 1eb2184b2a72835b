"""History: the last 8 weeks as a heat map, the streak, this week, the pain trend, totals."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static
from textual.worker import Worker, WorkerState

from trainer.records import history
from trainer.text import wording
from trainer.ui.plain import plain, plain_cell
from trainer.ui.screens.base import SizeClasses, TrainerScreen
from trainer.ui.widgets.footer import KeyFooter

#: Check-ins drawn in the pain chart (the last ones), and sessions listed.
PAIN_READINGS = 12
RECENT_SESSIONS = 5
#: Warnings (damaged lines) shown one by one; the rest are counted.
SHOWN_WARNINGS = 3

# Glyphs carry the count too, so the map reads without colour (NO_COLOR) as with it.
_MARKS = {0: ("··", "dim"), 1: ("▒▒", "green"), 2: ("▓▓", "bold green")}
_MANY = ("██", "bold bright_green")


def heat_map(rows: list[list[history.DayCell]]) -> Text:
    """Eight weeks, a row a week. Today is between brackets, ``[▓▓]``, never drawn reversed:
    a reversed full block (3+ sessions) is a blank square."""
    text = Text()
    text.append("         Mo Tu We Th Fr Sa Su\n", style="bold")
    for row in rows:
        text.append(f"{row[0].date:%d %b} ")
        before = " "
        for cell in row:
            if cell.in_future:
                mark, style = "  ", ""
            else:
                mark, style = _MARKS.get(cell.sessions, _MANY)
            text.append("[" if cell.is_today else before, style="bold")
            text.append(mark, style=style)
            before = "]" if cell.is_today else " "
        text.append(before, style="bold")
        text.append("\n")
    text.append("·· 0  ▒▒ 1  ▓▓ 2  ██ 3+ sessions", style="dim")
    return text


#: The pain chart's scale and a bar: "10 ┤" then 3 columns a reading.
_CHART_SCALE = 4
_CHART_BAR = 3
#: Columns of the heat map (its legend is the widest line) and the gap beside it.
HEATMAP_WIDTH = 35
STATS_GAP = 2


def pain_readings(pain: list[int], room: int) -> list[int]:
    """The last check-ins, as many as fit ``room`` columns (at most :data:`PAIN_READINGS`)."""
    fit = max(1, (room - _CHART_SCALE) // _CHART_BAR)
    return pain[-min(PAIN_READINGS, fit) :]


@dataclass(frozen=True, slots=True)
class _Figures:
    """The history and what the screen shows of it, computed off the UI thread."""

    today: date
    summary: history.HistorySummary
    streak: int
    week: int
    pain: list[int]
    calendar: list[list[history.DayCell]]
    totals: list[history.ExerciseTotal]


class HistoryScreen(SizeClasses, TrainerScreen[None]):
    """Names in the tables are cut short (:func:`wording.clip`): their numbers stay in sight.
    Below 70 columns (``-narrow`` here) the figures go under the heat map."""

    CSS_PATH = "history.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    BINDINGS = [Binding("escape,h", "close", "Back"), Binding("q", "app.quit_app", "Quit")]
    #: What was shown last time, reused while the history and the day are the same.
    __last: _Figures | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history"):
            yield Label("History", id="history-title")
            yield Label("Reading the history…", id="history-reading", classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.__read()

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def __read(self) -> None:
        """Read (only what was added since the last time) and sum up, off the UI thread."""
        summary = self.trainer.workout.history_summary() or history.HistorySummary()
        today = self.trainer.now().date()
        cached = HistoryScreen.__last
        if cached is not None and cached.summary is summary and cached.today == today:
            figures = cached  # nothing new since the last time: no need to sum up again
        else:
            figures = HistoryScreen.__last = _Figures(
                today=today,
                summary=summary,
                streak=history.streak(summary.entries, today),
                week=history.sessions_this_week(summary.entries, today),
                pain=history.pain_trend(summary.entries),
                calendar=history.calendar(summary.entries, today),
                totals=history.totals(summary.entries),
            )
        with contextlib.suppress(RuntimeError):  # the app closed meanwhile
            self.app.call_from_thread(self.__show, figures)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A reading that failed, for whatever reason, says so instead of "Reading..." for ever."""
        if event.worker.group != "history" or event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        why = (
            str(error).splitlines()[0] if error is not None and str(error) else type(error).__name__
        )
        with contextlib.suppress(Exception):  # the screen is going away
            self.query_one("#history-reading", Label).update(
                plain(f"History not read: {why}. Your sessions are still in the file.")
            )
            self.query_one("#history-reading", Label).add_class("warning")

    def __show(self, figures: _Figures) -> None:
        """Widgets are made here, on the UI thread, from what the worker summed up."""
        if not self.is_mounted:
            return
        self.query_one("#history-reading", Label).remove()
        self.query_one("#history", VerticalScroll).mount_all(self.__body(figures))

    def __body(self, figures: _Figures) -> list[Widget]:
        summary = figures.summary
        entries = summary.entries
        warnings = list(summary.warnings)
        if summary.problem is not None:
            warnings.insert(0, f"History not read: {summary.problem}")
        streak, week, pain = figures.streak, figures.week, figures.pain
        stats: list[Widget] = [
            Label(plain(f"Streak: {wording.count(streak, 'day')}"), id="streak"),
            Label(plain(f"This week: {wording.count(week, 'session')}"), id="week"),
            Label(plain(f"All sessions: {len(entries)}"), id="all-sessions"),
        ]
        if pain:
            label, chart = self.__pain(pain, self.app.size.width)
            stats += [
                Label(plain(label), id="pain-label"),
                Static(plain(chart), id="pain"),
                Label("oldest → newest; 0 none, 10 worst", classes="hint"),
            ]
        else:
            stats.append(Label("No check-ins yet", id="pain-label", classes="hint"))
        table: DataTable[Text] = DataTable(id="totals", cursor_type="none", zebra_stripes=True)
        table.add_columns("Exercise", "Sessions", "Sets", "Reps")
        for total in figures.totals:
            table.add_row(
                plain_cell(wording.clip(total.name)),
                plain_cell(str(total.sessions)),
                plain_cell(str(total.sets_done)),
                plain_cell(str(total.reps_done)),
            )
        body: list[Widget] = [
            Horizontal(
                Static(plain(heat_map(figures.calendar)), id="heatmap"),
                Vertical(*stats, id="history-stats"),
                id="history-top",
            ),
            table,
        ]
        if entries:
            sessions: DataTable[Text] = DataTable(
                id="recent", cursor_type="none", zebra_stripes=True
            )
            sessions.add_columns("When", "Routine", "Outcome", "Done")
            for entry in history.in_order(entries)[-RECENT_SESSIONS:][::-1]:
                sessions.add_row(
                    plain_cell(f"{entry.started_at.astimezone():%a %d %b %H:%M}"),
                    plain_cell(wording.clip(entry.routine_name)),
                    plain_cell(entry.outcome.label),
                    plain_cell(entry.amount),
                )
            body += [Label("Last sessions, newest first", id="recent-title"), sessions]
        else:
            body.append(Label("No sessions yet: they appear here when one ends.", classes="hint"))
        body += [Label(plain(warning), classes="warning") for warning in warnings[:SHOWN_WARNINGS]]
        if len(warnings) > SHOWN_WARNINGS:
            more = wording.count(len(warnings) - SHOWN_WARNINGS, "more damaged line")
            body.append(
                Label(plain(f"…and {more} skipped (trainer history lists them)"), classes="warning")
            )
        body.append(
            Label(
                "trainer history --csv exports every session for a physiotherapist.", classes="hint"
            )
        )
        return body

    def __pain(self, pain: list[int], width: int) -> tuple[str, str]:
        """The pain chart's title and bars for a window ``width`` wide: as many readings as
        fit beside the heat map (or under it, when narrow), never wrapped."""
        room = width - 2 - 2  # the screen's padding, its scroll bar
        if width >= 70:  # beside the heat map (see HORIZONTAL_BREAKPOINTS)
            room -= HEATMAP_WIDTH + STATS_GAP
        recent = pain_readings(pain, room)
        label = f"Back pain, last {len(recent)}: now {pain[-1]}"
        return label, "\n".join(history.pain_chart(recent))

    def on_resize(self, event: events.Resize) -> None:
        """The pain chart again, fitted to the new width (once it is shown)."""
        super().on_resize(event)
        figures = HistoryScreen.__last
        charts = self.query("#pain")
        if figures is None or not figures.pain or not charts:
            return
        label, chart = self.__pain(figures.pain, event.size.width)
        self.query_one("#pain-label", Label).update(plain(label))
        charts.first(Static).update(plain(chart))

    def action_close(self) -> None:
        self.dismiss()
