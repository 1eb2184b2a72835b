"""Hostile text in files, state, history and argv: refused or escaped, never raw on a terminal.

Issue 9, items 2 and 3 outside the app: the routines models refuse control characters (one
line naming file, line, field, fix, the character escaped); text read back from session.json,
history.jsonl and the lock file is shown escaped; every CLI line escapes what it prints; the CSV
cannot start a spreadsheet formula; markup is only text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import tomli_w
from hostile_inputs import (
    CONTROL,
    LEGIT,
    LONG,
    MARKUP,
    assert_no_raw_control,
    loc_text,
    text_fields,
    with_value,
)
from lock_helpers import take_lock

from trainer import cli
from trainer.engine import Session, plan_for
from trainer.programme import loading
from trainer.records import history, saved_session
from trainer.storage import files
from trainer.text.errors import TrainerError
from trainer.text.safe import escape_char, printable, unsafe_chars

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_BYTES = (ROOT / "routines.toml").read_bytes()
SHIPPED = tomllib.loads(SHIPPED_BYTES.decode("utf-8"))
PATH = Path("/home/someone/.config/trainer/routines.toml")
FIELDS = list(text_fields(SHIPPED))


def dumped(doc: dict) -> bytes:
    return tomli_w.dumps(doc, indent=4).encode("utf-8")


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize("name", sorted(CONTROL))
def test_printable_escapes_every_control_payload(name: str) -> None:
    shown = printable("x" + CONTROL[name] + "y")
    assert_no_raw_control(shown, name)
    assert shown.startswith("x") and shown.endswith("y")
    assert printable(shown) == shown  # an escape is text: shown again, unchanged


def test_printable_names_the_character_as_python_does() -> None:
    assert printable("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert printable("\x9b\x7f\x00\u202e\ud800") == "\\x9b\\x7f\\x00\\u202e\\ud800"
    assert printable("one\ntwo\tthree") == "one\\ntwo\\tthree"
    assert printable("one\ntwo", keep="\n") == "one\ntwo"


@pytest.mark.parametrize("name", sorted(LEGIT))
def test_printable_keeps_legitimate_text(name: str) -> None:
    assert printable(LEGIT[name]) == LEGIT[name]


# --------------------------------------------------------------------------- the routines file


#: One payload of each class the loader tells apart (see ``_why_not`` in the models): an
#: escape sequence (ESC, a C0 control), a C1 control, a line feed (allowed in prose only), another
#: line break, a tab, a bidi override, a Unicode line separator. Every field is tried with each.
CLASS_PAYLOADS = (
    "osc2-title-st",
    "c1-csi",
    "newline",
    "carriage-return",
    "tab",
    "bidi-rlo",
    "line-separator",
)
#: A one-line field and a prose field (line breaks allowed) of different tables: every payload
#: of ``CONTROL`` goes through both.
PAYLOAD_FIELDS = (
    (("exercises", 0, "name"), False),
    (("advice", "stop_if_worse"), True),
)


def check_refused(path: tuple[str | int, ...], multiline: bool, name: str) -> None:
    """``CONTROL[name]`` in the field at ``path``: refused in one line naming file, line, field,
    the character (escaped) and the fix; a line feed in prose loads."""
    payload = CONTROL[name]
    raw = dumped(with_value(SHIPPED, path, f"Bridges {payload} end"))
    if multiline and name == "newline":
        # Prose (a description, the advice) may be written on several lines.
        assert loading.parse_routines(raw, PATH)
        return
    with pytest.raises(TrainerError) as caught:
        loading.parse_routines(raw, PATH)
    line = str(caught.value)
    assert_no_raw_control(line, f"{loc_text(path)}-{name}")
    assert len(line.splitlines()) == 1, (name, line)
    assert line.startswith(f"{PATH}:"), (name, line)
    # file:line: field: what; fix
    where, _, rest = line.partition(f" {loc_text(path)}: ")
    assert rest, (name, line)
    assert where.removeprefix(f"{PATH}:").rstrip(":").isdigit(), (name, line)
    bad = unsafe_chars(payload, keep="\n" if multiline else "")[0]
    assert escape_char(bad) in rest, (name, line)
    assert "delete it" in rest or "one line" in rest or "use spaces" in rest, (name, line)


@pytest.mark.parametrize(
    ("path", "multiline"), FIELDS, ids=[loc_text(path) for path, _multiline in FIELDS]
)
def test_every_text_field_refuses_each_class_of_control_character(
    path: tuple[str | int, ...], multiline: bool
) -> None:
    for name in CLASS_PAYLOADS:
        check_refused(path, multiline, name)


@pytest.mark.parametrize("name", sorted(CONTROL))
def test_every_control_payload_is_refused_in_a_line_and_in_prose(name: str) -> None:
    for path, multiline in PAYLOAD_FIELDS:
        check_refused(path, multiline, name)


def test_the_targeted_cases_cover_every_field_kind_and_every_fix() -> None:
    """The two tests above are the product's worth: every field and every payload, each field
    with a payload of every class (each fix the loader can give), both kinds of field."""
    assert set(CLASS_PAYLOADS) <= set(CONTROL)
    assert {multiline for _path, multiline in FIELDS} == {True, False}
    assert {multiline for _path, multiline in PAYLOAD_FIELDS} == {True, False}
    assert all(field in FIELDS for field in PAYLOAD_FIELDS)
    fixes = set()
    for name in CLASS_PAYLOADS:
        raw = dumped(with_value(SHIPPED, ("exercises", 0, "name"), f"x{CONTROL[name]}y"))
        with pytest.raises(TrainerError) as caught:
            loading.parse_routines(raw, PATH)
        fixes.add(str(caught.value).rpartition("; ")[2].split(" ")[0])
    assert fixes == {"keep", "use", "delete"}, fixes


def test_the_error_gives_the_line_of_the_field() -> None:
    raw = SHIPPED_BYTES.replace(b'name = "Bridges"', b'name = "Bri\\u001b]2;PWNED\\u0007dges"')
    with pytest.raises(TrainerError) as caught:
        loading.parse_routines(raw, PATH)
    line_no = raw.split(b"\n").index(b'name = "Bri\\u001b]2;PWNED\\u0007dges"') + 1
    assert str(caught.value) == (
        f"{PATH}:{line_no}: exercises[0].name: character 4 is the control character \\x1b; "
        "delete it (text cannot hold escape sequences)"
    )


def test_a_bidi_override_is_refused_with_its_own_words() -> None:
    raw = dumped(with_value(SHIPPED, ("routines", 0, "name"), "Full \u202eenituor"))
    with pytest.raises(TrainerError, match=r"invisible direction control \(\\u202e\)"):
        loading.parse_routines(raw, PATH)


@pytest.mark.parametrize("name", sorted(CONTROL))
def test_a_key_with_control_characters_is_echoed_escaped(name: str) -> None:
    doc = dict(SHIPPED)
    doc["advice"] = {**SHIPPED["advice"], f"k{CONTROL[name]}": 1}
    with pytest.raises(TrainerError) as caught:
        loading.parse_routines(dumped(doc), PATH)
    assert_no_raw_control(str(caught.value), name)
    assert "is not a known key" in str(caught.value)


@pytest.mark.parametrize("name", sorted(MARKUP) + sorted(LEGIT))
def test_markup_and_legitimate_text_load_as_they_are(name: str) -> None:
    text = {**MARKUP, **LEGIT}[name]
    doc = SHIPPED
    for path, _multiline in FIELDS:
        doc = with_value(doc, path, text)
    routines = loading.parse_routines(dumped(doc), PATH)
    assert routines.exercises[0].name == text
    assert routines.advice.stop_if_worse == text
    assert routines.exercises[0].cues[0].text == text


def test_a_500_character_name_is_refused_as_too_long() -> None:
    raw = dumped(with_value(SHIPPED, ("exercises", 0, "name"), LONG))
    with pytest.raises(TrainerError, match=r"exercises\[0\]\.name: is too long"):
        loading.parse_routines(raw, PATH)


# --------------------------------------------------------------------------- state and history


def _session_doc() -> dict:
    routines = loading.parse_routines(SHIPPED_BYTES, PATH)
    session = Session(plan_for(routines, "full"), lambda: 50.0)
    session.start()
    now = datetime(2024, 3, 5, 14, 2).astimezone()
    return json.loads(
        saved_session.SavedSession.of(session, PATH, now, saved_at=now).model_dump_json()
    )


ALL_HOSTILE = {**CONTROL, **MARKUP, "long": LONG, "surrogate": "a\ud800b"}


@pytest.mark.parametrize("name", sorted(ALL_HOSTILE))
def test_a_saved_session_with_hostile_names_loads_with_them_escaped(
    name: str, isolated_dirs: object
) -> None:
    payload = ALL_HOSTILE[name]
    doc = _session_doc()
    doc["snapshot"]["routine_name"] = f"Full {payload}"
    doc["snapshot"]["exercise_name"] = f"Bridges {payload}"
    if name != "surrogate":  # pydantic refuses it in a field with a length: file set aside
        doc["routines_path"] = f"/tmp/{payload}/routines.toml"
    files.ensure_dir(saved_session.session_path().parent)
    saved_session.session_path().write_text(json.dumps(doc), encoding="utf-8")

    loaded = saved_session.load_session()

    assert loaded.warning is None and loaded.saved is not None
    snap = loaded.saved.snapshot
    for text in (snap.routine_name, snap.exercise_name, loaded.saved.routines_path):
        assert_no_raw_control(text, name)
    assert snap.routine_name == "Full " + printable(payload)


def test_a_bad_key_in_session_json_is_named_escaped(isolated_dirs: object) -> None:
    doc = _session_doc()
    doc["[/]\x1b]2;PWNED\x07"] = 1
    files.ensure_dir(saved_session.session_path().parent)
    saved_session.session_path().write_text(json.dumps(doc), encoding="utf-8")
    loaded = saved_session.load_session()
    assert loaded.saved is None and loaded.warning is not None
    assert_no_raw_control(loaded.warning)
    assert "[/]\\x1b]2;PWNED\\x07" in loaded.warning


def _entry_line(routine_name: str, exercise_name: str = "Bridges") -> str:
    return json.dumps(
        {
            "started_at": "2024-03-05T08:00:00+00:00",
            "ended_at": "2024-03-05T08:30:00+00:00",
            "routine_id": "full",
            "routine_name": routine_name,
            "active_seconds": 1800.0,
            "outcome": "finished",
            "exercises": [
                {
                    "id": "bridges",
                    "name": exercise_name,
                    "sets_done": 3,
                    "sets": 3,
                    "reps_done": 45,
                    "reps": 15,
                }
            ],
            "checkin": 3,
        }
    )


@pytest.mark.parametrize("name", sorted(ALL_HOSTILE))
def test_history_with_hostile_names_is_read_escaped(name: str, tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text(_entry_line(ALL_HOSTILE[name], ALL_HOSTILE[name]) + "\n", encoding="utf-8")
    entries, warnings = history.read_entries(path)
    assert warnings == [] and len(entries) == 1
    assert_no_raw_control(entries[0].routine_name, name)
    assert_no_raw_control(entries[0].exercises[0].name, name)
    text = history.summary_text(entries, date(2024, 3, 6))
    assert_no_raw_control(text.replace("\n", " "), name)


def test_a_damaged_history_line_is_warned_about_escaped(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    path.write_text(json.dumps({"[/]\x1b[2J": 1, "outcome": "\x1b]2;x\x07"}) + "\n")
    _entries, warnings = history.read_entries(path)
    assert len(warnings) == 1
    assert_no_raw_control(warnings[0])


def test_the_lock_holder_host_is_escaped(tmp_path: Path) -> None:
    lock = tmp_path / "session.lock"
    first = take_lock(lock)
    try:
        info = {"pid": 4242, "since": datetime.now(UTC).isoformat(), "host": "evil\x1b]2;x\x07"}
        data = json.dumps(info).encode()
        os.pwrite(first._fd, data, 0)  # type: ignore[arg-type]
        os.ftruncate(first._fd, len(data))  # type: ignore[arg-type]
        holder = saved_session.SessionLock.try_acquire(lock)
        assert isinstance(holder, saved_session.LockHolder)
        assert holder.host == "evil\\x1b]2;x\\x07"
        assert_no_raw_control(holder.describe())
    finally:
        first.release()


# --------------------------------------------------------------------------- the CLI


def test_check_echoes_a_bad_key_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "routines.toml"
    path.write_bytes(
        SHIPPED_BYTES.replace(b"[advice]", b'[advice]\n"[/]\\u001b]52;c;eA==\\u0007" = 1')
    )
    assert cli.main(["check", str(path)]) == cli.EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    assert_no_raw_control(err.rstrip("\n"))
    assert "advice.[/]\\x1b]52;c;eA==\\x07: is not a known key" in err


def test_check_escapes_the_path_it_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "a\x1b]2;PWNED\x07b"
    folder.mkdir()
    path = folder / "routines.toml"
    path.write_bytes(SHIPPED_BYTES)
    assert cli.main(["check", str(path)]) == cli.EXIT_OK
    out, _err = capsys.readouterr()
    assert_no_raw_control(out.replace("\n", " "))
    assert "a\\x1b]2;PWNED\\x07b" in out
    # And in an error about the same path.
    path.write_bytes(b"x = [")
    assert cli.main(["check", str(path)]) == cli.EXIT_BAD_INPUT
    _out, err = capsys.readouterr()
    assert_no_raw_control(err.rstrip("\n"))


@pytest.mark.parametrize(
    "argv",
    [
        ["--bogus\x1b[2J"],
        ["check", "a", "b\x1b]0;x\x07"],
        ["history", "--days", "\x9b2J"],
        ["\x1b[?1049l"],
    ],
)
def test_argparse_errors_escape_argv(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    assert caught.value.code == 2
    _out, err = capsys.readouterr()
    assert "error:" in err
    assert_no_raw_control(err.replace("\n", " "))


def test_start_with_an_unknown_hostile_id_is_escaped(
    isolated_dirs: object, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--routines", str(ROOT / "routines.toml"), "--start", "x\x1b]2;y\x07"]) == 2
    _out, err = capsys.readouterr()
    assert_no_raw_control(err.rstrip("\n"))
    assert "no routine has id 'x\\x1b]2;y\\x07'" in err


def test_history_text_and_warnings_are_escaped(
    isolated_dirs: object, capsys: pytest.CaptureFixture[str]
) -> None:
    path = history.history_path()
    files.ensure_dir(path.parent)
    path.write_text(
        _entry_line("Full \x1b]2;PWNED\x07 [/]") + "\n" + '{"\x1b[2J": 1}\n', encoding="utf-8"
    )
    assert cli.main(["history"]) == cli.EXIT_OK
    out, err = capsys.readouterr()
    assert_no_raw_control(out.replace("\n", " "))
    assert_no_raw_control(err.replace("\n", " "))
    assert "Full \\x1b]2;PWNED\\x07 [/]" in out
    assert "skipped a damaged line" in err


# --------------------------------------------------------------------------- CSV


FORMULAS = {
    '=HYPERLINK("http://evil.example","x")': '\'=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(A1:A2)": "'@SUM(A1:A2)",
    # Read back from the history, a tab or CR is already its escape (text, not a formula).
    "\t=1": "\\t=1",
    "\r=1": "\\r=1",
    "Bridges = good": "Bridges = good",
}


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_csv_cells_never_start_a_formula(name: str, tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    line = json.loads(_entry_line(name))
    line["exercises"][0]["id"] = "=1+1"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    entries, _ = history.read_entries(path)
    out = io.StringIO()
    history.write_csv(entries, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    header, row = rows
    assert row[header.index("routine")] == FORMULAS[name]
    assert "'=1+1_reps_done" in header
    # Our own numbers stay numbers.
    assert row[header.index("active_minutes")] == "30.0"
    assert row[header.index("checkin")] == "3"
    assert row[header.index("'=1+1_reps_done")] == "45"
    for cell in [*header, *row]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_quotes_every_formula_start(start: str) -> None:
    from trainer.records.history.export import csv_cell

    cell = csv_cell(f"{start}1+1")
    assert isinstance(cell, str) and cell.startswith("'")
    assert_no_raw_control(cell)
    assert csv_cell(7) == 7  # a number stays a number


def test_a_dose_change_line_with_hostile_names_is_read_escaped(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    line = {
        "kind": "dose",
        "at": "2024-03-05T08:00:00+00:00",
        "exercise_id": "bridges\x1b[2J",
        "exercise_name": "Bridges \x1b]2;PWNED\x07 [/]",
        "change": "hold",
        "old": 10,
        "new": 12,
        "routine_id": "full\x9b",
        "rule": "progress",
    }
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    records, warnings = history.read_history(path)
    assert warnings == [] and len(records) == 1
    (change,) = records
    assert isinstance(change, history.DoseChange)
    assert change.exercise_name == "Bridges \\x1b]2;PWNED\\x07 [/]"
    for text in (change.exercise_id, change.exercise_name, change.routine_id or ""):
        assert_no_raw_control(text)


@pytest.mark.parametrize("name", sorted(CONTROL))
def test_the_on_event_command_refuses_control_characters(name: str) -> None:
    """In preferences.toml, the only file a command is read from (issue 18)."""
    from trainer.programme import preferences

    raw = tomli_w.dumps({"on_event": f"notify-send {CONTROL[name]}x"}).encode("utf-8")
    with pytest.raises(TrainerError) as caught:
        preferences.parse(raw, Path("preferences.toml"))
    assert "preferences.toml:1: on_event: character 1" in str(caught.value)
    assert_no_raw_control(str(caught.value), name)


@pytest.mark.parametrize("name", sorted(CONTROL))
def test_an_old_on_event_in_a_routines_file_is_ignored_whatever_it_holds(name: str) -> None:
    doc = dict(SHIPPED)
    doc["settings"] = {**SHIPPED["settings"], "on_event": f"notify-send {CONTROL[name]}x"}
    routines = loading.parse_routines(dumped(doc), PATH)
    assert "on_event" not in routines.settings.model_dump()
