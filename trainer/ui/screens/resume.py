"""The resume prompt: a saved session exists; continue it, start it over, or discard it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Label

from trainer import words
from trainer.engine import LEAD_IN, Side, State, StepKind
from trainer.saved_session import SavedSession
from trainer.ui.screens.base import TrainerScreen

if TYPE_CHECKING:
    pass

Choice = Literal["resume", "restart", "discard"]


def describe_position(saved: SavedSession, now: datetime) -> tuple[str, str, str]:
    """(routine line, position line, when line) for the prompt."""
    snap = saved.snapshot
    where = snap.exercise_name
    if snap.side is not Side.BOTH:
        where += f", {snap.side.label.lower()}"
    if snap.kind not in (StepKind.READY, StepKind.DONE):
        where += f", set {snap.set}, rep {snap.rep}"
    ago = words.ago((now - saved.saved_at).total_seconds())
    paused = " (paused)" if snap.state is State.PAUSED else ""
    return snap.routine_name, where, f"Stopped {ago}{paused}"


class ResumeScreen(TrainerScreen):
    CSS_PATH = "resume.tcss"
    BINDINGS = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("s", "choose('restart')", "Start over"),
        Binding("d", "choose('discard')", "Discard"),
        Binding("q", "app.quit_app", "Quit"),
    ]

    def __init__(self, saved: SavedSession, problem: str | None = None) -> None:
        super().__init__()
        self.saved = saved
        self.problem = problem

    def compose(self) -> ComposeResult:
        routine, where, when = describe_position(self.saved, self.trainer.now())
        with Vertical(id="resume"):
            yield Label("Welcome back: you have a session in progress", id="resume-title")
            yield Label(routine, id="resume-routine")
            yield Label(where, id="resume-where")
            yield Label(when, id="resume-when", classes="hint")
            ran_on = Path(self.saved.routines_path)
            if ran_on != self.trainer.routines_path.absolute():
                yield Label(
                    f"It ran on {ran_on}; it continues on {self.trainer.routines_path}.",
                    id="resume-file",
                    classes="warning",
                )
            yield Label(self.problem or "", id="resume-problem", classes="error")
            with Horizontal(id="resume-buttons"):
                yield Button("Resume", id="resume-resume", variant="primary")
                yield Button("Start over", id="resume-restart")
                yield Button("Discard", id="resume-discard", variant="error")
            yield Label(
                f"Enter resumes after a {LEAD_IN}-second countdown to get back into position.",
                classes="hint",
                id="resume-hint",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#resume-resume", Button).focus()
        self.query_one("#resume-problem", Label).display = bool(self.problem)
        if self.problem:
            self.query_one("#resume-resume", Button).disabled = True

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = (event.button.id or "").removeprefix("resume-")
        self.action_choose(choice)

    def action_choose(self, choice: str) -> None:
        if choice == "resume" and self.problem:
            return
        if choice == "resume":
            problem = self.trainer.resume_saved(self.saved)
            if problem is not None:
                self.problem = problem
                self.query_one("#resume-problem", Label).update(problem)
                self.query_one("#resume-problem", Label).display = True
                self.query_one("#resume-resume", Button).disabled = True
                self.query_one("#resume-restart", Button).focus()
            return
        if choice == "restart":
            self.trainer.restart_saved(self.saved)
        elif choice == "discard":
            self.trainer.discard_saved(self.saved)
            self.dismiss()
