"""The end of a session: what was done, the article's advice if it hurt, and the check-in."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label

from trainer.engine import Session
from trainer.programme.schema import Advice
from trainer.records.history import (
    CHECKIN_MAX,
    CHECKIN_MIN,
    CHECKIN_QUESTION,
    Outcome,
    amount_done,
    outcome_of,
    parse_checkin,
)
from trainer.text import wording
from trainer.text.errors import TrainerError
from trainer.ui.plain import plain, plain_cell
from trainer.ui.screens.base import SizeClasses, TrainerScreen
from trainer.ui.widgets.footer import KeyFooter
from trainer.ui.widgets.score import ScoreInput


class SummaryScreen(SizeClasses, TrainerScreen[int | None]):
    """Dismisses with the check-in: a score 0-10, or None when it was skipped.

    What was done scrolls; the check-in stays at the bottom, always in sight."""

    CSS_PATH = "summary.tcss"
    BINDINGS = [
        Binding("escape", "skip", "Skip check-in"),
        # Before the focused box sees it (the box takes digits only, see ScoreInput).
        Binding("q", "app.quit_app", "Quit", priority=True),
    ]

    def __init__(self, session: Session, advice: Advice) -> None:
        super().__init__()
        self.session = session
        self.advice = advice

    def compose(self) -> ComposeResult:
        view = self.session.view()
        outcome = outcome_of(self.session)
        hurt = self.session.hurt
        with VerticalScroll(id="summary"):
            title = {
                Outcome.HURT: "Stopped because it hurt",
                Outcome.FINISHED: "Well done: routine complete!",
                Outcome.PARTIAL: "Routine over, with steps skipped",
            }.get(outcome, "Session stopped")
            yield Label(plain(title), id="summary-title", classes="-hurt" if hurt else "")
            if hurt:
                with Vertical(id="hurt-advice"):
                    yield Label(plain(self.advice.stop_if_worse))
                    yield Label(plain(self.advice.see_doctor))
            paused = (
                f" (plus {wording.duration(view.paused_time)} paused)"
                if view.paused_time >= 1
                else ""
            )
            name = wording.clip(self.session.plan.routine_name)
            yield Label(
                plain(f"{name}: {wording.duration(view.active_time)}{paused}"), id="summary-time"
            )
            yield Label(plain(f"Done: {amount_done(self.session.results())}"), id="summary-done")
            table: DataTable[Text] = DataTable(id="results", cursor_type="none", zebra_stripes=True)
            table.add_columns("Exercise", "Sets done", "Reps done")
            for result in self.session.results():
                table.add_row(
                    plain_cell(wording.clip(result.name)),
                    plain_cell(f"{result.sets_done} of {result.sets}"),
                    plain_cell(f"{result.reps_done} of {result.reps}"),
                )
            yield table
        with Vertical(id="checkin-area"):
            yield Label(
                plain(f"{CHECKIN_QUESTION} {CHECKIN_MIN} = no pain, {CHECKIN_MAX} = the worst."),
                id="checkin-question",
            )
            with Horizontal(id="checkin-row"):
                yield ScoreInput(id="checkin")
                yield Label(
                    "type a number and Enter, or click one; Enter alone or Escape skips",
                    classes="hint one-line",
                )
            with Horizontal(id="checkin-buttons"):
                for score in range(CHECKIN_MIN, CHECKIN_MAX + 1):
                    yield Button(
                        plain(str(score)), id=f"score-{score}", classes="score", compact=True
                    )
            yield Label("", id="checkin-problem", classes="error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#checkin", Input).focus()

    @on(Input.Submitted, "#checkin")
    def __submitted(self, event: Input.Submitted) -> None:
        try:
            score = parse_checkin(event.value)
        except TrainerError as problem:
            self.query_one("#checkin-problem", Label).update(plain(problem.message))
            return
        self.__answer(score)

    @on(Button.Pressed, ".score")
    def __score(self, event: Button.Pressed) -> None:
        self.__answer(int((event.button.id or "").removeprefix("score-")))

    def __answer(self, score: int | None) -> None:
        self.dismiss(score)

    def action_skip(self) -> None:
        self.__answer(None)
