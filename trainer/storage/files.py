"""Every file trainer reads or writes goes through here.

Read: :func:`open_file` / :func:`read_file` open only a regular file, and open it so that the
open cannot block (``O_NONBLOCK``: a FIFO, a device or a socket where a data file belongs gets a
one-line :class:`TrainerError` instead of hanging the app). Every reader in trainer uses them:
the routines file, ``session.json``, the lock, the history and its pending file.
Write: :func:`atomic_write` (temp file in the same folder, fsync, rename); the routines file's
parsing and saving are :mod:`trainer.programme.loading`'s, on top of these.
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
import errno
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

import platformdirs

from trainer.text.errors import TrainerError

APP_NAME = "trainer"
ROUTINES_FILENAME = "routines.toml"
#: The saved position, in the state folder (:mod:`trainer.records.saved_session`).
SESSION_FILENAME = "session.json"
#: The history, in the data folder (:mod:`trainer.records.history.log`).
HISTORY_FILENAME = "history.jsonl"
#: Sessions that could not be added to the history (a full disk), added at the next start.
PENDING_FILENAME = "history-pending.jsonl"
DIR_MODE = 0o700
FILE_MODE = 0o600
#: The UTF-8 byte-order mark some editors put at the start of a file; kept on save.
BOM = b"\xef\xbb\xbf"
#: The temp files of :func:`atomic_write`: ``.<name>.<pid>.<random>.tmp`` (older trainers
#: wrote ``.<name>.<random>.tmp``); see :func:`tidy_folders` and :func:`_remove_dead_temps`.
TMP_SUFFIX = ".tmp"
_TMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")
#: Our temp file for a given name, with the pid of the process that made it.
_TMP_WITH_PID = r"^\.{name}\.(?P<pid>[1-9][0-9]{{0,9}})\.[A-Za-z0-9_]{{8}}\.tmp$"


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
    path: Path,
    data: bytes,
    *,
    mode: int | None = None,
    private: bool = False,
    make_parents: bool = True,
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
    Never a device: a device node at the path (or at the end of its link) is refused with one
    line, whatever ``private`` says (as root, a rename onto ``/dev/null`` would replace the
    device with a file). ``make_parents=False``: a missing folder is an error, not created.
    Temp files of ours for the same name left by a process that is gone (``kill -9`` mid-write)
    are removed first (:func:`_remove_dead_temps`).
    """
    path = Path(path)
    if make_parents:
        ensure_dir(path.parent)
    target = path
    keep_mode = FILE_MODE if mode is None else mode
    if not private and path.is_symlink():
        target = Path(os.path.realpath(path))
    try:
        info: os.stat_result | None = os.lstat(target)
    except OSError:
        info = None
    if info is not None:
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
            raise TrainerError("is a device, not a file; nothing was written", path=path)
        if stat.S_ISDIR(info.st_mode):
            raise TrainerError("is a folder, not a file; nothing was written", path=path)
        if not private and stat.S_ISREG(info.st_mode):
            keep_mode = stat.S_IMODE(info.st_mode)
    if private:
        keep_mode = FILE_MODE
    folder = target.parent
    if not make_parents and not os.path.isdir(folder):
        raise TrainerError(
            f"the folder {folder} does not exist; create it first or choose another place",
            path=path,
        )
    _remove_dead_temps(folder, target.name)
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=TMP_SUFFIX
        )
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


def _remove_dead_temps(folder: Path, name: str) -> None:
    """Remove ``.<name>.<pid>.<random>.tmp`` files in ``folder`` whose process is gone: what a
    write of ``name`` killed mid-way (``kill -9``) left. Only regular files of ours with
    exactly that name pattern and a pid that no longer runs here; never anything else (a
    running writer's temp file, a file of another user, a folder)."""
    pattern = re.compile(_TMP_WITH_PID.format(name=re.escape(name)))
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        found = pattern.match(entry.name)
        if found is None or int(found["pid"]) == os.getpid() or _alive(int(found["pid"])):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid():
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (one we may not signal counts too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


# --------------------------------------------------------------------------- outputs


#: Paths that name one of our own open files, written through it (never opened by name).
_STD_PATH = re.compile(
    r"^/(?:dev/(?:std(?P<std>out|err)|fd/(?P<fd>[0-9]+))|proc/self/fd/(?P<pfd>[0-9]+))$"
)


def write_out(path: Path | str, data: bytes) -> str:
    """Write an output the person named (``--out``); returns where it went, in words.

    - ``-``, ``/dev/stdout`` (``/dev/fd/N``...): the standard output (:func:`write_stdout`).
    - a new path in a folder that exists, or a regular file: :func:`atomic_write` (a symlink
      to a regular file is followed). A missing folder is an error: never created.
    - a named pipe (FIFO) or a character device (``/dev/null``, a terminal): written in place,
      never replaced; a FIFO that nothing reads from is refused at once, never waited on.
    - a folder, a socket or a disk device: refused, one line.
    A full disk, a closed output or a reader that left is one :class:`TrainerError` line
    (:class:`BrokenPipeError` for a standard output whose reader left: the caller stays quiet).
    """
    text = str(path)
    if text == "-":
        write_stdout(data)
        return "standard output"
    std = _STD_PATH.match(text)
    if std is not None:
        fd = {"out": 1, "err": 2}.get(std["std"] or "") or int(std["fd"] or std["pfd"])
        write_stdout(data, fd)
        return text
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        atomic_write(path, data, make_parents=False)
        return text
    except OSError as exc:
        raise TrainerError(
            f"cannot write there: {write_reason(exc, path.parent)}", path=path
        ) from exc
    if stat.S_ISREG(info.st_mode):
        atomic_write(path, data, make_parents=False)
    elif stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        _write_in_place(path, data)
    else:
        raise TrainerError(
            f"is {kind_of(info.st_mode)}, not a file; give a file name (nothing was written)",
            path=path,
        )
    return text


def _write_in_place(path: Path, data: bytes) -> None:
    """Write ``data`` into an existing FIFO or character device, as it is (never replaced)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a FIFO with no reader: opening it would wait for one
            raise TrainerError(
                "is a named pipe (FIFO) that nothing reads from; start its reader first "
                "(nothing was written)",
                path=path,
            ) from exc
        raise TrainerError(
            f"cannot write there: {write_reason(exc, path.parent)}", path=path
        ) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
            raise TrainerError("changed while it was opened; try again", path=path)
        os.set_blocking(fd, True)
        _write_all(fd, data)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise TrainerError(
                "its reader closed it before the end (part was written)", path=path
            ) from exc
        raise TrainerError(f"could not write: {write_reason(exc, path.parent)}", path=path) from exc
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_stdout(data: bytes, fd: int = 1) -> None:
    """Write ``data`` to the standard output (or another open descriptor, ``fd``) as bytes.

    The standard output and error are written through ``sys.stdout`` / ``sys.stderr`` (so a
    redirection of them in the program is honoured), any other descriptor directly. A closed
    output (``>&-``) and a full disk (``> /dev/full``) are one :class:`TrainerError` line; a
    reader that left (``| head -c 10``) raises :class:`BrokenPipeError` for the caller to end
    quietly, as command-line tools do."""
    where = "standard output" if fd == 1 else f"file descriptor {fd}"
    stream = {1: sys.stdout, 2: sys.stderr}.get(fd)
    try:
        if fd not in (1, 2):
            os.fstat(fd)
            _write_all(fd, data)
            return
        if stream is None:
            raise OSError(errno.EBADF, "closed")
        stream.flush()
        _blocking(stream)
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            stream.write(data.decode("utf-8"))
            stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: a stream closed in the program
        if isinstance(exc, OSError) and exc.errno != errno.EBADF:
            reason = write_reason(exc, Path("."))
        else:
            reason = "it is closed"
        raise TrainerError(f"cannot write to {where}: {reason}") from exc


def _blocking(stream: object) -> None:
    """A standard output left non-blocking by another program would lose what does not fit
    in a full pipe: make it blocking (it is ours until we exit)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = stream.fileno()  # type: ignore[attr-defined]
        if not os.get_blocking(fd):
            os.set_blocking(fd, True)


#: Why a write failed, in words, by ``errno`` (``{folder}``: the folder written in); any other
#: error is said in the system's words.
WRITE_REASONS: dict[int, str] = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk is full",
    errno.EACCES: "no permission to write in {folder}",
    errno.EPERM: "no permission to write in {folder}",
    errno.EROFS: "no permission to write in {folder}",
    errno.EISDIR: "it is a folder, not a file",
}


def write_reason(exc: OSError, folder: Path) -> str:
    """Why a write failed, in words: a full disk and a read-only folder are the usual ones."""
    reason = WRITE_REASONS.get(exc.errno or 0)
    return reason.format(folder=folder) if reason else exc.strerror or str(exc)


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
