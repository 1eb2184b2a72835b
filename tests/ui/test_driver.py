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


class RecordingWriter:
    """Stands in for Textual's writer thread: what each queue put carried."""

    def __init__(self) -> None:
        self.puts: list[str] = []

    def write(self, text: str) -> None:
        self.puts.append(text)


async def test_a_frame_reaches_the_writer_thread_as_one_put() -> None:
    driver = make_driver(FakeApp())
    writer = RecordingWriter()
    driver._writer_thread = writer  # type: ignore[assignment]
    driver.write("\x1b[?2026h")  # Textual's begin-sync, the frame, end-sync
    driver.write("frame")
    driver.write("\x1b[?2026l")
    assert writer.puts == []
    driver.flush()  # Textual flushes after every frame
    assert writer.puts == ["\x1b[?2026hframe\x1b[?2026l"]
    driver.flush()
    assert writer.puts == ["\x1b[?2026hframe\x1b[?2026l"]  # nothing new: nothing sent


async def test_a_bell_no_frame_follows_leaves_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    monkeypatch.setattr(driver_module, "GATHER_FOR", 0.01)
    driver = make_driver(FakeApp())
    writer = RecordingWriter()
    driver._writer_thread = writer  # type: ignore[assignment]
    driver.write("\a")
    await asyncio.sleep(0.1)
    assert writer.puts == ["\a"]


async def test_a_write_from_another_thread_is_sent_at_once() -> None:
    driver = make_driver(FakeApp())
    writer = RecordingWriter()
    driver._writer_thread = writer  # type: ignore[assignment]
    thread = threading.Thread(target=driver.write, args=("from a worker",))
    thread.start()
    thread.join()
    assert writer.puts == ["from a worker"]


def test_the_stop_event_wakes_the_input_thread_until_its_pipe_is_closed() -> None:
    import os
    import select

    event = driver_module._WakingEvent()
    read_end = event.read_end
    assert select.select([read_end], [], [], 0)[0] == []
    event.set()
    assert select.select([read_end], [], [], 0)[0] == [read_end]  # the sleeping thread wakes
    assert os.read(read_end, 10) == b"x"
    event.close()
    assert event.read_end == -1
    event.set()  # after close: only sets (the numbers may belong to other files by now)
    assert event.is_set()


async def test_the_input_thread_reads_keys_and_stops_when_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The input loop on a pipe: a key arrives as an event, end of input stops the reading
    without spinning, and the stop event ends the loop at once (it waits with no timeout)."""
    import os
    import time

    read_end, write_end = os.pipe()
    driver = make_driver(FakeApp())
    monkeypatch.setattr(driver, "fileno", read_end)
    got: list[object] = []
    monkeypatch.setattr(driver, "process_message", got.append)
    thread = threading.Thread(target=driver.run_input_thread)
    thread.start()
    os.write(write_end, b"q")
    deadline = time.monotonic() + 5
    while not got and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [getattr(event, "key", None) for event in got] == ["q"]
    os.close(write_end)  # end of input
    time.sleep(0.1)
    assert thread.is_alive()  # still waiting, for the stop event
    driver.exit_event.set()
    thread.join(2)
    assert not thread.is_alive()
    os.close(read_end)
    driver.exit_event.close()
