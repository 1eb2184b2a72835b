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
"""

from __future__ import annotations

import contextlib
import queue
import select
import signal
import threading
from collections.abc import Callable
from io import TextIOWrapper
from typing import IO, Any, cast

from textual.drivers.linux_driver import LinuxDriver

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
            super().run_input_thread()
        except OSError:  # EIO: the terminal was closed under us
            self.output.mark_lost()

    def close(self) -> None:
        """Stop the writer thread: at most :data:`CLOSE_TIMEOUT`, whatever the terminal does."""
        thread = self._writer_thread
        if thread is None:
            return
        # Textual's WriterThread.stop() is put(None) + join() with no timeout; the same, bounded.
        work: queue.Queue[str | None] = thread._queue
        with contextlib.suppress(queue.Full):
            work.put(None, timeout=CLOSE_TIMEOUT)
        thread.join(CLOSE_TIMEOUT)

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
