"""Editing the routines file's numbers and the person's preferences from the settings screen
(pure, no Textual).

The screen hands over the raw text of each field; this module parses it, validates it with the
same models and checks that load the files, and says per field what is wrong (can't be saved)
and per exercise what is outside the article's range (allowed, but flagged). The doses and the
timing go to the routines file, the sound, voice, theme and on_event to ``preferences.toml``
(:mod:`trainer.programme.preferences`); the workout writes both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from trainer.programme import preferences as prefs
from trainer.programme.loading import describe_error, error_place
from trainer.programme.schema import Exercise, RoutinesFile, Timing

#: The exercise numbers a person may change, with their labels.
EXERCISE_FIELDS: dict[str, str] = {
    "sets": "Sets",
    "reps": "Reps",
    "hold": "Hold s",
    "rest_between_reps": "Rest/rep s",
    "rest_between_sets": "Rest/set s",
}
TIMING_FIELDS: dict[str, str] = {
    "get_ready": "Get ready s",
    "switch_sides": "Switch sides s",
    "rest_between_exercises": "Rest between exercises s",
}
#: Key of an exercise-wide problem (not tied to one field).
WHOLE = ""
#: The owner of the settings' problems in :attr:`EditResult.errors`.
SETTINGS = "settings"


@dataclass
class EditResult:
    routines: RoutinesFile | None
    #: The preferences as edited (None: one of them is wrong).
    preferences: prefs.Preferences | None = None
    #: (exercise id or "timing", field) -> why it can't be saved.
    errors: dict[tuple[str, str], str] = field(default_factory=dict)
    #: exercise id -> values outside the article's range (allowed).
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.routines is not None and self.preferences is not None and not self.errors


def hint(ex: Exercise, name: str) -> str:
    """What the article says about a field, shown beside the input."""
    if name == "hold" and ex.hold_range:
        return f"article {ex.hold_range[0]}-{ex.hold_range[1]}"
    if name == "reps" and ex.reps_range:
        return f"article {ex.reps_range[0]}-{ex.reps_range[1]}"
    return ""


def _parse(text: str) -> int | str:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


def apply_edits(
    routines: RoutinesFile,
    exercise_values: Mapping[tuple[str, str], str],
    timing_values: Mapping[str, str],
    preference_values: Mapping[str, object] | None = None,
    *,
    preferences: prefs.Preferences | None = None,
) -> EditResult:
    """Validate the edited values; on success the result holds the new file model and the new
    preferences.

    ``preference_values``: the raw values of some preferences (``voice_rate`` as typed), laid
    over ``preferences`` (the current ones). The programme's own settings (the plan, the
    check-in before) are kept as they are.
    """
    result = EditResult(routines=None)
    values: dict[str, object] = {}
    for name, raw in (preference_values or {}).items():
        value = _parse(raw) if name == "voice_rate" and isinstance(raw, str) else raw
        if name == "on_event" and value == "":
            value = None
        try:
            values[name] = value if value is None else prefs.check_value(name, value)
        except prefs.BadValue as exc:
            result.errors.setdefault((SETTINGS, name), _short_text(str(exc)))
    current = preferences if preferences is not None else prefs.Preferences()
    edited_preferences = None if result.errors else current.with_values(**values)
    new_exercises: list[Exercise] = []
    for ex in routines.exercises:
        data = ex.model_dump()
        for name in EXERCISE_FIELDS:
            raw = exercise_values.get((ex.id, name))
            if raw is not None:
                data[name] = _parse(raw)
        try:
            edited = Exercise.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = error_place(err)
                key = str(loc[0]) if loc and loc[0] in EXERCISE_FIELDS else WHOLE
                result.errors.setdefault((ex.id, key), _short(err))
            continue
        new_exercises.append(edited)
        if notes := edited.out_of_range():
            result.warnings[ex.id] = notes
    timing_data = routines.timing.model_dump()
    for name in TIMING_FIELDS:
        raw = timing_values.get(name)
        if raw is not None:
            timing_data[name] = _parse(raw)
    try:
        timing = Timing.model_validate(timing_data)
    except ValidationError as exc:
        for err in exc.errors():
            result.errors.setdefault(("timing", str(err["loc"][0])), _short(err))
        return result
    if result.errors or edited_preferences is None:
        return result
    result.routines = routines.model_copy(update={"exercises": new_exercises, "timing": timing})
    result.preferences = edited_preferences
    return result


def _short(err: object) -> str:
    return _short_text(describe_error(err))


def _short_text(text: str) -> str:
    if text.startswith("must be a whole number"):
        return "must be a whole number"
    return text.replace(", got", " (got").rstrip() + (")" if ", got" in text else "")
