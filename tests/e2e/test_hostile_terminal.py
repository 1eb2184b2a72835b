"""Nothing a file holds reaches the terminal as an escape sequence: the real ``trainer`` in tmux,
every byte it writes recorded (``tmux pipe-pane``) and searched for the payloads.

Each payload is an escape sequence followed by a marker that Textual never writes, so finding
the payload's bytes in the recording means the data went through raw; Textual's own sequences
(cursor moves, colours, the alternate screen) never match. The routines loader must refuse the
payloads (one escaped line); session.json, history.jsonl and the lock file are not refused but
shown escaped.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w
from lock_helpers import take_lock

from trainer.engine import Session, plan_for
from trainer.programme import loading
from trainer.records import saved_session

from .conftest import StartTerminal
from .terminal import TmuxTerminal

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = tomllib.loads((ROOT / "routines.toml").read_text(encoding="utf-8"))

#: name -> payload. Every payload holds at least one character a terminal acts on.
PAYLOADS = {
    "osc2-title": "\x1b]2;PWNED-TITLE\x07",
    "osc0-title-st": "\x1b]0;PWNED-ZERO\x1b\\",
    "osc52-clipboard": "\x1b]52;c;UFdORUQ=\x07",
    "osc8-link": "\x1b]8;;https://evil.example/\x1b\\PWNED-LINK\x1b]8;;\x1b\\",
    "clear-screen": "\x1b[2JPWNED-CLEAR",
    "leave-alt-screen": "\x1b[?1049lPWNED-ALT",
    "c1-csi": "\x9b2JPWNED-C1",
    "bel-del-nul": "PWNED\x07\x7f\x00-BEL",
}
#: The same, in one name (a file may hold them all at once).
ALL = "Bridges " + " ".join(PAYLOADS.values()) + " [/] [bold]x"


def trainer_cmd(*args: str) -> list[str]:
    found = shutil.which("trainer", path=str(Path(sys.executable).parent))
    assert found, "the trainer console script is not installed in this environment"
    return [found, *args]


def assert_clean(recording: Path, terminal: TmuxTerminal) -> bytes:
    """No payload's bytes in what was written to the terminal; tmux's title never set by one."""
    data = recording.read_bytes() if recording.exists() else b""
    for name, payload in PAYLOADS.items():
        assert payload.encode() not in data, f"{name} reached the terminal raw"
    assert b"\xc2\x9b" not in data, "a C1 control reached the terminal"
    assert b"\x1b]52;" not in data, "an OSC 52 clipboard write reached the terminal"
    title = terminal._display("#{pane_title}")
    assert "PWNED" not in title, title
    return data


def wait_recorded(recording: Path, needle: bytes) -> None:
    from .terminal import wait_for_bytes

    wait_for_bytes(recording, needle, timeout=15)


def write_routines(path: Path, name: str) -> Path:
    doc = json.loads(json.dumps(SHIPPED))
    doc["exercises"][0]["name"] = name
    doc["routines"][0]["name"] = name
    path.write_text(tomli_w.dumps(doc, indent=4), encoding="utf-8")
    return path


def test_a_routines_file_with_escape_sequences_is_refused_in_one_escaped_line(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    routines = write_routines(tmp_path / "hostile.toml", ALL)
    for args in (("--routines", str(routines)), ("check", str(routines))):
        recording = tmp_path / f"rec-{args[0]}.bin"
        terminal = start_terminal(trainer_cmd(*args), env=term_env, record=recording)
        assert terminal.wait_dead(timeout=20) == 2
        screen = terminal.wait_for("exercises[0].name: character 9 is the control character")
        assert "\\x1b" in screen
        wait_recorded(recording, b"\\x1b")
        data = assert_clean(recording, terminal)
        assert b"\x1b" not in data.split(b"trainer: ", 1)[-1], "the error line holds no ESC"


def _session_json(name: str) -> bytes:
    routines = loading.load_routines(ROOT / "routines.toml")
    session = Session(plan_for(routines, "full"), lambda: 1000.0)
    session.start()
    now = datetime.now(UTC).astimezone()
    saved = saved_session.SavedSession.of(session, ROOT / "routines.toml", now, saved_at=now)
    doc = json.loads(saved.model_dump_json())
    doc["snapshot"]["routine_name"] = name
    doc["snapshot"]["exercise_name"] = name
    doc["routines_path"] = f"/tmp/{name}/routines.toml"
    return json.dumps(doc).encode()


def _history_line(name: str) -> str:
    return json.dumps(
        {
            "started_at": "2024-03-05T08:00:00+00:00",
            "ended_at": "2024-03-05T08:30:00+00:00",
            "routine_id": "full",
            "routine_name": name,
            "active_seconds": 1800.0,
            "outcome": "finished",
            "exercises": [
                {
                    "id": "bridges",
                    "name": name,
                    "sets_done": 3,
                    "sets": 3,
                    "reps_done": 45,
                    "reps": 15,
                }
            ],
        }
    )


def test_state_and_history_with_escape_sequences_are_shown_escaped(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    state = Path(term_env["XDG_STATE_HOME"]) / "trainer"
    data = Path(term_env["XDG_DATA_HOME"]) / "trainer"
    for folder in (state, data):
        folder.mkdir(mode=0o700, parents=True)
    (state / "advice-seen").write_text("seen")
    (state / "session.json").write_bytes(_session_json(ALL))
    (data / "history.jsonl").write_text(_history_line(ALL) + "\n", encoding="utf-8")
    routines = tmp_path / "routines.toml"
    routines.write_bytes((ROOT / "routines.toml").read_bytes())

    recording = tmp_path / "app.bin"
    terminal = start_terminal(
        trainer_cmd("--routines", str(routines)), env=term_env, record=recording
    )
    # The resume prompt: the names from session.json, escaped, with their markup as text.
    screen = terminal.wait_for("Welcome back", timeout=20)
    assert "Bridges \\x1b]2;PWNED-TITLE\\x07" in screen
    terminal.send_keys("r")  # resume: the session screen, its title and notification
    terminal.wait_for("Works:", timeout=15)
    terminal.send_keys("Escape")
    terminal.wait_for("Continue:", timeout=15)
    terminal.send_keys("h")  # the history screen, from history.jsonl
    screen = terminal.wait_for("All sessions: 1", timeout=15)
    terminal.send_keys("Escape")
    terminal.wait_for("Continue:", timeout=15)
    terminal.send_keys("q")
    assert terminal.wait_dead(timeout=20) == 0
    assert_clean(recording, terminal)

    # The CLI on the same history: text, and CSV.
    for args in (("history",), ("history", "--csv")):
        recording = tmp_path / f"rec-{'-'.join(args)}.bin"
        terminal = start_terminal(trainer_cmd(*args), env=term_env, record=recording)
        assert terminal.wait_dead(timeout=20) == 0
        wait_recorded(recording, b"PWNED-TITLE")
        assert_clean(recording, terminal)


def test_a_lock_holder_host_with_escape_sequences_is_shown_escaped(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    state = Path(term_env["XDG_STATE_HOME"]) / "trainer"
    state.mkdir(mode=0o700, parents=True)
    (state / "advice-seen").write_text("seen")
    lock = take_lock(state / "session.lock")
    try:
        info = {"pid": 4242, "since": datetime.now(UTC).isoformat(), "host": ALL}
        fd = os.open(state / "session.lock", os.O_WRONLY)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
        finally:
            os.close(fd)
        routines = tmp_path / "routines.toml"
        routines.write_bytes((ROOT / "routines.toml").read_bytes())
        recording = tmp_path / "watch.bin"
        terminal = start_terminal(
            trainer_cmd("--routines", str(routines)), env=term_env, record=recording
        )
        screen = terminal.wait_for("already open", timeout=20)  # it says nothing of a session
        assert "\\x1b]2;PWNED-TITLE" in screen.replace("\n", "")
        terminal.send_keys("q")
        assert terminal.wait_dead(timeout=20) == 0
        assert_clean(recording, terminal)
    finally:
        lock.release()
