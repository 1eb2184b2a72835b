"""The Textual app: holds the routines file, the clock and the running session; screens draw."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from trainer import storage
from trainer.engine import Clock, Session, plan_for
from trainer.errors import TrainerError
from trainer.models import RoutinesFile
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.terminal import Terminal

if TYPE_CHECKING:
    from trainer.coach import Coach


def local_now() -> datetime:
    return datetime.now().astimezone()


class TrainerApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+c", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        routines_path: Path,
        routines: RoutinesFile,
        *,
        clock: Clock = time.monotonic,
        now: Callable[[], datetime] = local_now,
    ) -> None:
        super().__init__()
        self.routines_path = Path(routines_path)
        self.routines = routines
        self.clock = clock
        self.now = now
        self.terminal = Terminal(self)
        #: The session in progress (kept when the person goes back to the list).
        self.coach: Coach | None = None

    def on_mount(self) -> None:
        self.push_screen(PickerScreen())

    # ------------------------------------------------------------------ sessions

    def start_routine(self, routine_id: str) -> None:
        from trainer.coach import Coach

        plan = plan_for(self.routines, routine_id)
        session = Session(plan, self.clock)
        self.coach = Coach(session, self.routines.settings)
        session.start()
        self.open_session()

    def open_session(self) -> None:
        """Show the session in progress (starting or continuing it)."""
        from trainer.ui.screens.session import SessionScreen

        if self.coach is None:
            return
        self.push_screen(SessionScreen(self.coach))

    def session_over(self) -> None:
        """The session ended (finished or stopped): show the summary, forget the position."""
        from trainer.ui.screens.summary import SummaryScreen

        coach = self.coach
        self.coach = None
        if coach is None:
            return
        self.terminal.title("trainer")
        self.switch_screen(SummaryScreen(coach.session))

    # ------------------------------------------------------------------ routines file

    def save_routines(self, routines: RoutinesFile) -> None:
        """Write the routines file (atomically, via storage); raises TrainerError on failure."""
        storage.save_routines(self.routines_path, routines)
        self.routines = routines
        if self.coach is not None:
            self.coach.settings = routines.settings

    def action_quit_app(self) -> None:
        if self.coach is not None:
            self.coach.pause()
        self.exit()


def run_app(routines_path: Path, routines: RoutinesFile, *, resume: bool = False) -> int:
    app = TrainerApp(routines_path, routines)
    try:
        app.run()
    except TrainerError as exc:  # pragma: no cover - surfaced by the CLI
        raise exc
    return app.return_code or 0
