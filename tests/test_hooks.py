"""on_event: a real command gets one JSON object per cue event; a failing or hanging one is
reported once and never holds the session up."""

from __future__ import annotations

import json
import os
import shlex
import sys
import time
import tomllib
from pathlib import Path

import pytest
from sound_run import listen

from trainer.outputs.hooks import HookRunner

FIELDS = {
    "event",
    "routine",
    "exercise_id",
    "exercise",
    "side",
    "set",
    "sets",
    "rep",
    "reps",
    "step_seconds",
    "text",
    "said",
    "time",
}


def recorder(tmp_path: Path) -> tuple[str, Path]:
    """A command (a small Python script) that appends its standard input to a file."""
    out = tmp_path / "events.jsonl"
    script = tmp_path / "record.py"
    script.write_text(
        "import sys\n"
        f"with open({str(out)!r}, 'a', encoding='utf-8') as f:\n"
        "    f.write(sys.stdin.read())\n",
        encoding="utf-8",
    )
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}", out


def test_a_real_command_receives_valid_json_for_each_event(tmp_path, routines):
    run = listen(routines, "quick-core")
    events = run.hooks[:40]
    command, out = recorder(tmp_path)
    runner = HookRunner(command, timeout=30, backlog=len(events))
    for event in events:
        runner.run(event)
    assert runner.wait(120)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(events)
    got = [json.loads(line) for line in lines]
    for sent, received in zip(events, got, strict=True):
        assert set(received) == FIELDS
        assert {k: v for k, v in received.items() if k != "time"} == sent
        assert received["time"][:4].isdigit() and "T" in received["time"]
    kinds = [e["event"] for e in got]
    assert kinds[0] == "exercise"
    assert {"move", "hold", "rest"} <= set(kinds)
    first = got[0]
    assert first["exercise_id"] == "draw-in" and first["exercise"] == "Draw-in maneuvers"
    assert first["text"] == "Draw-in maneuvers. Five times, hold five seconds."
    assert runner.take_problem() is None


def test_every_step_of_the_routine_is_an_event(routines):
    run = listen(routines, "full")
    # each step's start, and the "get into position" phrase before each exercise and near the
    # end of each rest between sets (all of the full routine's are long enough to be counted)
    assert len(run.hooks) == len(run.plan.steps) + sum(
        1 for s in run.plan.steps if s.kind.value in ("ready", "exercise_rest", "set_rest")
    )
    positions = [h for h in run.hooks if h["event"] == "position"]
    assert len(positions) == 1 + 4 + 8  # get ready, 4 rests between exercises, 8 between sets


def test_a_failing_command_is_reported_once_and_the_others_still_run(tmp_path):
    runner = HookRunner("exit 3")
    for n in range(3):
        runner.run({"event": "move", "n": n})
    assert runner.wait(60)
    problem = runner.take_problem()
    assert problem is not None and "exit status 3" in problem
    assert runner.take_problem() is None
    assert runner.runs == 3


def test_a_hanging_command_is_stopped_reported_once_and_never_blocks_the_caller(tmp_path):
    marker = tmp_path / "still-running"
    runner = HookRunner(f"sleep 30; touch {shlex.quote(str(marker))}", timeout=0.5)
    started = time.monotonic()
    for n in range(2):
        runner.run({"event": "hold", "n": n})
    assert time.monotonic() - started < 2  # run() only queues
    assert runner.wait(60)
    problem = runner.take_problem()
    assert problem is not None and "took more than 0.5 s" in problem
    assert runner.take_problem() is None
    assert not marker.exists()  # the whole command was stopped, not just its shell


def test_a_flood_of_events_for_a_slow_command_is_dropped_and_reported(tmp_path):
    runner = HookRunner("sleep 0.2", backlog=2)
    for n in range(10):
        runner.run({"event": "move", "n": n})
    problem = runner.take_problem()
    assert problem is not None and "too slow" in problem
    assert runner.wait(60)


def fake_program(folder: Path, name: str, record: Path) -> None:
    """A stand-in for ``name`` on PATH that writes its arguments and its input to ``record``."""
    script = folder / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"with open({str(record)!r}, 'a', encoding='utf-8') as f:\n"
        "    f.write(json.dumps({'args': sys.argv[1:], 'stdin': sys.stdin.read()}) + '\\n')\n",
        encoding="utf-8",
    )
    script.chmod(0o755)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("notify-send", {"args": ["trainer", "Hold, squeeze your buttocks"], "stdin": ""}),
        ("ssh", {"args": ["laptop.local", "espeak-ng"], "stdin": "Hold\n"}),
    ],
)
def test_the_docs_two_uses_get_the_words(tmp_path, monkeypatch, name, expected):
    """The on_event lines of docs/sound-and-voice.md, as written, with stand-ins for
    notify-send and ssh."""
    from conftest import ROOT
    from e2e.terminal import require_program

    require_program("jq", "jq")  # a skip here, a failure under TRAINER_REQUIRE_TERMINAL=1 (CI)
    page = (ROOT / "docs" / "sound-and-voice.md").read_text(encoding="utf-8")
    lines = [line for line in page.splitlines() if line.startswith("on_event = ")]
    command = tomllib.loads(next(line for line in lines if name in line))["on_event"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "record.jsonl"
    fake_program(bin_dir, name, record)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    runner = HookRunner(command, timeout=30)
    runner.run({"event": "hold", "text": "Hold, squeeze your buttocks", "said": "Hold"})
    assert runner.wait(60)
    assert runner.take_problem() is None
    assert json.loads(record.read_text(encoding="utf-8")) == expected
