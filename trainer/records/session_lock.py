"""The session lock: one writer of ``session.json`` and the history at a time.

An advisory ``flock`` on ``$XDG_STATE_HOME/trainer/session.lock``, held for as long as a
``trainer`` is open (on its list too, so that the resume prompt and the session can never be
taken by two processes). The holder writes its pid, start time, host and whether a session is in
progress into the file, so a second ``trainer`` can say what is true: "already running a
session", or only "already open". No pydantic: the routine list takes the lock before its first
frame. Re-exported by :mod:`trainer.records.saved_session`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeGuard

from trainer.storage import files
from trainer.text.errors import TrainerError
from trainer.text.safe import printable

LOCK_FILENAME = "session.lock"


def lock_path() -> Path:
    return files.state_dir() / LOCK_FILENAME


def local_now() -> datetime:
    """Now, timezone-aware in the local zone."""
    return datetime.now().astimezone()


def is_int(value: object) -> TypeGuard[int]:
    """A JSON integer (not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


# --------------------------------------------------------------------------- the lock


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds the session lock, as written in the lock file (None when unknown)."""

    pid: int | None = None
    since: datetime | None = None
    host: str | None = None
    #: Whether it has a session in progress (None: not said; an older trainer).
    session: bool | None = None

    def describe(self) -> str:
        """``trainer is already running a session (pid 1234, since 14:02)`` while it has a
        session in progress; ``trainer is already open (pid 1234, since 14:02) in another
        terminal`` when it is only open (its list, settings, history) or does not say."""
        parts: list[str] = []
        if self.pid is not None:
            parts.append(f"pid {self.pid}")
        if self.host and self.host != socket.gethostname():
            parts.append(f"on {self.host}")
        if self.since is not None:
            since = self.since.astimezone()
            today = local_now().date()
            parts.append(
                f"since {since:%H:%M}" if since.date() == today else f"since {since:%a %d %b %H:%M}"
            )
        detail = f" ({', '.join(parts)})" if parts else ""
        if self.session:
            return f"trainer is already running a session{detail}"
        return f"trainer is already open{detail} in another terminal"

    def choices(self) -> str:
        """What the person can do about it, in a sentence or two."""
        if self.session:
            return (
                "Only one trainer can run a session at a time. You can follow it here, "
                "read-only, or quit."
            )
        return (
            "Only one trainer can be open at a time, so that two never write the same files. "
            "Quit it there and this one takes over; or follow it here, read-only, or quit."
        )


class SessionLock:
    """An advisory ``flock`` on ``session.lock``, held while the open file stays open.

    Taken with :meth:`try_acquire` (which never waits), let go with :meth:`release`. The file
    is never deleted: another process may be about to lock it.
    """

    def __init__(self, fd: int, path: Path, since: datetime) -> None:
        self._fd: int | None = fd
        self.path = path
        self.since = since

    @classmethod
    def try_acquire(cls, path: Path | None = None) -> SessionLock | LockHolder:
        """The lock, or who holds it. Raises :class:`TrainerError` if the file cannot be opened."""
        path = Path(path) if path is not None else lock_path()
        files.ensure_dir(path.parent)
        try:
            # No O_TRUNC: the file may hold the current holder's details. Through storage: a
            # FIFO or a device there is refused without blocking, and a symlink is refused
            # (O_NOFOLLOW), so the truncate below can never reach a file elsewhere. The fd is
            # not inherited by child processes (O_CLOEXEC), so a spawned helper never keeps it.
            fd = files.open_file(path, os.O_RDWR | os.O_CREAT, what="lock file", follow=False)
        except files.FileProblem as exc:
            raise TrainerError(
                f"cannot open the session lock ({exc.reason}); remove it, or check the "
                "folder's permissions",
                path=path,
            ) from exc
        with contextlib.suppress(OSError):
            if os.fstat(fd).st_uid == os.getuid():
                os.fchmod(fd, files.FILE_MODE)  # ours: private, whatever it was
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return holder
            raise TrainerError(
                f"cannot lock the session ({exc.strerror or exc})", path=path
            ) from exc
        lock = cls(fd, path, local_now())
        lock.mark(session=False)
        return lock

    def mark(self, *, session: bool) -> None:
        """Write the holder's details into the file: pid, since, host, and whether a session
        is in progress (called when one starts or ends). The new details are written over the
        old, then the rest cut off, so the file is never empty while held; a second process
        that reads a half-written file learns nothing and says only "already open"."""
        fd = self._fd
        if fd is None:
            return
        info = {
            "pid": os.getpid(),
            "since": self.since.isoformat(),
            "host": socket.gethostname(),
            "session": session,
        }
        data = json.dumps(info).encode("utf-8") + b"\n"
        try:
            os.pwrite(fd, data, 0)
            os.ftruncate(fd, len(data))
        except OSError:
            # The details are a courtesy for the second process; the lock itself is held.
            pass

    def release(self) -> None:
        """Let go: clear the details (while still holding), then close. Safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        os.close(fd)  # closing the last fd of the open file drops the flock

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release()


def _read_holder(fd: int) -> LockHolder:
    try:
        raw = os.pread(fd, 4096, 0)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return LockHolder()
    if not isinstance(data, dict):
        return LockHolder()
    pid = data.get("pid")
    since: datetime | None = None
    if isinstance(data.get("since"), str):
        with contextlib.suppress(ValueError):
            since = datetime.fromisoformat(data["since"])
            if since.tzinfo is None:
                since = since.astimezone()
    host = data.get("host")
    session = data.get("session")
    return LockHolder(
        pid=pid if is_int(pid) else None,
        since=since,
        # Any process can write the lock file: its host is shown escaped, like any read text.
        host=printable(host) if isinstance(host, str) else None,
        session=session if isinstance(session, bool) else None,
    )
