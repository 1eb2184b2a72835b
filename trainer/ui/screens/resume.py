"""The resume prompt: a saved session exists; continue it, start it over, discard it, or later.

It dismisses with a :class:`ResumeChoice`; the app does what was chosen. Discarding asks
first (the safe answer is the default); Escape goes to the list, where the saved session stays
offered.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label

from trainer.coaching.display import describe_position
from trainer.coaching.flow import ResumeChoice
from trainer.engine import LEAD_IN
from trainer.records.saved_session import SavedSession
from trainer.ui.dialogs.confirm import Choice, ConfirmScreen
from trainer.ui.plain import plain
from trainer.ui.screens.base import SizeClasses, TrainerScreen
from trainer.ui.widgets.footer import KeyFooter


class ResumeScreen(SizeClasses, TrainerScreen[ResumeChoice]):
    """The names take one line each and the buttons come right after them; the notes and the
    hint scroll below the buttons, so nothing pushes the buttons out of a small window."""

    CSS_PATH = "resume.tcss"
    # The footer shows the keys in this order and cuts the last ones in a narrow window: the
    # keys without a button first (Escape, q).
    BINDINGS = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("escape", "choose('later')", "Later"),
        Binding("q", "app.quit_app", "Quit"),
        Binding("o", "choose('restart')", "Start over"),
        Binding("d", "choose('discard')", "Discard"),
    ]

    def __init__(
        self, saved: SavedSession, problem: str | None = None, *, ran_elsewhere: Path | None = None
    ) -> None:
        """``problem``: why it can't be resumed (Resume is then disabled); ``ran_elsewhere``:
        the routines file it ran on, when that is not the one in use now."""
        super().__init__()
        self.saved = saved
        self.problem = problem
        self.ran_elsewhere = ran_elsewhere

    def compose(self) -> ComposeResult:
        routine, where, when = describe_position(
            self.saved, self.trainer.now(), self.trainer.routines
        )
        with Vertical(id="resume"):
            yield Label(
                "Welcome back: a session is in progress", id="resume-title", classes="one-line"
            )
            yield Label(plain(routine), id="resume-routine", classes="one-line")
            yield Label(plain(where), id="resume-where", classes="one-line")
            yield Label(plain(when), id="resume-when", classes="hint one-line")
            with Horizontal(id="resume-buttons"):
                yield Button(
                    "Resume (r)",
                    id="resume-resume",
                    variant="primary",
                    disabled=self.problem is not None,
                )
                yield Button("Start over (o)", id="resume-restart")
                yield Button("Discard (d)", id="resume-discard", variant="error")
            with VerticalScroll(id="resume-notes"):
                if self.problem:
                    yield Label(plain(self.problem), id="resume-problem", classes="error")
                if self.ran_elsewhere is not None:
                    yield Label(
                        plain(
                            f"It ran on {self.ran_elsewhere}; it continues on "
                            f"{self.trainer.routines_path}."
                        ),
                        id="resume-file",
                        classes="warning",
                    )
                yield Label(
                    plain(
                        f"Resume continues after a {LEAD_IN}-second countdown to get back into "
                        "position. Escape: back to the list, which keeps it for later."
                    ),
                    classes="hint",
                    id="resume-hint",
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        first = "#resume-restart" if self.problem else "#resume-resume"
        self.query_one(first, Button).focus()

    @on(Button.Pressed)
    def __pressed(self, event: Button.Pressed) -> None:
        self.action_choose((event.button.id or "").removeprefix("resume-"))

    def action_choose(self, name: str) -> None:
        choice = ResumeChoice(name)
        if choice is ResumeChoice.RESUME and self.problem:
            return
        if choice in CONFIRM:
            self.__confirm(choice)
            return
        self.dismiss(choice)

    def __confirm(self, choice: ResumeChoice) -> None:
        """Discard and start over both lose the position: ask, the safe answer first."""
        question, label = CONFIRM[choice]

        def decided(yes: bool | None) -> None:
            if yes:
                self.dismiss(choice)

        self.app.push_screen(
            ConfirmScreen(
                question, [Choice(False, "Keep it", "primary"), Choice(True, label, "error")]
            ),
            decided,
        )


#: The choices that lose the saved position, with their question and button.
CONFIRM = {
    ResumeChoice.DISCARD: (
        "Discard the saved session? What you did in it is kept in the history as not "
        "finished; the position is lost.",
        "Discard",
    ),
    ResumeChoice.RESTART: (
        "Start the routine over? What you did in the saved session is kept in the history as "
        "not finished; the position is lost.",
        "Start over",
    ),
}
