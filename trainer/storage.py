"""Every file trainer reads or writes goes through here.

Load: bytes -> tomllib -> pydantic models, or one :class:`TrainerError` line.
Save: models -> tomli-w -> atomic write (temp file in the same folder, fsync, rename).
Locations: platformdirs, honouring ``XDG_CONFIG_HOME``, ``XDG_STATE_HOME``, ``XDG_DATA_HOME``.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import functools
import os
import re
import tempfile
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w
from pydantic import BaseModel, ValidationError

from trainer.errors import TrainerError
from trainer.models import SCHEMA_VERSION, RoutinesFile

APP_NAME = "trainer"
ROUTINES_FILENAME = "routines.toml"
DIR_MODE = 0o700
FILE_MODE = 0o600


# --------------------------------------------------------------------------- locations


def _xdg(var: str, fallback: Path) -> Path:
    value = os.environ.get(var, "")
    # The XDG spec says relative paths are invalid and must be ignored.
    if value and os.path.isabs(value):
        return Path(value) / APP_NAME
    return fallback


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", platformdirs.user_config_path(APP_NAME))


def state_dir() -> Path:
    return _xdg("XDG_STATE_HOME", platformdirs.user_state_path(APP_NAME))


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", platformdirs.user_data_path(APP_NAME))


def user_routines_path() -> Path:
    return config_dir() / ROUTINES_FILENAME


def ensure_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents, each private to the user (0700); folders that
    exist already are left as they are."""
    if path.is_dir():
        return path
    missing = [path, *(p for p in path.parents if not p.exists())]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE, exist_ok=True)
            os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
        except OSError as exc:
            raise TrainerError(f"cannot create folder: {exc.strerror}", path=folder) from exc
    return path


# --------------------------------------------------------------------------- atomic write


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old file or the new, never half.

    The temp file lives in the same folder (a rename across file systems is not atomic), is
    fsynced before the rename, and the folder is fsynced after. An existing file keeps its
    permissions; a new one gets ``mode`` (default 0600).
    """
    path = Path(path)
    folder = path.parent
    ensure_dir(folder)
    try:
        keep_mode = path.stat().st_mode & 0o7777
    except OSError:  # a new file (or one we cannot stat: the rename will say why)
        keep_mode = FILE_MODE if mode is None else mode
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), keep_mode)
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        fsync_dir(folder)
    except OSError as exc:
        reason = write_reason(exc, folder)
        raise TrainerError(
            f"could not save ({reason}); the file on disk is unchanged", path=path
        ) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def write_reason(exc: OSError, folder: Path) -> str:
    """Why a write failed, in words: a full disk and a read-only folder are the usual ones."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"no permission to write in {folder}"
    if exc.errno == errno.EISDIR:
        return "it is a folder, not a file"
    return exc.strerror or str(exc)


def fsync_dir(folder: Path) -> None:
    """Make a new or renamed file's name durable (best effort: not every file system can)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --------------------------------------------------------------------------- routines file


def default_routines_bytes() -> bytes:
    """The packaged default ``routines.toml`` (in the wheel), or the checkout's top-level one."""
    packaged = resources.files("trainer").joinpath(ROUTINES_FILENAME)
    if packaged.is_file():
        return packaged.read_bytes()
    checkout = Path(__file__).resolve().parent.parent / ROUTINES_FILENAME
    return checkout.read_bytes()


@functools.cache
def shipped_routines() -> RoutinesFile:
    """The packaged default routines file, parsed once: the article's numbers."""
    return parse_routines(default_routines_bytes(), Path(ROUTINES_FILENAME))


def ensure_user_routines() -> Path:
    """The user's routines file, created from the packaged default on first use."""
    path = user_routines_path()
    if not path.exists():
        atomic_write(path, default_routines_bytes())  # creates the folder (0700)
    return path


def dump_routines(model: RoutinesFile) -> bytes:
    data = model.model_dump(mode="json", exclude_none=True)
    return tomli_w.dumps(data, indent=4).encode("utf-8")


def save_routines(path: Path, model: RoutinesFile) -> None:
    atomic_write(Path(path), dump_routines(model))


def read_bytes(path: Path, what: str = "file") -> bytes:
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise TrainerError(f"{what} not found; check the path", path=path) from exc
    except IsADirectoryError as exc:
        raise TrainerError(
            f"is a folder, not a {what}; give the path of a .toml file", path=path
        ) from exc
    except PermissionError as exc:
        raise TrainerError(
            f"cannot read the {what} (permission denied); check its permissions", path=path
        ) from exc
    except OSError as exc:
        raise TrainerError(f"cannot read the {what}: {exc.strerror or exc}", path=path) from exc


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_EOF = re.compile(r"\s*\(at end of document\)\s*$")


def parse_routines(raw: bytes, path: Path) -> RoutinesFile:
    """Bytes of a routines file -> validated model, or a one-line :class:`TrainerError`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TrainerError(
            f"not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8", path=path
        ) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = col = None
        if match := _TOML_POS.search(message):
            line, col = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        elif match := _TOML_EOF.search(message):
            line = text.count("\n") + 1
            message = message[: match.start()]
        raise TrainerError(
            f"not valid TOML: {message}; fix the syntax there", path=path, line=line, col=col
        ) from exc
    except RecursionError as exc:  # tomllib recurses into nested arrays and tables
        raise TrainerError("not valid TOML: nested too deeply", path=path) from exc
    except ValueError as exc:  # an integer of more than 4300 digits escapes tomllib
        raise TrainerError(f"not valid TOML: {exc}", path=path) from exc
    version = data.get("schema_version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise TrainerError(
            f"schema_version {version} is newer than this trainer understands "
            f"({SCHEMA_VERSION}); upgrade trainer",
            path=path,
        )
    try:
        return RoutinesFile.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, path, text) from None
    except (TypeError, ValueError, RecursionError) as exc:  # pragma: no cover - defensive
        raise TrainerError(f"cannot be read as routines: {exc}", path=path) from exc


def load_routines(path: Path) -> RoutinesFile:
    path = Path(path)
    return parse_routines(read_bytes(path, "routines file"), path)


# --------------------------------------------------------------------------- error messages


def format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


@functools.cache
def _known_keys() -> tuple[str, ...]:
    keys: set[str] = set()
    every: tuple[type[BaseModel], ...] = (RoutinesFile, *_submodels())
    for model in every:
        keys.update(model.model_fields)
    return tuple(sorted(keys))


def _submodels() -> tuple[type[BaseModel], ...]:
    from trainer import models

    return (
        models.Source,
        models.Settings,
        models.Timing,
        models.Advice,
        models.Exercise,
        models.Cue,
        models.Routine,
    )


def describe_error(err: Any) -> str:
    """One pydantic error dict -> what a person reads after the field path."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    if kind == "missing":
        return "is missing; add it"
    if kind == "extra_forbidden":
        name = str(err["loc"][-1]) if err.get("loc") else ""
        guess = difflib.get_close_matches(name, _known_keys(), n=1, cutoff=0.6)
        if guess:
            return f"is not a known key; did you mean '{guess[0]}'?"
        return "is not a known key; remove it or check its spelling"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}, got {_show(got)}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}, got {_show(got)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"must be a whole number, got {_show(got)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"must be true or false, got {_show(got)}"
    if kind in ("string_type",):
        return f"must be text in quotes, got {_show(got)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_pattern_mismatch":
        return f"must be lower-case letters, digits, '-' or '_', got {_show(got)}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"has too many items (at most {ctx.get('max_length')})"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list like [1, 2], got {_show(got)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a table, got {_show(got)}"
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx.get('expected')}, got {_show(got)}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return f"{err['msg']}, got {_show(got)}"


def validation_error(
    exc: ValidationError, path: Path | None, text: str | None = None
) -> TrainerError:
    # An unknown key is usually a typo of a missing one: name the typo first.
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = tuple(first["loc"])
    message = describe_error(first)
    field = format_loc(loc)
    # Model-level checks name their own place ("routines[1].exercises[0]: ...").
    line = _line_of(text, loc) if text else None
    more = (
        f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        if len(errors) > 1
        else ""
    )
    return TrainerError((f"{field}: " if field else "") + message + more, path=path, line=line)


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best effort: the line of ``loc`` in a file laid out as tomli-w writes it."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    parts = list(loc)
    found: int | None = None
    while parts:
        key = parts.pop(0)
        if not isinstance(key, str):
            return found
        index: int | None = None
        if parts and isinstance(parts[0], int):
            index = parts[0]
            parts.pop(0)
        header = re.compile(rf"^\s*\[\[?\s*{re.escape(key)}\s*\]\]?\s*$")
        assign = re.compile(rf"^\s*{re.escape(key)}\s*=")
        hits = [i for i in range(start, end) if header.match(lines[i])]
        if hits:
            pick = hits[index] if index is not None and index < len(hits) else hits[0]
            found, start = pick + 1, pick + 1
            nxt = [i for i in range(start, end) if lines[i].lstrip().startswith("[")]
            end = nxt[0] if nxt and index is not None else end
            continue
        hits = [i for i in range(start, end) if assign.match(lines[i])]
        if not hits:
            return found
        found = hits[0] + 1
        if index is not None:
            # An inline list: count its items, one per line as tomli-w writes them.
            items = [
                i
                for i in range(hits[0] + 1, end)
                if lines[i].startswith("    ") and not lines[i].strip().startswith("]")
            ]
            if index < len(items):
                found = items[index] + 1
        return found
    return found
