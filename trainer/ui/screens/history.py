"""History: the last 8 weeks as a heat map, the streak, this week, the pain trend, totals."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Label, Sparkline, Static

from trainer import history, words
from trainer.errors import TrainerError
from trainer.ui.screens.base import TrainerScreen

# Glyphs carry the count too, so the map reads without colour (NO_COLOR) as with it.
_MARKS = {0: ("··", "dim"), 1: ("▒▒", "green"), 2: ("▓▓", "bold green")}
_MANY = ("██", "bold bright_green")


def heat_map(rows: list[list[history.DayCell]]) -> Text:
    text = Text()
    text.append("         Mo Tu We Th Fr Sa Su\n", style="bold")
    for row in rows:
        text.append(f"{row[0].date:%d %b}  ")
        for cell in row:
            if cell.in_future:
                mark, style = "  ", ""
            else:
                mark, style = _MARKS.get(cell.sessions, _MANY)
            if cell.is_today:
                style = (style + " reverse").strip()
            text.append(mark, style=style)
            text.append(" ")
        text.append("\n")
    text.append("·· none  ▒▒ 1  ▓▓ 2  ██ 3+ sessions", style="dim")
    return text


class HistoryScreen(TrainerScreen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [Binding("escape,h", "close", "Back"), Binding("q", "app.quit_app", "Quit")]

    def compose(self) -> ComposeResult:
        try:
            entries, warnings = history.read_entries()
        except TrainerError as exc:
            entries, warnings = [], [f"History not read: {exc}"]
        today = self.trainer.now().date()
        streak = history.streak(entries, today)
        week = history.sessions_this_week(entries, today)
        pain = history.pain_trend(entries)
        with VerticalScroll(id="history"):
            yield Label("History", id="history-title")
            with Horizontal(id="history-top"):
                yield Static(heat_map(history.calendar(entries, today)), id="heatmap")
                with Vertical(id="history-stats"):
                    yield Label(f"Streak: {words.count(streak, 'day')}", id="streak")
                    yield Label(f"This week: {words.count(week, 'session')}", id="week")
                    yield Label(f"All sessions: {len(entries)}", id="all-sessions")
                    if pain:
                        yield Label(
                            f"Back pain (0-10), last {len(pain[-20:])}: now {pain[-1]}",
                            id="pain-label",
                        )
                        yield Sparkline(pain[-20:], id="pain", summary_function=max)
                        yield Label("oldest → newest", classes="hint")
                    else:
                        yield Label("No check-ins yet", id="pain-label", classes="hint")
            table: DataTable[str] = DataTable(id="totals", cursor_type="none", zebra_stripes=True)
            table.add_columns("Exercise", "Sessions", "Sets", "Reps")
            for total in history.totals(entries):
                table.add_row(
                    total.name, str(total.sessions), str(total.sets_done), str(total.reps_done)
                )
            yield table
            if not entries:
                yield Label("No sessions yet: they appear here when one ends.", classes="hint")
            for warning in warnings[:3]:
                yield Label(warning, classes="warning")
            yield Label(
                "trainer history --csv exports every session for a physiotherapist.", classes="hint"
            )
        yield Footer()

    def action_close(self) -> None:
        self.dismiss()
