"""Every file trainer reads or writes goes through here.

Read: :func:`open_file` / :func:`read_file` open only a regular file, and open it so that the
open cannot block (``O_NONBLOCK``: a FIFO, a device or a socket where a data file belongs gets a
one-line :class:`TrainerError` instead of hanging the app). Every reader in trainer uses them:
the routines file, ``session.json``, the lock, the history and its pending file.
Load: bytes -> tomllib -> pydantic models, or one :class:`TrainerError` line that names the file,
the line of the offending key or value (see :mod:`trainer.tomlpos`), the field and the fix.
Save: models -> tomli-w -> atomic write (temp file in the same folder, fsync, rename).
``routines.toml`` is the person's file: a symlink to it is followed (the target is replaced in
its own folder, the link stays) and its mode is kept. State files (``session.json``, markers,
the pending history, drafts) are ours: always a regular 0600 file in our 0700 folder, so a
symlink there is replaced by a file, never followed to change a file elsewhere.
Start-up (:func:`tidy_folders`): our folders are tightened to 0700 if others could write to
them, and temp files an interrupted save left behind are removed.
Locations: platformdirs, honouring ``XDG_CONFIG_HOME``, ``XDG_STATE_HOME``, ``XDG_DATA_HOME``,
``XDG_CACHE_HOME``.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import functools
import os
import re
import stat
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from trainer.errors import TrainerError
from trainer.text import printable

if TYPE_CHECKING:
    # pydantic, the models and tomli-w load with the first file validated or saved: the routine
    # list's first frame needs none of them when the catalog cache holds the file.
    from pydantic import BaseModel, ValidationError

    from trainer.models import RoutinesFile

APP_NAME = "trainer"
ROUTINES_FILENAME = "routines.toml"
#: The saved position, in the state folder (:mod:`trainer.saved_session`).
SESSION_FILENAME = "session.json"
#: The history, in the data folder (:mod:`trainer.history.log`).
HISTORY_FILENAME = "history.jsonl"
#: Sessions that could not be added to the history (a full disk), added at the next start.
PENDING_FILENAME = "history-pending.jsonl"
DIR_MODE = 0o700
FILE_MODE = 0o600
#: The UTF-8 byte-order mark some editors put at the start of a file; kept on save.
BOM = b"\xef\xbb\xbf"
#: The temp files of :func:`atomic_write`: ``.<name>.<random>.tmp`` (see :func:`tidy_folders`).
TMP_SUFFIX = ".tmp"
_TMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


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


def cache_dir() -> Path:
    """What can be rebuilt from the other folders (the routine list's catalog)."""
    return _xdg("XDG_CACHE_HOME", platformdirs.user_cache_path(APP_NAME))


def user_routines_path() -> Path:
    return config_dir() / ROUTINES_FILENAME


def ensure_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents, each private to the user (0700); folders that
    exist already are left as they are (:func:`tidy_folders` tightens ours at start-up)."""
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


def our_folders() -> tuple[Path, Path, Path]:
    """The three ``trainer`` folders: config, state, data."""
    return config_dir(), state_dir(), data_dir()


# --------------------------------------------------------------------------- reading


class FileProblem(TrainerError):
    """A file could not be opened or read; :attr:`reason` says why in a few words
    (``permission denied``, ``it is a named pipe (FIFO), not a file``) for callers that word
    their own message or warning."""

    def __init__(self, message: str, *, reason: str, path: Path) -> None:
        self.reason = reason
        super().__init__(message, path=path)


class FileMissing(FileProblem):
    """There is no file at the path (callers for whom that is normal catch this one)."""


class NotAFile(FileProblem):
    """Something that is not a regular file (a folder, a FIFO, a device...) is at the path."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words: ``a folder``, ``a named pipe (FIFO)``..."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def open_file(
    path: Path,
    flags: int = os.O_RDONLY,
    *,
    what: str = "file",
    fix: str = "",
    follow: bool = True,
) -> int:
    """Open ``path`` as a file descriptor, only if it is a regular file, never blocking.

    The kind is checked before the open (a device is never opened at all) and again on the
    open descriptor (the name may have changed in between). ``O_NONBLOCK`` makes the open of a
    FIFO return at once instead of waiting for a writer; on a regular file it changes nothing.
    ``follow=False`` refuses a symbolic link (``O_NOFOLLOW``). With ``O_CREAT`` in ``flags`` a
    missing file is created 0600. Raises :class:`FileMissing`, :class:`NotAFile` or
    :class:`FileProblem`, one line each, with ``fix`` (what to do) after the reason.
    """
    path = Path(path)
    tail = f"; {fix}" if fix else ""

    def missing() -> FileMissing:
        return FileMissing(f"{what} not found; check the path", reason="not found", path=path)

    def wrong_kind(kind: str) -> NotAFile:
        return NotAFile(
            f"is {kind}, not a {what}{tail}", reason=f"it is {kind}, not a file", path=path
        )

    try:
        info: os.stat_result | None = os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError as exc:
        if not flags & os.O_CREAT:
            raise missing() from exc
        info = None
    except OSError as exc:
        raise _read_error(exc, path, what, tail) from exc
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise wrong_kind(kind_of(info.st_mode))
    extra = os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags | extra, FILE_MODE)
    except FileNotFoundError as exc:
        raise missing() from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise wrong_kind("a symbolic link") from exc
        raise _read_error(exc, path, what, tail) from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise wrong_kind(kind_of(mode))
    return fd


def _read_error(exc: OSError, path: Path, what: str, tail: str) -> FileProblem:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return FileProblem(
            f"cannot read the {what} (permission denied); check its permissions",
            reason="permission denied",
            path=path,
        )
    reason = exc.strerror or str(exc)
    return FileProblem(f"cannot read the {what}: {reason}{tail}", reason=reason, path=path)


def read_fd(fd: int, start: int = 0) -> bytes:
    """Everything from ``start`` to the end of an open regular file."""
    chunks: list[bytes] = []
    offset = start
    while True:
        chunk = os.pread(fd, 1 << 20, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def read_file(path: Path, what: str = "file", *, fix: str = "") -> bytes:
    """The bytes of a regular file (see :func:`open_file`); the one way trainer reads a file."""
    path = Path(path)
    fd = open_file(path, what=what, fix=fix)
    try:
        return read_fd(fd)
    except OSError as exc:
        raise _read_error(exc, path, what, f"; {fix}" if fix else "") from exc
    finally:
        os.close(fd)


def is_file(path: Path) -> bool:
    """True if ``path`` is a regular file (a marker that is a FIFO or a folder does not count)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


# --------------------------------------------------------------------------- atomic write


def atomic_write(
    path: Path, data: bytes, *, mode: int | None = None, private: bool = False
) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old file or the new, never half.

    The temp file lives in the same folder as the file it replaces (a rename across file
    systems is not atomic), is fsynced before the rename, and the folder is fsynced after.

    ``private=False`` (the person's own file, ``routines.toml``): a symbolic link is followed,
    so the file it points to is replaced in its own folder and the link stays a link; an
    existing file keeps its permissions, a new one gets ``mode`` (default 0600).
    ``private=True`` (our state files): the result is always a regular 0600 file at ``path``;
    whatever was there (a link, a FIFO, a 0666 file) is replaced, and nothing elsewhere is
    touched.
    """
    path = Path(path)
    ensure_dir(path.parent)
    target = path
    keep_mode = FILE_MODE if mode is None else mode
    if not private:
        if path.is_symlink():
            target = Path(os.path.realpath(path))
        with contextlib.suppress(OSError):
            info = os.stat(target)
            if stat.S_ISREG(info.st_mode):
                keep_mode = stat.S_IMODE(info.st_mode)
    else:
        keep_mode = FILE_MODE
    folder = target.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=TMP_SUFFIX)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), keep_mode)
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
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
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
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


# --------------------------------------------------------------------------- start-up tidying


def tidy_folders(extra: tuple[Path, ...] = ()) -> list[str]:
    """Make our folders safe again; one warning line per thing the person should know.

    - A ``trainer`` folder that others can write to (group or other write bit, e.g. 0777) is
      tightened to 0700 when it is ours (owned by this user), with a warning; one that is not
      ours is left alone, with a warning.
    - Temp files an interrupted save left behind (``.<name>.<random>.tmp``, regular files
      only) are removed from our folders, and from the folder of each file in ``extra`` (the
      target of a symlinked ``routines.toml``: only that file's own temp files there).

    Call it while holding the session lock: another trainer may otherwise be mid-save.
    """
    warnings: list[str] = []
    for folder in dict.fromkeys(our_folders()):
        try:
            info = os.lstat(folder)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode):
            continue
        loose = stat.S_IMODE(info.st_mode) & (stat.S_IWGRP | stat.S_IWOTH)
        if loose:
            was = f"{stat.S_IMODE(info.st_mode):04o}"
            if info.st_uid == os.getuid():
                try:
                    os.chmod(folder, DIR_MODE)
                    warnings.append(
                        f"{folder}: others could change your data here (mode {was}); "
                        "made the folder private (0700)"
                    )
                except OSError as exc:
                    warnings.append(
                        f"{folder}: others can change your data here (mode {was}) and it "
                        f"could not be made private ({exc.strerror or exc}); run chmod 700 on it"
                    )
            else:
                warnings.append(
                    f"{folder}: others can change your data here (mode {was}) and the folder "
                    "is not yours; move your data to a folder only you can write to"
                )
        _remove_temp_files(folder, None)
    for path in extra:
        with contextlib.suppress(OSError):
            target = Path(os.path.realpath(path))
            _remove_temp_files(target.parent, target.name)
    return warnings


def _remove_temp_files(folder: Path, name: str | None) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if name is not None:
            if not (entry.name.startswith(f".{name}.") and _TMP_NAME.match(entry.name)):
                continue
        elif not _TMP_NAME.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


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
    if not path.exists():  # a dangling symlink is written through, like every save
        atomic_write(path, default_routines_bytes())  # creates the folder (0700)
    return path


def dump_routines(model: RoutinesFile) -> bytes:
    import tomli_w

    data = model.model_dump(mode="json", exclude_none=True)
    return tomli_w.dumps(data, indent=4).encode("utf-8")


def save_routines(path: Path, model: RoutinesFile) -> None:
    """Write the routines file through :func:`atomic_write` (a symlink stays a link, the mode
    is kept); a file that began with a byte-order mark keeps it."""
    data = dump_routines(model)
    if _starts_with_bom(Path(path)):
        data = BOM + data
    atomic_write(Path(path), data)


def _starts_with_bom(path: Path) -> bool:
    try:
        fd = open_file(path)
    except TrainerError:
        return False
    try:
        return os.pread(fd, len(BOM), 0) == BOM
    except OSError:
        return False
    finally:
        os.close(fd)


def read_bytes(path: Path, what: str = "file") -> bytes:
    """A file the person gives (the routines file): its bytes or one line saying what to do."""
    return read_file(path, what, fix="give the path of a .toml file")


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_EOF = re.compile(r"\s*\(at end of document\)\s*$")


def too_many_digits(exc: ValueError) -> bool:
    """Python's guard against huge integers (``sys.set_int_max_str_digits``) tripped."""
    return "int_max_str_digits" in str(exc) or "Exceeds the limit" in str(exc)


def _line_of_long_number(text: str) -> int | None:
    limit = sys.get_int_max_str_digits()
    if not limit:
        return None
    match = re.search(rf"[0-9][0-9_]{{{limit - 1},}}", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def parse_routines(raw: bytes, path: Path) -> RoutinesFile:
    """Bytes of a routines file -> validated model, or a one-line :class:`TrainerError`."""
    from pydantic import ValidationError

    from trainer import tomlpos
    from trainer.models import SCHEMA_VERSION, RoutinesFile

    if raw.startswith(BOM):  # what some editors write first; not part of the TOML
        raw = raw[len(BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TrainerError(
            f"not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8", path=path
        ) from exc
    import tomllib  # here, not at the top: the routine list opens from the catalog without it

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
        if too_many_digits(exc):
            raise TrainerError(
                "a number is too large; use a number of a few digits",
                path=path,
                line=_line_of_long_number(text),
            ) from exc
        raise TrainerError(f"not valid TOML: {exc}", path=path) from exc
    version = data.get("schema_version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise TrainerError(
            f"schema_version: {_show(version)} is newer than this trainer understands "
            f"({SCHEMA_VERSION}); upgrade trainer",
            path=path,
            line=tomlpos.line_of(text, ("schema_version",)),
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
    """``("exercises", 0, "name")`` -> ``exercises[0].name``; a key from the file (an unknown
    one is echoed) shows its control characters as escapes."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + printable(str(part))
    return out


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        return "a number that is too large"
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
    from trainer.models import RoutinesFile

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
    from trainer.models import WORD_PATTERN, FieldProblem

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
        if ctx.get("pattern") == WORD_PATTERN:
            return f"must be 1-12 letters A-Z, words separated by one space, got {_show(got)}"
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
        problem = ctx.get("error")
        if isinstance(problem, FieldProblem):
            return problem.message
        return str(err["msg"]).removeprefix("Value error, ")
    return f"{err['msg']}, got {_show(got)}"


def error_place(err: Any) -> tuple[int | str, ...]:
    """Where one pydantic error is: its place, made precise when a check across fields named
    the field at fault (:class:`~trainer.models.FieldProblem`)."""
    from trainer.models import FieldProblem

    loc = tuple(err.get("loc") or ())
    problem = (err.get("ctx") or {}).get("error")
    if isinstance(problem, FieldProblem):
        loc = (*loc, *problem.loc)
    return loc


def validation_error(
    exc: ValidationError, path: Path | None, text: str | None = None
) -> TrainerError:
    """The first problem as ``file:line: field: message (and N more problems)``; the line is
    where that key or value is in ``text`` (see :mod:`trainer.tomlpos`)."""
    from trainer import tomlpos

    # An unknown key is usually a typo of a missing one: name the typo first.
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = error_place(first)
    message = describe_error(first)
    field = format_loc(loc)
    line = tomlpos.line_of(text, loc) if text and loc else None
    more = (
        f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        if len(errors) > 1
        else ""
    )
    return TrainerError((f"{field}: " if field else "") + message + more, path=path, line=line)
