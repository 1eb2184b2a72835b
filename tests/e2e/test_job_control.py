"""Stopped and continued under a real shell with job control (``bash -i`` in a tmux pane).

Ctrl+Z suspends trainer (the session paused and saved first) and ``fg`` brings it back;
``kill -STOP`` from outside, with ``fg`` or ``kill -CONT``, does too. Each time: the screen is
repainted (none of the shell's text left on it), keys work, the terminal is raw while trainer
runs and back in the shell's line mode after it quits.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import StartTerminal
from .terminal import TmuxTerminal

PS1 = "PROMPT$ "
PROMPT = "PROMPT$"  # as captured: tmux drops trailing spaces
HEADING = re.compile(r"Bridges +\(1 of 5\)")


def trainer_path() -> str:
    found = shutil.which("trainer", path=str(Path(sys.executable).parent))
    assert found, "the trainer console script is not installed in this environment"
    return found


def modes(term: TmuxTerminal) -> set[str]:
    """The pane terminal's local modes as ``stty`` prints them (``icanon`` or ``-icanon``)."""
    out = subprocess.run(
        ["stty", "-a", "-F", term.pane_tty()], capture_output=True, text=True, check=True
    ).stdout
    return set(re.findall(r"(?<!\S)-?(?:icanon|echo|isig)(?!\S)", out))


RAW = {"-icanon", "-echo", "-isig"}
LINE = {"icanon", "echo", "isig"}


def process_state(pid: int) -> str:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"^State:\s+(\S)", status, re.MULTILINE)
    assert found
    return found.group(1)


def wait_state(pid: int, state: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while process_state(pid) != state:
        assert time.monotonic() < deadline, f"trainer never reached state {state}"
        time.sleep(0.05)


def saved_state(env: dict[str, str]) -> object:
    path = Path(env["XDG_STATE_HOME"]) / "trainer" / "session.json"
    return json.loads(path.read_text(encoding="utf-8"))["snapshot"]["state"]


def trainer_pid(env: dict[str, str]) -> int:
    lock = Path(env["XDG_STATE_HOME"]) / "trainer" / "session.lock"
    return int(json.loads(lock.read_text(encoding="utf-8"))["pid"])


def assert_trainer_back(term: TmuxTerminal, timeout: float = 10.0) -> str:
    """Within ``timeout``: repainted whole (none of the shell's text left), on the alternate
    screen, in raw mode."""
    deadline = time.monotonic() + timeout
    while True:
        screen = term.screen()
        back = (
            HEADING.search(screen) is not None
            and "Stopped" not in screen
            and PROMPT not in screen
            and term.alternate_on()
            and modes(term) >= RAW
        )
        if back:
            return screen
        assert time.monotonic() < deadline, f"not back: modes {modes(term)}, screen:\n{screen}"
        time.sleep(0.05)


def start_in_shell(start_terminal: StartTerminal, term_env: dict[str, str]) -> TmuxTerminal:
    state = Path(term_env["XDG_STATE_HOME"]) / "trainer"
    state.mkdir(parents=True, exist_ok=True)
    (state / "advice-seen").write_text("test")
    env = {**term_env, "PS1": PS1}
    term = start_terminal(["bash", "--norc", "--noprofile", "-i"], env=env)
    term.wait_for(PROMPT)
    term.type_text(f"{trainer_path()} --start full")
    term.send_keys("Enter")
    assert_trainer_back(term)
    return term


def shell_is_back(term: TmuxTerminal) -> None:
    term.wait_for(re.compile(r"\[1\]\+ +Stopped"), timeout=10)
    assert not term.alternate_on()


def quit_and_check_line_mode(term: TmuxTerminal, tmp_path: Path) -> None:
    term.send_keys("q")
    term.wait_for(re.compile(re.escape(PROMPT) + r"\s*$"), timeout=10)
    assert not term.alternate_on()
    out = tmp_path / "stty.txt"
    term.type_text(f"stty -a > {out}")  # as the shell leaves it for the next program
    term.send_keys("Enter")
    deadline = time.monotonic() + 5
    while not (out.exists() and out.read_text()):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    flags = set(re.findall(r"(?<!\S)-?(?:icanon|echo|isig)(?!\S)", out.read_text()))
    assert flags >= LINE, flags


@pytest.mark.e2e
def test_ctrl_z_suspends_paused_and_fg_brings_it_back(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    term = start_in_shell(start_terminal, term_env)
    pid = trainer_pid(term_env)
    term.send_keys("C-z")
    shell_is_back(term)
    wait_state(pid, "T")
    assert saved_state(term_env) == "paused", "the session was not paused and saved first"
    term.type_text("fg")
    term.send_keys("Enter")
    assert_trainer_back(term)
    term.wait_for("PAUSED")  # it came back paused (drawn at its first tick after fg)
    term.send_keys("Space")  # keys work: the session resumes
    term.wait_until_gone("PAUSED")
    quit_and_check_line_mode(term, tmp_path)


@pytest.mark.e2e
def test_kill_stop_then_fg_or_kill_cont_repaints_and_restores_raw_mode(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    term = start_in_shell(start_terminal, term_env)
    pid = trainer_pid(term_env)
    os.kill(pid, signal.SIGSTOP)  # from outside: trainer never sees it
    term.wait_for(re.compile(r"\[1\]\+ +Stopped"), timeout=10)
    term.type_text("fg")
    term.send_keys("Enter")
    assert_trainer_back(term)
    term.send_keys("Space")  # keys work at once (in line mode space would wait for Enter)
    term.wait_for("PAUSED")

    os.kill(pid, signal.SIGSTOP)
    term.wait_for(re.compile(r"\[1\]\+ +Stopped"), timeout=10)
    os.kill(pid, signal.SIGCONT)  # continued while the shell holds the terminal
    time.sleep(0.5)
    wait_state(pid, "T")  # it stopped again rather than draw over the shell's prompt
    assert "PROMPT" in term.screen()
    term.type_text("fg")
    term.send_keys("Enter")
    assert_trainer_back(term)
    term.send_keys("Space")
    term.wait_until_gone("PAUSED")
    quit_and_check_line_mode(term, tmp_path)
