"""The session lock as the tests take it: at once, or fail naming the holder.

The product only ever *tries* the lock (``SessionLock.try_acquire`` returns the lock or who holds
it: the app then opens the read-only view); taking it or failing is what a test wants, so that
lives here (``from lock_helpers import ...``; pytest puts ``tests/`` on the path).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trainer.records.saved_session import LockHolder, SessionLock
from trainer.text.errors import TrainerError


class SessionLocked(TrainerError):
    """Another trainer holds the session lock; :attr:`holder` says which."""

    def __init__(self, holder: LockHolder) -> None:
        self.holder = holder
        super().__init__(f"{holder.describe()}; finish or quit it first")


def take_lock(path: Path | None = None) -> SessionLock:
    """The session lock (at ``path``, or the state folder's), taken now; or :class:`SessionLocked`
    naming the holder (never waits)."""
    found = SessionLock.try_acquire(path)
    if isinstance(found, LockHolder):
        raise SessionLocked(found)
    return found


@contextmanager
def holding(path: Path | None = None) -> Iterator[SessionLock]:
    """``with holding() as lock:`` the lock is held inside, released after (even on failure)."""
    lock = take_lock(path)
    try:
        yield lock
    finally:
        lock.release()


def is_held(lock: SessionLock) -> bool:
    """Whether ``lock`` still holds its file, seen from outside: a second open of the file (a
    flock of its own, even in this process) is refused. If it is not refused, that second lock
    is let go again at once."""
    other = SessionLock.try_acquire(lock.path)
    if isinstance(other, SessionLock):
        other.release()
        return False
    return True
