"""The Textual app: routes screens and shows what the workout reports; it holds no rule.

The life of a session (start, save, end, resume, abandon, the history) is
:class:`trainer.coaching.lifecycle.Workout`'s. Screens return results (``Screen[T]`` +
``dismiss``); the
app reads each result, asks the workout, and opens the next screen.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from trainer.coaching.lifecycle import FileStore, Notice, Store, Workout, start_chores
from trainer.outputs.speech import SpeechContext, open_speaker
from trainer.programme.catalog import CachedSettings, Catalog
from trainer.records import session_lock
from trainer.storage import files
from trainer.text.errors import TrainerError
from trainer.text.safe import printable
from trainer.ui.driver import TrainerDriver
from trainer.ui.screens.picker import CONTINUE, SAVED, PickerScreen
from trainer.ui.sounds import Sounds, SpeakerFactory
from trainer.ui.terminal import Terminal

if TYPE_CHECKING:
    # Loaded on first need (a session, the settings, the advice): the routine list's first
    # frame needs none of them when it is drawn from the catalog cache (see
    # trainer.programme.catalog).
    from trainer.coaching.coach import Coach
    from trainer.coaching.dose import Suggestion
    from trainer.coaching.follow import Takeover
    from trainer.engine import Clock, Plan
    from trainer.programme.schema import RoutinesFile, Settings
    from trainer.records.saved_session import SavedSession


class TrainerApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "trainer"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+c", "quit_app", "Quit", show=False, priority=True),
        Binding("ctrl+l", "redraw", "Redraw", show=False),
        Binding("ctrl+z", "suspend", "Suspend", show=False, priority=True),
    ]

    def __init__(
        self,
        routines_path: Path,
        routines: RoutinesFile | None,
        *,
        catalog: Catalog | None = None,
        raw: bytes | None = None,
        clock: Clock = time.monotonic,
        now: Callable[[], datetime] = session_lock.local_now,
        saved: SavedSession | None = None,
        resume: bool = False,
        startup_warning: str | None = None,
        locked_by: session_lock.LockHolder | None = None,
        show_advice: bool | None = None,
        start: str | None = None,
        store: Store | None = None,
        speech: SpeechContext | None = None,
        speaker_factory: SpeakerFactory = open_speaker,
    ) -> None:
        """``routines``: the validated file; or None with ``catalog``, the routine list cached
        for the file's bytes ``raw`` (the file is then validated on first need)."""
        super().__init__(driver_class=TrainerDriver)
        self.workout = Workout(
            routines_path,
            routines,
            clock=clock,
            now=now,
            store=store or FileStore(),
            saved=saved,
            report=self._show_notice,
            catalog=catalog,
            raw=raw,
        )
        self.terminal = Terminal(self)
        #: Voice, bells, notifications and the on_event hook (``speech``: found at start).
        self.sounds = Sounds(
            self.terminal, speech or SpeechContext.detect(), speaker_factory=speaker_factory
        )
        self.sounds.configure(self._settings())
        self._resume = resume
        self._startup_warning = startup_warning
        self._locked_by = locked_by
        self._show_advice = show_advice
        self._start = start
        self._doctor_checked = False
        #: The session lock, once this app took it over from a writer that quit.
        self.lock: session_lock.SessionLock | None = None

    def action_redraw(self) -> None:
        """Ctrl+L: paint every cell again (the terminal was written over by something else)."""
        self.refresh()

    def action_suspend(self) -> None:
        """Ctrl+Z: the session in progress pauses and is saved first (``fg`` brings it back
        paused), then trainer stops as a shell job does."""
        self.workout.pause_session()
        self.sounds.hush()
        self.action_suspend_process()

    # What screens read (the workout owns it).
    @property
    def routines(self) -> RoutinesFile:
        """The validated routines file: only read after :meth:`routines_ready` said True."""
        return self.workout.routines

    def _settings(self) -> CachedSettings | Settings:
        """The settings as validated, or the list's cached copy of them until then."""
        if self.workout.validated:
            return self.workout.routines.settings
        return self.workout.catalog.settings

    def routines_ready(self) -> bool:
        """Validate the routines file if the list was drawn from the cache (before a session,
        the settings, the advice...). False, with the file's one-line problem shown, if it is
        not valid now: nothing starts, and the next try validates again."""
        if self.workout.validated:
            return True
        try:
            changed = self.workout.validate()
        except TrainerError as exc:
            self.notify(f"{exc}", severity="error", timeout=20)
            return False
        self.sounds.configure(self.workout.routines.settings)  # the hook command, now trusted
        self.apply_theme()
        if changed:
            self._refresh_list()
        return True

    @property
    def routines_path(self) -> Path:
        return self.workout.routines_path

    @property
    def coach(self) -> Coach | None:
        return self.workout.coach

    @property
    def clock(self) -> Clock:
        return self.workout.clock

    def now(self) -> datetime:
        return self.workout.now()

    def plan(self, routine_id: str) -> Plan:
        return self.workout.plan(routine_id)

    def _show_notice(self, notice: Notice) -> None:
        if self.is_running:
            self.notify(notice.text, severity=notice.severity, timeout=15)

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        self._install_signal_handlers()
        # Back from Ctrl+Z or any stop: the shell wrote over the screen (see TrainerDriver).
        self.app_resume_signal.subscribe(self, lambda _app: self.refresh())
        self.terminal.save_title()
        self.apply_theme()
        if self._locked_by is not None:
            from trainer.ui.screens.watch import WatchScreen

            self.push_screen(WatchScreen(self._locked_by, self.routines_path), self.take_over)
            return
        advice_first = self._should_show_advice()
        saved = self.workout.saved
        if self._start is None or saved is not None or advice_first:
            self.push_screen(PickerScreen())
        if self._startup_warning:
            self.notify(self._startup_warning, severity="warning", timeout=15)
        if self._resume and saved is None:
            self.notify("No saved session to resume: choose a routine.", timeout=8)
        if saved is not None:
            if not (self._resume and self._resume_saved()):
                self.open_resume_prompt()
            return
        if advice_first:
            # The advice comes first, even before a routine asked for with --start.
            self.show_advice(first_time=True, then=self._start)
        elif self._start is not None:
            self.start_routine(self._start)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast of the app, whoever raises it (screens call this too): its words often
        quote a file (a path, a key, a name), so they are never read as markup and their
        control characters show as escapes. ``markup`` is ignored."""
        super().notify(
            printable(message, keep="\n"),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def take_over(self, takeover: Takeover | None) -> None:
        """The writer this app followed has gone: continue as the writer, with its session."""
        if takeover is None:
            return
        self.lock, self._locked_by = takeover.lock, None
        self.workout.saved = takeover.loaded.saved
        self.push_screen(PickerScreen())
        if takeover.notes:
            self.notify("\n".join(takeover.notes), severity="warning", timeout=15)
        if self.workout.saved is not None:
            self.open_resume_prompt()

    def on_unmount(self) -> None:
        self.sounds.close()
        self.terminal.restore_title()

    def apply_theme(self) -> None:
        self.theme = "textual-light" if self._settings().theme == "light" else "textual-dark"

    def _install_signal_handlers(self) -> None:
        """SIGHUP (terminal closed, SSH dropped) and SIGTERM: save, restore the terminal, exit."""
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self._on_signal)

    def _on_signal(self) -> None:
        self.workout.keep_position()
        self.exit()

    # ------------------------------------------------------------------ the advice

    def _should_show_advice(self) -> bool:
        if self._show_advice is not None:
            return self._show_advice
        return self.workout.should_show_advice()

    def show_advice(self, *, first_time: bool = False, then: str | None = None) -> None:
        """The article's safety advice; ``then`` is a routine to start once it is read."""
        from trainer.ui.screens.advice import AdviceScreen

        if not self.routines_ready():
            return

        def read(_: None) -> None:
            if first_time:
                self.workout.advice_read()
            if then is not None:
                self.start_routine(then)

        self.push_screen(AdviceScreen(self.routines.advice, first_time=first_time), read)

    def action_advice(self) -> None:
        self.show_advice()

    # ------------------------------------------------------------------ the saved session

    def open_resume_prompt(self) -> None:
        from trainer.ui.screens.resume import ResumeChoice, ResumeScreen

        saved = self.workout.saved
        if saved is None or not self.routines_ready():
            return

        def chosen(choice: ResumeChoice | None) -> None:
            if choice is ResumeChoice.RESUME:
                if not self._resume_saved():
                    self.open_resume_prompt()  # shows why, with Resume disabled
            elif choice is ResumeChoice.RESTART:
                routine_id = self.workout.restart()
                self._refresh_list()
                if routine_id is not None:
                    self.start_routine(routine_id)
            elif choice is ResumeChoice.DISCARD:
                self.workout.discard()
                self._refresh_list()
            else:  # later: the list offers it
                self._refresh_list()

        problem = self.workout.resume_problem()
        self.push_screen(
            ResumeScreen(saved, problem, ran_elsewhere=self._ran_elsewhere(saved)), chosen
        )

    def _ran_elsewhere(self, saved: SavedSession) -> Path | None:
        ran_on = Path(saved.routines_path)
        return ran_on if ran_on != self.routines_path.absolute() else None

    def _resume_saved(self) -> bool:
        """Continue the saved session; False (with the reason shown) if it can't be."""
        if not self.routines_ready():
            return False
        try:
            _coach, note = self.workout.resume()
        except TrainerError as exc:
            self.notify(exc.message, severity="error", timeout=15)
            return False
        self.open_session(note)
        return True

    # ------------------------------------------------------------------ sessions

    def start_routine(self, routine_id: str) -> None:
        """Start ``routine_id`` from the beginning (asking first if another is in progress)."""
        if not self.routines_ready():
            return
        if not self.workout.has_routine(routine_id):  # the file changed since the list showed
            self.notify(f"'{routine_id}' is no longer in the routines file.", severity="warning")
            return
        coach = self.workout.coach
        if coach is not None and self.workout.in_progress:
            from trainer.text import wording
            from trainer.ui.screens.confirm import Choice, ConfirmScreen

            def decided(replace: bool | None) -> None:
                if replace:
                    self.start_routine_now(routine_id)

            self.push_screen(
                ConfirmScreen(
                    f"End the session of {wording.clip(coach.plan.routine_name)} in progress "
                    "and start a new one?",
                    [
                        Choice(True, "End it and start", "warning"),
                        Choice(False, "Keep it", "primary"),
                    ],
                ),
                decided,
            )
            return
        self.start_routine_now(routine_id)

    def start_routine_now(self, routine_id: str) -> None:
        if not self.routines.settings.checkin_before:
            self.workout.start(routine_id)
            self.open_session()
            return
        from trainer.ui.screens.checkin import CheckinScreen

        def answered(score: int | None) -> None:
            self.workout.start(routine_id, checkin_before=score)
            self.open_session()

        self.push_screen(CheckinScreen(), answered)

    def open_session(self, note: str | None = None) -> None:
        """Show the session in progress (starting or continuing it)."""
        from trainer.ui.screens.session import SessionExit, SessionScreen

        coach = self.workout.coach
        if coach is None:
            return

        def left(how: SessionExit | None) -> None:
            self.terminal.title("trainer")
            if how is SessionExit.ENDED:
                self._show_summary()
            else:
                self.show_list()

        self.push_screen(SessionScreen(coach), left)
        if note:
            self.notify(note, severity="warning", timeout=15)

    def _show_summary(self) -> None:
        from trainer.ui.screens.summary import SummaryScreen

        session = self.workout.end()

        def answered(score: int | None) -> None:
            entry = self.workout.record_checkin(score)
            self.show_list()
            if entry is None:
                return
            found = self.workout.suggestions(entry)
            alert = self.workout.doctor_alert()
            if alert is None:
                self._offer(found, 0)
                return
            from trainer.ui.screens.advice import AdviceScreen

            # The doctor's advice first (the rule holds now), then only easing off is offered.
            self._doctor_checked = True
            self.push_screen(
                AdviceScreen(self.routines.advice, doctor=alert.text),
                lambda _: self._offer(found, 0),
            )

        self.push_screen(SummaryScreen(session, self.routines.advice), answered)

    def _offer(self, found: list[Suggestion], index: int) -> None:
        """Suggestion ``index`` of ``found``, then the next: each accepted (y) or declined."""
        from trainer.ui.screens.suggest import SuggestScreen

        if index >= len(found):
            return

        def answered(accept: bool | None) -> None:
            if accept and self.workout.accept(found[index]):
                self._refresh_list()
            self._offer(found, index + 1)

        where = f"{index + 1} of {len(found)}"
        self.push_screen(SuggestScreen(found[index], self.routines.advice, where), answered)

    def on_picker_screen_history_read(self, event: PickerScreen.HistoryRead) -> None:
        """At start, once: the article's see-a-doctor advice while the rule holds."""
        if self._doctor_checked or not event.records:
            return
        from trainer.coaching.dose import doctor_alert

        self._doctor_checked = True
        alert = doctor_alert(event.records)
        if alert is not None and self.routines_ready():
            from trainer.ui.screens.advice import AdviceScreen

            self.push_screen(AdviceScreen(self.routines.advice, doctor=alert.text))

    def show_list(self) -> None:
        """Back to the routine list (built now if the app started straight on a session)."""
        if not any(isinstance(screen, PickerScreen) for screen in self.screen_stack):
            self.push_screen(PickerScreen())
        else:
            self._refresh_list()

    def _refresh_list(self) -> None:
        if isinstance(self.screen, PickerScreen):
            self.screen.refresh_routines()

    def on_picker_screen_chosen(self, event: PickerScreen.Chosen) -> None:
        if event.option_id == CONTINUE:
            self.open_session()
        elif event.option_id == SAVED:
            self.open_resume_prompt()
        elif event.option_id is not None:
            self.start_routine(event.option_id)

    # ------------------------------------------------------------------ other screens

    def action_open_settings(self) -> None:
        from trainer.ui.screens.settings import SettingsScreen

        if not self.routines_ready():
            return
        self.push_screen(SettingsScreen(save=self.save_routines))

    def action_open_history(self) -> None:
        from trainer.ui.screens.history import HistoryScreen

        self.push_screen(HistoryScreen())

    def save_routines(self, routines: RoutinesFile) -> None:
        """Settings saved: write the file (TrainerError on failure) and use it from now on."""
        self.workout.save_routines(routines)
        self.apply_theme()
        self.sounds.configure(routines.settings)

    def action_quit_app(self) -> None:
        self.workout.keep_position()
        self.exit()


def run_app(
    routines_path: Path,
    routines: RoutinesFile | None,
    *,
    catalog: Catalog | None = None,
    raw: bytes | None = None,
    resume: bool = False,
    start: str | None = None,
) -> int:
    """Run the app with the single-writer lock held; the position is saved on every way out.
    ``routines`` None: the list is drawn from ``catalog`` (cached for the file's bytes ``raw``)
    and the file is validated on first need."""
    holder: session_lock.LockHolder | None = None
    lock: session_lock.SessionLock | None = None
    notes: list[str | None] = []
    saved: SavedSession | None = None
    found = session_lock.SessionLock.try_acquire()
    if isinstance(found, session_lock.LockHolder):
        holder = found
    else:
        lock = found
        notes += start_chores(routines_path)  # folders, temp files, pending history
        if os.path.lexists(files.state_dir() / files.SESSION_FILENAME):
            from trainer.records import saved_session  # its models load only when there is one

            loaded = saved_session.load_session()
            saved = loaded.saved
            notes.append(loaded.warning)
    app = TrainerApp(
        routines_path,
        routines,
        catalog=catalog,
        raw=raw,
        saved=saved,
        resume=resume,
        startup_warning="\n".join(note for note in notes if note) or None,
        locked_by=holder,
        start=start,
    )
    try:
        app.run()
    finally:
        app.workout.keep_position()
        for held in (lock, app.lock):
            if held is not None:
                held.release()
    return app.return_code or 0
