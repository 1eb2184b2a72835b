"""Unsaved settings kept as a draft when trainer exits with them (Ctrl+C, q, a closed terminal).

The settings screen hands what is in its fields (as typed: they may not be valid yet) to
:func:`keep_settings_draft` when it goes away without being saved or discarded; the draft is
written atomically, through storage, to ``$XDG_STATE_HOME/trainer/settings-draft.json``. The
next time settings opens on the same routines file, :func:`settings_draft_for` offers it: apply
it to the fields (then save or not, as with any edit) or discard it. Nothing is lost without a
word, and nothing is saved to the routines file without the person saving it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, ValidationError

from trainer.records.saved_session import local_now
from trainer.storage import files
from trainer.text.errors import TrainerError

DRAFT_FILENAME = "settings-draft.json"


def draft_path() -> Path:
    return files.state_dir() / DRAFT_FILENAME


class SettingsDraft(BaseModel):
    """The settings screen's fields as the person left them."""

    model_config = ConfigDict(extra="ignore", defer_build=True)

    #: Absolute path of the routines file the settings were edited for.
    routines_path: str = Field(min_length=1)
    saved_at: AwareDatetime
    #: exercise id -> field name -> text typed.
    exercises: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: timing field name -> text typed.
    timing: dict[str, str] = Field(default_factory=dict)
    #: setting name -> value shown (a choice, a switch, or the text typed).
    settings: dict[str, JsonValue] = Field(default_factory=dict)

    @classmethod
    def of(
        cls,
        routines_path: Path,
        exercise_values: Mapping[tuple[str, str], str],
        timing_values: Mapping[str, str],
        settings: Mapping[str, object],
        *,
        now: datetime | None = None,
    ) -> SettingsDraft:
        exercises: dict[str, dict[str, str]] = {}
        for (exercise_id, name), text in exercise_values.items():
            exercises.setdefault(exercise_id, {})[name] = text
        return cls(
            routines_path=_key(routines_path),
            saved_at=now or local_now(),
            exercises=exercises,
            timing=dict(timing_values),
            settings={name: _plain(value) for name, value in settings.items()},
        )

    def exercise_values(self) -> dict[tuple[str, str], str]:
        return {
            (exercise_id, name): text
            for exercise_id, fields in self.exercises.items()
            for name, text in fields.items()
        }


def _plain(value: object) -> JsonValue:
    """A value for JSON: booleans, numbers and None as they are, anything else as its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _key(routines_path: Path) -> str:
    return str(Path(routines_path).expanduser().absolute())


def keep_settings_draft(draft: SettingsDraft) -> None:
    """Write the draft (atomically, a private 0600 file); :class:`TrainerError` if the disk
    refuses."""
    data = draft.model_dump_json(indent=2).encode("utf-8") + b"\n"
    files.atomic_write(draft_path(), data, private=True)


def settings_draft_for(routines_path: Path) -> SettingsDraft | None:
    """The draft kept for this routines file, if there is a usable one.

    A draft that can't be read or used is only unsaved edits, and it would be offered again at
    every visit: it is removed. A draft for another routines file is left for that file.
    """
    path = draft_path()
    try:
        raw = files.read_file(path, "settings draft")
    except files.FileMissing:
        return None
    except TrainerError:
        discard_settings_draft()
        return None
    try:
        draft = SettingsDraft.model_validate_json(raw)
    except (ValidationError, ValueError):
        discard_settings_draft()
        return None
    return draft if draft.routines_path == _key(routines_path) else None


def discard_settings_draft() -> None:
    with contextlib.suppress(OSError):
        draft_path().unlink()
