"""Textual's Linux driver, made safe for a terminal that goes away and for a stopped process.

- Writes to a terminal that is gone are dropped, never raised in Textual's writer thread, so
  the app exits on a closed terminal instead of hanging (``docs/textual-writer-thread-hang.md``);
  the exit waits at most :data:`CLOSE_TIMEOUT` for the writer.
- A terminal found gone (a failed write, EIO or a hang-up on the input side) delivers the
  hang-up the app may not have been sent: SIGHUP if the app listens for it, else ``exit()``.
- After any SIGCONT (``fg`` after Ctrl+Z, ``kill -STOP``/``kill -CONT``) application mode is
  started again (raw mode, alternate screen, mouse) and the app is told to repaint; a continue
  while another process group holds the terminal stops again until ``fg``.
- Writes are gathered and sent once per frame: written at once when the terminal can take them
  without waiting and nothing is queued before them (the steady frames of a session: no thread
  to wake), else handed to Textual's writer thread, so a slow terminal never stalls the app.

Upstream patches for the first and third points: ``docs/upstream/``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import termios
import threading
from collections.abc import Callable
from typing import IO, Any, cast

from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from trainer.ui.textual_private import set_writer_file, writer_file

#: Longest wait, in seconds, of a write that no frame follows (a bell is not heard late).
GATHER_FOR = 0.03
#: Longest wait, in seconds, for the writer thread to finish at exit.
CLOSE_TIMEOUT = 1.0
#: Largest batch written from the app's own thread (a whole 80x24 frame is about 4 KB; a pty
#: that polls writable has at least this much room, so such a write never waits).
WRITE_NOW_MAX = 8192


class TerminalOutput:
    """A text file that never raises: after the first failed write or flush it drops everything.

    ``on_lost`` is called once, from the writing thread, when the file first fails.
    """

    def __init__(self, file: IO[str], on_lost: Callable[[], None]) -> None:
        self.file = file
        self.on_lost = on_lost
        self.gone = threading.Event()
        #: One writer at a time: the writer thread, or the app writing at once.
        self.lock = threading.RLock()
        #: Guards the two counts only (never held during a write, so never waited on long).
        self.count_lock = threading.Lock()
        #: Batches handed to the writer thread, and those it has written (each is one
        #: ``write`` call of the thread): equal when nothing is waiting in its queue.
        self.handed = 0
        self.written = 0
        self.poll: select.poll | None = None

    @property
    def lost(self) -> bool:
        return self.gone.is_set()

    def mark_lost(self) -> None:
        if self.gone.is_set():
            return
        self.gone.set()
        with contextlib.suppress(Exception):
            self.on_lost()

    def write(self, text: str) -> int:
        """The writer thread's write: one batch handed to it."""
        with self.lock:
            self.put(text)
            with self.count_lock:
                self.written += 1
        return len(text)

    def put(self, text: str) -> None:
        if not self.gone.is_set():
            try:
                self.file.write(text)
            except (OSError, ValueError):  # EIO/EPIPE from a closed pty; ValueError: closed file
                self.mark_lost()

    def flush(self) -> None:
        with self.lock:
            if self.gone.is_set():
                return
            try:
                self.file.flush()
            except (OSError, ValueError):
                self.mark_lost()

    def hand_over(self) -> None:
        """Count a batch given to the writer thread (before it is queued)."""
        with self.count_lock:
            self.handed += 1

    def write_now(self, text: str) -> bool:
        """Write and flush ``text`` from the calling thread, if nothing handed to the writer
        thread is still unwritten (the order is kept) and the terminal can take it without
        waiting. False: hand it to the writer thread instead."""
        if len(text) > WRITE_NOW_MAX or not self.lock.acquire(blocking=False):
            return False  # the writer thread is writing (maybe stuck): never wait for it
        try:
            with self.count_lock:
                if self.handed != self.written:
                    return False
            if not self.gone.is_set() and not self.writable():
                return False
            self.put(text)
            self.flush()
            return True
        finally:
            self.lock.release()

    def writable(self) -> bool:
        """True if a write would not wait (a pty that polls writable has room to spare)."""
        try:
            if self.poll is None:  # registered once: this runs for every frame
                self.poll = select.poll()
                self.poll.register(self.file.fileno(), select.POLLOUT)
            events = self.poll.poll(0)
        except (OSError, ValueError):  # closed: the write will find out and mark it lost
            return True
        return any(mask & select.POLLOUT for _fd, mask in events) or any(
            mask & (select.POLLHUP | select.POLLERR) for _fd, mask in events
        )

    def fileno(self) -> int:
        return self.file.fileno()

    def isatty(self) -> bool:
        try:
            return self.file.isatty()
        except (OSError, ValueError):
            return False


class TrainerDriver(LinuxDriver):
    """:class:`LinuxDriver` whose exit never waits on a terminal that is gone, and which comes
    back whole after any stop."""

    def __init__(self, app: App[Any], **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.app = app
        self.loop = asyncio.get_running_loop()
        self.output = TerminalOutput(writer_file(self), self.terminal_gone)
        set_writer_file(self, cast(IO[str], self.output))
        self.suspended = False
        self.hangup_watch: threading.Thread | None = None
        self.pending: list[str] = []
        self.pending_lock = threading.Lock()
        #: The flush scheduled by the first write of a batch (cancelled if a frame's flush
        #: comes first: a timer left to fire for nothing is a wakeup per frame).
        self.send_soon: asyncio.TimerHandle | None = None
        # Replaces LinuxDriver's SIGCONT handler; runs in the app's loop, not mid-frame.
        with contextlib.suppress(RuntimeError, ValueError):  # not the main thread: no signals
            self.loop.add_signal_handler(signal.SIGCONT, self.continued)

    # ------------------------------------------------------------------ writing

    def write(self, data: str) -> None:
        """Gather ``data``; it is sent at the next ``flush()``, at most :data:`GATHER_FOR` on."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not the app's thread: no turn to wait for
            loop = None
        with self.pending_lock:
            self.pending.append(data)
            if loop is not None and self.send_soon is None:
                self.send_soon = loop.call_later(GATHER_FOR, self.flush)
        if loop is None:
            self.flush()

    def flush(self) -> None:
        """Hand everything gathered to the writer thread, as one string (nothing while
        suspended or once the terminal is gone: no writer drains the queue then)."""
        with self.pending_lock:
            if self.send_soon is not None and self.in_loop_thread():
                self.send_soon.cancel()  # a handle is only cancelled from its loop's thread
                self.send_soon = None
            if not self.pending:
                return
            data = "".join(self.pending)
            self.pending.clear()
        if self.suspended or self.terminal_lost:
            return
        if not self.output.write_now(data):
            self.output.hand_over()
            super().write(data)

    def in_loop_thread(self) -> bool:
        try:
            return asyncio.get_running_loop() is self.loop
        except RuntimeError:
            return False

    @property
    def terminal_lost(self) -> bool:
        return self.output.lost

    # ------------------------------------------------------------------ stop and continue

    def suspend_application_mode(self) -> None:
        self.flush()
        super().suspend_application_mode()
        self.suspended = True

    def resume_application_mode(self) -> None:
        self.suspended = False
        super().resume_application_mode()

    def continued(self) -> None:
        """SIGCONT, in the app's loop: after Ctrl+Z and ``fg``, or a ``kill -STOP`` this driver
        never saw (a shell with job control then took the terminal and left it in line mode,
        its own text on the screen). Start application mode again and repaint."""
        if self.terminal_lost:
            return  # the SIGCONT that comes with a hang-up
        if not self.in_foreground():
            # ``kill -CONT`` while the shell holds the terminal: wait, stopped, for ``fg``.
            os.kill(os.getpid(), signal.SIGSTOP)
            return
        if self.input_tty:
            try:
                termios.tcgetattr(self.fileno)
            except termios.error:  # EIO: it hung up while we were stopped
                self.output.mark_lost()
                return
        if not self.suspended:
            self.suspend_application_mode()
        self.resume_application_mode()
        self.app.post_message(Driver.SignalResume())

    def in_foreground(self) -> bool:
        """True unless the terminal belongs to another process group (a shell's prompt)."""
        try:
            return os.tcgetpgrp(self.fileno) == os.getpgrp()
        except OSError:  # not a terminal, or not ours (setsid): nobody else is drawing on it
            return True

    # ------------------------------------------------------------------ the terminal going away

    def start_application_mode(self) -> None:
        super().start_application_mode()
        if self.hangup_watch is None and self.input_tty:
            self.hangup_watch = threading.Thread(
                target=self.watch_for_hangup, name="trainer-hangup", daemon=True
            )
            self.hangup_watch.start()

    def watch_for_hangup(self) -> None:
        """Sleep until the terminal hangs up (POLLHUP/POLLERR are reported whatever the mask):
        an idle screen writes nothing, so a terminal gone with no SIGHUP (a process outside
        the terminal's foreground group) would go unnoticed until the next write."""
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
        """Stop the writer thread: at most :data:`CLOSE_TIMEOUT`, whatever the terminal does
        (Textual's ``close()`` waits for ever on a terminal that never reads)."""
        self.flush()
        closing = threading.Thread(target=super().close, name="trainer-close", daemon=True)
        closing.start()
        closing.join(CLOSE_TIMEOUT)

    def terminal_gone(self) -> None:
        """Called once, from whichever thread found the terminal gone."""
        with contextlib.suppress(RuntimeError):  # the loop is already closed: we are leaving
            self.loop.call_soon_threadsafe(self.hang_up)

    def hang_up(self) -> None:
        """In the app's loop: run the app's SIGHUP handling, or at least leave."""
        handler = signal.getsignal(signal.SIGHUP)
        if handler in (signal.SIG_DFL, signal.SIG_IGN, None):
            self.app.exit()
        else:
            signal.raise_signal(signal.SIGHUP)
