"""The saved session (``session.json``) and the lock that keeps it to one writer.

``session.json`` lives in the state folder (``$XDG_STATE_HOME/trainer``). It is rewritten
atomically at every step change, so a crash, a closed terminal or a dropped SSH link leaves the
last position on disk. Reading it never raises: a file that cannot be used is moved aside as
``session.json.bad-<YYYYmmdd-HHMMSS>`` (it is the user's data, never deleted) and the app starts
fresh with a one-line warning.

``session.lock`` beside it is held with ``flock`` for as long as a trainer process may write the
session, so two processes never both write it. The kernel drops the lock when its holder dies,
so a lock file left by a killed process never blocks anybody.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from trainer.engine import Session, SessionSnapshot
from trainer.engine.session import SNAPSHOT_VERSION
from trainer.programme import loading
from trainer.programme.schema import ReadText

# The lock is its own module (no pydantic: the routine list takes it before its first frame);
# these names stay importable from here.
from trainer.records.session_lock import LOCK_FILENAME as LOCK_FILENAME
from trainer.records.session_lock import LockHolder as LockHolder
from trainer.records.session_lock import SessionLock as SessionLock
from trainer.records.session_lock import is_int
from trainer.records.session_lock import local_now as local_now
from trainer.records.session_lock import lock_path as lock_path
from trainer.storage import files
from trainer.text.errors import TrainerError

SESSION_FILENAME = files.SESSION_FILENAME
#: Version of the ``session.json`` layout. A file with a larger one is set aside, not guessed at.
FORMAT_VERSION = 1
BAD_SUFFIX = ".bad-"


def session_path() -> Path:
    return files.state_dir() / SESSION_FILENAME


# --------------------------------------------------------------------------- the saved file


class SavedSession(BaseModel):
    """What ``session.json`` holds: the engine's snapshot plus what the resume prompt shows."""

    model_config = ConfigDict(extra="forbid", defer_build=True, allow_inf_nan=False)

    format: int = Field(default=FORMAT_VERSION, ge=1, le=FORMAT_VERSION)
    snapshot: SessionSnapshot
    #: Absolute path of the routines file the session ran on.
    routines_path: ReadText = Field(min_length=1)
    saved_at: AwareDatetime
    started_at: AwareDatetime
    pid: int = Field(ge=1)
    #: A flare day's session (the gentle version of the routine): resumed as one. Written only
    #: when true, so a trainer older than this one still reads every other saved session.
    flare: bool = False

    @classmethod
    def of(
        cls,
        session: Session,
        routines_path: Path | str,
        started_at: datetime,
        *,
        saved_at: datetime | None = None,
    ) -> SavedSession:
        """Capture ``session`` now (local time) as run from ``routines_path`` by this process."""
        saved = saved_at if saved_at is not None else local_now()
        return cls(
            snapshot=session.snapshot(saved_at=saved, started_at=started_at),
            routines_path=str(Path(routines_path).expanduser().absolute()),
            saved_at=saved,
            started_at=started_at,
            pid=os.getpid(),
            flare=session.plan.flare,
        )


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The saved session, if there is a usable one, and a one-line warning if something was off."""

    saved: SavedSession | None = None
    warning: str | None = None


def save_session(saved: SavedSession) -> None:
    """Write ``session.json`` atomically (temp file, fsync, rename), file 0600 in a 0700 folder,
    whatever was at its place before (a symlink is replaced by the file, never followed).

    Raises :class:`TrainerError` (one line) when the disk refuses; the old file is then intact.
    """
    text = saved.model_dump_json(indent=2, exclude=None if saved.flare else {"flare"})
    data = text.encode("utf-8") + b"\n"
    # private: always a regular 0600 file in our folder; a symlink there is replaced, and the
    # file it pointed to is left as it was.
    files.atomic_write(session_path(), data, private=True)


def discard_session() -> None:
    """Forget the saved session (a missing file is fine)."""
    path = session_path()
    try:
        path.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise TrainerError(
            f"cannot remove the saved session ({exc.strerror or exc}); check the folder's "
            "permissions",
            path=path,
        ) from exc


def load_session() -> LoadResult:
    """The saved session, or why there is none. Never raises for what is in (or on) the file.

    Missing file: ``LoadResult()``. A file that cannot be read or used is moved aside to
    ``session.json.bad-<time>`` and the warning names where it went and why. Call this while
    holding :class:`SessionLock`: moving a file aside is a write.
    """
    path = session_path()
    try:
        raw = files.read_file(path)  # never blocks: a FIFO or a device is refused, not read
    except files.FileMissing:
        return LoadResult()
    except files.FileProblem as exc:
        return LoadResult(warning=_set_aside(path, f"could not be read ({exc.reason})"))
    saved, problem = parse_session(raw)
    if saved is None:
        return LoadResult(warning=_set_aside(path, problem or "could not be used"))
    return LoadResult(saved=saved)


def parse_session(raw: bytes) -> tuple[SavedSession | None, str | None]:
    """Bytes of ``session.json`` -> the model, or None and what is wrong (a phrase, one line)."""
    if not raw.strip():
        return None, "is empty"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"is not text (bad byte at offset {exc.start})"
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            return None, "ends early (the file was cut short)"
        return None, f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return None, "is not valid JSON (nested too deeply)"
    except ValueError as exc:  # NaN/Infinity, or an integer with thousands of digits
        if loading.too_many_digits(exc):
            return None, "is not valid JSON (a number is too large)"
        return None, f"is not valid JSON ({_one_line(str(exc))})"
    if not isinstance(data, dict):
        return None, "does not hold a saved session (not a JSON object)"
    newer = _newer_version(data)
    if newer is not None:
        return None, newer
    try:
        return SavedSession.model_validate(data), None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = loading.format_loc(tuple(first["loc"])) or "the file"
        return None, f"does not hold a valid saved session ({where}: {_one_line(first['msg'])})"
    except (TypeError, ValueError, RecursionError) as exc:  # pragma: no cover - defensive
        return None, f"does not hold a valid saved session ({_one_line(str(exc))})"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _newer_version(data: dict[str, Any]) -> str | None:
    version = data.get("format")
    if _is_int(version) and version > FORMAT_VERSION:
        return (
            f"was written by a newer trainer (file format {version}, this one reads "
            f"{FORMAT_VERSION})"
        )
    snapshot = data.get("snapshot")
    if isinstance(snapshot, dict):
        version = snapshot.get("version")
        if _is_int(version) and version > SNAPSHOT_VERSION:
            return (
                f"was written by a newer trainer (snapshot version {version}, this one reads "
                f"{SNAPSHOT_VERSION})"
            )
    return None


def _is_int(value: object) -> TypeGuard[int]:
    return is_int(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _set_aside(path: Path, why: str) -> str:
    """Move a file that cannot be used out of the way (never delete it); the warning line."""
    stamp = local_now().strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.name}{BAD_SUFFIX}{stamp}")
    target = base
    n = 1
    # Two bad files in the same second must not overwrite one another.
    while os.path.lexists(target):
        n += 1
        target = base.with_name(f"{base.name}-{n}")
    try:
        os.rename(path, target)
    except OSError as exc:
        return (
            f"saved session {path} {why}, and could not be moved aside "
            f"({exc.strerror or exc}); starting fresh"
        )
    return f"saved session {why}; moved it to {target} and started fresh"
