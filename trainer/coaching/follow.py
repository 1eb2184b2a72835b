"""A second trainer follows the one that holds the session lock, and takes over when it quits.

The rule, without Textual: at every poll the follower tries the lock (never waiting). While the
writer holds it, nothing changes. Once it is free (the writer quit, crashed or lost its
terminal), the follower takes it at once, so no third trainer can slip in, loads what the writer
saved (``session.json``, read as any writer reads it), and offers to take over. The screen only
shows :class:`Follow` and forwards the person's choice: :meth:`Follower.hand_over` (continue
here, as the writer) or :meth:`Follower.close` (quit: the lock is let go).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trainer.coaching.lifecycle import start_chores
from trainer.records.saved_session import LoadResult, LockHolder, SessionLock, load_session
from trainer.text.errors import TrainerError

#: Seconds between two looks at the lock (and at the writer's saved position).
POLL_EVERY = 2.0


@dataclass(frozen=True, slots=True)
class Takeover:
    """The writer has gone: its lock, now held by this process, and the session it left."""

    lock: SessionLock
    loaded: LoadResult
    #: Lines the person should read: what the start chores did, a saved session set aside.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Follow:
    """What the follower knows after a poll."""

    #: Who holds the lock, while somebody else does.
    holder: LockHolder | None
    #: Set once the writer has gone and the lock is ours: offer to take over.
    takeover: Takeover | None

    @property
    def writer_gone(self) -> bool:
        return self.takeover is not None


class Follower:
    def __init__(self, holder: LockHolder, routines_path: Path) -> None:
        self.holder = holder
        self.routines_path = routines_path
        self._takeover: Takeover | None = None

    def poll(self) -> Follow:
        """Look at the lock again: still held (by whom), or ours now with the session left."""
        if self._takeover is None:
            try:
                found = SessionLock.try_acquire()
            except TrainerError:  # the lock file can't be opened now: nothing new is known
                return Follow(self.holder, None)
            if isinstance(found, LockHolder):
                if found.pid is not None:  # a truncated file (a holder leaving) says nothing
                    self.holder = found
                return Follow(self.holder, None)
            # Ours now: what the process holding the lock does first (as at a start), then
            # the saved session (reading it may move a bad file aside: a writer's job).
            notes = start_chores(self.routines_path)
            loaded = load_session()
            if loaded.warning:
                notes.append(loaded.warning)
            self._takeover = Takeover(found, loaded, notes)
        return Follow(None, self._takeover)

    def hand_over(self) -> Takeover | None:
        """The lock and the saved session, for the app to continue as the writer (once)."""
        takeover, self._takeover = self._takeover, None
        return takeover

    def close(self) -> None:
        """The follower leaves without taking over: let the lock go if it was taken."""
        takeover, self._takeover = self._takeover, None
        if takeover is not None:
            takeover.lock.release()
