"""Fixtures for real-terminal tests: tmux terminals, a clean environment, a loopback sshd."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from .terminal import (
    LoopbackSshd,
    TmuxTerminal,
    require_sshd,
    require_tmux,
    terminal_env,
)

BARE_APP = Path(__file__).with_name("bare_app.py")

StartTerminal = Callable[..., TmuxTerminal]


@pytest.fixture
def term_env(tmp_path: Path) -> dict[str, str]:
    """Environment for the program under test: TERM=xterm-256color, no COLORTERM, XDG in tmp."""
    return terminal_env(tmp_path / "home")


@pytest.fixture
def start_terminal(tmp_path: Path) -> Iterator[StartTerminal]:
    """``start_terminal(command, env=..., width=80, height=24, record=None)`` -> started
    TmuxTerminal; every terminal is killed (tmux server and socket gone) at teardown."""
    tmux = require_tmux()
    started: list[TmuxTerminal] = []

    def start(
        command: Sequence[str],
        *,
        env: Mapping[str, str],
        width: int = 80,
        height: int = 24,
        record: Path | None = None,
    ) -> TmuxTerminal:
        terminal = TmuxTerminal(
            command, env=env, width=width, height=height, cwd=tmp_path, record=record, tmux=tmux
        )
        started.append(terminal)
        return terminal.start()

    yield start
    for terminal in started:
        terminal.kill()


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackSshd]:
    """An OpenSSH server on 127.0.0.1 (free port) for the whole session, stopped by its pid."""
    require_sshd()
    server = LoopbackSshd(tmp_path_factory.mktemp("sshd")).start()
    yield server
    server.stop()


@pytest.fixture
def bare_app() -> list[str]:
    """Command line of the bare Textual app with its probe labels (last key, TERM)."""
    return [sys.executable, str(BARE_APP), "--probe"]
