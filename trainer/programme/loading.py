"""The routines file: bytes -> tomllib -> pydantic models, or one line naming the file, the
line of the offending key or value (see :mod:`trainer.programme.toml_lines`), the field and
the fix; and back: only the changed values, in place (tomlkit, :mod:`trainer.programme.documents`),
or a new file whole (tomli-w) -> :func:`trainer.storage.files.atomic_write`."""

from __future__ import annotations

import difflib
import functools
import re
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trainer.storage.files import (
    BOM,
    ROUTINES_FILENAME,
    atomic_write,
    read_file,
    user_routines_path,
)
from trainer.text.errors import TrainerError
from trainer.text.safe import printable

if TYPE_CHECKING:
    # pydantic, the models and tomli-w load with the first file validated or saved: the routine
    # list's first frame needs none of them when the catalog cache holds the file.
    from pydantic import BaseModel, ValidationError

    from trainer.programme.documents import Resolution, Saved
    from trainer.programme.schema import RoutinesFile


def default_routines_bytes() -> bytes:
    """The packaged default ``routines.toml`` (in the wheel), or the checkout's top-level one."""
    packaged = resources.files("trainer").joinpath(ROUTINES_FILENAME)
    if packaged.is_file():
        return packaged.read_bytes()
    checkout = Path(__file__).resolve().parents[2] / ROUTINES_FILENAME
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
    """A whole routines file from a model, in the shipped file's layout (the packaged
    ``routines.toml`` is this output): only for a file that does not exist yet. An existing
    file is never rewritten whole: :func:`save_routines` edits it in place."""
    import tomli_w

    # Multi-line strings stay multi-line (a figure's drawing reads as a drawing).
    return tomli_w.dumps(routines_data(model), indent=4, multiline_strings=True).encode("utf-8")


def routines_data(model: RoutinesFile) -> dict[str, Any]:
    """A model as the file holds it (plain data, no None values)."""
    return model.model_dump(mode="json", exclude_none=True)


def save_routines(
    path: Path,
    model: RoutinesFile,
    *,
    base: RoutinesFile | None = None,
    base_raw: bytes | None = None,
    resolve: Resolution | None = None,
) -> Saved:
    """Write what changed from ``base`` (the model read from the bytes ``base_raw``) to
    ``model`` into the routines file, in place: comments, blank lines and hand-formatted
    arrays are kept, only the changed values are set
    (:func:`trainer.programme.documents.save_changes`). If the file changed on disk since
    ``base_raw`` was read, the other changes are kept too; the same field changed both ways
    raises :class:`~trainer.programme.documents.SaveConflict` (nothing written) unless
    ``resolve`` says which to keep. Without ``base`` the file as it is now is the base (a
    one-shot edit: read, change, write); a missing file is written whole. Through
    :func:`atomic_write`: a symlink stays a link, the mode and a byte-order mark are kept."""
    from trainer.programme import documents

    path = Path(path)
    if base is None:
        current = documents.read_current(path, "routines file")
        if current is None:
            data = dump_routines(model)
            atomic_write(path, data)
            return documents.Saved(data, written=True)
        base, base_raw = parse_routines(current, path), current
    return documents.save_changes(
        path,
        base_raw=base_raw,
        base=routines_data(base),
        ours=routines_data(model),
        parse=lambda raw: routines_data(parse_routines(raw, path)),
        what="routines file",
        resolve=resolve,
    )


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


def parse_toml(raw: bytes, path: Path) -> tuple[str, dict[str, Any]]:
    """Bytes of a TOML file -> its text and data, or a one-line :class:`TrainerError` naming
    the line (a byte-order mark first is allowed)."""
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
    return text, data


def parse_routines(raw: bytes, path: Path) -> RoutinesFile:
    """Bytes of a routines file -> validated model, or a one-line :class:`TrainerError`."""
    from pydantic import ValidationError

    from trainer.programme import toml_lines
    from trainer.programme.preferences import split_settings
    from trainer.programme.schema import SCHEMA_VERSION, RoutinesFile

    text, data = parse_toml(raw, path)
    version = data.get("schema_version")
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise TrainerError(
            f"schema_version: {_show(version)} is newer than this trainer understands "
            f"({SCHEMA_VERSION}); upgrade trainer",
            path=path,
            line=toml_lines.line_of(text, ("schema_version",)),
        )
    # The person's preferences (and anything that looks like a command) are never read from
    # a routines file: taken out here, listed by `trainer check` and the app.
    split_settings(data, text)
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
    from trainer.programme.schema import RoutinesFile

    keys: set[str] = set()
    every: tuple[type[BaseModel], ...] = (RoutinesFile, *_submodels())
    for model in every:
        keys.update(model.model_fields)
    return tuple(sorted(keys))


def _submodels() -> tuple[type[BaseModel], ...]:
    from trainer.programme import schema

    return (
        schema.Source,
        schema.Settings,
        schema.Timing,
        schema.Advice,
        schema.Exercise,
        schema.Cue,
        schema.Figure,
        schema.Routine,
    )


#: What a person reads after the field's path, by kind of pydantic error: ``{got}`` is the
#: value given, the other fields come from the error's context (``ge``, ``max_length``...).
_KIND_MESSAGES: dict[str, str] = {
    "missing": "is missing; add it",
    "greater_than_equal": "must be at least {ge}, got {got}",
    "greater_than": "must be at least {gt}, got {got}",
    "less_than_equal": "must be at most {le}, got {got}",
    "less_than": "must be at most {lt}, got {got}",
    "int_parsing": "must be a whole number, got {got}",
    "int_type": "must be a whole number, got {got}",
    "int_from_float": "must be a whole number, got {got}",
    "bool_parsing": "must be true or false, got {got}",
    "bool_type": "must be true or false, got {got}",
    "string_type": "must be text in quotes, got {got}",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "has too many items (at most {max_length})",
    "list_type": "must be a list like [1, 2], got {got}",
    "tuple_type": "must be a list like [1, 2], got {got}",
    "model_type": "must be a table, got {got}",
    "dict_type": "must be a table, got {got}",
    "model_attributes_type": "must be a table, got {got}",
    "enum": "must be one of {expected}, got {got}",
    "literal_error": "must be one of {expected}, got {got}",
}


class _Context(dict[str, Any]):
    """An error's context for :data:`_KIND_MESSAGES`: a field it lacks reads ``None``."""

    def __missing__(self, key: str) -> None:
        return None


def describe_error(err: Any) -> str:
    """One pydantic error dict -> what a person reads after the field path."""
    from trainer.programme.schema import WORD_PATTERN, FieldProblem

    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = err.get("input")
    if kind in _KIND_MESSAGES:
        return _KIND_MESSAGES[kind].format_map(_Context(ctx, got=_show(got)))
    if kind == "extra_forbidden":
        name = str(err["loc"][-1]) if err.get("loc") else ""
        guess = difflib.get_close_matches(name, _known_keys(), n=1, cutoff=0.6)
        if guess:
            return f"is not a known key; did you mean '{guess[0]}'?"
        return "is not a known key; remove it or check its spelling"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == WORD_PATTERN:
            return f"must be 1-12 letters A-Z, words separated by one space, got {_show(got)}"
        return f"must be lower-case letters, digits, '-' or '_', got {_show(got)}"
    if kind == "value_error":
        problem = ctx.get("error")
        if isinstance(problem, FieldProblem):
            return problem.message
        return str(err["msg"]).removeprefix("Value error, ")
    return f"{err['msg']}, got {_show(got)}"


def error_place(err: Any) -> tuple[int | str, ...]:
    """Where one pydantic error is: its place, made precise when a check across fields named
    the field at fault (:class:`~trainer.programme.schema.FieldProblem`)."""
    from trainer.programme.schema import FieldProblem

    loc = tuple(err.get("loc") or ())
    problem = (err.get("ctx") or {}).get("error")
    if isinstance(problem, FieldProblem):
        loc = (*loc, *problem.loc)
    return loc


def validation_error(
    exc: ValidationError, path: Path | None, text: str | None = None
) -> TrainerError:
    """The first problem as ``file:line: field: message (and N more problems)``; the line is
    where that key or value is in ``text`` (see :mod:`trainer.programme.toml_lines`)."""
    from trainer.programme import toml_lines

    # An unknown key is usually a typo of a missing one: name the typo first.
    errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = error_place(first)
    message = describe_error(first)
    field = format_loc(loc)
    line = toml_lines.line_of(text, loc) if text and loc else None
    more = (
        f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
        if len(errors) > 1
        else ""
    )
    return TrainerError((f"{field}: " if field else "") + message + more, path=path, line=line)
