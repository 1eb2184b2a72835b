"""What the routine list shows, and a cache of it so the list needs neither pydantic nor a plan.

A :class:`Catalog` holds, as plain data, exactly what the app reads before a session starts:
each routine's name, description, exercise lines and length (the plan's total), the
programme's settings read at start-up (the training plan), and the ``[settings]`` keys the
file still has but that are ignored (moved to ``preferences.toml``: named with their lines,
never with their values). The person's own preferences (theme, voice, on_event) are not here:
they are read from ``preferences.toml`` (:mod:`trainer.programme.preferences`). It is built from a
validated :class:`~trainer.programme.schema.RoutinesFile` (:func:`catalog_of`) and kept as JSON in
``$XDG_CACHE_HOME/trainer/`` (one file per routines file), keyed by the sha256 of the routines
file's bytes, trainer's version and a fingerprint of the code that validates and plans
(:func:`cache_key`). When the key matches, the list is drawn from the cache and the file is
validated later, before anything needs the models (see :class:`trainer.coaching.lifecycle.Workout`).

The cache is never trusted: a file that is missing, unreadable, not a regular file, too large,
not JSON, of another key, or of any other shape than the one written here is a miss (never an
error), checked with plain Python. Its text reaches the screen only through the same
``plain()`` path as the routines file's own text. Writing it is best effort: a read-only or
full disk leaves it unwritten, silently (the next start validates again).

No Textual, no pydantic: this module is on the path to the list's first frame.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer import __version__
from trainer.programme import figures
from trainer.programme.constants import WEEKDAYS
from trainer.storage import files
from trainer.text.errors import TrainerError

if TYPE_CHECKING:
    from trainer.programme.preferences import Ignored
    from trainer.programme.schema import Exercise, RoutinesFile

#: The layout of a cache file; a file of another format is a miss.
FORMAT = 2
#: A cache file larger than this is not read (the shipped file's is about 3 KiB).
MAX_BYTES = 1 << 20
#: The modules whose code decides what the catalog holds: the schema and the plan's length.
_FINGERPRINTED = (
    "programme/schema.py",
    "programme/constants.py",
    "programme/loading.py",
    "programme/catalog.py",
    "programme/figures.py",
    "programme/preferences.py",
    "engine/plan.py",
)
#: ``plan_at``: HH:MM, as the schema has it.
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
#: Bounds a cached number must be within (any schema-valid file is far inside them).
_MAX_COUNT = 1_000_000


@dataclass(frozen=True, slots=True)
class ExerciseLine:
    """One exercise as the list's details show it."""

    name: str
    sets: int
    reps: int
    sides: int
    hold: int
    #: The figure's end position, one string a line (empty: the exercise has no figure).
    figure: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RoutineSummary:
    """One routine as the list shows it; ``seconds`` is its plan's length."""

    id: str
    name: str
    description: str
    seconds: int
    exercises: tuple[ExerciseLine, ...]


@dataclass(frozen=True, slots=True)
class CachedSettings:
    """The programme's settings read before a session: the same names as
    :class:`trainer.programme.schema.Settings`."""

    checkin_before: bool = False
    plan_days: tuple[str, ...] | None = None
    plan_at: str | None = None


@dataclass(frozen=True, slots=True)
class IgnoredKey:
    """A ``[settings]`` key of the file that is not read (see
    :class:`trainer.programme.preferences.Ignored`); its value is never cached."""

    key: str
    line: int | None
    moved: bool


@dataclass(frozen=True, slots=True)
class Catalog:
    """What the routine list shows (see the module's docstring)."""

    routines: tuple[RoutineSummary, ...]
    settings: CachedSettings
    ignored: tuple[IgnoredKey, ...] = ()

    def routine(self, routine_id: str) -> RoutineSummary:
        for routine in self.routines:
            if routine.id == routine_id:
                return routine
        raise KeyError(routine_id)

    def has(self, routine_id: str) -> bool:
        return any(routine.id == routine_id for routine in self.routines)

    @property
    def ids(self) -> list[str]:
        return [routine.id for routine in self.routines]


def catalog_of(
    routines: RoutinesFile,
    seconds: Callable[[str], int],
    ignored: Sequence[Ignored] = (),
) -> Catalog:
    """The catalog of a validated file; ``seconds(routine_id)`` is that routine's plan total;
    ``ignored``: the file's ``[settings]`` keys that are not read."""
    settings = routines.settings
    return Catalog(
        routines=tuple(
            RoutineSummary(
                id=routine.id,
                name=routine.name,
                description=routine.description,
                seconds=int(seconds(routine.id)),
                exercises=tuple(
                    ExerciseLine(ex.name, ex.sets, ex.reps, ex.sides, ex.hold, _end_pose(ex))
                    for ex in routines.exercises_of(routine)
                ),
            )
            for routine in routines.routines
        ),
        settings=CachedSettings(
            checkin_before=settings.checkin_before,
            plan_days=tuple(settings.plan_days) if settings.plan_days is not None else None,
            plan_at=settings.plan_at,
        ),
        ignored=tuple(IgnoredKey(i.key, i.line, i.moved) for i in ignored),
    )


def _end_pose(exercise: Exercise) -> tuple[str, ...]:
    """The figure's end position as the list shows it (its frames' common box)."""
    if exercise.figure is None:
        return ()
    frames, _, _ = figures.box([exercise.figure.start, exercise.figure.end])
    return tuple(line.rstrip() for line in frames[1])


# --------------------------------------------------------------------------- the cache


@functools.cache
def fingerprint() -> str | None:
    """A hash of the code that validates a file and measures its routines (None if it cannot
    be read: then nothing is cached)."""
    here = Path(__file__).resolve().parent.parent  # trainer/
    digest = hashlib.sha256()
    try:
        for name in _FINGERPRINTED:
            digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def cache_key(raw: bytes) -> str | None:
    """The key of a routines file's bytes: its sha256, trainer's version, the code's
    fingerprint (None: caching is off)."""
    code = fingerprint()
    if code is None:
        return None
    digest = hashlib.sha256(raw).hexdigest()
    return hashlib.sha256(f"{FORMAT}\0{__version__}\0{code}\0{digest}".encode()).hexdigest()


def cache_path(routines_path: Path) -> Path:
    """The cache file of one routines file (by its absolute path: one file per place)."""
    where = hashlib.sha256(os.fsencode(os.path.abspath(routines_path))).hexdigest()[:24]
    return files.cache_dir() / f"catalog-{where}.json"


def read_cache(routines_path: Path, raw: bytes) -> Catalog | None:
    """The cached catalog of ``raw`` (the routines file's bytes), or None: a miss, whatever
    the reason (no cache, another key, unreadable, damaged, hostile)."""
    key = cache_key(raw)
    if key is None:
        return None
    try:
        data = files.read_file(cache_path(routines_path), "cache file")
    except TrainerError:
        return None
    if len(data) > MAX_BYTES:
        return None
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    if document.get("key") != key:
        return None
    return from_json(document.get("catalog"))


def write_cache(routines_path: Path, raw: bytes, catalog: Catalog) -> bool:
    """Keep ``catalog`` as the cache of ``raw``; False if it could not be written (a read-only
    or full disk: the next start validates the file again, nothing else changes)."""
    key = cache_key(raw)
    if key is None:
        return False
    document = {"format": FORMAT, "key": key, "catalog": to_json(catalog)}
    data = json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode()
    try:
        files.atomic_write(cache_path(routines_path), data, private=True)
    except TrainerError:
        return False
    return True


def forget_cache(routines_path: Path) -> None:
    """Remove the cache of a routines file (best effort)."""
    with contextlib.suppress(OSError):
        os.unlink(cache_path(routines_path))


# --------------------------------------------------------------------------- JSON


def to_json(catalog: Catalog) -> dict[str, Any]:
    s = catalog.settings
    return {
        "routines": [
            {
                "id": r.id,
                "name": r.name,
                "description": r.description,
                "seconds": r.seconds,
                "exercises": [
                    [e.name, e.sets, e.reps, e.sides, e.hold, list(e.figure)] for e in r.exercises
                ],
            }
            for r in catalog.routines
        ],
        "settings": {
            "checkin_before": s.checkin_before,
            "plan_days": list(s.plan_days) if s.plan_days is not None else None,
            "plan_at": s.plan_at,
        },
        "ignored": [[i.key, i.line, i.moved] for i in catalog.ignored],
    }


class _Bad(Exception):
    """The cache's JSON is not what :func:`to_json` writes."""


def _text(value: object, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not empty) or len(value) > 10_000:
        raise _Bad
    return value


def _clock(value: object) -> str:
    if not isinstance(value, str) or not _CLOCK.fullmatch(value):
        raise _Bad
    return value


def _number(value: object, low: int = 0, high: int = _MAX_COUNT) -> int:
    if type(value) is not int or not low <= value <= high:  # bool is not a number here
        raise _Bad
    return value


def _items(value: object, most: int = 1000) -> Sequence[object]:
    if not isinstance(value, list) or len(value) > most:
        raise _Bad
    return value


def _exercise(value: object) -> ExerciseLine:
    fields = _items(value)
    if len(fields) != 6:
        raise _Bad
    name, sets, reps, sides, hold, figure = fields
    lines = tuple(_text(line, empty=True) for line in _items(figure, figures.MAX_HEIGHT))
    if lines and figures.problem("\n".join(lines)) is not None:
        raise _Bad
    return ExerciseLine(
        _text(name),
        _number(sets, 1),
        _number(reps, 1),
        _number(sides, 1, 2),
        _number(hold),
        lines,
    )


def _routine(value: object) -> RoutineSummary:
    if not isinstance(value, dict):
        raise _Bad
    exercises = tuple(_exercise(e) for e in _items(value.get("exercises")))
    if not exercises:
        raise _Bad
    return RoutineSummary(
        id=_text(value.get("id")),
        name=_text(value.get("name")),
        description=_text(value.get("description"), empty=True),
        seconds=_number(value.get("seconds")),
        exercises=exercises,
    )


def _settings(value: object) -> CachedSettings:
    if not isinstance(value, dict):
        raise _Bad
    checkin_before = value.get("checkin_before")
    if not isinstance(checkin_before, bool):
        raise _Bad
    plan_days = value.get("plan_days")
    plan_at = value.get("plan_at")
    days: tuple[str, ...] | None = None
    if plan_days is not None:
        days = tuple(_text(day) for day in _items(plan_days, 7))
        if any(day not in WEEKDAYS for day in days):
            raise _Bad
    return CachedSettings(
        checkin_before=checkin_before,
        plan_days=days,
        plan_at=None if plan_at is None else _clock(plan_at),
    )


def _ignored(value: object) -> IgnoredKey:
    fields = _items(value)
    if len(fields) != 3:
        raise _Bad
    key, line, moved = fields
    if not isinstance(moved, bool):
        raise _Bad
    return IgnoredKey(_text(key), None if line is None else _number(line, 1), moved)


def from_json(value: object) -> Catalog | None:
    """A catalog from the cache's JSON, or None if it is not exactly what :func:`to_json`
    writes (types, bounds, the known values of the settings)."""
    try:
        if not isinstance(value, dict):
            raise _Bad
        routines = tuple(_routine(r) for r in _items(value.get("routines")))
        if not routines or len({r.id for r in routines}) != len(routines):
            raise _Bad
        ignored = tuple(_ignored(i) for i in _items(value.get("ignored"), 100))
        return Catalog(
            routines=routines, settings=_settings(value.get("settings")), ignored=ignored
        )
    except _Bad:
        return None
