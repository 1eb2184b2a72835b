"""The terminal harness itself, proven on a bare Textual app in real tmux and over real ssh."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .bare_app import ENV_PREFIX, KEY_PREFIX, READY_TEXT
from .conftest import BARE_APP, StartTerminal
from .terminal import (
    REQUIRE_ENV,
    LoopbackSshd,
    TmuxTerminal,
    process_alive,
    require_sshd,
    require_tmux,
    terminal_env,
    venv_bin,
    wait_for_bytes,
    wait_for_file,
    wait_process_gone,
)

CLEAN_ENV_LINE = f"{ENV_PREFIX}TERM=xterm-256color COLORTERM=(unset)"


# --------------------------------------------------------------------------- tmux


@pytest.mark.e2e
def test_app_draws_in_alternate_screen_at_80x24_with_clean_env(
    start_terminal: StartTerminal, term_env: dict[str, str], bare_app: list[str]
) -> None:
    terminal = start_terminal(bare_app, env=term_env)
    screen = terminal.wait_for(READY_TEXT)
    assert "Bare app" in screen.splitlines()[0]  # the Header's title on the first row
    assert CLEAN_ENV_LINE in screen
    assert terminal.pane_size() == (80, 24)
    assert terminal.alternate_on()
    assert not terminal.pane_dead()


@pytest.mark.e2e
def test_keys_reach_the_app(
    start_terminal: StartTerminal, term_env: dict[str, str], bare_app: list[str]
) -> None:
    terminal = start_terminal(bare_app, env=term_env)
    terminal.wait_for(f"{KEY_PREFIX}(none)")
    for sent, seen in [
        ("x", "x"),
        ("Space", "space"),
        ("Escape", "escape"),
        ("Enter", "enter"),
        ("Up", "up"),
    ]:
        terminal.send_keys(sent)
        terminal.wait_for(f"{KEY_PREFIX}{seen}\n")
    terminal.type_text("Enter")  # typed literally: the last of its letters arrives last
    terminal.wait_for(f"{KEY_PREFIX}r\n")


@pytest.mark.e2e
def test_q_quits_with_status_0_and_restores_the_screen(
    start_terminal: StartTerminal, term_env: dict[str, str], bare_app: list[str]
) -> None:
    terminal = start_terminal(bare_app, env=term_env)
    terminal.wait_for(READY_TEXT)
    terminal.send_keys("q")
    assert terminal.wait_dead() == 0
    assert terminal.pane_dead_signal() is None
    assert not terminal.alternate_on()
    assert READY_TEXT not in terminal.screen()


@pytest.mark.e2e
def test_sighup_leaves_the_pane_dead(
    start_terminal: StartTerminal, term_env: dict[str, str], bare_app: list[str]
) -> None:
    terminal = start_terminal(bare_app, env=term_env)
    terminal.wait_for(READY_TEXT)
    pid = terminal.pane_pid()
    assert "bare_app.py" in Path(f"/proc/{pid}/cmdline").read_text()  # env -i exec'd the app
    os.kill(pid, signal.SIGHUP)
    assert terminal.wait_dead() is None  # no exit status: a signal ended it
    assert terminal.pane_dead_signal() == signal.SIGHUP
    assert not process_alive(pid)


@pytest.mark.e2e
def test_recording_counts_the_bytes_written_to_the_terminal(
    tmp_path: Path, start_terminal: StartTerminal, term_env: dict[str, str], bare_app: list[str]
) -> None:
    from_start = tmp_path / "from-start.out"
    terminal = start_terminal(bare_app, env=term_env, record=from_start)
    terminal.wait_for(READY_TEXT)
    first_frame = wait_for_bytes(from_start, READY_TEXT.encode())
    assert first_frame.startswith(b"\x1b[?1049h")  # recorded from the switch to the alt screen

    later = tmp_path / "later.out"
    terminal.record(later)
    terminal.send_keys("z")
    terminal.wait_for(f"{KEY_PREFIX}z\n")
    after = wait_for_bytes(later, b"last key: z")
    assert not after.startswith(b"\x1b[?1049h")  # only what came after record()
    assert terminal.recorded_bytes() >= len(after)


@pytest.mark.e2e
def test_wait_for_fails_showing_the_last_screen(
    start_terminal: StartTerminal, term_env: dict[str, str], bare_app: list[str]
) -> None:
    terminal = start_terminal(bare_app, env=term_env)
    terminal.wait_for(re.compile(r"Bare app re\w+"))
    with pytest.raises(AssertionError, match="not on screen") as failure:
        terminal.wait_for("never shown", timeout=0.3)
    assert READY_TEXT in str(failure.value)
    with pytest.raises(AssertionError, match="still on screen"):
        terminal.wait_until_gone(READY_TEXT, timeout=0.3)

    terminal.send_keys("q")
    terminal.wait_dead()
    with pytest.raises(AssertionError, match="the command exited"):
        terminal.wait_for("never shown", timeout=30)  # fails at once: nothing more will draw
    assert terminal.wait_until_gone(READY_TEXT) == terminal.screen()


@pytest.mark.e2e
def test_kill_stops_the_server_and_removes_its_socket(
    tmp_path: Path, term_env: dict[str, str], bare_app: list[str]
) -> None:
    tmux = require_tmux()
    with TmuxTerminal(bare_app, env=term_env, tmux=tmux) as terminal:
        terminal.wait_for(READY_TEXT)
        pid = terminal.pane_pid()
        socket_path = Path(terminal._display("#{socket_path}"))
        assert socket_path.exists()
        assert terminal.server_running()
    assert not terminal.server_running()
    assert not socket_path.exists()
    wait_process_gone(pid)  # the app got SIGHUP when its terminal went away


def test_missing_tool_skips_but_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-tmux not found"):
        require_tmux("no-such-tmux")
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/sshd"):
        require_sshd(sshd="/nonexistent/sshd")

    monkeypatch.setenv(REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="no-such-tmux not found"):
        require_tmux("no-such-tmux")
    with pytest.raises(pytest.fail.Exception, match="no-such-ssh"):
        require_sshd(ssh="no-such-ssh")


def test_terminal_env_is_complete_and_isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLORTERM", "truecolor")
    env = terminal_env(tmp_path / "home", no_color=True, extra={"COLORTERM": "truecolor"})
    assert "COLORTERM" not in env
    assert env["TERM"] == "xterm-256color"
    assert env["NO_COLOR"] == "1"
    assert env["PATH"].split(":")[0] == str(venv_bin())
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        assert Path(env[name]).is_dir()
        assert Path(env[name]).is_relative_to(tmp_path)


# --------------------------------------------------------------------------- ssh


def _remote_app(*extra: str) -> list[str]:
    # By name, not path: proves the PATH passed to the remote side (the venv's bin) is used.
    return [Path(sys.executable).name, str(BARE_APP), "--probe", *extra]


@pytest.mark.e2e
@pytest.mark.ssh
def test_ssh_shows_the_app_forwards_term_only_and_delivers_escape(
    sshd: LoopbackSshd, start_terminal: StartTerminal, term_env: dict[str, str]
) -> None:
    terminal = start_terminal(sshd.ssh_command(_remote_app(), term_env), env=term_env)
    screen = terminal.wait_for(READY_TEXT, timeout=20)
    assert CLEAN_ENV_LINE in screen  # TERM forwarded by ssh, COLORTERM not
    assert terminal.alternate_on()
    terminal.send_keys("Escape")
    terminal.wait_for(f"{KEY_PREFIX}escape\n")
    terminal.send_keys("q")
    assert terminal.wait_dead() == 0  # the remote exit status comes back through ssh


@pytest.mark.e2e
@pytest.mark.ssh
def test_ssh_drop_ends_the_remote_process(
    tmp_path: Path, sshd: LoopbackSshd, start_terminal: StartTerminal, term_env: dict[str, str]
) -> None:
    pid_file = tmp_path / "remote.pid"
    command = sshd.ssh_command(_remote_app("--pid-file", str(pid_file)), term_env)
    terminal = start_terminal(command, env=term_env)
    terminal.wait_for(READY_TEXT, timeout=20)
    remote_pid = int(wait_for_file(pid_file))
    ssh_pid = terminal.pane_pid()
    assert Path(f"/proc/{ssh_pid}/comm").read_text().strip() == "ssh"
    assert process_alive(remote_pid)

    os.kill(ssh_pid, signal.SIGKILL)  # the connection drops without a goodbye
    assert terminal.wait_dead() is None
    wait_process_gone(remote_pid)


@pytest.mark.ssh
def test_ssh_command_passes_the_environment_explicitly(
    sshd: LoopbackSshd, term_env: dict[str, str]
) -> None:
    command = sshd.ssh_command(
        ["sh", "-c", 'echo "$XDG_STATE_HOME|$PATH|${COLORTERM-unset}"'],
        {
            **term_env,
            "COLORTERM": "truecolor",
        },
    )
    assert command[:2] == ["ssh", "-tt"]
    assert command[-2] == f"{sshd.user}@127.0.0.1"
    assert "TERM=" not in command[-1]
    result = subprocess.run(
        [arg for arg in command if arg != "-tt"],  # no terminal here: plain output
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    state, path, colorterm = result.stdout.strip().split("|")
    assert state == term_env["XDG_STATE_HOME"]
    assert path.split(":")[0] == str(venv_bin())
    assert colorterm == "unset"
