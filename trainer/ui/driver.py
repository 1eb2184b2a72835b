"""Textual's Linux driver, made safe for a terminal that goes away mid-write.

Textual 8.2.8 writes to the terminal from a thread (``textual.drivers._writer_thread``) that has
no error handling: when the terminal is gone (SIGHUP, ``tmux kill-server``, a dropped SSH link)
the first write raises ``OSError`` (EIO) and the thread dies. Its queue holds 30 writes; once it
is full every later ``driver.write`` blocks, and so does ``driver.close()`` at exit (it puts a
``None`` in the full queue, then joins), so the process never exits and keeps the session lock.
With ``PYTHONUNBUFFERED=1`` every write reaches the closed terminal at once, so it shows every
time (see ``docs/textual-writer-thread-hang.md``).

:class:`TrainerDriver` fixes it where the writes happen, without copying Textual's code:

- the writer thread writes to a :class:`TerminalOutput` that never raises: the first failed
  write or flush marks the terminal gone, and from then on every write is dropped, so the thread
  keeps draining its queue until it is told to stop, and ``close()`` always returns;
- ``close()`` waits at most :data:`CLOSE_TIMEOUT` for the thread (a terminal that is there but
  never reads, such as a stalled link, cannot hold the exit either: the thread is a daemon);
- a terminal that can't be read (EIO on the input side) is the same news, not a crash, and so
  is a hang-up on the input side (POLLHUP), watched by a thread that sleeps in ``poll()`` until
  it happens: an idle screen writes nothing, so without it a terminal gone with no SIGHUP (a
  process outside the terminal's foreground group) would go unnoticed until the next write;
- a SIGCONT restarts application mode only after this driver suspended it (Ctrl+Z). Textual
  restarts it on every SIGCONT, and the kernel sends one with the SIGHUP of a closed terminal
  (and ``kill -STOP``/``kill -CONT`` sends one with no suspend before it): each time a second
  writer and a second input thread started, the first writer was orphaned, and the new one
  died on the closed terminal;
- when the terminal is found gone, the driver delivers the hang-up the app may not have been
  sent (a process that is not in the terminal's foreground group, a pty kept open elsewhere):
  it raises SIGHUP in the process if the app listens for it (so the app's one hang-up path
  runs: save, release, exit), else it asks the app to exit.

It also hands the writer thread one string per frame, not one per write: Textual writes a
frame in three parts (begin-sync, the frame, end-sync) and each was a queue put that woke the
writer thread (and a GIL hand-over between the two threads). Writes are gathered until
Textual's ``flush()`` after the frame; writes that no flush follows (a bell, the window title,
written as a step begins, just before its frame) ride with that frame, or leave on their own
after :data:`GATHER_FOR` if no frame comes.

And its input thread sleeps until there is input. Textual's wakes every 0.1 s (ten wakeups a
second for an idle app) to see whether it should stop and whether a lone Escape has waited long
enough to be the Escape key. Here it waits for the terminal or for a wake-up pipe written when
it should stop, with a timeout only while the key parser waits for the rest of a sequence. The
loop is Textual 8.2.8's ``LinuxDriver.run_input_thread`` with those two changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import select
import selectors
import signal
import threading
from codecs import getincrementaldecoder
from collections.abc import Callable
from io import TextIOWrapper
from typing import IO, Any, cast

from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

#: Longest wait, in seconds, of a write that no frame follows (a bell is not heard late).
GATHER_FOR = 0.03
#: How often the input thread looks again while a key sequence is half read (Textual's 0.1 s).
INPUT_TICK = 0.1
#: Longest wait, in seconds, for the writer thread to finish at exit (ours, not Textual's).
CLOSE_TIMEOUT = 1.0


class TerminalOutput:
    """A text file that never raises: after the first failed write or flush it drops everything.

    ``on_lost`` is called once, from the writing thread, when the file first fails.
    """

    def __init__(self, file: IO[str], on_lost: Callable[[], None]) -> None:
        self._file = file
        self._on_lost = on_lost
        self._lost = threading.Event()

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    def mark_lost(self) -> None:
        if self._lost.is_set():
            return
        self._lost.set()
        with contextlib.suppress(Exception):
            self._on_lost()

    def write(self, text: str) -> int:
        if not self._lost.is_set():
            try:
                self._file.write(text)
            except (OSError, ValueError):  # EIO/EPIPE from a closed pty; ValueError: closed file
                self.mark_lost()
        return len(text)

    def flush(self) -> None:
        if self._lost.is_set():
            return
        try:
            self._file.flush()
        except (OSError, ValueError):
            self.mark_lost()

    def fileno(self) -> int:
        return self._file.fileno()

    def isatty(self) -> bool:
        try:
            return self._file.isatty()
        except (OSError, ValueError):
            return False


class _WakingEvent(threading.Event):
    """Textual's input-stop event, which also wakes the input thread out of its wait (through
    a pipe it owns: ``read_end`` is what the input thread watches)."""

    def __init__(self) -> None:
        super().__init__()
        self.read_end, self._write_end = os.pipe()
        os.set_blocking(self.read_end, False)
        os.set_blocking(self._write_end, False)
        self._lock = threading.Lock()

    def set(self) -> None:
        super().set()
        with self._lock, contextlib.suppress(OSError):
            if self._write_end >= 0:
                os.write(self._write_end, b"x")

    def close(self) -> None:
        """Close the pipe (after this, ``set()`` only sets: a closed descriptor's number may
        already belong to another file)."""
        with self._lock:
            for fd in (self.read_end, self._write_end):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self.read_end = self._write_end = -1


class TrainerDriver(LinuxDriver):
    """:class:`LinuxDriver` whose exit never waits on a terminal that is gone."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        stream = cast(IO[str], self._file)  # sys.__stderr__: LinuxDriver's output
        self.output = TerminalOutput(stream, self._terminal_lost)
        # LinuxDriver builds its WriterThread on ``self._file`` in start_application_mode.
        self._file = cast(TextIOWrapper, self.output)
        self._suspended = False
        self._hangup_watch: threading.Thread | None = None
        self._pending: list[str] = []
        self._pending_lock = threading.Lock()
        self._send_soon = False
        self.exit_event: _WakingEvent = _WakingEvent()

    def write(self, data: str) -> None:
        """Gather ``data``; it is sent at the next ``flush()``, at most :data:`GATHER_FOR` on."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not the app's thread: no turn to wait for
            loop = None
        with self._pending_lock:
            self._pending.append(data)
            if loop is None or self._send_soon:
                schedule = False
            else:
                schedule = self._send_soon = True
        if loop is None:
            self.flush()
        elif schedule:
            loop.call_later(GATHER_FOR, self.flush)

    def flush(self) -> None:
        """Hand everything gathered to the writer thread, as one string."""
        with self._pending_lock:
            self._send_soon = False
            if not self._pending:
                return
            data = "".join(self._pending)
            self._pending.clear()
        super().write(data)

    @property
    def terminal_lost(self) -> bool:
        return self.output.lost

    def suspend_application_mode(self) -> None:
        super().suspend_application_mode()
        self._suspended = True

    def resume_application_mode(self) -> None:
        self._suspended = False
        super().resume_application_mode()

    def _sigcont_application(self, *args: Any) -> None:
        # LinuxDriver.__init__ registers this bound method as the SIGCONT handler.
        if self._suspended and not self.terminal_lost:
            super()._sigcont_application(*args)

    def start_application_mode(self) -> None:
        super().start_application_mode()
        if self._hangup_watch is None and self.input_tty:
            self._hangup_watch = threading.Thread(
                target=self._watch_for_hangup, name="trainer-hangup", daemon=True
            )
            self._hangup_watch.start()

    def _watch_for_hangup(self) -> None:
        """Sleep until the terminal hangs up (POLLHUP/POLLERR are reported whatever the mask)."""
        watch = select.poll()
        try:
            watch.register(self.fileno, 0)
        except (OSError, ValueError):
            return
        while not self.terminal_lost:
            try:
                events = watch.poll()
            except OSError:
                return
            if any(
                mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events
            ):
                self.output.mark_lost()
                return

    def run_input_thread(self) -> None:
        try:
            self._read_input()
        except OSError:  # EIO: the terminal was closed under us
            self.output.mark_lost()

    def _read_input(self) -> None:
        """Textual's input loop, asleep until input comes or it is told to stop."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        wake = self.exit_event.read_end
        selector.register(wake, selectors.EVENT_READ)
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode

        def process(events: list[tuple[selectors.SelectorKey, int]], final: bool = False) -> None:
            ready = [key.fd for key, mask in events if mask & selectors.EVENT_READ]
            if wake in ready:
                with contextlib.suppress(OSError):
                    os.read(wake, 512)
            if self.fileno in ready:
                raw = os.read(self.fileno, 4096)
                if not raw:  # end of input (stdin is not a terminal): stop watching it
                    selector.unregister(self.fileno)
                    return
                for event in parser.feed(decode(raw, final=final)):
                    self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                # A timeout only while a sequence is half read (a lone Escape waits for more).
                waiting = parser._timeout_time is not None
                process(selector.select(INPUT_TICK if waiting else None))
            if self.fileno in selector.get_map():
                selector.unregister(self.fileno)
            process(selector.select(INPUT_TICK), final=True)
        finally:
            selector.close()
            with contextlib.suppress(EOFError, ParseError):
                for _event in parser.feed(""):
                    pass

    def close(self) -> None:
        """Stop the writer thread: at most :data:`CLOSE_TIMEOUT`, whatever the terminal does."""
        thread = self._writer_thread
        if thread is None:
            return
        self.flush()
        # Textual's WriterThread.stop() is put(None) + join() with no timeout; the same, bounded.
        work: queue.Queue[str | None] = thread._queue
        with contextlib.suppress(queue.Full):
            work.put(None, timeout=CLOSE_TIMEOUT)
        thread.join(CLOSE_TIMEOUT)
        self.exit_event.close()

    def _terminal_lost(self) -> None:
        """Called once, from whichever thread found the terminal gone."""
        # ``_loop`` is the app's loop (Driver.__init__ runs in it).
        with contextlib.suppress(RuntimeError):  # the loop is already closed: we are leaving
            self._loop.call_soon_threadsafe(self._hang_up)

    def _hang_up(self) -> None:
        """In the app's loop: run the app's SIGHUP handling, or at least leave."""
        handler = signal.getsignal(signal.SIGHUP)
        if handler in (signal.SIG_DFL, signal.SIG_IGN, None):
            self._app.exit()
        else:
            signal.raise_signal(signal.SIGHUP)
