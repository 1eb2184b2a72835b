"""The session lock: one writer of ``session.json`` and the history at a time.

An advisory ``flock`` on ``$XDG_STATE_HOME/trainer/session.lock``; the holder writes its pid,
start time and host into the file so a second ``trainer`` can say who holds it. No pydantic: the
routine list takes the lock before its first frame. Re-exported by
:mod:`trainer.records.saved_session`.
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

    def describe(self) -> str:
        """``trainer is already running a session (pid 1234, since 14:02)``."""
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
        return f"trainer is already running a session{detail}"


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
        since = local_now()
        info = {"pid": os.getpid(), "since": since.isoformat(), "host": socket.gethostname()}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode("utf-8") + b"\n", 0)
        except OSError:
            # The details are a courtesy for the second process; the lock itself is held.
            pass
        return cls(fd, path, since)

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
    return LockHolder(
        pid=pid if is_int(pid) else None,
        since=since,
        # Any process can write the lock file: its host is shown escaped, like any read text.
        host=printable(host) if isinstance(host, str) else None,
    )
