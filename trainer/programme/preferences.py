"""The person's preferences (``$XDG_CONFIG_HOME/trainer/preferences.toml``), apart from the
programme (``routines.toml``): issue 18, item 1.

A **programme** is what a physiotherapist may send and what is safe to share: the exercises,
the routines, the doses, the timing between exercises, the planned days. It is plain data:
**no command and no executable is ever read from it** (not from the user's ``routines.toml``,
not from ``--routines shared.toml``). The **preferences** are what one person's room, ears and
machine need; they are never shared, and they are the only place a command (``on_event``) is
read from.

Where each key of the old ``[settings]`` table went, and why:

==================  ===============  ======================================================
key                 now in           why
==================  ===============  ======================================================
plan_days, plan_at  routines.toml    the schedule of the programme ("Mon, Wed, Fri at
                                     07:30" is what a physio prescribes); plain data
checkin_before      routines.toml    part of the pain monitoring the programme asks for (a
                                     score before and after a session); data, not a command
[timing]            routines.toml    the programme's pace between exercises (a physio may
                                     slow it down); it was never in [settings]
bell                preferences      what the person's room and ears stand (a shared flat,
                                     a sleeping child); no business of a programme
notifications       preferences      the person's desktop
theme               preferences      the person's screen and light
plain_letters       preferences      the person's terminal font (one without block
                                     characters shows nothing of the big letters)
voice, voice_rate   preferences      the person's hearing and language speed
voice_engine        preferences      names a program to run on the person's machine: a
                                     programme file must not choose what runs
on_event            preferences      a shell command: ONLY ever read from here
==================  ===============  ======================================================

An old routines file that still has the preference keys loads: they are ignored (never used,
``on_event`` never run), ``trainer check`` and the app name the file and line, and
``trainer migrate-settings`` (or the app's prompt) moves them here once the person agrees
(:mod:`trainer.programme.migrate`). A key in ``[settings]`` that looks like a command or a
path (``voice_command``, ``hook_path``...) is ignored too, and listed.

Loading is cheap (tomllib and plain Python checks, no pydantic): it happens before the routine
list's first frame. Saving goes through :func:`trainer.programme.documents.save_changes`
(only changed values, in place, comments kept, never over another change).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any, Protocol

from trainer.programme.constants import (
    DEFAULT_RATE,
    MAX_RATE,
    MIN_RATE,
    THEMES,
    VOICE_ENGINES,
    BellMode,
    VoiceMode,
)
from trainer.storage import files
from trainer.text.errors import TrainerError
from trainer.text.safe import escape_char, unsafe_chars

PREFERENCES_FILENAME = "preferences.toml"
#: A longer on_event line is a mistake (the schema had the same bound).
MAX_COMMAND = 1000

#: The first lines of a new preferences file.
HEADER = (
    "trainer's preferences: yours, never shared (a routines file holds the programme).\n"
    "Keys: bell, notifications, theme, plain_letters, voice, voice_rate, voice_engine,\n"
    "on_event (docs/sound-and-voice.md)."
)

#: Keys of an old ``[settings]`` table that look like a command or a path: never read.
_COMMAND_LIKE = re.compile(r"command|cmd|exec|hook|program|path|script|shell|run|binary", re.I)


def preferences_path() -> Path:
    return files.config_dir() / PREFERENCES_FILENAME


@dataclass(frozen=True, slots=True)
class Preferences:
    """The person's preferences (defaults: what a new install does)."""

    bell: BellMode = BellMode.ALL
    notifications: bool = True
    #: "dark" or "light": pick what reads best in your room.
    theme: str = "dark"
    #: The big word, the countdown and the side in plain spaced capitals instead of block
    #: letters: for a terminal font without block characters (or one whose blocks bleed).
    plain_letters: bool = False
    voice: VoiceMode = VoiceMode.AUTO
    #: Words per minute (espeak's scale; other engines get the nearest setting).
    voice_rate: int = DEFAULT_RATE
    voice_engine: str = "auto"
    #: A shell command run for every cue with one JSON object on its standard input. One line
    #: without control characters: it is shown in the settings, and a newline would hide a
    #: second command.
    on_event: str | None = None

    def to_data(self) -> dict[str, Any]:
        """As the file holds it (no ``on_event`` key when there is none)."""
        data = asdict(self)
        data["bell"] = self.bell.value
        data["voice"] = self.voice.value
        if self.on_event is None:
            del data["on_event"]
        return data

    def with_values(self, **values: Any) -> Preferences:
        return replace(self, **values)


#: Every preference key, in the file's order.
KEYS: tuple[str, ...] = tuple(f.name for f in fields(Preferences))


class BadValue(ValueError):
    """One value is wrong: ``message`` says what and how to fix it."""


def _check(key: str, value: object) -> object:
    """One value as the file gives it -> the value :class:`Preferences` holds."""
    if key == "bell":
        if value is True:  # files written before the bell modes
            return BellMode.ALL
        if value is False:
            return BellMode.OFF
        return _one_of(value, [m.value for m in BellMode], BellMode)
    if key in ("notifications", "plain_letters"):
        if not isinstance(value, bool):
            raise BadValue(f"must be true or false, got {_show(value)}")
        return value
    if key == "theme":
        return _one_of(value, list(THEMES), str)
    if key == "voice":
        return _one_of(value, [m.value for m in VoiceMode], VoiceMode)
    if key == "voice_engine":
        return _one_of(value, list(VOICE_ENGINES), str)
    if key == "voice_rate":
        if type(value) is not int:
            raise BadValue(f"must be a whole number, got {_show(value)}")
        if not MIN_RATE <= value <= MAX_RATE:
            raise BadValue(f"must be {MIN_RATE}-{MAX_RATE} words a minute, got {value}")
        return value
    if key == "on_event":
        if not isinstance(value, str):
            raise BadValue(f"must be text in quotes, got {_show(value)}")
        if len(value) > MAX_COMMAND:
            raise BadValue(f"is too long (at most {MAX_COMMAND} characters)")
        bad = unsafe_chars(value)
        if bad:
            at = value.index(bad[0]) + 1
            raise BadValue(
                f"character {at} is the control character {escape_char(bad[0])}; one line "
                "without control characters"
            )
        return value if value.strip() else None
    raise BadValue("is not a known key")  # pragma: no cover - callers check the key first


def _one_of(value: object, allowed: list[str], kind: Any) -> Any:
    if not isinstance(value, str) or value not in allowed:
        raise BadValue(f"must be one of {', '.join(repr(a) for a in allowed)}, got {_show(value)}")
    return kind(value)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value[:60] + ("..." if len(value) > 60 else ""))
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and abs(value) >= 10**18:
        return "a number that is too large"
    return str(value)


def check_value(key: str, value: object) -> object:
    """A preference value (``BadValue`` with the reason if it is wrong)."""
    return _check(key, value)


def from_data(data: Mapping[str, Any], path: Path, text: str = "") -> Preferences:
    """The preferences in a file's data, or a one-line :class:`TrainerError` naming the file,
    the line, the key and the fix."""
    from trainer.programme import toml_lines
    from trainer.text.safe import printable

    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            import difflib

            guess = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)
            fix = f"did you mean '{guess[0]}'?" if guess else f"the keys are {', '.join(KEYS)}"
            raise TrainerError(
                f"{printable(key)}: is not a known preference; {fix}",
                path=path,
                line=toml_lines.line_of(text, (key,)) if text else None,
            )
        try:
            values[key] = _check(key, value)
        except BadValue as exc:
            raise TrainerError(
                f"{key}: {exc}", path=path, line=toml_lines.line_of(text, (key,)) if text else None
            ) from None
    return Preferences(**values)


def parse(raw: bytes, path: Path) -> Preferences:
    from trainer.programme.loading import parse_toml

    text, data = parse_toml(raw, path)
    return from_data(data, path, text)


@dataclass(frozen=True, slots=True)
class Loaded:
    """The preferences and the bytes they were read from (None: no file yet): the base of the
    next save's check for changes made meanwhile."""

    preferences: Preferences
    raw: bytes | None
    path: Path


def load(path: Path | None = None) -> Loaded:
    """The person's preferences; the defaults when there is no file. A file that is not a
    regular file (a FIFO, a folder) or not valid is a one-line :class:`TrainerError`."""
    path = preferences_path() if path is None else Path(path)
    try:
        raw = files.read_file(path, "preferences file", fix="it must be a TOML file")
    except files.FileMissing:
        return Loaded(Preferences(), None, path)
    return Loaded(parse(raw, path), raw, path)


def save(
    loaded: Loaded, new: Preferences, resolve: Any = None, comments: Mapping[Any, str] | None = None
) -> Loaded:
    """Write the changed preferences into the file, in place (see
    :func:`trainer.programme.documents.save_changes`: :class:`SaveConflict` when the file
    changed the same keys meanwhile); the loaded state to use from now on."""
    return write(loaded, new, resolve, comments)[0]


def write(
    loaded: Loaded, new: Preferences, resolve: Any = None, comments: Mapping[Any, str] | None = None
) -> tuple[Loaded, bool]:
    """:func:`save`, and whether the file was written (False: nothing of ours was left to
    write: no preference changed, or the file's values were kept)."""
    from trainer.programme import documents

    saved = documents.save_changes(
        loaded.path,
        base_raw=loaded.raw,
        base=loaded.preferences.to_data(),
        ours=new.to_data(),
        parse=lambda raw: parse(raw, loaded.path).to_data(),
        what="preferences file",
        resolve=resolve,
        header=HEADER,
        comments=comments,
    )
    return Loaded(parse(saved.raw, loaded.path), saved.raw, loaded.path), saved.written


# --------------------------------------------------------------------------- old routines files


@dataclass(frozen=True, slots=True)
class Ignored:
    """A key of a routines file's ``[settings]`` that is not read (never used, never run)."""

    key: str
    value: Any
    line: int | None
    #: True: a preference, moved to preferences.toml; False: looks like a command or a path.
    moved: bool

    def describe(self, path: Path) -> str:
        from trainer.text.safe import printable

        where = f"{path}:{self.line}" if self.line else str(path)
        if self.moved:
            return (
                f"{where}: [settings] {self.key}: now in your {PREFERENCES_FILENAME} "
                "('trainer migrate-settings' moves it)"
            )
        return (
            f"{where}: [settings] {printable(self.key)}: a routines file never holds a command "
            "or a path"
        )


def split_settings(data: dict[str, Any], text: str) -> list[Ignored]:
    """Take the keys a routines file no longer holds out of ``data["settings"]`` (in place),
    and say which they were and on which line."""
    from trainer.programme import toml_lines

    table = data.get("settings")
    if not isinstance(table, dict):
        return []
    found: list[Ignored] = []
    lines: dict[toml_lines.Loc, int] | None = None  # scanned only if a key is taken out
    for key in list(table):
        if key in KEYS:
            moved = True
        elif _COMMAND_LIKE.search(key):
            moved = False
        else:
            continue
        if lines is None:
            lines = toml_lines.key_lines(text) if text else {}
        found.append(Ignored(key, table.pop(key), lines.get(("settings", key)), moved))
    return found


def ignored_in(raw: bytes, path: Path) -> list[Ignored]:
    """The ignored ``[settings]`` keys of a routines file's bytes (best effort: [] when it is
    not TOML; loading says why)."""
    from trainer.programme.loading import parse_toml

    try:
        text, data = parse_toml(raw, path)
    except TrainerError:
        return []
    return split_settings(data, text)


class Named(Protocol):
    """An ignored key as the catalog keeps it (or :class:`Ignored`)."""

    @property
    def key(self) -> str: ...
    @property
    def line(self) -> int | None: ...
    @property
    def moved(self) -> bool: ...


def summary(ignored: Sequence[Named], path: Path) -> str:
    """One line for the app and ``trainer check``: which keys, the first line, where to."""
    if not ignored:
        return ""
    moved = [i for i in ignored if i.moved]
    others = [i for i in ignored if not i.moved]
    first = min((i.line for i in ignored if i.line), default=None)
    where = f"{path}:{first}" if first else str(path)
    parts = []
    if moved:
        names = ", ".join(i.key for i in moved)
        parts.append(
            f"[settings] {names} ignored: they now live in {PREFERENCES_FILENAME}; "
            "'trainer migrate-settings' moves them"
        )
    if others:
        from trainer.text.safe import printable

        names = ", ".join(printable(i.key) for i in others)
        parts.append(f"{names} ignored: a routines file never holds a command or a path")
    return f"{where}: " + "; ".join(parts)
