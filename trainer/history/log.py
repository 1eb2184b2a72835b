"""The history file: ``$XDG_DATA_HOME/trainer/history.jsonl``, one JSON line per session.

The file is meant to be read by people too (a physio may look at it, or at ``trainer history
--csv``), so it is plain JSON Lines with local times and their UTC offset.

Writing is append-only and crash-safe: a line is written with a single ``os.write`` on a file
opened with ``O_APPEND`` and fsynced, so a crash leaves at worst one damaged last line, and the
next append starts on a fresh line so the damage never spreads. Reading skips a damaged line
with a one-line warning and keeps every other session.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import ValidationError

from trainer import storage
from trainer.errors import TrainerError
from trainer.history.record import DoseChange, HistoryEntry

#: A line of the file: a session, or an accepted dose change.
Record = HistoryEntry | DoseChange

HISTORY_FILENAME = "history.jsonl"

# --------------------------------------------------------------------------- the file


def history_path() -> Path:
    return storage.data_dir() / HISTORY_FILENAME


def append_entry(entry: Record, path: Path | None = None) -> Path:
    """Append ``entry`` (a session or a dose change) as one line; returns the file's path.

    The file is opened with ``O_APPEND`` and the whole line goes in one ``os.write``, then
    fsync. A new file is 0600 in a 0700 folder. If the file does not end in a newline (a crash
    cut the last line), a newline is written first, so the damaged line stays on its own.
    Any failure is one :class:`TrainerError` line; the lines already in the file are kept.
    """
    path = Path(path) if path is not None else history_path()
    storage.ensure_dir(path.parent)
    line = entry.model_dump_json().encode("utf-8") + b"\n"
    try:
        fd = os.open(
            path,
            os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0),
            storage.FILE_MODE,
        )
    except OSError as exc:
        raise _write_error(exc, path) from exc
    try:
        size = os.fstat(fd).st_size
        if size > 0 and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        view = memoryview(line)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError as exc:
        raise _write_error(exc, path) from exc
    finally:
        os.close(fd)
    if size == 0:
        storage.fsync_dir(path.parent)  # a new file: make its name durable too
    return path


def _write_error(exc: OSError, path: Path) -> TrainerError:
    return TrainerError(
        f"could not add the session to the history ({storage.write_reason(exc, path.parent)}); "
        "earlier sessions are kept",
        path=path,
    )


def read_entries(path: Path | None = None) -> tuple[list[HistoryEntry], list[str]]:
    """Every readable session in file order, and one warning line per damaged line
    (dose-change lines are read and left out: see :func:`read_history`)."""
    records, warnings = read_history(path)
    return [r for r in records if isinstance(r, HistoryEntry)], warnings


def read_history(path: Path | None = None) -> tuple[list[Record], list[str]]:
    """Every readable record (sessions and dose changes) in file order, and one warning line
    per damaged line.

    A warning reads ``history.jsonl:17: skipped a damaged line (why)`` with the file's full
    path. Blank lines are ignored. A missing file is an empty history; a file that cannot be
    read at all is a :class:`TrainerError`.
    """
    path = Path(path) if path is not None else history_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except IsADirectoryError as exc:
        raise TrainerError(
            "cannot read the history: it is a folder, not a file", path=path
        ) from exc
    except OSError as exc:
        raise TrainerError(f"cannot read the history: {exc.strerror or exc}", path=path) from exc
    entries: list[Record] = []
    warnings: list[str] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            entries.append(_parse_line(line))
        except _Damaged as exc:
            warnings.append(f"{path}:{number}: skipped a damaged line ({exc})")
    return entries, warnings


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
    if not isinstance(data, dict):
        raise _Damaged("not a session record") from None
    try:
        if data.get("kind") == "dose":
            return DoseChange.model_validate(data)
        if "kind" in data and data["kind"] != "session":
            raise _Damaged(f"kind {data['kind']!r} is from a newer trainer")
        return HistoryEntry.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = storage.format_loc(tuple(first["loc"])) or "record"
        more = f" and {exc.error_count() - 1} more" if exc.error_count() > 1 else ""
        raise _Damaged(f"{field}: {first['msg']}{more}") from None
