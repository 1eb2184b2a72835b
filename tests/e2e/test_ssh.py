"""``trainer`` through a real ``ssh -tt`` to a loopback sshd, as from a phone to a home server.

TERM=xterm-256color and no COLORTERM, as a default OpenSSH setup leaves them; 80x24. The
connection is dropped by killing the ssh client, then re-established: the session resumes at
the same step.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import StartTerminal
from .terminal import LoopbackSshd, terminal_env
from .test_trainer import frame_position, quick_routines, session_json, trainer_cmd

pytestmark = [pytest.mark.e2e, pytest.mark.ssh]

SGR = re.compile(r"\x1b\[([0-9;]*)m")
GREYS = {0, 7, 8, 15, 16, 231, *range(232, 256)}


def hues(screen: str) -> set[str]:
    """Colours with a hue in a captured screen (Textual's NO_COLOR renders in greys only)."""
    found: set[str] = set()
    for params in SGR.findall(screen):
        parts = [int(p) for p in params.split(";") if p]
        i = 0
        while i < len(parts):
            if parts[i] in (38, 48) and i + 2 < len(parts) and parts[i + 1] == 5:
                if parts[i + 2] not in GREYS:
                    found.add(f"{parts[i]};5;{parts[i + 2]}")
                i += 3
            elif parts[i] in (38, 48) and i + 4 < len(parts) and parts[i + 1] == 2:
                r, g, b = parts[i + 2 : i + 5]
                if not r == g == b:
                    found.add(f"{parts[i]};2;{r};{g};{b}")
                i += 5
            elif 30 <= parts[i] <= 37 or 40 <= parts[i] <= 47 or 90 <= parts[i] <= 107:
                if parts[i] not in (30, 37, 40, 47, 90, 97, 100, 107):
                    found.add(str(parts[i]))
                i += 1
            else:
                i += 1
    return found


def _remote_trainer_running(routines: Path) -> bool:
    found = subprocess.run(
        ["pgrep", "-f", f"--routines {routines}"], capture_output=True, text=True, check=False
    )
    return found.returncode == 0


def _wait_remote_gone(routines: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _remote_trainer_running(routines):
        if time.monotonic() > deadline:
            raise AssertionError("the remote trainer is still running after the connection dropped")
        time.sleep(0.05)


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
def test_pause_drop_the_connection_reconnect_and_resume(
    sshd: LoopbackSshd, start_terminal: StartTerminal, tmp_path: Path, no_color: bool
) -> None:
    remote_env = terminal_env(tmp_path / "remote", no_color=no_color)
    client_env = terminal_env(tmp_path / "client")
    routines = quick_routines(tmp_path / "routines.toml")
    advice = Path(remote_env["XDG_STATE_HOME"]) / "trainer" / "advice-seen"
    advice.parent.mkdir(parents=True, exist_ok=True)
    advice.write_text("seen")
    command = sshd.ssh_command(trainer_cmd("--routines", str(routines)), remote_env)

    term = start_terminal(command, env=client_env)
    term.wait_for("Quick test", timeout=20)
    term.send_keys("Enter")
    term.wait_for("Set 1 of 3")
    # Escape reaches the app over ssh: back to the list, then continue.
    time.sleep(1.5)
    term.send_keys("Escape")
    term.wait_for("Continue:")
    term.send_keys("Enter")
    term.wait_for("PAUSED")  # going back to the list paused it
    term.send_keys("Space")
    term.wait_until_gone("PAUSED")
    time.sleep(2.0)
    term.send_keys("Space")
    paused = term.wait_for("PAUSED")
    where = frame_position(paused)
    assert where is not None
    coloured = hues(term.screen(escapes=True))
    if no_color:
        assert not coloured, f"colours with a hue despite NO_COLOR: {sorted(coloured)[:5]}"
    else:
        assert coloured, "expected colours without NO_COLOR (the check above would be vacuous)"

    # The connection drops: the ssh client dies, sshd hangs up on trainer, which saves.
    term.kill()
    _wait_remote_gone(routines)
    snap = session_json(remote_env)["snapshot"]
    assert snap["state"] == "paused"  # type: ignore[index]

    again = start_terminal(command, env=client_env)
    prompt = again.wait_for("Welcome back", timeout=20)
    assert f"{where[0]}, set {where[2]}, rep {where[3]}" in prompt or where[0] in prompt
    again.send_keys("Enter")
    again.wait_for("Get back into position")
    resumed = frame_position(again.screen())
    assert resumed == where, f"resumed at {resumed}, was at {where}"
    again.send_keys("q")
    assert again.wait_dead() == 0
