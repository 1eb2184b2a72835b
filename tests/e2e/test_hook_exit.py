"""Issue 18 item 2 in a real terminal: an ``on_event`` command still running when trainer
ends (q, the terminal closed, SIGTERM, SIGINT, kill -9) is killed with everything it started;
none is left under init."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import tomli_w
from hook_helpers import alive, hook_command, wait_all_gone, wait_for_pids

from .conftest import StartTerminal
from .terminal import terminal_env, wait_process_gone
from .test_trainer import quick_routines, trainer_cmd

pytestmark = pytest.mark.e2e


def with_hook(config_home: Path, command: str) -> None:
    """The person's preferences.toml with ``on_event`` set (the only place it is read from)."""
    folder = config_home / "trainer"
    folder.mkdir(parents=True, exist_ok=True)
    text = tomli_w.dumps({"on_event": command, "voice": "off"})
    (folder / "preferences.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("how", ["q", "closed terminal", "SIGTERM", "SIGINT", "kill -9"])
def test_no_hook_process_survives_trainer(
    start_terminal: StartTerminal, tmp_path: Path, how: str
) -> None:
    env = terminal_env(tmp_path / "home")
    state = Path(env["XDG_STATE_HOME"]) / "trainer"
    state.mkdir(parents=True, exist_ok=True)
    (state / "advice-seen").write_text("test")
    pids = tmp_path / "pids"
    routines = quick_routines(tmp_path / "routines.toml")
    with_hook(Path(env["XDG_CONFIG_HOME"]), hook_command(pids))
    term = start_terminal(
        trainer_cmd("--routines", str(routines), "--start", "quick-test"), env=env
    )
    term.wait_for("Set 1 of 3")
    started = wait_for_pids(pids)  # a hook runs (each lasts until killed: it never ends)
    assert all(alive(pid) for pid in started)
    trainer = term.pane_pid()
    if how == "q":
        term.send_keys("q")
    elif how == "closed terminal":
        term.kill()
    elif how == "SIGTERM":
        os.kill(trainer, signal.SIGTERM)
    elif how == "SIGINT":
        os.kill(trainer, signal.SIGINT)
    else:
        os.kill(trainer, signal.SIGKILL)
    wait_process_gone(trainer, timeout=5)
    everything = [int(x) for x in pids.read_text().split()]
    wait_all_gone(everything, timeout=3)
    time.sleep(0.5)  # and none starts after
    assert [int(x) for x in pids.read_text().split()] == everything
    assert not any(alive(pid) for pid in everything)
