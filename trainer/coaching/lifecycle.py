"""The life of a workout, from the first key to the history: the rules, without Textual.

A :class:`Workout` owns what outlives a screen: the routines file in use and its plans, the
session in progress (through its :class:`~trainer.coaching.coach.Coach`), the saved session
offered for resume, and a finished session waiting for its check-in. It decides what is saved
when, what goes into the history and with which outcome, and what to tell the person when a file
could not be written. Which screen comes next is :mod:`trainer.coaching.flow`'s; the app only
routes screens and shows what the two report. :func:`claim_session` takes the single-writer lock
at start and loads the saved session.

The monotonic clock, the wall clock and the storage are injected, so tests drive a whole
session's life with a fake clock and an in-memory store, without a terminal.

The rules:

- **Start**: a routine starts from its first step. Starting another while one is in progress
  gives the running one up first (recorded as *abandoned*); the app asks the person before.
- **Save**: the position is written at every step change and pause (the coach calls
  :meth:`Workout._persist`), and on quit, SIGHUP and SIGTERM (:meth:`Workout.keep_position`).
  A failed write is reported once, not at every step, until a write succeeds again.
- **End** (finished or stopped, ``x`` included): the saved position is removed and the history
  entry is built at once, then appended when the check-in is answered or skipped, or on quit.
- **Resume**: the saved session continues after a short lead-in, clamped (with a note) if the
  routine changed; *start over* and *discard* record what was done as *abandoned*.
- **Nothing is swallowed**: every file that could not be written or removed is reported with
  what it means for the person (a position not removed is offered again next time).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from trainer.programme import catalog, loading
from trainer.programme import preferences as prefs
from trainer.programme.catalog import Catalog
from trainer.programme.documents import Resolution, SaveConflict, Saved
from trainer.records import session_lock
from trainer.storage import files
from trainer.text.errors import TrainerError

if TYPE_CHECKING:
    # Loaded with the first session, settings or history (what the routine list's first frame
    # needs is in the catalog: no pydantic, no plan).
    from trainer.coaching import dose, morning
    from trainer.coaching.coach import Coach
    from trainer.engine import Clock, Plan, Session
    from trainer.programme.schema import RoutinesFile
    from trainer.records import drafts, history
    from trainer.records.history import HistoryEntry, Outcome
    from trainer.records.saved_session import SavedSession

#: A marker in the state folder: the safety advice was shown once.
ADVICE_SEEN = "advice-seen"

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the person should read (a toast in the app, shown ``timeout`` seconds, or
    the app's usual time when None)."""

    text: str
    severity: Severity = "information"
    timeout: float | None = 15


@dataclass(frozen=True, slots=True)
class SettingsSaved:
    """What the settings screen's Save did: the files it wrote, in the order written (none
    when nothing had changed), and whether a file had changed meanwhile (merged in)."""

    written: tuple[Path, ...]
    merged: bool = False

    @property
    def status(self) -> str:
        """The screen's short status line."""
        return "Saved" if self.written else "Nothing to save"

    @property
    def notice(self) -> Notice:
        """The toast: only the files that were written."""
        if not self.written:
            return Notice("Nothing was written: the files already hold these settings", timeout=3)
        return Notice("Saved to " + " and ".join(str(path) for path in self.written), timeout=3)


class Store(Protocol):
    """Where a workout's data goes: the real files, or memory in tests."""

    def save_session(self, saved: SavedSession) -> None: ...
    def discard_session(self) -> None: ...
    def append_history(self, entry: history.Record) -> None: ...
    def read_history(self) -> list[history.Record]: ...
    def history_summary(self) -> history.HistorySummary | None: ...
    def advice_seen(self) -> bool: ...
    def mark_advice_seen(self, when: datetime) -> None: ...
    def save_routines(
        self,
        path: Path,
        routines: RoutinesFile,
        *,
        base: RoutinesFile | None,
        base_raw: bytes | None,
        resolve: Resolution | None,
    ) -> Saved: ...
    def save_preferences(
        self, loaded: prefs.Loaded, new: prefs.Preferences, resolve: Resolution | None
    ) -> tuple[prefs.Loaded, bool]:
        """The preferences now, and whether the file was written."""
        ...


class FileStore:
    """The real store: ``session.json``, ``history.jsonl``, the advice marker, the routines file.
    Every method raises :class:`TrainerError` (one line) when the disk refuses."""

    def save_session(self, saved: SavedSession) -> None:
        from trainer.records import saved_session

        saved_session.save_session(saved)

    def discard_session(self) -> None:
        from trainer.records import saved_session

        saved_session.discard_session()

    def append_history(self, entry: history.Record) -> None:
        from trainer.records import history

        history.append_entry(entry)

    def read_history(self) -> list[history.Record]:
        from trainer.records import history

        # The process's one reader: read once, then only what was appended (the list and
        # `trainer history` show its warnings).
        return list(history.shared_reader().read().records)

    def history_summary(self) -> history.HistorySummary | None:
        """What the screens show of the history (its problem in it, never raised); None when
        there is no history file yet (then no model is loaded for it)."""
        if not os.path.lexists(files.data_dir() / files.HISTORY_FILENAME):
            return None
        from trainer.records import history

        return history.shared_reader().summary()  # read once, then only what was added

    def advice_seen(self) -> bool:
        # Only a regular file counts (a FIFO or a folder there is never opened).
        return files.is_file(files.state_dir() / ADVICE_SEEN)

    def mark_advice_seen(self, when: datetime) -> None:
        marker = files.state_dir() / ADVICE_SEEN
        files.atomic_write(marker, when.isoformat().encode(), private=True)

    def save_routines(
        self,
        path: Path,
        routines: RoutinesFile,
        *,
        base: RoutinesFile | None,
        base_raw: bytes | None,
        resolve: Resolution | None,
    ) -> Saved:
        return loading.save_routines(path, routines, base=base, base_raw=base_raw, resolve=resolve)

    def save_preferences(
        self, loaded: prefs.Loaded, new: prefs.Preferences, resolve: Resolution | None
    ) -> tuple[prefs.Loaded, bool]:
        return prefs.write(loaded, new, resolve)


def catalog_for(
    routines: RoutinesFile,
    raw: bytes | None,
    path: Path,
    seconds: Callable[[str], int] | None = None,
) -> Catalog:
    """What the routine list shows of a validated file: each routine's length (``seconds``, or
    its plan's), and the ``[settings]`` keys of the file's bytes ``raw`` that are not read."""
    if seconds is None:
        from trainer.engine import plan_for

        def seconds(routine_id: str) -> int:
            return plan_for(routines, routine_id).total

    ignored = () if raw is None else prefs.ignored_in(raw, path)
    return catalog.catalog_of(routines, seconds, ignored)


def start_chores(routines_path: Path) -> list[str]:
    """What the process holding the session lock does before anything else, and the lines the
    person should read: our folders made private again if others could write to them, temp
    files of an interrupted save removed, sessions a full disk kept out of the history added."""
    notes = files.tidy_folders((Path(routines_path),))
    if os.path.lexists(files.state_dir() / files.PENDING_FILENAME):  # rarely: a full disk
        from trainer.records import history

        if added := history.flush_pending():
            notes.append(added)
    return notes


@dataclass(slots=True)
class Claim:
    """What a starting process found: the session lock it took, or who holds it (then it only
    follows that trainer's session); the saved session to offer; lines the person should read."""

    lock: session_lock.SessionLock | None
    holder: session_lock.LockHolder | None
    saved: SavedSession | None = None
    warning: str | None = None

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()


def claim_session(routines_path: Path) -> Claim:
    """Take the single-writer session lock; if it was free, do the start chores and load the
    saved session (one that can't be read is set aside, with a line saying so)."""
    found = session_lock.SessionLock.try_acquire()
    if isinstance(found, session_lock.LockHolder):
        return Claim(lock=None, holder=found)
    notes: list[str | None] = list(start_chores(routines_path))
    saved: SavedSession | None = None
    if os.path.lexists(files.state_dir() / files.SESSION_FILENAME):
        from trainer.records import saved_session  # its models load only when there is one

        loaded = saved_session.load_session()
        saved = loaded.saved
        notes.append(loaded.warning)
    warning = "\n".join(note for note in notes if note) or None
    return Claim(lock=found, holder=None, saved=saved, warning=warning)


class Workout:
    """One person's workouts in one process: see the module's docstring for the rules."""

    def __init__(
        self,
        routines_path: Path,
        routines: RoutinesFile | None,
        *,
        clock: Clock,
        now: Callable[[], datetime],
        store: Store,
        saved: SavedSession | None = None,
        report: Callable[[Notice], None] | None = None,
        catalog: Catalog | None = None,
        raw: bytes | None = None,
        preferences: prefs.Loaded | None = None,
    ) -> None:
        """``routines``: the validated file; or None with ``catalog`` (the list drawn from the
        cache) and ``raw``, the file's bytes it was keyed by: then the file is validated on
        first need (:meth:`validate`). ``raw`` is also what the next save compares the file on
        disk with (a change made meanwhile is merged, or asked about). ``preferences``: the
        person's (defaults, in the usual file, when not given)."""
        if routines is None and catalog is None:
            raise ValueError("a workout needs the routines file or its catalog")
        self.routines_path = Path(routines_path)
        self._routines = routines
        self._catalog = catalog
        self._raw = raw
        self.clock = clock
        self.now = now
        self.store = store
        #: The saved session offered for resume (None once resumed, restarted or discarded).
        self.saved = saved
        #: The session in progress, kept while the person is on the list.
        self.coach: Coach | None = None
        #: The session lock this process holds (None: following another trainer, or a test):
        #: told when a session starts and ends, so a second trainer is told the truth.
        self.lock: session_lock.SessionLock | None = None
        self.started_at: datetime | None = None
        #: A session that ended, waiting for its check-in before it goes into the history.
        self.pending: HistoryEntry | None = None
        #: The check-in before the session in progress (None: skipped, or not asked).
        self.checkin_before: int | None = None
        self.report: Callable[[Notice], None] = report or (lambda notice: None)
        self._plans: dict[tuple[str, bool], Plan] = {}
        self._save_failed = False
        #: The person's preferences and the bytes they were read from.
        self.loaded_preferences = preferences or prefs.Loaded(
            prefs.Preferences(), None, prefs.preferences_path()
        )

    @property
    def preferences(self) -> prefs.Preferences:
        return self.loaded_preferences.preferences

    @property
    def ignored(self) -> tuple[catalog.IgnoredKey, ...]:
        """The file's ``[settings]`` keys that are not read (moved to preferences.toml, or
        commands): never used, never run."""
        return self.catalog.ignored

    # ------------------------------------------------------------------ the routines file

    @property
    def validated(self) -> bool:
        """The routines file in use has been validated (the models are loaded)."""
        return self._routines is not None

    @property
    def routines(self) -> RoutinesFile:
        """The validated routines file; validated now if the list came from the cache
        (:class:`TrainerError`, one line, if the file is no longer valid)."""
        if self._routines is None:
            self.validate()
        assert self._routines is not None
        return self._routines

    @property
    def catalog(self) -> Catalog:
        """What the routine list shows (from the cache, or built from the validated file)."""
        if self._catalog is None:
            self._catalog = self._catalog_of(self._raw)
        return self._catalog

    def _catalog_of(self, raw: bytes | None) -> Catalog:
        """The catalog of the validated file (whose bytes are ``raw``), from its plans: built
        here once, and the same plan serves the session that starts next."""
        return catalog_for(self.routines, raw, self.routines_path, lambda rid: self.plan(rid).total)

    def validate(self) -> bool:
        """Validate the routines file now, if the list was drawn from the cache: before a
        session starts, the settings open, the advice shows... The file is read again: if it
        changed since the start, its new content is validated and used (True: the list must be
        redrawn). :class:`TrainerError`, the same one line as at the command line, if it is
        not valid or cannot be read; nothing changes then, and the next need tries again."""
        if self._routines is not None:
            return False
        raw = loading.read_bytes(self.routines_path, "routines file")
        routines = loading.parse_routines(raw, self.routines_path)
        self._routines = routines
        self._plans.clear()
        if raw == self._raw:
            return False
        self._raw = raw
        self._catalog = self._catalog_of(raw)
        catalog.write_cache(self.routines_path, raw, self._catalog)
        return True

    def plan(self, routine_id: str, *, flare: bool = False) -> Plan:
        """The plan of a routine of the current file (built once per file version); with
        ``flare``, its gentle version for a flare day (:mod:`trainer.coaching.flare`:
        :class:`TrainerError` when the routine has none of the gentlest exercises)."""
        from trainer.engine import plan_for

        key = (routine_id, flare)
        plan = self._plans.get(key)
        if plan is None:
            if flare:
                from trainer.coaching import flare as flare_day

                article = flare_day.bottoms(loading.shipped_routines())
                built = flare_day.flare_plan(self.routines, routine_id, article)
            else:
                built = plan_for(self.routines, routine_id)
            plan = self._plans[key] = built
        return plan

    def has_routine(self, routine_id: str) -> bool:
        if self._routines is None:
            return self.catalog.has(routine_id)
        return any(routine.id == routine_id for routine in self._routines.routines)

    # ------------------------------------------------------------------ the session in progress

    @property
    def in_progress(self) -> bool:
        """A session has started and not ended (it may be paused, or waiting behind the list)."""
        return self.coach is not None and not self.coach.session.state.is_over

    def start(
        self, routine_id: str, checkin_before: int | None = None, *, flare: bool = False
    ) -> Coach:
        """Start ``routine_id`` from its first step; one in progress is given up first.
        ``checkin_before``: the answer to the optional check-in before it. ``flare``: its gentle
        version, a flare day (:class:`TrainerError` if it has no gentle exercise; nothing is
        given up then)."""
        from trainer.engine import Session

        plan = self.plan(routine_id, flare=flare)
        if self.in_progress:
            self.abandon()
        session = Session(plan, self.clock)
        coach = self._begin(session, self.now())
        self.checkin_before = checkin_before
        session.start()
        return coach

    def _begin(self, session: Session, started_at: datetime) -> Coach:
        self.started_at = started_at
        from trainer.coaching.coach import Coach

        self.checkin_before = None
        self.coach = coach = Coach(
            session,
            self.session_preferences(session.plan),
            persist=self._persist,
            advice=self.routines.advice,
        )
        self._mark_lock()
        return coach

    def hold(self, lock: session_lock.SessionLock) -> None:
        """This process holds the session lock (from the start, or taken over)."""
        self.lock = lock
        self._mark_lock()

    def _mark_lock(self) -> None:
        """The lock file says whether a session is in progress here (a second trainer reads
        it: "already running a session", or only "already open")."""
        if self.lock is not None:
            self.lock.mark(session=self.coach is not None)

    def session_preferences(self, plan: Plan) -> prefs.Preferences:
        """The preferences a session of ``plan`` runs with: the person's, with the voice slower
        on a flare day (for that session only; the file is not touched)."""
        if not plan.flare:
            return self.preferences
        from trainer.coaching import flare

        return flare.flare_preferences(self.preferences)

    def abandon(self) -> None:
        """Give up the session in progress: what was done goes to the history as abandoned."""
        from trainer.records.history import Outcome

        coach, self.coach = self.coach, None
        self._mark_lock()
        if coach is None or self.started_at is None:
            return
        coach.session.pause()
        self._append(self._entry(coach.session, Outcome.ABANDONED))
        self._discard_saved_file()

    def end(self) -> Session:
        """The session in progress is over (finished or stopped): forget its position and hold
        its history entry until the check-in. Returns the session for the summary."""
        from trainer.records import history

        coach, self.coach = self.coach, None
        self._mark_lock()
        if coach is None:
            raise RuntimeError("no session in progress")
        session = coach.session
        self.pending = self._entry(session, history.outcome_of(session))
        self._discard_saved_file()
        return session

    def record_checkin(self, score: int | None) -> HistoryEntry | None:
        """The check-in was answered (0-10) or skipped (None): the ended session goes into the
        history. Nothing happens when no session is waiting. Returns the entry if it was
        written."""
        entry, self.pending = self.pending, None
        if entry is None:
            return None
        from trainer.records import history

        entry = history.set_checkin(entry, score)
        return entry if self._append(entry) else None

    # ------------------------------------------------------------------ the dose

    def suggestions(self, entry: HistoryEntry) -> list[dose.Suggestion]:
        """What :mod:`trainer.coaching.dose` suggests after ``entry`` (just written): nothing when
        the
        history cannot be read or does not end with it (nothing safe to go on)."""
        from trainer.coaching import dose
        from trainer.records import history
        from trainer.records.history import HistoryEntry

        try:
            records = self.store.read_history()
        except TrainerError as exc:
            self.report(Notice(f"History not read: {exc}", "warning"))
            return []
        sessions = history.in_order(r for r in records if isinstance(r, HistoryEntry))
        if not sessions or sessions[-1] != entry:
            return []
        limits = dose.article_limits(loading.shipped_routines())
        return dose.suggestions(records, self.routines, limits)

    def doctor_alert(self, records: list[history.Record] | None = None) -> dose.DoctorAlert | None:
        """Whether the see-a-doctor rule holds over the whole history: ``records`` if already
        read, else read now (None if unreadable)."""
        from trainer.coaching import dose

        try:
            return dose.doctor_alert(self.store.read_history() if records is None else records)
        except TrainerError:
            return None

    def history_summary(self) -> history.HistorySummary | None:
        """The history as the screens show it (None: there is none yet); see the store."""
        return self.store.history_summary()

    def accept(self, suggestion: dose.Suggestion, resolve: Resolution | None = None) -> bool:
        """An accepted suggestion: the routines file changes (as a settings save does: only
        that value, in place, over any change made to the file since it was read), and the
        change goes into the history. False, with the reason reported, if it can't.
        :class:`SaveConflict` (nothing written) if the file's same value changed meanwhile:
        ask, then call again with ``resolve``."""
        from trainer.coaching import dose

        try:
            self.save_routines(dose.apply(self.routines, suggestion), resolve)
        except SaveConflict:
            raise
        except (TrainerError, ValueError, KeyError) as exc:
            self.report(Notice(f"Not changed: {exc}", "error"))
            return False
        self._append(dose.record(suggestion, self.now()))
        self.report(Notice(f"Saved: {suggestion.text}"))
        return True

    def morning_due(self, records: Sequence[history.Record]) -> tuple[HistoryEntry, str] | None:
        """The session to ask the next-morning question about now, and the question (see
        :mod:`trainer.coaching.morning`), or None."""
        from trainer.coaching import morning

        now = self.now()
        entry = morning.due(records, now)
        return None if entry is None else (entry, morning.question(entry, now))

    def record_morning(self, entry: HistoryEntry, answer: morning.Answer | None) -> None:
        """The next-morning answer about ``entry`` (None: skipped) goes into the history, so it
        is never asked twice; a failed write is reported (and the question may come again)."""
        from trainer.coaching import morning

        self._append(morning.record(entry, self.now(), answer))

    def decline(self, suggestion: dose.Suggestion) -> None:
        """A declined suggestion: nothing changes, but the "no" goes into the history (the
        report shows it; it is not asked again for the same session). Advice without a
        change is not a decision and leaves no line."""
        from trainer.coaching import dose

        if suggestion.change is not None:
            self._append(dose.record(suggestion, self.now(), accepted=False))

    def keep_position(self) -> None:
        """Quit, a signal, or the list: pause and save the session in progress, and record an
        ended session whose check-in was not answered."""
        self.pause_session()
        self.record_checkin(None)

    def pause_session(self) -> None:
        """Pause and save the session in progress (Ctrl+Z, quit, a signal, the list)."""
        if self.coach is not None and not self.coach.session.state.is_over:
            self.coach.pause()

    def _entry(self, session: Session, outcome: Outcome) -> HistoryEntry:
        from trainer.records import history

        started = self.started_at or self.now()
        return history.entry_from_session(
            session,
            started_at=started,
            ended_at=self.now(),
            outcome=outcome,
            checkin_before=self.checkin_before,
        )

    def _persist(self, session: Session) -> None:
        """Save the position (the coach calls this at every step change and pause)."""
        if self.started_at is None:
            return
        from trainer.records.saved_session import SavedSession

        try:
            self.store.save_session(
                SavedSession.of(session, self.routines_path, self.started_at, saved_at=self.now())
            )
        except TrainerError as exc:
            if not self._save_failed:  # once, not at every step
                self._save_failed = True
                self.report(Notice(f"Position not saved: {exc}", "error"))
            return
        self._save_failed = False

    # ------------------------------------------------------------------ the saved session

    def resume_problem(self) -> str | None:
        """Why the saved session cannot be continued on the current routines, if it can't."""
        if self.saved is None:
            return "There is no saved session."
        try:
            self._restore(self.saved)
        except TrainerError as exc:
            return exc.message
        return None

    def resume(self) -> tuple[Coach, str | None]:
        """Continue the saved session after a short get-back-into-position countdown; the note
        says what changed if the routine was edited since. :class:`TrainerError` if it can't."""
        saved = self.saved
        if saved is None:
            raise TrainerError("There is no saved session to resume.")
        session, note = self._restore(saved)
        self.saved = None
        coach = self._begin(session, saved.started_at)
        self._persist(session)
        return coach, note

    def _restore(self, saved: SavedSession) -> tuple[Session, str | None]:
        from trainer.coaching import display
        from trainer.engine import LEAD_IN, RestoreError, Session

        snap = saved.snapshot
        if not self.has_routine(snap.routine_id):
            raise TrainerError(
                f"Can't resume: the routine '{snap.routine_name}' is no longer in the routines "
                "file. Start over or discard it."
            )
        try:
            session, note = Session.restore(
                self.plan(snap.routine_id, flare=saved.flare),
                snap,
                self.clock,
                lead_in=LEAD_IN,
                paused=False,
            )
        except RestoreError as exc:
            raise TrainerError(f"Can't resume: {display.restore_problem(exc)}.") from None
        return session, None if note is None else display.restore_note(note)

    def restart(self) -> str | None:
        """Record the saved session as abandoned and forget it; the routine to start again, if
        it is still in the file."""
        saved = self.saved
        self.discard()
        if saved is None or not self.has_routine(saved.snapshot.routine_id):
            return None
        return saved.snapshot.routine_id

    def discard(self) -> None:
        """Forget the saved session; what was done in it goes to the history as abandoned."""
        saved, self.saved = self.saved, None
        if saved is None:
            return
        self._append(self._abandoned_entry(saved))
        self._discard_saved_file()

    def _abandoned_entry(self, saved: SavedSession) -> HistoryEntry:
        """What a discarded saved session leaves in the history: its results, or, when it no
        longer fits the routines file (a routine or exercise removed since), the routine and
        its times alone (the dialog promised it is kept)."""
        from trainer.engine import RestoreError, Session
        from trainer.records import history
        from trainer.records.history import Outcome

        snap = saved.snapshot
        session = None
        if self.has_routine(snap.routine_id):
            try:
                plan = self.plan(snap.routine_id, flare=saved.flare)
                session, _ = Session.restore(plan, snap, self.clock, paused=True)
            except (RestoreError, TrainerError):
                session = None
        if session is None:
            return history.entry_from_snapshot(
                snap, started_at=saved.started_at, ended_at=saved.saved_at, flare=saved.flare
            )
        return history.entry_from_session(
            session,
            started_at=saved.started_at,
            ended_at=saved.saved_at,
            outcome=Outcome.ABANDONED,
        )

    # ------------------------------------------------------------------ files

    def _append(self, entry: history.Record) -> bool:
        try:
            self.store.append_history(entry)
        except TrainerError as exc:
            self.report(Notice(f"History not saved: {exc}", "error"))
            return False
        return True

    def _discard_saved_file(self) -> None:
        try:
            self.store.discard_session()
        except TrainerError as exc:
            self.report(
                Notice(
                    f"The saved position could not be removed ({exc}); it will be offered "
                    "again next time: discard it there.",
                    "error",
                )
            )

    def should_show_advice(self) -> bool:
        """The safety advice comes first on the first launch."""
        return not self.store.advice_seen()

    def advice_read(self) -> None:
        """The first-launch advice was read: don't show it unasked again."""
        try:
            self.store.mark_advice_seen(self.now())
        except TrainerError as exc:
            self.report(Notice(f"Could not note that the advice was read ({exc}); it shows again."))

    # ------------------------------------------------------------------ unsaved settings

    def settings_draft(self) -> drafts.SettingsDraft | None:
        """Settings changed and neither saved nor discarded last time, for this routines file."""
        from trainer.records import drafts

        return drafts.settings_draft_for(self.routines_path)

    def keep_settings_draft(self, draft: drafts.SettingsDraft) -> None:
        """The settings screen went away unsaved (quit, a closed terminal): keep its fields."""
        from trainer.records import drafts

        try:
            drafts.keep_settings_draft(draft)
        except TrainerError as exc:
            self.report(Notice(f"Unsaved settings not kept: {exc}", "error"))

    def discard_settings_draft(self) -> None:
        from trainer.records import drafts

        drafts.discard_settings_draft()

    def save_routines(self, routines: RoutinesFile, resolve: Resolution | None = None) -> bool:
        """Write the changes from the file as read to ``routines`` (in place, through the
        store) and use the file as it is then from now on. A change made to the file since it
        was read is kept (merged); :class:`SaveConflict` if it changed the same values (nothing
        written; call again with ``resolve``); :class:`TrainerError` on failure, the file and
        the workout then unchanged. True if the file was written."""
        saved = self.store.save_routines(
            self.routines_path,
            routines,
            base=self._routines,
            base_raw=self._raw,
            resolve=resolve,
        )
        if saved.merged or saved.kept_theirs:
            routines = loading.parse_routines(saved.raw, self.routines_path)
        self._routines = routines
        self._plans.clear()
        self._catalog = None
        self._raw = saved.raw
        self._keep_catalog(saved.raw)
        return saved.written

    def save_preferences(self, new: prefs.Preferences, resolve: Resolution | None = None) -> bool:
        """Write the changed preferences (in place; the same rules as :meth:`save_routines`)
        and use them from now on (the session in progress too). True if the file was written."""
        self.loaded_preferences, written = self.store.save_preferences(
            self.loaded_preferences, new, resolve
        )
        if self.coach is not None:
            self.coach.preferences = self.preferences
        return written

    def save_settings(
        self,
        routines: RoutinesFile,
        preferences: prefs.Preferences,
        resolve: Resolution | None = None,
    ) -> SettingsSaved:
        """The settings screen's Save: the preferences into ``preferences.toml``, the doses
        and timing into the routines file, each only if something in it changed; which files
        were written, and whether either had changed meanwhile (the screen shows the merged
        values). :class:`SaveConflict` / :class:`TrainerError` as :meth:`save_routines` (a
        file already written stays written)."""
        merged = False
        written: list[Path] = []
        if preferences != self.preferences:
            if self.save_preferences(preferences, resolve):
                written.append(self.loaded_preferences.path)
            merged = self.preferences != preferences
        if routines != self.routines:
            if self.save_routines(routines, resolve):
                written.append(self.routines_path)
            merged = merged or self.routines != routines
        return SettingsSaved(tuple(written), merged)

    # ------------------------------------------------------------------ old settings

    def ignored_settings(self) -> list[prefs.Ignored]:
        """The ``[settings]`` keys of the routines file that are not read, with their values
        (read from the file now; [] if it can't be read)."""
        try:
            raw = loading.read_bytes(self.routines_path, "routines file")
        except TrainerError:
            return []
        return prefs.ignored_in(raw, self.routines_path)

    def migrate_settings(self, resolve: Resolution | None = None) -> str:
        """The person agreed: move the routines file's old preference keys into
        ``preferences.toml`` (:func:`trainer.programme.migrate.migrate`). Returns what was done,
        in one line; :class:`TrainerError` (nothing lost) if it can't."""
        from trainer.programme import migrate

        result = migrate.migrate(self.routines_path, self.loaded_preferences, resolve=resolve)
        self.loaded_preferences = result.preferences
        self._raw = result.routines_raw
        self._routines = loading.parse_routines(result.routines_raw, self.routines_path)
        self._plans.clear()
        self._keep_catalog(result.routines_raw)
        if self.coach is not None:
            self.coach.preferences = self.preferences
        return result.message

    def _keep_catalog(self, raw: bytes) -> None:
        """The file was just saved: cache what the list shows of it, so the next start needs
        no validation (best effort)."""
        self._catalog = self._catalog_of(raw)
        catalog.write_cache(self.routines_path, raw, self._catalog)
