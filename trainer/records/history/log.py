"""The history file: ``$XDG_DATA_HOME/trainer/history.jsonl``, one JSON line per session.

The file is meant to be read by people too (a physio may look at it, or at ``trainer history
--csv``), so it is plain JSON Lines with local times and their UTC offset.

Writing is append-only and crash-safe: a line is written on a file opened with ``O_APPEND`` and
fsynced; if the write fails part-way (a full disk), the file is cut back to its length before
the append, so it is exactly as it was. The session that could not be written is not lost: it
is kept in ``history-pending.jsonl`` in the state folder (written atomically) and added by
:func:`flush_pending` at the next start. A crash mid-write leaves at worst one damaged last
line, and the next append starts on a fresh line so the damage never spreads. Reading skips a
damaged line with a one-line warning and keeps every other session.

Every open goes through :func:`trainer.storage.files.open_file`: a FIFO or a device at the history's
place is refused at once (one line), never waited on. A symlinked history is followed (for
reading and appending) and its mode is left alone; a regular history file of ours is kept 0600.

:class:`HistoryReader` reads the file once and then only the bytes appended since, and gives a
:class:`HistorySummary`; the screens use one shared reader from a worker thread, so a history of
100,000 sessions never stops the UI.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from trainer.programme import loading
from trainer.records.history.record import DOSE_KINDS, DoseChange, HistoryEntry, MorningCheck
from trainer.records.history.stats import last_done
from trainer.storage import files
from trainer.text import wording
from trainer.text.errors import TrainerError

#: A line of the file: a session, an answered dose suggestion, or a next-morning answer.
Record = HistoryEntry | DoseChange | MorningCheck

HISTORY_FILENAME = files.HISTORY_FILENAME
#: Sessions that could not be added to the history (a full disk), added at the next start.
PENDING_FILENAME = files.PENDING_FILENAME

# --------------------------------------------------------------------------- the file


def history_path() -> Path:
    return files.data_dir() / HISTORY_FILENAME


def pending_path(path: Path | None = None) -> Path:
    """Where sessions wait that could not be added to the history at ``path``: the state
    folder for the usual history, the same folder for a history given by its path."""
    if path is None:
        return files.state_dir() / PENDING_FILENAME
    return Path(path).with_name(PENDING_FILENAME)


def append_entry(entry: Record, path: Path | None = None) -> Path:
    """Append ``entry`` (a session or a dose change) as one line; returns the file's path.

    The whole line goes in one ``os.write`` on a file opened with ``O_APPEND``, then fsync. A
    new file is 0600 in a 0700 folder. If the file does not end in a newline (a crash cut the
    last line), a newline is written first, so the damaged line stays on its own.
    If the append fails, the file is left exactly as it was, the session is kept in the
    pending file (see :func:`flush_pending`), and one :class:`TrainerError` line says so.
    """
    pending = pending_path(path)
    path = Path(path) if path is not None else history_path()
    line = entry.model_dump_json().encode("utf-8") + b"\n"
    try:
        _append(path, line)
    except _AppendFailed as failed:
        raise TrainerError(
            f"could not add the session to the history ({failed.reason}); "
            + _keep_pending(pending, line),
            path=path,
        ) from failed.__cause__
    return path


class _AppendFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _append(path: Path, data: bytes) -> None:
    """Append ``data`` (whole lines) to ``path``; on any failure the file is as it was."""
    try:
        files.ensure_dir(path.parent)
    except TrainerError as exc:
        raise _AppendFailed(exc.message) from exc
    try:
        fd = files.open_file(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, what="history")
    except files.FileProblem as exc:
        raise _AppendFailed(exc.reason) from exc
    size = -1
    try:
        info = os.fstat(fd)
        size = info.st_size
        if size > 0 and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        _make_private(path, fd, info)
    except OSError as exc:
        if size >= 0:
            with contextlib.suppress(OSError):  # cut back what went in: the file as it was
                os.ftruncate(fd, size)
                os.fsync(fd)
        raise _AppendFailed(files.write_reason(exc, path.parent)) from exc
    finally:
        os.close(fd)
    if size == 0:
        files.fsync_dir(path.parent)  # a new file: make its name durable too


def _make_private(path: Path, fd: int, info: os.stat_result) -> None:
    """Our history file is 0600 whatever it was; a symlinked one (the person's choice of
    place) is left as it is."""
    with contextlib.suppress(OSError):
        if (
            not os.path.islink(path)
            and info.st_uid == os.getuid()
            and stat.S_IMODE(info.st_mode) != files.FILE_MODE
        ):
            os.fchmod(fd, files.FILE_MODE)


def _keep_pending(pending: Path, line: bytes) -> str:
    """Add ``line`` to the pending file; the end of the error message, saying where it is."""
    try:
        before = files.read_file(pending)
    except files.FileProblem:
        before = b""  # none yet (or not a file: atomic_write puts a file in its place)
    if before and not before.endswith(b"\n"):
        before += b"\n"
    try:
        files.atomic_write(pending, before + line, private=True)
    except TrainerError as exc:
        return f"it could not be kept for later either ({exc.message}); earlier sessions are kept"
    return f"kept it in {pending}; it is added to the history at the next start"


def flush_pending(path: Path | None = None) -> str | None:
    """Add the sessions kept by a failed append to the history; what the person should know
    (one line), or None when nothing was waiting. Call it while holding the session lock."""
    pending = pending_path(path)
    path = Path(path) if path is not None else history_path()
    try:
        raw = files.read_file(pending)
    except files.FileMissing:
        return None
    except files.FileProblem as exc:
        return f"{pending}: sessions waiting for the history could not be read ({exc.reason})"
    good: list[bytes] = []
    damaged = 0
    for line in raw.split(b"\n"):
        if not line.strip():
            continue
        try:
            _parse_line(line)
        except _Damaged:
            damaged += 1
            continue
        good.append(line.strip())
    block = b"".join(line + b"\n" for line in good)
    if block and not _ends_with(path, block):  # a crash after the append: not twice
        try:
            _append(path, block)
        except _AppendFailed as failed:
            waiting = wording.count(len(good), "session")
            return (
                f"{waiting} still waiting to be added to the history ({failed.reason}); "
                f"kept in {pending}"
            )
    note = ""
    if damaged:
        aside = pending.with_name(pending.name + ".bad")
        with contextlib.suppress(OSError):
            os.replace(pending, aside)
        note = f"; {wording.count(damaged, 'damaged line')} kept in {aside}"
    else:
        with contextlib.suppress(OSError):
            os.unlink(pending)
    if not good:
        return f"no session could be added to the history from {pending}{note}"
    added = wording.count(len(good), "session")
    return f"added {added} that could not be saved earlier to the history{note}"


def _ends_with(path: Path, block: bytes) -> bool:
    try:
        fd = files.open_file(path)
    except TrainerError:
        return False
    try:
        size = os.fstat(fd).st_size
        return size >= len(block) and os.pread(fd, len(block), size - len(block)) == block
    except OSError:
        return False
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class HistorySummary:
    """What the screens need from the history, read once and kept up to date.

    ``records`` in file order (sessions and dose changes), ``entries`` the sessions among them;
    ``warnings`` one line per damaged line; ``last_done`` when each routine was last done;
    ``problem`` a line saying why the file could not be read at all (then everything else is
    empty).
    """

    records: tuple[Record, ...] = ()
    entries: tuple[HistoryEntry, ...] = ()
    warnings: tuple[str, ...] = ()
    last_done: dict[str, datetime] = field(default_factory=dict)
    problem: str | None = None


#: Bytes before the read offset that must be unchanged for an incremental read to be valid.
_GUARD = 64


class HistoryReader:
    """Reads the history once, then only what was appended since (thread-safe).

    A file that was replaced, shortened or rewritten (checked by its inode, its size and the
    bytes just before where the last read stopped) is read again from the start. A last line
    without its newline (being written, or cut by a crash) is read but not kept, so it is read
    again once complete. While nothing changed, :meth:`summary` returns the same object, so a
    caller can keep what it computed from it.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = Path(path) if path is not None else None
        self._lock = threading.Lock()
        self._reset(None)

    def _reset(self, identity: tuple[int, int] | None) -> None:
        self._identity = identity
        self._offset = 0
        self._lines = 0
        self._guard = b""
        self._records: list[Record] = []
        self._warnings: list[str] = []
        self._last_done: dict[str, datetime] = {}
        #: The last summary, given again (the same object) while the file has not changed.
        self._last: HistorySummary | None = None

    @property
    def path(self) -> Path:
        return self._path if self._path is not None else history_path()

    def summary(self) -> HistorySummary:
        """The history as it is now; a file that cannot be read is an empty summary whose
        ``problem`` says why (this never raises for what is in or at the file)."""
        try:
            return self.read()
        except TrainerError as exc:
            return HistorySummary(problem=str(exc))

    def read(self) -> HistorySummary:
        """As :meth:`summary`, but a file that cannot be read raises :class:`TrainerError`."""
        with self._lock:
            return self._update(self.path)

    def _update(self, path: Path) -> HistorySummary:
        try:
            fd = files.open_file(path, what="history")
        except files.FileMissing:
            self._reset(None)
            return HistorySummary()
        except files.FileProblem as exc:
            self._reset(None)
            raise _unreadable(path, exc.reason) from exc
        try:
            info = os.fstat(fd)
            identity = (info.st_dev, info.st_ino)
            if (
                identity != self._identity
                or info.st_size < self._offset
                or os.pread(fd, len(self._guard), self._offset - len(self._guard)) != self._guard
            ):
                self._reset(identity)
            data = files.read_fd(fd, self._offset)
        except OSError as exc:
            self._reset(None)
            raise _unreadable(path, exc.strerror or str(exc)) from exc
        finally:
            os.close(fd)
        if not data and self._last is not None:
            return self._last  # nothing new: callers may keep what they built from it
        end = data.rfind(b"\n") + 1
        records, warnings = self._parse(path, data[:end], self._lines)
        self._records.extend(records)
        entries = _sessions(records)
        self._warnings.extend(warnings)
        for routine, when in last_done(entries).items():
            seen = self._last_done.get(routine)
            if seen is None or when > seen:
                self._last_done[routine] = when
        self._lines += data.count(b"\n", 0, end)
        self._offset += end
        kept = self._guard + data[:end]
        self._guard = kept[-_GUARD:]
        tail, tail_warnings = self._parse(path, data[end:], self._lines)
        done = dict(self._last_done)
        for routine, when in last_done(_sessions(tail)).items():
            if routine not in done or when > done[routine]:
                done[routine] = when
        every = (*self._records, *tail)
        summary = HistorySummary(
            records=every,
            entries=tuple(_sessions(every)),
            warnings=(*self._warnings, *tail_warnings),
            last_done=done,
        )
        self._last = summary if end == len(data) else None  # a part line: read it again
        return summary

    @staticmethod
    def _parse(path: Path, raw: bytes, before: int) -> tuple[list[Record], list[str]]:
        entries: list[Record] = []
        warnings: list[str] = []
        if not raw.strip():
            return entries, warnings
        for number, line in enumerate(raw.split(b"\n"), start=before + 1):
            if not line.strip():
                continue
            try:
                entries.append(_parse_line(line))
            except _Damaged as exc:
                warnings.append(f"{path}:{number}: skipped a damaged line ({exc})")
        return entries, warnings


def _sessions(records: Iterable[Record]) -> list[HistoryEntry]:
    return [r for r in records if isinstance(r, HistoryEntry)]


def _unreadable(path: Path, reason: str) -> TrainerError:
    return TrainerError(f"cannot read the history: {reason}", path=path)


_shared: dict[Path, HistoryReader] = {}
_shared_lock = threading.Lock()


def shared_reader(path: Path | None = None) -> HistoryReader:
    """The one reader of the history at ``path`` (default: the usual place) for this process,
    so every screen reuses what was read before."""
    path = Path(path) if path is not None else history_path()
    with _shared_lock:
        reader = _shared.get(path)
        if reader is None:
            reader = _shared[path] = HistoryReader(path)
        return reader


def read_entries(path: Path | None = None) -> tuple[list[HistoryEntry], list[str]]:
    """Every readable session in file order, and one warning line per damaged line
    (dose-change lines are read and left out: see :func:`read_history`)."""
    summary = HistoryReader(path).read()
    return list(summary.entries), list(summary.warnings)


def read_history(path: Path | None = None) -> tuple[list[Record], list[str]]:
    """Every readable record (sessions and dose changes) in file order, and one warning line
    per damaged line.

    A warning reads ``history.jsonl:17: skipped a damaged line (why)`` with the file's full
    path. Blank lines are ignored. A missing file is an empty history; a file that cannot be
    read at all (a folder, a FIFO, no permission) is a :class:`TrainerError`, raised at once.
    """
    summary = HistoryReader(path).read()
    return list(summary.records), list(summary.warnings)


class _Damaged(Exception):
    pass


def _parse_line(line: bytes) -> Record:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Damaged(f"not UTF-8 text at byte {exc.start + 1}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = "" if exc.msg.endswith(" at") else " at"
        raise _Damaged(f"not JSON: {exc.msg}{where} column {exc.colno}") from None
    except RecursionError:
        raise _Damaged("not JSON: nested too deeply") from None
    except ValueError as exc:  # an integer with thousands of digits
        if loading.too_many_digits(exc):
            raise _Damaged("a number is too large") from None
        raise _Damaged(f"not JSON: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise _Damaged("not a session record") from None
    try:
        if data.get("kind") in DOSE_KINDS:
            return DoseChange.model_validate(data)
        if data.get("kind") == "morning":
            return MorningCheck.model_validate(data)
        if "kind" in data and data["kind"] != "session":
            raise _Damaged(f"kind {data['kind']!r} is from a newer trainer")
        return HistoryEntry.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = loading.format_loc(tuple(first["loc"])) or "record"
        message = first["msg"].removeprefix("Value error, ")  # pydantic's wording for ValueError
        more = f" and {exc.error_count() - 1} more" if exc.error_count() > 1 else ""
        raise _Damaged(f"{field}: {message}{more}") from None
