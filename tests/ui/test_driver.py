"""The driver's guarantees when the terminal goes away (no terminal needed: fake files)."""

from __future__ import annotations

import contextlib
import io
import os
import select
import signal
import threading
import tty
from collections.abc import AsyncIterator, Iterator
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
        self.messages: list[object] = []

    def exit(self) -> None:
        self.exited = True

    def post_message(self, message: object) -> bool:
        self.messages.append(message)
        return True


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


class Restarts:
    """Stands in for application mode: records stops and starts, and the app's messages."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, driver: TrainerDriver) -> None:
        self.calls: list[str] = []
        monkeypatch.setattr(driver, "start_application_mode", lambda: self.calls.append("start"))
        monkeypatch.setattr(driver, "stop_application_mode", lambda: self.calls.append("stop"))
        monkeypatch.setattr(driver, "input_tty", False)


async def test_any_continue_restarts_application_mode_and_asks_for_a_repaint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After ``kill -STOP`` the shell took the terminal (line mode, its text on screen): a
    continue stops application mode and starts it again, then the app repaints. After
    Ctrl+Z (suspended) it only starts it."""
    app = FakeApp()
    driver = make_driver(app)
    restarts = Restarts(monkeypatch, driver)
    monkeypatch.setattr(driver, "in_foreground", lambda: True)
    driver.continued()  # kill -STOP / kill -CONT, or fg after a SIGSTOP
    assert restarts.calls == ["stop", "start"]
    assert [type(m).__name__ for m in app.messages] == ["SignalResume"]
    driver.suspend_application_mode()  # Ctrl+Z
    assert driver.suspended
    restarts.calls.clear()
    driver.continued()  # fg
    assert restarts.calls == ["start"]
    assert not driver.suspended
    assert len(app.messages) == 2


async def test_a_continue_in_the_background_stops_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """``kill -CONT`` while the shell is at its prompt: nothing is drawn over it; trainer
    stops again, as a job that needs its terminal does, until ``fg``."""
    driver = make_driver(FakeApp())
    restarts = Restarts(monkeypatch, driver)
    monkeypatch.setattr(driver, "in_foreground", lambda: False)
    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(driver_module.os, "kill", lambda pid, sig: sent.append((pid, sig)))
    driver.continued()
    assert sent == [(driver_module.os.getpid(), signal.SIGSTOP)]
    assert restarts.calls == []


async def test_the_continue_of_a_hang_up_restarts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel sends SIGCONT with the SIGHUP of a closed terminal: no second writer."""
    app = FakeApp()
    driver = make_driver(app)
    restarts = Restarts(monkeypatch, driver)
    driver.output.mark_lost()
    driver.continued()
    assert restarts.calls == []
    assert app.messages == []


async def test_nothing_is_queued_while_suspended() -> None:
    """Between Ctrl+Z and fg no writer drains the queue: a write must not wait on it."""
    driver = make_driver(FakeApp())
    writer = RecordingWriter()
    driver._writer_thread = writer  # type: ignore[assignment]
    driver.suspended = True
    driver.write("frame")
    driver.flush()
    assert writer.puts == []


async def test_a_terminal_found_gone_without_a_hangup_handler_exits_the_app() -> None:
    app = FakeApp()
    driver = make_driver(app)
    driver.hang_up()  # no SIGHUP handler in this process: the app is asked to exit
    assert app.exited


class RecordingWriter:
    """Stands in for Textual's writer thread: what each queue put carried."""

    def __init__(self) -> None:
        self.puts: list[str] = []

    def write(self, text: str) -> None:
        self.puts.append(text)


class Pty:
    """A real pseudo-terminal as the driver's terminal: what it shows is read from the other
    end; ``fill()`` makes it a terminal that cannot take more now (a stalled SSH link)."""

    def __init__(self, driver: TrainerDriver) -> None:
        self.master, slave = os.openpty()
        tty.setraw(slave)
        self.slave = slave
        self.file = open(slave, "w", encoding="utf-8")  # noqa: SIM115 (closed in close())
        driver.output = TerminalOutput(self.file, driver.terminal_gone)
        self.writer = RecordingWriter()
        driver._writer_thread = self.writer  # type: ignore[assignment]

    def shown(self) -> str:
        data = b""
        while select.select([self.master], [], [], 0)[0]:
            data += os.read(self.master, 65536)
        return data.decode()

    def fill(self) -> None:
        os.set_blocking(self.slave, False)
        with contextlib.suppress(BlockingIOError):
            while True:
                os.write(self.slave, b"." * 1024)
        os.set_blocking(self.slave, True)

    def close(self) -> None:
        self.file.close()
        os.close(self.master)


@pytest.fixture
async def pty_driver() -> AsyncIterator[tuple[TrainerDriver, Pty]]:
    driver = make_driver(FakeApp())
    terminal = Pty(driver)
    yield driver, terminal
    terminal.close()


async def test_a_frame_reaches_the_terminal_as_one_write(
    pty_driver: tuple[TrainerDriver, Pty],
) -> None:
    """A terminal that can take the frame gets it at once, from the app's thread: no thread
    woken for it (a wakeup and a hand-over of the GIL per frame)."""
    driver, terminal = pty_driver
    driver.write("\x1b[?2026h")  # Textual's begin-sync, the frame, end-sync
    driver.write("frame")
    driver.write("\x1b[?2026l")
    assert terminal.shown() == ""
    driver.flush()  # Textual flushes after every frame
    assert terminal.shown() == "\x1b[?2026hframe\x1b[?2026l"
    driver.flush()
    assert terminal.shown() == ""  # nothing new: nothing sent
    assert terminal.writer.puts == []


async def test_a_terminal_that_cannot_take_more_gets_it_from_the_writer_thread_in_order(
    pty_driver: tuple[TrainerDriver, Pty],
) -> None:
    """Never a write that waits in the app's thread: a full terminal's frames go to Textual's
    writer thread, and so does every frame after them until it has written them (order)."""
    driver, terminal = pty_driver
    terminal.fill()
    driver.write("first")
    driver.flush()
    assert terminal.writer.puts == ["first"]
    assert terminal.shown().strip(".") == ""  # the link drains; "first" is still queued
    driver.write("second")
    driver.flush()
    assert terminal.writer.puts == ["first", "second"]  # behind "first", never before it
    driver.output.write("first")  # the writer thread writes what it was handed
    driver.output.write("second")
    driver.write("third")
    driver.flush()
    assert terminal.shown() == "firstsecondthird"
    assert terminal.writer.puts == ["first", "second"]


async def test_a_writer_thread_stuck_in_a_write_is_never_waited_for(
    pty_driver: tuple[TrainerDriver, Pty],
) -> None:
    driver, terminal = pty_driver
    held = threading.Event()
    release = threading.Event()

    def stuck_writer() -> None:  # the writer thread inside a write that never returns
        with driver.output.lock:
            held.set()
            release.wait(5)

    thread = threading.Thread(target=stuck_writer)
    thread.start()
    held.wait(5)
    driver.write("frame")
    flushing = threading.Thread(target=driver.flush)
    flushing.start()
    flushing.join(2)
    stuck = flushing.is_alive()
    release.set()
    assert not stuck, "the app waited for a writer stuck on a terminal that never reads"
    assert terminal.writer.puts == ["frame"]  # handed to the (stuck) writer's queue
    release.set()
    thread.join()


async def test_a_bell_no_frame_follows_leaves_on_its_own(
    monkeypatch: pytest.MonkeyPatch, pty_driver: tuple[TrainerDriver, Pty]
) -> None:
    import asyncio

    monkeypatch.setattr(driver_module, "GATHER_FOR", 0.01)
    driver, terminal = pty_driver
    driver.write("\a")
    await asyncio.sleep(0.1)
    assert terminal.shown() == "\a"


async def test_a_write_from_another_thread_is_sent_at_once(
    pty_driver: tuple[TrainerDriver, Pty],
) -> None:
    driver, terminal = pty_driver
    thread = threading.Thread(target=driver.write, args=("from a worker",))
    thread.start()
    thread.join()
    assert terminal.shown() == "from a worker"


async def test_a_terminal_that_fails_on_input_is_a_terminal_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """EIO from Textual's input loop (the terminal closed under it) is news, not a crash."""
    from textual.drivers.linux_driver import LinuxDriver

    def closed(self: LinuxDriver) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(LinuxDriver, "run_input_thread", closed)
    driver = make_driver(FakeApp())
    driver.run_input_thread()
    assert driver.terminal_lost
