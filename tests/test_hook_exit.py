"""Issue 18 item 2 (unit level): no on_event command outlives its runner, however it ends:
close() (every way out of the app) and ``kill -9`` of the process that ran it (the watchdog)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hook_helpers import alive, hook_command, wait_all_gone, wait_for_pids

from trainer.outputs.hooks import HookRunner

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")


def test_close_kills_the_running_command_and_what_it_started(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    runner = HookRunner(hook_command(pids), timeout=60)
    for n in range(3):
        runner.run({"event": "cue", "n": n})
    started = wait_for_pids(pids)
    assert all(alive(pid) for pid in started)
    began = time.monotonic()
    runner.close()
    assert time.monotonic() - began < 1.5  # close never holds the exit
    wait_all_gone(started)
    time.sleep(0.3)
    assert len(pids.read_text().split()) == 2  # the events still waiting were dropped
    runner.run({"event": "late"})  # after close: nothing runs
    time.sleep(0.3)
    assert len(pids.read_text().split()) == 2


OWNER = textwrap.dedent(
    """
    import sys, time
    from trainer.outputs.hooks import HookRunner
    runner = HookRunner(sys.argv[1], timeout=60)
    runner.run({"event": "cue"})
    time.sleep(600)
    """
)


def test_kill_9_of_the_owner_leaves_no_command_running(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    owner = subprocess.Popen([sys.executable, "-c", OWNER, hook_command(pids)])
    try:
        started = wait_for_pids(pids)
        assert all(alive(pid) for pid in started)
    finally:
        owner.kill()  # SIGKILL: no code of trainer's runs
        owner.wait(10)
    wait_all_gone(started)
