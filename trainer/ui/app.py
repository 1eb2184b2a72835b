"""The Textual app: it shows what :class:`trainer.coaching.flow.Flow` says comes next (each
screen through :mod:`trainer.ui.routes`) and gives the screen's result back; it holds no rule."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from trainer.coaching import flow
from trainer.coaching.lifecycle import FileStore, Notice, Store, Workout, claim_session
from trainer.outputs.speech import SpeechContext, open_speaker
from trainer.programme import preferences as prefs
from trainer.programme.catalog import Catalog
from trainer.records import session_lock
from trainer.ui.bells import TerminalSignals
from trainer.ui.driver import TrainerDriver
from trainer.ui.outlets import CueOutlets, SpeakerFactory
from trainer.ui.plain import PlainTextApp
from trainer.ui.screens.picker import PickerScreen

if TYPE_CHECKING:
    # Loaded on first need: the routine list's first frame from the catalog cache needs none.
    from trainer.coaching.coach import Coach
    from trainer.engine import Clock
    from trainer.programme.schema import RoutinesFile
    from trainer.records.saved_session import SavedSession


class TrainerApp(PlainTextApp):
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
        lock: session_lock.SessionLock | None = None,
        show_advice: bool | None = None,
        start: str | None = None,
        store: Store | None = None,
        speech: SpeechContext | None = None,
        speaker_factory: SpeakerFactory = open_speaker,
        preferences: prefs.Loaded | None = None,
    ) -> None:
        """``routines``: the validated file; or None with ``catalog``, the routine list cached
        for the file's bytes ``raw`` (the file is then validated on first need).
        ``preferences``: the person's (voice, sounds, theme, on_event), never the routines
        file's."""
        super().__init__(driver_class=TrainerDriver)
        self.workout = Workout(
            routines_path,
            routines,
            clock=clock,
            now=now,
            store=store or FileStore(),
            saved=saved,
            report=self.__show_notice,
            catalog=catalog,
            raw=raw,
            preferences=preferences,
        )
        if lock is not None:  # held by the caller (run_app) for the whole run
            self.workout.hold(lock)
        options = flow.StartOptions(resume, start, show_advice, locked_by, startup_warning)
        self.flow = flow.Flow(self.workout, options)
        self.signals = TerminalSignals(self)
        #: Voice, bells, notifications and the on_event hook (``speech``: found at start).
        self.outlets = CueOutlets(
            self.signals, speech or SpeechContext.detect(), speaker_factory=speaker_factory
        )
        self.outlets.configure(self.flow.settings)

    def action_redraw(self) -> None:
        """Ctrl+L: paint every cell again (the terminal was written over by something else)."""
        self.refresh()

    def action_suspend(self) -> None:
        """Ctrl+Z: the session in progress pauses and is saved first (``fg`` brings it back
        paused), then trainer stops as a shell job does."""
        self.workout.pause_session()
        self.outlets.hush()
        self.action_suspend_process()

    # What screens read (the workout owns it).
    @property
    def routines(self) -> RoutinesFile:
        """The validated routines file (screens that need it open after the flow's gate)."""
        return self.workout.routines

    @property
    def routines_path(self) -> Path:
        return self.workout.routines_path

    @property
    def coach(self) -> Coach | None:
        return self.workout.coach

    def now(self) -> datetime:
        return self.workout.now()

    def __show_notice(self, notice: Notice) -> None:
        if self.is_running:
            self.notify(notice.text, severity=notice.severity, timeout=notice.timeout)

    # ------------------------------------------------------------------ start and end

    def on_mount(self) -> None:
        # SIGHUP (terminal closed, SSH dropped) and SIGTERM: save, restore the terminal, exit.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(signum, self.action_quit_app)
        # Back from Ctrl+Z or any stop: the shell wrote over the screen (see TrainerDriver).
        self.app_resume_signal.subscribe(self, lambda _app: self.refresh())
        self.signals.save_title()
        self.apply_theme()
        self.show(self.flow.begin())

    def on_unmount(self) -> None:
        self.outlets.close()
        self.signals.restore_title()

    def apply_theme(self) -> None:
        self.theme = "textual-light" if self.flow.settings.theme == "light" else "textual-dark"

    def action_quit_app(self) -> None:
        self.workout.keep_position()
        self.exit()

    # ------------------------------------------------------------------ routing

    def show(self, steps: Iterable[flow.Step]) -> None:
        """Show each step in turn; a screen's result goes back to the step's ``then``."""
        from trainer.ui import routes

        for step in steps:
            match step:
                case Notice(text, severity, timeout):
                    self.notify(text, severity=severity, timeout=timeout)
                case flow.ShowList() if not any(
                    isinstance(s, PickerScreen) for s in self.screen_stack
                ):
                    self.push_screen(PickerScreen())
                case flow.ShowList() | flow.RefreshList():
                    if isinstance(self.screen, PickerScreen):
                        self.screen.refresh_routines()
                case flow.UseSettings(settings):
                    self.outlets.configure(settings)  # the hook command, now trusted
                    self.apply_theme()
                case _:
                    routes.push(self, step)

    def on_picker_screen_chosen(self, event: PickerScreen.Chosen) -> None:
        self.show(self.flow.chosen(event.option_id, flare=event.flare))

    def on_picker_screen_history_read(self, event: PickerScreen.HistoryRead) -> None:
        self.show(self.flow.history_read(event.records))

    def action_advice(self) -> None:
        self.show(self.flow.advice())

    def action_open_settings(self) -> None:
        self.show(self.flow.open_settings())

    def action_open_history(self) -> None:
        self.show([flow.OpenHistory()])

    def save_routines(self, routines: RoutinesFile) -> None:
        """Write the routines file (TrainerError on failure) and use it from now on."""
        self.show(self.flow.save_routines(routines))

    def save_settings(
        self, routines: RoutinesFile, preferences: prefs.Preferences, done: Callable[[str], None]
    ) -> None:
        """Settings saved: each file that changed (TrainerError on failure; the flow asks
        first if a file changed the same values meanwhile), then ``done(status)``."""
        self.show(self.flow.save_settings(routines, preferences, done))


def run_app(
    routines_path: Path,
    routines: RoutinesFile | None,
    *,
    catalog: Catalog | None = None,
    raw: bytes | None = None,
    resume: bool = False,
    start: str | None = None,
    preferences: prefs.Loaded | None = None,
) -> int:
    """Run the app with the single-writer lock held (or following its holder); the position
    is saved on every way out. ``routines``, ``catalog``, ``raw``: as for :class:`TrainerApp`."""
    claim = claim_session(routines_path)
    app = TrainerApp(
        routines_path,
        routines,
        catalog=catalog,
        raw=raw,
        saved=claim.saved,
        resume=resume,
        startup_warning=claim.warning,
        locked_by=claim.holder,
        lock=claim.lock,
        start=start,
        preferences=preferences,
    )
    # What exists now (the modules, the app, the saved session) lives as long as the process:
    # Python's garbage collector need not walk it again at each full collection while Textual
    # builds the screens.
    gc.freeze()
    try:
        app.run()
    finally:
        # Also where on_unmount never ran (SIGINT, an error): no hook or voice outlives us.
        app.outlets.close()
        app.flow.close()
        claim.release()
    return app.return_code or 0
