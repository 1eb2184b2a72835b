"""What a person reads when routines.toml is wrong: one exact line each, with file and line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError

from trainer.programme import loading
from trainer.programme.schema import Cue, CueKind, Exercise, Routine, RoutinesFile
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_TEXT = (ROOT / "routines.toml").read_text(encoding="utf-8")


def replace_once(old: str, new: str, text: str = SHIPPED_TEXT) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based number of the ``nth`` line (0-based) that equals ``needle`` once stripped."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if line.strip() == needle]
    return hits[nth]


@dataclass(frozen=True)
class Bad:
    """A broken file and the exact line a person reads (``{path}`` stands for its path)."""

    name: str
    content: str | bytes
    message: str


def _bad_cases() -> list[Bad]:
    cases: list[Bad] = []

    def bad(name: str, content: str | bytes, message: str) -> None:
        cases.append(Bad(name, content, message))

    text = replace_once("reps = 15", "reps = 0")
    bad(
        "reps-0",
        text,
        f"{{path}}:{line_of(text, 'reps = 0')}: exercises[0].reps: must be at least 1, got 0",
    )
    text = replace_once("reps = 15", "rep = 15")
    bad(
        "unknown-key-rep",
        text,
        f"{{path}}:{line_of(text, 'rep = 15')}: exercises[0].rep: is not a known key; "
        "did you mean 'reps'? (and 1 more problem)",
    )
    line = 'id = "bridges"'
    text = replace_once('id = "draw-in"', line)
    bad(
        "duplicate-exercise-id",
        text,
        f"{{path}}:{line_of(text, line, 1)}: exercises[1].id: 'bridges' is "
        "used twice; ids must be unique",
    )
    item = '"partial-curl",'
    text = replace_once(
        '    "partial-curls",\n]\n\n[[routines]]', '    "partial-curl",\n]\n\n[[routines]]'
    )
    bad(
        "routine-names-unknown-exercise",
        text,
        f"{{path}}:{line_of(text, item)}: routines[0].exercises[4]: no exercise "
        "has id 'partial-curl' (known: bridges, cat-stretch, draw-in, leg-lifts, partial-curls)",
    )
    text = replace_once("sides = 2", "sides = 3")
    bad(
        "sides-3",
        text,
        f"{{path}}:{line_of(text, 'sides = 3')}: exercises[2].sides: must be at most 2, got 3",
    )
    text = replace_once('    { text = "Hold", kind = "hold" },\n', "")
    bad(
        "hold-without-hold-cue",
        text,
        f"{{path}}:{line_of(text, 'hold = 2')}: exercises[2].hold: is 2 but no cue "
        'has kind = "hold"; add one or set hold = 0',
    )
    cue = '{ text = "Hold", kind = "hold", seconds = 2 },'
    text = replace_once('{ text = "Hold", kind = "hold" },', cue)
    bad(
        "hold-cue-with-seconds",
        text,
        f"{{path}}:{line_of(text, cue)}: exercises[2].cues[1].seconds: a hold cue takes its length "
        "from the exercise's 'hold'; remove 'seconds'",
    )
    cue = '{ text = "Lower your leg", kind = "move", word = "LOWER" },'
    text = replace_once(
        '{ text = "Lower your leg", kind = "move", seconds = 2, word = "LOWER" },', cue
    )
    bad(
        "move-cue-without-seconds",
        text,
        f"{{path}}:{line_of(text, cue)}: exercises[2].cues[2]: a move cue needs 'seconds' "
        "(how long the movement takes)",
    )
    text = replace_once("hold = 2\n", "hold = 0\n")
    bad(
        "hold-cue-with-hold-0",
        text,
        f"{{path}}:{line_of(text, 'hold = 0')}: exercises[2].hold: must be at least 1 "
        "second (the rep has a hold cue)",
    )
    text = replace_once("sets = 1\nreps = 5\n", "sets = 1\nreps = = 5\n")
    bad(
        "not-toml",
        text,
        f"{{path}}:{line_of(text, 'reps = = 5')}:8: not valid TOML: Invalid value; "
        "fix the syntax there",
    )
    text = SHIPPED_TEXT + '\n[[exercises]\nid = "x"\n'
    bad(
        "not-toml-unclosed-header",
        text,
        f"{{path}}:{line_of(text, '[[exercises]')}:12: not valid TOML: Expected ']]' at the "
        "end of an array declaration; fix the syntax there",
    )
    raw = SHIPPED_TEXT.encode().replace(b"Bridges", b"Br\xe9dges", 1)
    offset = raw.index(b"\xe9")
    bad(
        "not-utf8",
        raw,
        f"{{path}}: not UTF-8 text (bad byte at offset {offset}); save the file as UTF-8",
    )
    bad(
        "newer-schema",
        replace_once("schema_version = 1", "schema_version = 2"),
        "{path}:1: schema_version: 2 is newer than this trainer understands (1); upgrade trainer",
    )
    line = 'id = "Bridges"'
    text = replace_once('id = "bridges"', line)
    bad(
        "id-with-capitals",
        text,
        f"{{path}}:{line_of(text, line)}: exercises[0].id: must be lower-case letters, digits, "
        "'-' or '_', got 'Bridges'",
    )
    text = replace_once("get_ready = 15", "get_ready = -5")
    bad(
        "negative-timing",
        text,
        f"{{path}}:{line_of(text, 'get_ready = -5')}: timing.get_ready: must be at least 0, got -5",
    )
    line = 'sets = "three"'
    text = replace_once("sets = 3\nreps = 10\nhold = 2", line + "\nreps = 10\nhold = 2")
    bad(
        "words-for-a-number",
        text,
        f"{{path}}:{line_of(text, line)}: exercises[2].sets: must be a whole number, got 'three'",
    )
    text = replace_once('name = "Cat stretch"\n', "")
    bad(
        "missing-name",
        text,
        f"{{path}}:{line_of(text, '[[exercises]]', 3)}: exercises[3].name: is missing; add it",
    )
    line = 'id = "full"'
    text = replace_once('id = "gentle"', line)
    bad(
        "duplicate-routine-id",
        text,
        f"{{path}}:{line_of(text, line, 1)}: routines[2].id: 'full' is used twice; "
        "ids must be unique",
    )
    text = replace_once(
        "hold_range = [\n    10,\n    15,\n]", "hold_range = [\n    15,\n    10,\n]"
    )
    bad(
        "reversed-range",
        text,
        f"{{path}}:{line_of(text, 'hold_range = [')}: exercises[0].hold_range: must be "
        "[low, high] with low <= high, got [15, 10]",
    )
    text = replace_once('    "Repeat 3-5 times",', '    "",')
    empty = '"",'
    bad(
        "empty-step",
        text,
        f"{{path}}:{line_of(text, empty)}: exercises[3].steps[4]: must not be empty",
    )
    text = replace_once("sets = 3\nreps = 15", "sets = 21\nreps = 15")
    bad(
        "too-many-sets",
        text,
        f"{{path}}:{line_of(text, 'sets = 21')}: exercises[0].sets: must be at most 20, got 21",
    )
    line = 'checkin_before = "yes"'
    text = replace_once("checkin_before = false", line)
    bad(
        "checkin-not-a-bool",
        text,
        f"{{path}}:{line_of(text, line)}: settings.checkin_before: must be true or false, "
        "got 'yes'",
    )
    cue = '{ text = "Hold", kind = "wait" },'
    text = replace_once('{ text = "Hold", kind = "hold" },', cue)
    bad(
        "unknown-cue-kind",
        text,
        f"{{path}}:{line_of(text, cue)}: exercises[2].cues[1].kind: must be one of "
        "'move' or 'hold', got 'wait'",
    )
    cue = '{ text = "Lower your leg", kind = "move", seconds = 2, word = "LOWER 2" },'
    text = replace_once(
        '{ text = "Lower your leg", kind = "move", seconds = 2, word = "LOWER" },', cue
    )
    bad(
        "cue-word-not-letters",
        text,
        f"{{path}}:{line_of(text, cue)}: exercises[2].cues[2].word: must be 1-12 letters "
        "A-Z, words separated by one space, got 'LOWER 2'",
    )
    text = replace_once("sides = 2\n", "sides = 1\n")
    bad(
        "side-words-without-sides",
        text,
        f"{{path}}:{line_of(text, '[[exercises]]', 2)}: exercises[2]: 'side_words' is for an "
        "exercise with sides = 2; remove it",
    )
    return cases


BAD = _bad_cases()


@pytest.mark.parametrize("case", BAD, ids=[b.name for b in BAD])
def test_bad_file_message(tmp_path: Path, case: Bad) -> None:
    path = tmp_path / "routines.toml"
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content, encoding="utf-8")
    with pytest.raises(TrainerError) as caught:
        loading.load_routines(path)
    text = str(caught.value)
    assert text == case.message.replace("{path}", str(path))
    assert "\n" not in text
    assert "Traceback" not in text


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(TrainerError) as caught:
        loading.load_routines(path)
    assert str(caught.value) == f"{path}: routines file not found; check the path"


def test_a_folder(tmp_path: Path) -> None:
    with pytest.raises(TrainerError) as caught:
        loading.load_routines(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: is a folder, not a routines file; give the path of a .toml file"
    )


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "routines.toml"
    path.write_text(SHIPPED_TEXT)

    real_open = os.open

    def denied(name: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.fspath(name) == str(path):  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, *args, **kwargs)  # type: ignore[arg-type]

    # chmod 000 would not stop root (CI containers often run as root), so deny the open itself.
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(TrainerError) as caught:
        loading.load_routines(path)
    assert str(caught.value) == (
        f"{path}: cannot read the routines file (permission denied); check its permissions"
    )


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "routines.toml"
    path.write_text("")
    with pytest.raises(TrainerError) as caught:
        loading.load_routines(path)
    # Every missing top-level table is a problem; the first is named, the rest counted.
    assert str(caught.value) == f"{path}: source: is missing; add it (and 3 more problems)"


def test_error_is_one_line_even_with_newlines_in_the_message() -> None:
    err = TrainerError("first\nsecond\r\nthird", path="f.toml", line=3, col=2)
    assert str(err) == "f.toml:3:2: first second third"


# --------------------------------------------------------------------------- the models directly


def cue_error(**fields: object) -> str:
    with pytest.raises(ValidationError) as caught:
        Cue(**fields)
    [error] = caught.value.errors()
    return str(error["msg"])


def test_cue_rules() -> None:
    assert cue_error(text="Up", kind=CueKind.MOVE) == (
        "Value error, a move cue needs 'seconds' (how long the movement takes)"
    )
    assert cue_error(text="Hold", kind=CueKind.HOLD, seconds=3) == (
        "Value error, a hold cue takes its length from the exercise's 'hold'; remove 'seconds'"
    )
    assert Cue(text="Hold", kind=CueKind.HOLD).seconds is None


def test_at_most_one_hold_cue(routines: RoutinesFile) -> None:
    bridges = routines.exercise("bridges").model_dump()
    bridges["cues"].append({"text": "Hold again", "kind": "hold"})
    with pytest.raises(ValidationError, match="a rep can have at most one hold cue"):
        Exercise.model_validate(bridges)


def test_out_of_range_flags(routines: RoutinesFile) -> None:
    assert all(ex.out_of_range() == [] for ex in routines.exercises)
    bridges = routines.exercise("bridges")
    bridges.hold = 20
    assert bridges.out_of_range() == ["hold 20 s is outside the article's 10-15 s"]
    cat = routines.exercise("cat-stretch")
    cat.reps = 6
    assert cat.out_of_range() == ["6 reps is outside the article's 3-5"]


def test_lookups(routines: RoutinesFile) -> None:
    assert routines.exercise("leg-lifts").sides == 2
    assert routines.routine("quick-core").exercises == ["draw-in", "partial-curls"]
    assert [e.id for e in routines.exercises_of(routines.routine("gentle"))] == [
        "cat-stretch",
        "draw-in",
        "bridges",
    ]
    with pytest.raises(KeyError):
        routines.exercise("push-ups")
    with pytest.raises(KeyError):
        routines.routine("nope")


def test_assignment_is_validated(routines: RoutinesFile) -> None:
    with pytest.raises(ValidationError):
        routines.exercise("bridges").reps = 0
    assert routines.exercise("bridges").reps == 15


def test_an_exercise_is_listed_once_per_routine() -> None:
    with pytest.raises(ValidationError) as caught:
        Routine(id="r", name="R", description="d", exercises=["draw-in", "bridges", "draw-in"])
    [error] = caught.value.errors()
    assert loading.error_place(error) == ("exercises", 2)
    assert loading.describe_error(error) == "'draw-in' is listed twice; raise its sets instead"
