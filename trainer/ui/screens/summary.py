"""The end of a session: how long it took and what was done, per exercise."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label

from trainer import format
from trainer.engine import Session, State


class SummaryScreen(Screen[None]):
    CSS_PATH = "summary.tcss"
    BINDINGS = [Binding("enter", "done", "Back to the list"), Binding("q", "app.quit", "Quit")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        view = self.session.view()
        finished = self.session.state is State.FINISHED
        with Vertical(id="summary"):
            title = "Well done: routine complete!" if finished else "Session stopped"
            yield Label(title, id="summary-title")
            yield Label(self.session.plan.routine_name, id="summary-routine")
            yield Label(
                f"Time: {format.duration(view.active_time)}"
                + (
                    f" (plus {format.duration(view.paused_time)} paused)"
                    if view.paused_time >= 1
                    else ""
                ),
                id="summary-time",
            )
            table: DataTable[str] = DataTable(id="results", cursor_type="none", zebra_stripes=True)
            table.add_columns("Exercise", "Sets done", "Reps done")
            for result in self.session.results():
                table.add_row(
                    result.name,
                    f"{result.sets_done} of {result.sets}",
                    f"{result.reps_done} of {result.reps}",
                )
            yield table
            yield Label("Press Enter to go back to the list.", classes="hint", id="summary-hint")
        yield Footer()

    def action_done(self) -> None:
        self.dismiss()
