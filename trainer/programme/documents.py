"""Saving a TOML file the person also edits: only the changed values, in place, never over
someone else's change (issue 18, items 5 and 7).

Every save of ``routines.toml`` and ``preferences.toml`` goes through :func:`save_changes`:

- **What changed** is worked out on plain data (``base``: what was read, ``ours``: what we
  want), field by field (:func:`changes`); an array of tables whose items have an ``id``
  (``[[exercises]]``, ``[[routines]]``) is followed item by item, by id.
- **The file on disk is read again just before the write.** If its bytes are still those that
  were read, our changes are applied. If it changed since (``trainer remind``, an editor,
  another trainer), the three versions are compared (:func:`three_way`): changes to different
  fields are merged (theirs kept, ours added); the same field changed both ways is a
  :class:`Conflict`, and nothing is written until the caller says which to keep
  (:class:`SaveConflict`, then ``resolve``). Never a silent overwrite.
- **In place**: the file is parsed with tomlkit (which keeps comments, blank lines, key order
  and hand-formatted arrays) and only the changed values are set, so a hand-written comment
  or layout survives every save. A file that began with a byte-order mark keeps it.

Pure rules plus one read and one atomic write (through :mod:`trainer.storage.files`); no
Textual, no pydantic (the caller passes ``parse``, which validates).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from trainer.storage import files
from trainer.text.errors import TrainerError


class _Missing:
    """A field that is not there (absent in one version, or deleted by an edit)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True, slots=True)
class ById:
    """One item of an array of tables, named by its ``id`` (``exercises`` item ``bridges``)."""

    id: str


Loc = tuple[str | ById, ...]


def show_loc(loc: Loc) -> str:
    """``("exercises", ById("bridges"), "hold")`` -> ``exercises[bridges].hold``."""
    out = ""
    for part in loc:
        if isinstance(part, ById):
            out += f"[{part.id}]"
        else:
            out += ("." if out else "") + part
    return out


def _keyed(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in value)
        and len({item["id"] for item in value}) == len(value)
    )


def flatten(data: Mapping[str, Any], prefix: Loc = ()) -> dict[Loc, Any]:
    """Every leaf value of ``data`` by its place; tables are followed, arrays of tables with
    unique ids are followed by id, any other value (a list of numbers, a cue list) is a leaf."""
    out: dict[Loc, Any] = {}
    for key, value in data.items():
        loc = (*prefix, key)
        if isinstance(value, dict):
            out.update(flatten(value, loc))
        elif _keyed(value):
            for item in value:
                out.update(flatten(item, (*loc, ById(item["id"]))))
        else:
            out[loc] = value
    return out


def changes(base: Mapping[str, Any], ours: Mapping[str, Any]) -> dict[Loc, Any]:
    """The fields ``ours`` changed from ``base``: place -> new value (:data:`MISSING`: removed)."""
    old, new = flatten(base), flatten(ours)
    return {
        loc: new.get(loc, MISSING)
        for loc in (*old, *(loc for loc in new if loc not in old))
        if old.get(loc, MISSING) != new.get(loc, MISSING)
    }


@dataclass(frozen=True, slots=True)
class Conflict:
    """One field changed both here and in the file on disk, to different values."""

    file: Path
    loc: Loc
    ours: Any
    theirs: Any

    def describe(self) -> str:
        """``exercises[bridges].hold: yours 12, in the file now 14``."""
        return (
            f"{self.file.name}: {show_loc(self.loc)}: yours {show_value(self.ours)}, "
            f"in the file now {show_value(self.theirs)}"
        )


def show_value(value: Any) -> str:
    if value is MISSING or value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "(a table)"
    return str(value)


@dataclass(frozen=True, slots=True)
class Merge:
    #: Our changes to apply to the file as it is on disk now.
    edits: dict[Loc, Any]
    #: Fields both sides changed differently (each also in ``edits``).
    conflicts: tuple[Conflict, ...]


def three_way(
    base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any], file: Path
) -> Merge:
    """Our changes (``ours`` against ``base``) to lay over ``theirs``; a field ``theirs`` also
    changed, to another value than ours, is a conflict (the same change on both sides is not)."""
    edits = changes(base, ours)
    old, now = flatten(base), flatten(theirs)
    conflicts = tuple(
        Conflict(file, loc, value, now.get(loc, MISSING))
        for loc, value in edits.items()
        if now.get(loc, MISSING) != old.get(loc, MISSING) and now.get(loc, MISSING) != value
    )
    return Merge(edits, conflicts)


class Resolution(StrEnum):
    """What to do with the fields both sides changed."""

    MINE = "mine"  # our values replace the file's
    THEIRS = "theirs"  # the file's values stay; only our other changes are written


class SaveConflict(TrainerError):
    """The file changed on disk since it was read, in the same fields as ours: nothing was
    written; ask the person, then save again with a :class:`Resolution`."""

    def __init__(self, conflicts: tuple[Conflict, ...]) -> None:
        self.conflicts = conflicts
        first = conflicts[0]
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        super().__init__(
            f"changed on disk since it was read: {first.describe()}{more}; nothing was saved",
            path=first.file,
        )


@dataclass(frozen=True, slots=True)
class Saved:
    """What :func:`save_changes` wrote (``raw``: the file's bytes now, the next base)."""

    raw: bytes
    #: Our changes that were not written: the file's values kept (``Resolution.THEIRS``), or
    #: a table removed from the file meanwhile.
    kept_theirs: tuple[Loc, ...] = ()
    #: The file had changed on disk and the other changes were kept beside ours.
    merged: bool = False
    #: The file was written (False: none of our changes was left to write).
    written: bool = False


def read_current(path: Path, what: str) -> bytes | None:
    """The file's bytes now (None: there is no file)."""
    try:
        return files.read_file(path, what)
    except files.FileMissing:
        return None


def _text(raw: bytes | None, path: Path) -> str:
    if raw is None:
        return ""
    try:
        return raw.removeprefix(files.BOM).decode("utf-8")
    except UnicodeDecodeError as exc:  # parse() said it was fine: only a race gets here
        raise TrainerError("not UTF-8 text; save the file as UTF-8", path=path) from exc


def save_changes(
    path: Path,
    *,
    base_raw: bytes | None,
    base: Mapping[str, Any],
    ours: Mapping[str, Any],
    parse: Callable[[bytes], Mapping[str, Any]],
    what: str,
    resolve: Resolution | None = None,
    header: str = "",
    comments: Mapping[Loc, str] | None = None,
) -> Saved:
    """Write our changes (``ours`` against ``base``, the data of ``base_raw`` as read; None:
    there was no file) into the file as it is on disk now, in place.

    ``parse`` turns the file's bytes into the same kind of data (validated; a
    :class:`TrainerError` if the file on disk is not valid now: nothing is written).
    :class:`SaveConflict` when the file changed in the same fields and ``resolve`` is None.
    ``header``: the comment a new file starts with. ``comments``: a comment to put after a
    value set (where it came from). Raises :class:`TrainerError` when the disk refuses.
    """
    with _locked(path):
        return _save_changes(
            path,
            base_raw=base_raw,
            base=base,
            ours=ours,
            parse=parse,
            what=what,
            resolve=resolve,
            header=header,
            comments=comments,
        )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the file (its current inode) while it is read again,
    compared and replaced, so that two trainers saving at once take turns instead of both
    writing over the same version. Editors take no lock: a change they make between our read
    and our rename is the one window left (milliseconds). No file yet: no lock."""
    for _attempt in range(50):
        try:
            fd = files.open_file(path, what="file")
        except TrainerError:
            yield
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except OSError:
                same = False
            if same:
                yield
                return
        finally:
            os.close(fd)  # closing the descriptor releases the lock
    yield  # pragma: no cover - the file kept being replaced: go on without the lock


def _save_changes(
    path: Path,
    *,
    base_raw: bytes | None,
    base: Mapping[str, Any],
    ours: Mapping[str, Any],
    parse: Callable[[bytes], Mapping[str, Any]],
    what: str,
    resolve: Resolution | None,
    header: str,
    comments: Mapping[Loc, str] | None,
) -> Saved:
    import tomlkit  # only when something is saved

    current = read_current(path, what)
    merged = current != base_raw
    theirs = parse(current) if (merged and current is not None) else base
    if merged and current is None:
        theirs = {}
    merge = three_way(base, ours, theirs, path)
    edits = dict(merge.edits)
    kept: list[Loc] = []
    if merge.conflicts:
        if resolve is None:
            raise SaveConflict(merge.conflicts)
        if resolve is Resolution.THEIRS:
            for conflict in merge.conflicts:
                edits.pop(conflict.loc, None)
                kept.append(conflict.loc)
    if not edits and current is not None:
        return Saved(current, tuple(kept), merged)
    text = _text(current, path)
    try:
        document = tomlkit.parse(text)
    except Exception as exc:  # tomlkit's own errors; parse() accepted it, so only a race
        raise TrainerError(f"not valid TOML now ({exc}); nothing was saved", path=path) from exc
    if current is None and header:
        for line in header.splitlines():
            document.add(tomlkit.comment(line))
        document.add(tomlkit.nl())
    for loc, value in edits.items():
        comment = (comments or {}).get(loc)
        if not _apply(document, loc, value, comment):
            kept.append(loc)
    data = document.as_string().encode("utf-8")
    if current is not None and current.startswith(files.BOM):
        data = files.BOM + data
    parse(data)  # never write what would not load again
    files.atomic_write(path, data)
    return Saved(data, tuple(kept), merged, written=True)


def _apply(document: Any, loc: Loc, value: Any, comment: str | None) -> bool:
    """Set (or with :data:`MISSING`, remove) one value in a tomlkit document, creating the
    tables on its way; False if its array item is no longer there."""
    import tomlkit

    container = document
    for part in loc[:-1]:
        if isinstance(part, ById):
            found = [item for item in container if item.get("id") == part.id]
            if not found:
                return value is MISSING
            container = found[0]
        else:
            if part not in container:
                if value is MISSING:
                    return True
                container[part] = tomlkit.table()
            container = container[part]
    key = loc[-1]
    assert isinstance(key, str)
    if value is MISSING:
        if key in container:
            del container[key]
        return True
    if key in container and not isinstance(value, list | dict):
        container[key] = value  # tomlkit keeps the line's own comment
    else:
        item = tomlkit.item(value)
        if comment:
            item.comment(comment)
        container[key] = item
    return True


def remove_keys(
    path: Path,
    *,
    base_raw: bytes,
    locs: list[Loc],
    check: Callable[[bytes], object],
    what: str,
) -> bytes:
    """Remove keys from the file, in place (every other line and comment stays), if the file
    is still ``base_raw``; otherwise nothing is written (:class:`TrainerError`: look again).
    ``check`` must accept the result (it is never written otherwise). The bytes now."""
    with _locked(path):
        return _remove_keys(path, base_raw=base_raw, locs=locs, check=check, what=what)


def _remove_keys(
    path: Path,
    *,
    base_raw: bytes,
    locs: list[Loc],
    check: Callable[[bytes], object],
    what: str,
) -> bytes:
    import tomlkit

    current = read_current(path, what)
    if current != base_raw:
        raise TrainerError(
            "changed on disk since it was read; nothing was removed, try again", path=path
        )
    assert current is not None  # base_raw is bytes
    document = tomlkit.parse(_text(current, path))
    for loc in locs:
        _apply(document, loc, MISSING, None)
    data = document.as_string().encode("utf-8")
    if current.startswith(files.BOM):
        data = files.BOM + data
    check(data)
    if data != current:
        files.atomic_write(path, data)
    return data
