"""Closing the terminal under ``trainer``, on every screen that can be open (issue 9, item 1).

Whatever the environment (``PYTHONUNBUFFERED=1``, as Docker images and many dotfiles set it,
made Textual's writer thread die on the closed terminal and the process hang for ever, holding
the session lock), the process must be gone within 2 s, the position saved and the lock free:
the next trainer starts normally.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from trainer.records import saved_session

from .conftest import StartTerminal
from .terminal import TmuxTerminal, terminal_env, wait_for_file, wait_process_gone
from .test_trainer import quick_routines, session_json, trainer_cmd

pytestmark = pytest.mark.e2e

#: The promise: gone within this many seconds of the terminal closing.
EXIT_WITHIN = 2.0
#: What a trainer that got the lock shows first (never "already running").
FIRST_SCREENS = re.compile("Welcome back|Choose a routine|Before you start")
CRASH_TRAINER = Path(__file__).with_name("crash_trainer.py")

ENVIRONMENTS = {
    "PYTHONUNBUFFERED": {"PYTHONUNBUFFERED": "1"},
    "plain": {},
}
#: The cases run in both environments: a session, closed or hung up, with or without SIGHUP,
#: and the crash (the paths where the writer thread died). Every other case runs in one of
#: them, taking turns (``one_env``), so each environment still meets every kind of screen.
BOTH = pytest.mark.parametrize("env", list(ENVIRONMENTS), indirect=True)


def one_env(name: str) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("env", [name], indirect=True)


@pytest.fixture(params=list(ENVIRONMENTS), ids=list(ENVIRONMENTS))
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    return terminal_env(tmp_path / "home", extra=ENVIRONMENTS[request.param])


def state_dir(env: dict[str, str]) -> Path:
    return Path(env["XDG_STATE_HOME"]) / "trainer"


def lock_is_free(env: dict[str, str]) -> bool:
    found = saved_session.SessionLock.try_acquire(state_dir(env) / saved_session.LOCK_FILENAME)
    if isinstance(found, saved_session.LockHolder):
        return False
    found.release()
    return True


def advice_seen(env: dict[str, str]) -> None:
    state_dir(env).mkdir(parents=True, exist_ok=True)
    (state_dir(env) / "advice-seen").write_text("test")


def close_terminal(term: TmuxTerminal, pid: int, how: str = "kill-server") -> float:
    """Close the terminal under ``pid``; the seconds until the process was gone (at most 2)."""
    start = time.monotonic()
    if how == "kill-server":
        term.kill()  # the pty goes away: what a dropped SSH link or a closed window does
    else:
        os.kill(pid, signal.SIGHUP)
    try:
        wait_process_gone(pid, timeout=EXIT_WITHIN, interval=0.02)
    except AssertionError:
        os.kill(pid, signal.SIGKILL)  # a hung trainer must not outlive the test
        raise
    took = time.monotonic() - start
    print(f"\nexit after closing the terminal ({how}): {took:.2f} s")
    return took


def starts_normally(start_terminal: StartTerminal, env: dict[str, str], routines: Path) -> str:
    """A second trainer is not told "already running" or "already open"; return its first
    screen."""
    assert lock_is_free(env), "the session lock is still held after the process is gone"
    again = start_terminal(trainer_cmd("--routines", str(routines)), env=env)
    screen = again.wait_for(FIRST_SCREENS, timeout=10)
    assert "already running" not in screen and "already open" not in screen
    return screen


def in_session(start_terminal: StartTerminal, env: dict[str, str], routines: Path) -> TmuxTerminal:
    advice_seen(env)
    term = start_terminal(trainer_cmd("--routines", str(routines)), env=env)
    term.wait_for("Quick test")
    term.send_keys("Enter")
    term.wait_for("Set 1 of 3")
    time.sleep(1.2)  # a step or two in
    return term


def assert_position_saved(env: dict[str, str]) -> dict[str, object]:
    snap = session_json(env)["snapshot"]
    assert isinstance(snap, dict)
    assert snap["state"] == "paused" and snap["routine_id"] == "quick-test"
    return snap


# --------------------------------------------------------------------------- each screen

Opener = Callable[[TmuxTerminal], None]


def _list(term: TmuxTerminal) -> None:
    term.send_keys("Escape")
    term.wait_for("Continue: Quick test")


def _settings(term: TmuxTerminal) -> None:
    _list(term)
    term.send_keys("e")  # settings
    term.wait_for("Words/min")
    term.send_keys("Tab", "Tab")  # from the bell (focused on opening): voice, words a minute
    term.send_keys("BSpace")  # 175 -> 17: an unsaved (and not yet valid) change
    term.wait_for(re.compile("Unsaved changes|Fix the values in red"))


def _history(term: TmuxTerminal) -> None:
    _list(term)
    term.send_keys("h")
    term.wait_for("No sessions yet")


def _advice(term: TmuxTerminal) -> None:
    _list(term)
    term.send_keys("a")
    term.wait_for("Safety advice")


def _session(term: TmuxTerminal) -> None:
    term.wait_for("Set ")


SCREENS_WITH_A_SESSION: dict[str, Opener] = {
    "session": _session,
    "list": _list,
    "settings": _settings,
    "history": _history,
    "advice": _advice,
}


@pytest.mark.parametrize(
    ("env", "screen"),
    [
        ("PYTHONUNBUFFERED", "session"),
        ("plain", "session"),
        ("plain", "list"),
        ("PYTHONUNBUFFERED", "settings"),
        ("plain", "history"),
        ("PYTHONUNBUFFERED", "advice"),
    ],
    indirect=["env"],
)
def test_closing_the_terminal_saves_releases_and_exits(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path, screen: str
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    term = in_session(start_terminal, env, routines)
    SCREENS_WITH_A_SESSION[screen](term)
    close_terminal(term, term.pane_pid())
    assert_position_saved(env)
    if screen == "settings":  # the unsaved change is kept as a draft, offered next time
        draft = json.loads((state_dir(env) / "settings-draft.json").read_text())
        assert draft["settings"]["voice_rate"] == "17"
    assert "Welcome back" in starts_normally(start_terminal, env, routines)


@BOTH
def test_a_hangup_signal_in_a_session(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    term = in_session(start_terminal, env, routines)
    close_terminal(term, term.pane_pid(), how="SIGHUP")
    assert_position_saved(env)
    assert "Welcome back" in starts_normally(start_terminal, env, routines)


@one_env("plain")
def test_at_the_resume_prompt_the_saved_session_stays(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    term = in_session(start_terminal, env, routines)
    term.send_keys("q")
    term.wait_dead()
    before = session_json(env)
    prompt = start_terminal(trainer_cmd("--routines", str(routines)), env=env)
    prompt.wait_for("Welcome back")
    close_terminal(prompt, prompt.pane_pid())
    assert session_json(env)["snapshot"] == before["snapshot"]
    assert "Welcome back" in starts_normally(start_terminal, env, routines)


@one_env("PYTHONUNBUFFERED")
def test_on_the_first_screen_with_nothing_to_save(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    term = start_terminal(trainer_cmd("--routines", str(routines)), env=env)
    term.wait_for("Before you start")
    close_terminal(term, term.pane_pid())
    assert not (state_dir(env) / "session.json").exists()
    starts_normally(start_terminal, env, routines)


@one_env("plain")
def test_on_the_summary_the_session_goes_to_the_history(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    term = in_session(start_terminal, env, routines)
    term.send_keys("s")  # stop asks first: Tab to "Stop the session", Enter
    term.wait_for("Stop the session")
    term.send_keys("Tab", "Enter")
    term.wait_for("Session stopped")
    close_terminal(term, term.pane_pid())
    lines = (Path(env["XDG_DATA_HOME"]) / "trainer" / "history.jsonl").read_text().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["routine_id"] == "quick-test" and entry["outcome"] == "stopped"
    assert not (state_dir(env) / "session.json").exists()
    assert "Choose a routine" in starts_normally(start_terminal, env, routines)


@one_env("PYTHONUNBUFFERED")
def test_in_the_read_only_follower(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    writer = in_session(start_terminal, env, routines)
    follower = start_terminal(trainer_cmd("--routines", str(routines)), env=env)
    follower.wait_for("already running a session")
    follower.send_keys("v")
    follower.wait_for("Bridges, set")
    close_terminal(follower, follower.pane_pid())
    # The writer is untouched: it still runs and holds the lock.
    assert not writer.pane_dead()
    assert not lock_is_free(env)
    writer.send_keys("Space")
    writer.wait_for("PAUSED")


@BOTH
def test_when_the_app_crashes_as_the_terminal_closes(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    advice_seen(env)
    term = start_terminal(
        [sys.executable, str(CRASH_TRAINER), "--routines", str(routines)], env=env
    )
    term.wait_for("Quick test")
    term.send_keys("Enter")
    term.wait_for("Set 1 of 3")
    time.sleep(1.2)
    close_terminal(term, term.pane_pid())
    assert_position_saved(env)
    assert "Welcome back" in starts_normally(start_terminal, env, routines)


@pytest.mark.parametrize(
    ("env", "screen"),
    [("PYTHONUNBUFFERED", "session"), ("plain", "session"), ("plain", "list")],
    indirect=["env"],
)
def test_a_terminal_gone_without_a_hangup_signal(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path, screen: str
) -> None:
    """In its own session (``setsid``) the terminal is not trainer's controlling terminal, so
    closing it sends no SIGHUP: the hang-up seen on the terminal (in a session, the failed
    writes; on the idle list, which writes nothing, the hang-up on input) must be enough."""
    routines = quick_routines(tmp_path / "routines.toml")
    advice_seen(env)
    term = start_terminal(["setsid", "-w", *trainer_cmd("--routines", str(routines))], env=env)
    term.wait_for("Quick test")
    term.send_keys("Enter")
    term.wait_for("Set 1 of 3")
    time.sleep(1.2)
    SCREENS_WITH_A_SESSION[screen](term)
    holder = json.loads(wait_for_file(state_dir(env) / saved_session.LOCK_FILENAME))
    pid = int(holder["pid"])
    assert pid != term.pane_pid()  # setsid forked: the app is not the pane's process
    close_terminal(term, pid)
    assert_position_saved(env)
    assert "Welcome back" in starts_normally(start_terminal, env, routines)


@one_env("PYTHONUNBUFFERED")
def test_an_idle_screen_without_a_hangup_signal(
    start_terminal: StartTerminal, env: dict[str, str], tmp_path: Path
) -> None:
    """The resume prompt writes nothing while it waits: with no SIGHUP and no failed write,
    only the hang-up seen on the terminal's input tells trainer it is gone."""
    routines = quick_routines(tmp_path / "routines.toml")
    term = in_session(start_terminal, env, routines)
    term.send_keys("q")
    term.wait_dead()
    before = session_json(env)
    prompt = start_terminal(["setsid", "-w", *trainer_cmd("--routines", str(routines))], env=env)
    prompt.wait_for("Welcome back")
    time.sleep(1.0)  # idle
    holder = json.loads(wait_for_file(state_dir(env) / saved_session.LOCK_FILENAME))
    close_terminal(prompt, int(holder["pid"]))
    assert session_json(env)["snapshot"] == before["snapshot"]
    assert "Welcome back" in starts_normally(start_terminal, env, routines)
