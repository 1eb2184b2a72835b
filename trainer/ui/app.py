"""The Textual app: holds the routines file, the clock and the running session; screens draw.

Everything that must outlive the process goes through the storage-side modules: the position
(``trainer.saved_session``) at every step change, pause, quit, SIGHUP and SIGTERM; the history
(``trainer.history``) when a session ends; the routines file (``trainer.storage``) on save.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from trainer import history, saved_session, storage
from trainer.engine import Clock, Plan, Session, plan_for
from trainer.errors import TrainerError
from trainer.models import RoutinesFile
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.terminal import Terminal

if TYPE_CHECKING:
    from trainer.coach import Coach

#: A marker in the state folder: the safety advice was shown once.
ADVICE_SEEN = "advice-seen"


class TrainerApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+c", "quit_app", "Quit", show=False, priority=True)]

    def __init__(
        self,
        routines_path: Path,
        routines: RoutinesFile,
        *,
        clock: Clock = time.monotonic,
        now: Callable[[], datetime] = saved_session.local_now,
        saved: saved_session.SavedSession | None = None,
        resume: bool = False,
        startup_warning: str | None = None,
        locked_by: saved_session.LockHolder | None = None,
        show_advice: bool | None = None,
        start: str | None = None,
    ) -> None:
        super().__init__()
        self.routines_path = Path(routines_path)
        self.routines = routines
        self.clock = clock
        self.now = now
        self.terminal = Terminal(self)
        #: The session in progress (kept when the person goes back to the list).
        self.coach: Coach | None = None
        self.started_at: datetime | None = None
        #: A finished session's history entry, waiting for the check-in answer.
        self.pending_entry: history.HistoryEntry | None = None
        self._saved = saved
        self._resume = resume
        self._startup_warning = startup_warning
        self._locked_by = locked_by
        self._show_advice = show_advice
        self._start = start
        self._save_failed = False
        self._plans: dict[str, Plan] = {}

    def plan(self, routine_id: str) -> Plan:
        """The plan of a routine of the current file (built once per file version)."""
        plan = self._plans.get(routine_id)
        if plan is None:
            plan = self._plans[routine_id] = plan_for(self.routines, routine_id)
        return plan

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self._install_signal_handlers()
        self.terminal.save_title()
        self.apply_theme()
        if self._locked_by is not None:
            from trainer.ui.screens.watch import WatchScreen

            self.push_screen(WatchScreen(self._locked_by))
            return
        if self._start is None or self._saved is not None or self._should_show_advice():
            self.push_screen(PickerScreen())
        if self._startup_warning:
            self.notify(self._startup_warning, severity="warning", timeout=15)
        if self._resume and self._saved is None:
            self.notify("No saved session to resume: choose a routine.", timeout=8)
        if self._saved is not None:
            if self._resume:
                problem = self.resume_saved(self._saved, from_prompt=False)
                if problem is None:
                    return
                self._open_resume_prompt(self._saved, problem)
            else:
                self._open_resume_prompt(self._saved, None)
            return
        start = self._start
        if self._should_show_advice():
            # The advice comes first, even before a routine asked for with --start.
            self.show_advice(first_time=True, then=start)
        elif start is not None:
            self.start_routine(start)

    def on_unmount(self) -> None:
        self.terminal.restore_title()

    def apply_theme(self) -> None:
        self.theme = "textual-light" if self.routines.settings.theme == "light" else "textual-dark"

    def _open_resume_prompt(self, saved: saved_session.SavedSession, problem: str | None) -> None:
        from trainer.ui.screens.resume import ResumeScreen

        self.push_screen(ResumeScreen(saved, problem))

    def _install_signal_handlers(self) -> None:
        """SIGHUP (terminal closed, SSH dropped) and SIGTERM: save, restore the terminal, exit."""
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._on_signal)

    def _on_signal(self) -> None:
        self.keep_position()
        self.exit()

    # ------------------------------------------------------------------ the advice

    def _advice_marker(self) -> Path:
        return storage.state_dir() / ADVICE_SEEN

    def _should_show_advice(self) -> bool:
        if self._show_advice is not None:
            return self._show_advice
        return not self._advice_marker().exists()

    def show_advice(self, *, first_time: bool = False, then: str | None = None) -> None:
        """The article's safety advice; ``then`` is a routine to start once it is read."""
        from trainer.ui.screens.advice import AdviceScreen

        def seen(_: None) -> None:
            if first_time:
                with contextlib.suppress(TrainerError):
                    storage.atomic_write(self._advice_marker(), self.now().isoformat().encode())
            if then is not None:
                self.start_routine(then)

        self.push_screen(AdviceScreen(self.routines.advice, first_time=first_time), seen)

    # ------------------------------------------------------------------ sessions

    def start_routine(self, routine_id: str) -> None:
        """Start ``routine_id`` from the beginning (asking first if another is in progress)."""
        if self.coach is not None and not self.coach.session.state.is_over:
            from trainer.ui.screens.confirm import ConfirmScreen

            current = self.coach.plan.routine_name

            def decided(choice: str | None) -> None:
                if choice == "yes":
                    self.abandon_current()
                    self.start_routine(routine_id)

            self.push_screen(
                ConfirmScreen(
                    f"End the session of {current} in progress and start a new one?",
                    [("yes", "End it and start", "warning"), ("no", "Keep it", "primary")],
                ),
                decided,
            )
            return
        session = Session(self.plan(routine_id), self.clock)
        self._begin(session, self.now())
        session.start()
        self.open_session()

    def _begin(self, session: Session, started_at: datetime) -> None:
        from trainer.coach import Coach

        self.started_at = started_at
        self.coach = Coach(session, self.routines.settings, persist=self._persist)

    def show_list(self) -> None:
        """Back to the routine list (it is built now if the app started on a session)."""
        if any(isinstance(screen, PickerScreen) for screen in self.screen_stack[:-1]):
            while not isinstance(self.screen, PickerScreen):
                self.pop_screen()
        else:
            self.switch_screen(PickerScreen())

    def open_session(self, note: str | None = None) -> None:
        """Show the session in progress (starting or continuing it)."""
        from trainer.ui.screens.session import SessionScreen

        if self.coach is None:
            return
        self.push_screen(SessionScreen(self.coach))
        if note:
            self.notify(note, severity="warning", timeout=15)

    def resume_saved(
        self, saved: saved_session.SavedSession, *, from_prompt: bool = True
    ) -> str | None:
        """Continue a saved session after a short get-ready countdown; or why it can't be."""
        from trainer.coach import continue_saved

        try:
            session, note = continue_saved(self.routines, saved, self.clock)
        except TrainerError as exc:
            return exc.message
        self._saved = None
        self._begin(session, saved.started_at)
        self._persist(session)
        if from_prompt:  # the prompt is replaced by the session; the list stays below it
            self.pop_screen()
        self.open_session(note)
        return None

    def restart_saved(self, saved: saved_session.SavedSession) -> None:
        """Record the saved session as abandoned and start its routine from the beginning."""
        routine_id = saved.snapshot.routine_id
        self.discard_saved(saved)
        self.pop_screen()
        if any(r.id == routine_id for r in self.routines.routines):
            self.start_routine(routine_id)

    def discard_saved(self, saved: saved_session.SavedSession) -> None:
        """Forget the saved session; what was done in it goes to the history as abandoned."""
        from trainer.coach import abandoned_entry

        entry = abandoned_entry(self.routines, saved, self.clock)
        if entry is not None:
            self._append(entry)
        with contextlib.suppress(TrainerError):
            saved_session.discard_session()
        self._saved = None

    def abandon_current(self) -> None:
        coach, self.coach = self.coach, None
        if coach is None or self.started_at is None:
            return
        coach.session.pause()
        self._append(
            history.entry_from_session(
                coach.session,
                started_at=self.started_at,
                ended_at=self.now(),
                outcome=history.Outcome.ABANDONED,
            )
        )
        with contextlib.suppress(TrainerError):
            saved_session.discard_session()

    def session_over(self) -> None:
        """The session ended (finished or stopped): forget the position, show the summary."""
        from trainer.ui.screens.summary import SummaryScreen

        coach = self.coach
        self.coach = None
        if coach is None:
            return
        session = coach.session
        started = self.started_at or self.now()
        self.pending_entry = history.entry_from_session(
            session, started_at=started, ended_at=self.now(), outcome=history.outcome_of(session)
        )
        with contextlib.suppress(TrainerError):
            saved_session.discard_session()
        self.terminal.title("trainer")
        self.switch_screen(SummaryScreen(session, self.routines.advice))

    def record_checkin(self, score: int | None) -> None:
        """Append the finished session to the history, with the check-in (None if skipped)."""
        entry, self.pending_entry = self.pending_entry, None
        if entry is None:
            return
        self._append(history.set_checkin(entry, score))

    def _append(self, entry: history.HistoryEntry) -> None:
        try:
            history.append_entry(entry)
        except TrainerError as exc:
            self.notify(f"History not saved: {exc}", severity="error", timeout=10)

    def _persist(self, session: Session) -> None:
        """Save the position (called by the coach at every step change and pause)."""
        if self.started_at is None:
            return
        try:
            saved_session.save_session(
                saved_session.SavedSession.of(
                    session, self.routines_path, self.started_at, saved_at=self.now()
                )
            )
        except TrainerError as exc:
            if not self._save_failed and self.is_running:  # once, not at every step
                self._save_failed = True
                self.notify(f"Position not saved: {exc}", severity="error", timeout=15)
            return
        self._save_failed = False

    def keep_position(self) -> None:
        """Pause and save the session in progress (quit, signal, going back to the list)."""
        if self.coach is not None and not self.coach.session.state.is_over:
            self.coach.pause()
        if self.pending_entry is not None:
            self.record_checkin(None)

    # ------------------------------------------------------------------ routines file

    def save_routines(self, routines: RoutinesFile) -> None:
        """Write the routines file (atomically, via storage); raises TrainerError on failure."""
        storage.save_routines(self.routines_path, routines)
        self.routines = routines
        self._plans.clear()
        self.apply_theme()
        if self.coach is not None:
            self.coach.settings = routines.settings

    def action_quit_app(self) -> None:
        self.keep_position()
        self.exit()


def run_app(
    routines_path: Path, routines: RoutinesFile, *, resume: bool = False, start: str | None = None
) -> int:
    """Run the app with the single-writer lock held; the position is saved on every way out."""
    holder: saved_session.LockHolder | None = None
    lock: saved_session.SessionLock | None = None
    found = saved_session.SessionLock.try_acquire()
    if isinstance(found, saved_session.LockHolder):
        holder = found
        loaded = saved_session.LoadResult()
    else:
        lock = found
        loaded = saved_session.load_session()
    app = TrainerApp(
        routines_path,
        routines,
        saved=loaded.saved,
        resume=resume,
        startup_warning=loaded.warning,
        locked_by=holder,
        start=start,
    )
    try:
        app.run()
    finally:
        app.keep_position()
        if lock is not None:
            lock.release()
    return app.return_code or 0
