"""``[settings] on_event``: the person's own command, run for every cue event (no Textual).

Each event is one JSON object on the command's standard input (one line). Commands run one at a
time, in order, on a worker thread, never on the UI's: a slow command delays only the next
event's command, never the session. Each gets :data:`TIMEOUT` seconds, then it is killed (with
the processes it started). The first failure (cannot start, non-zero exit, timeout, too many
waiting) is reported once through :meth:`HookRunner.take_problem`; the session goes on.

The command is the user's own, from their routines file, run through the shell with their
rights (as a shell alias would be).

No command outlives trainer. Each runs in its own session (so its process group holds it and
whatever it started); :meth:`HookRunner.close` (every way out of the app: q, the window closed,
SIGHUP, SIGTERM, an error) kills that group and drops the events still waiting. For the ways
out where no code of ours runs (``kill -9``, a crash of the interpreter), a watchdog holds the
group's number: a tiny ``sh`` in a session of its own that reads it from a pipe only we write
to, and kills the group when the pipe ends, which the kernel does when trainer ends, however it
ends. (``PR_SET_PDEATHSIG`` was not used: it would reach only the shell, not what it started,
it fires when the *thread* that started the command ends, and it needs ``preexec_fn``, which
is unsafe in a program with threads.)
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping
from datetime import datetime

#: Seconds a command may take before it is killed.
TIMEOUT = 5.0
#: Events waiting for a slow command beyond this many are dropped (and reported).
BACKLOG = 32


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class HookRunner:
    def __init__(
        self,
        command: str,
        *,
        timeout: float = TIMEOUT,
        now: Callable[[], str] = _now,
        backlog: int = BACKLOG,
    ) -> None:
        self.command = command
        self.timeout = timeout
        self._now = now
        self._queue: queue.Queue[dict[str, object] | None] = queue.Queue(maxsize=backlog)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._problem: str | None = None
        self._reported = False
        self._idle = threading.Event()
        self._idle.set()
        self._waiting = 0
        #: The command running now, and whether :meth:`close` was called.
        self._current: subprocess.Popen[bytes] | None = None
        self._closed = False
        self._watchdog: _Watchdog | None = None
        #: Commands run so far (finished, failed or killed).
        self.runs = 0

    def run(self, event: Mapping[str, object]) -> None:
        """Queue ``event`` for the command (returns at once; nothing once closed)."""
        item = {**event, "time": self._now()}
        with self._lock:
            if self._closed:
                return
            self._waiting += 1
            self._idle.clear()
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            self._done()
            self._report(
                f"on_event: the command is too slow, {self._queue.maxsize} events wait; "
                "later ones are dropped"
            )
            return
        if self._thread is None:
            self._watchdog = _Watchdog.start()  # ready before the first command starts
            self._thread = threading.Thread(target=self._work, name="on_event", daemon=True)
            self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Wait until every queued event's command has ended (for tests and a clean exit)."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        """No more events: the ones waiting are dropped, the command running now is killed
        with everything it started, and the worker ends. Returns at once; safe to call twice."""
        with self._lock:
            self._closed = True
            current = self._current
            watchdog, self._watchdog = self._watchdog, None
        if current is not None:
            _kill(current, wait=0.0)
        if watchdog is not None:
            watchdog.close()
        while True:  # drop what waits, so the worker sees the end at once
            try:
                if self._queue.get_nowait() is not None:
                    self._done()
            except queue.Empty:
                break
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)

    @property
    def running_pid(self) -> int | None:
        """The process id (and process group id) of the command running now, if any."""
        current = self._current
        return current.pid if current is not None and current.poll() is None else None

    def take_problem(self) -> str | None:
        with self._lock:
            problem, self._problem = self._problem, None
        return problem

    # ------------------------------------------------------------------ the worker

    def _report(self, message: str) -> None:
        with self._lock:
            if not self._reported:
                self._reported = True
                self._problem = message

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._closed:  # taken before close() could drop it
                self._done()
                return
            try:
                self._run_one(item)
            finally:
                self.runs += 1
                self._done()

    def _done(self) -> None:
        with self._lock:
            self._waiting -= 1
            if self._waiting == 0:
                self._idle.set()

    def _run_one(self, item: dict[str, object]) -> None:
        data = (json.dumps(item, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            proc = subprocess.Popen(
                ["/bin/sh", "-c", GATE, "sh", self.command],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            self._report(f"on_event: could not run {self.command!r}: {exc.strerror or exc}")
            return
        with self._lock:
            closed = self._closed
            self._current = proc
            if self._watchdog is not None and not closed:
                self._watchdog.watch(proc.pid)
        try:
            if closed:  # closed while it started: it never runs on
                _kill(proc)
                return
            proc.communicate(b"\n" + data, timeout=self.timeout)  # the gate opens first
        except subprocess.TimeoutExpired:
            _kill(proc)
            self._report(
                f"on_event: {self.command!r} took more than {self.timeout:g} s and was stopped"
            )
            return
        except OSError:  # its input closed early (it ended, or was killed by close)
            _kill(proc)
            return
        finally:
            with self._lock:
                self._current = None
                if self._watchdog is not None:
                    self._watchdog.watch(0)
        if self._closed:
            return
        if proc.returncode != 0:
            self._report(f"on_event: {self.command!r} failed (exit status {proc.returncode})")


def _kill(proc: subprocess.Popen[bytes], wait: float = 1.0) -> None:
    """Kill the command and whatever it started (its own session), then reap it (waiting at
    most ``wait`` seconds: the worker reaps it otherwise)."""
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    if wait > 0:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait)


#: Each command waits behind this gate until the watchdog holds its group's number (then a
#: newline comes, before the event's line): trainer killed in between leaves the gate closed
#: (its input ends) and the command never starts.
GATE = 'IFS= read -r _ || exit 0; exec /bin/sh -c "$1"'

#: The watchdog: remembers the last process group number it read (0: none) and kills that
#: group when its input ends (trainer is gone). It ignores the signals a closing terminal or
#: a Ctrl+C sends, and lives in a session of its own, so they never reach it anyway.
WATCHDOG_SCRIPT = (
    "trap '' HUP INT QUIT TERM TSTP TTIN TTOU; g=0; "
    'while IFS= read -r line; do g="$line"; done; '
    'case "$g" in ""|0|*[!0-9]*) ;; *) kill -KILL "-$g" 2>/dev/null;; esac'
)


class _Watchdog:
    """The ``sh`` that kills the running command's group if trainer ends without
    :meth:`HookRunner.close` (``kill -9``). One per runner, started with the first command."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process

    @classmethod
    def start(cls) -> _Watchdog | None:
        try:
            process = subprocess.Popen(
                ["/bin/sh", "-c", WATCHDOG_SCRIPT],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                close_fds=True,
            )
        except OSError:
            return None  # best effort: close() still kills the command on every other way out
        return cls(process)

    def watch(self, pgid: int) -> None:
        """The group to kill if trainer ends now (0: none)."""
        stdin = self.process.stdin
        if stdin is None:
            return
        with contextlib.suppress(OSError, ValueError):
            stdin.write(f"{pgid}\n".encode())
            stdin.flush()

    def close(self) -> None:
        """End the watchdog (the group it holds is killed: close() killed it already)."""
        self.watch(0)
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=1.0)
