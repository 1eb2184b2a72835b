"""The driver's guarantees when the terminal goes away (no terminal needed: fake files)."""

from __future__ import annotations

import io
import signal
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from textual.drivers._writer_thread import MAX_QUEUED_WRITES, WriterThread

from trainer.ui import driver as driver_module
from trainer.ui.driver import TerminalOutput, TrainerDriver


class ClosedTerminal(io.StringIO):
    """A terminal that has hung up: every write and flush fails as a closed pty does."""

    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")

    def flush(self) -> None:
        raise OSError(5, "Input/output error")


class StuckTerminal(io.StringIO):
    """A terminal that is there but never reads: a write blocks until released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def write(self, text: str) -> int:
        self.release.wait()
        return len(text)


def test_a_failed_write_marks_the_terminal_gone_once_and_drops_the_rest() -> None:
    told: list[str] = []
    output = TerminalOutput(ClosedTerminal(), lambda: told.append("lost"))
    assert output.write("frame") == len("frame")
    output.flush()
    assert output.write("another") == len("another")
    assert output.lost
    assert told == ["lost"]


def test_a_closed_file_counts_as_a_terminal_gone() -> None:
    closed = io.StringIO()
    closed.close()
    output = TerminalOutput(closed, lambda: None)
    output.write("x")  # ValueError: I/O operation on closed file
    assert output.lost


def test_the_writer_thread_outlives_a_closed_terminal_and_stops() -> None:
    """Textual's own thread on our output: more writes than its queue holds, then stop()."""
    told: list[str] = []
    writer = WriterThread(TerminalOutput(ClosedTerminal(), lambda: told.append("lost")))  # type: ignore[arg-type]
    writer.start()
    for n in range(MAX_QUEUED_WRITES * 4):
        writer.write(f"frame {n}")
    writer.stop()  # returned: the thread drained its queue to the end
    assert not writer.is_alive()
    assert told == ["lost"]


@pytest.fixture(autouse=True)
def keep_signal_handlers() -> Iterator[None]:
    """LinuxDriver installs SIGTSTP and SIGCONT handlers: give pytest its own back."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTSTP, signal.SIGCONT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def make_driver(app: Any) -> TrainerDriver:
    return TrainerDriver(app, debug=False, mouse=True, size=(80, 24))


class FakeApp:
    def __init__(self) -> None:
        self.exited = False

    def exit(self) -> None:
        self.exited = True


async def test_close_returns_even_when_the_terminal_never_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(driver_module, "CLOSE_TIMEOUT", 0.05)
    terminal = StuckTerminal()
    driver = make_driver(FakeApp())
    writer = WriterThread(TerminalOutput(terminal, lambda: None))  # type: ignore[arg-type]
    driver._writer_thread = writer
    writer.start()
    for n in range(MAX_QUEUED_WRITES + 1):  # one in the stuck write, the queue full
        writer.write(f"frame {n}")
    driver.close()  # returned, though the writer is still stuck
    assert writer.is_alive()
    terminal.release.set()
    writer.join(5)


async def test_sigcont_restarts_only_what_was_suspended(monkeypatch: pytest.MonkeyPatch) -> None:
    driver = make_driver(FakeApp())
    resumed: list[bool] = []
    monkeypatch.setattr(driver, "start_application_mode", lambda: resumed.append(True))
    monkeypatch.setattr(driver, "stop_application_mode", lambda: None)
    driver._sigcont_application()  # the SIGCONT of a hang-up, or kill -STOP/-CONT
    assert resumed == []
    driver.suspend_application_mode()  # Ctrl+Z
    driver._sigcont_application()  # fg
    assert resumed == [True]
    driver._sigcont_application()  # a second SIGCONT: already running
    assert resumed == [True]


async def test_a_terminal_found_gone_without_a_hangup_handler_exits_the_app() -> None:
    app = FakeApp()
    driver = make_driver(app)
    driver._hang_up()  # no SIGHUP handler in this process: the app is asked to exit
    assert app.exited
