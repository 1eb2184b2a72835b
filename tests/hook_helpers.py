"""Helpers for the tests that no on_event command outlives trainer (issue 18 item 2)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def hook_command(pids: Path) -> str:
    """A command that starts a child of its own and waits: both pids go into ``pids``."""
    return f"sleep 300 & echo $! >> {pids}; echo $$ >> {pids}; wait"


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] not in ("Z", "X")


def wait_for_pids(pids: Path, count: int = 2, timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pids.exists():
            found = [int(x) for x in pids.read_text().split()]
            if len(found) >= count:
                return found
        time.sleep(0.02)
    raise AssertionError(f"the hook did not start: {pids.read_text() if pids.exists() else ''}")


def wait_all_gone(pids: list[int], timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            left = [pid for pid in pids if alive(pid)]
            for pid in left:  # never leave them behind, even when the test fails
                os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"hook processes outlived trainer: {left}")
        time.sleep(0.02)
