"""Moving an old routines file's preferences into ``preferences.toml``, once, with the person's
consent (``trainer migrate-settings``, or the app's prompt): issue 18, item 1.

Nothing is lost: each value is checked first (a wrong one stops the move, naming its line),
written into ``preferences.toml`` (a key the preferences file already sets keeps the
preferences' value, and the message names both), and only then removed from the routines
file, in place (every other line and comment stays). Both writes check that the file did not
change since it was read (:mod:`trainer.programme.documents`). A key that looks like a command
or a path (``voice_command``) is not a preference: it is not moved, it stays ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.programme import documents, loading
from trainer.programme import preferences as prefs
from trainer.programme.documents import Loc, Resolution
from trainer.text.errors import TrainerError


@dataclass(frozen=True, slots=True)
class Migrated:
    #: The preferences now (and the bytes they were read from).
    preferences: prefs.Loaded
    #: The routines file's bytes now.
    routines_raw: bytes
    #: One line: what moved where, and what was kept.
    message: str


def pending(routines_path: Path) -> tuple[bytes, list[prefs.Ignored]]:
    """The routines file's bytes now and the preference keys it still has."""
    raw = loading.read_bytes(routines_path, "routines file")
    return raw, [i for i in prefs.ignored_in(raw, routines_path) if i.moved]


def describe(moved: list[prefs.Ignored]) -> str:
    """``bell = "all", on_event = "notify-send x" (a command: it runs at every cue)``."""
    parts = []
    for item in moved:
        text = f"{item.key} = {documents.show_value(item.value)}"
        if item.key in ("on_event", "voice_engine"):
            text += " (a command: it runs at every cue)" if item.key == "on_event" else ""
        parts.append(text)
    return ", ".join(parts)


def migrate(
    routines_path: Path,
    loaded: prefs.Loaded,
    *,
    resolve: Resolution | None = None,
    expected: bytes | None = None,
) -> Migrated:
    """Move the keys (see the module). ``expected``: the routines file's bytes the person was
    shown; if the file changed since, nothing is moved (:class:`TrainerError`)."""
    routines_path = Path(routines_path)
    raw, moved = pending(routines_path)
    if expected is not None and raw != expected:
        raise TrainerError(
            "changed since it was shown; nothing was moved, look again", path=routines_path
        )
    if not moved:
        return Migrated(loaded, raw, f"{routines_path}: no preferences to move")
    values: dict[str, object] = {}
    for item in moved:
        try:
            values[item.key] = prefs.check_value(item.key, item.value)
        except prefs.BadValue as exc:
            raise TrainerError(
                f"[settings] {item.key}: {exc}; fix it there, then move it again "
                "(nothing was moved)",
                path=routines_path,
                line=item.line,
            ) from None
    in_file = _keys_in(loaded)
    old_comments = _comments(raw, routines_path)
    current = loaded.preferences
    base = {k: v for k, v in current.to_data().items() if k in in_file}
    ours = dict(base)
    kept: list[str] = []
    comments: dict[Loc, str] = {}
    for key, value in values.items():
        mine = getattr(current, key)
        if key in in_file:
            if mine != value:
                kept.append(
                    f"{key} kept as {documents.show_value(_plain(mine))} "
                    f"(the routines file had {documents.show_value(_plain(value))})"
                )
            continue
        if value is None:
            continue  # an empty on_event: nothing to keep
        ours[key] = _plain(value)
        said = old_comments.get(key, "")
        moved_from = f"moved from {routines_path.name}"
        comments[(key,)] = f"{said} ({moved_from})" if said else moved_from
    saved = documents.save_changes(
        loaded.path,
        base_raw=loaded.raw,
        base=base,
        ours=ours,
        parse=lambda raw: _file_data(raw, loaded.path),
        what="preferences file",
        resolve=resolve,
        header=prefs.HEADER,
        comments=comments,
    )
    new_loaded = prefs.Loaded(prefs.parse(saved.raw, loaded.path), saved.raw, loaded.path)
    routines_raw = documents.remove_keys(
        routines_path,
        base_raw=raw,
        locs=[("settings", item.key) for item in moved],
        check=lambda data: loading.parse_routines(data, routines_path),
        what="routines file",
    )
    message = f"Moved {', '.join(values)} from {routines_path} to {loaded.path}" + (
        f"; {'; '.join(kept)}" if kept else ""
    )
    return Migrated(new_loaded, routines_raw, message)


def _comments(raw: bytes, path: Path) -> dict[str, str]:
    """The comment at the end of each ``[settings]`` line (it moves with its value)."""
    import tomlkit

    text, _ = loading.parse_toml(raw, path)
    try:
        table = tomlkit.parse(text).get("settings")
        return {
            str(key): item.trivia.comment.lstrip("#").strip()
            for key, item in (table or {}).items()
            if getattr(getattr(item, "trivia", None), "comment", "")
        }
    except Exception:  # best effort: a comment is not worth stopping the move
        return {}


def _plain(value: object) -> object:
    return getattr(value, "value", value)


def _keys_in(loaded: prefs.Loaded) -> set[str]:
    if loaded.raw is None:
        return set()
    return set(_file_data(loaded.raw, loaded.path))


def _file_data(raw: bytes, path: Path) -> dict[str, object]:
    """The keys the preferences file sets, validated (defaults not filled in)."""
    text, data = loading.parse_toml(raw, path)
    checked = prefs.from_data(data, path, text).to_data()
    return {k: v for k, v in checked.items() if k in data}
