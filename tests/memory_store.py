"""A workout's store in memory, and a wall clock moved with the fake monotonic one: the life of
a workout and the way through the screens are tested with them, without files or a terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from trainer.engine import ManualClock
from trainer.programme import preferences as prefs
from trainer.programme.documents import Resolution, Saved
from trainer.programme.loading import dump_routines
from trainer.programme.schema import RoutinesFile
from trainer.records.history import HistoryEntry, HistorySummary, Record
from trainer.records.saved_session import SavedSession
from trainer.text.errors import TrainerError

START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


class MemoryStore:
    """What the workout would have written, kept in memory; can be told to refuse."""

    def __init__(self) -> None:
        self.saved: SavedSession | None = None
        self.history: list[Record] = []
        self.advice = False
        self.routines: RoutinesFile | None = None
        self.preferences: prefs.Preferences | None = None
        self.refuse: set[str] = set()

    def _check(self, what: str) -> None:
        if what in self.refuse:
            raise TrainerError("could not save (the disk is full)", path=Path("/x") / what)

    def save_session(self, saved: SavedSession) -> None:
        self._check("session")
        self.saved = saved

    def discard_session(self) -> None:
        self._check("discard")
        self.saved = None

    def append_history(self, entry: Record) -> None:
        self._check("history")
        self.history.append(entry)

    def read_history(self) -> list[Record]:
        self._check("read")
        return list(self.history)

    def history_summary(self) -> HistorySummary | None:
        if not self.history:
            return None
        entries = tuple(r for r in self.history if isinstance(r, HistoryEntry))
        return HistorySummary(records=tuple(self.history), entries=entries)

    def advice_seen(self) -> bool:
        return self.advice

    def mark_advice_seen(self, when: datetime) -> None:
        self._check("advice")
        self.advice = True

    def save_routines(
        self,
        path: Path,
        routines: RoutinesFile,
        *,
        base: RoutinesFile | None,
        base_raw: bytes | None,
        resolve: Resolution | None,
    ) -> Saved:
        self._check("routines")
        self.routines = routines
        return Saved(dump_routines(routines), written=True)

    def save_preferences(
        self, loaded: prefs.Loaded, new: prefs.Preferences, resolve: Resolution | None
    ) -> tuple[prefs.Loaded, bool]:
        self._check("preferences")
        written = new != loaded.preferences
        self.preferences = new
        return prefs.Loaded(new, None, loaded.path), written


class Wall:
    """The wall clock, moved together with the monotonic one."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.origin = clock()

    def __call__(self) -> datetime:
        return START + timedelta(seconds=self.clock() - self.origin)
