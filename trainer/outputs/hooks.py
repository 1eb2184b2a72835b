"""``[settings] on_event``: the person's own command, run for every cue event (no Textual).

Each event is one JSON object on the command's standard input (one line). Commands run one at a
time, in order, on a worker thread, never on the UI's: a slow command delays only the next
event's command, never the session. Each gets :data:`TIMEOUT` seconds, then it is killed (with
the processes it started). The first failure (cannot start, non-zero exit, timeout, too many
waiting) is reported once through :meth:`HookRunner.take_problem`; the session goes on.

The command is the user's own, from their routines file, run through the shell with their
rights (as a shell alias would be).
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
        #: Commands run so far (finished, failed or killed).
        self.runs = 0

    def run(self, event: Mapping[str, object]) -> None:
        """Queue ``event`` for the command (returns at once)."""
        item = {**event, "time": self._now()}
        with self._lock:
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
            self._thread = threading.Thread(target=self._work, name="on_event", daemon=True)
            self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Wait until every queued event's command has ended (for tests and a clean exit)."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        """No more events; the worker ends after the queued ones (it never holds the exit)."""
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(None)

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
                self.command,
                shell=True,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as exc:
            self._report(f"on_event: could not run {self.command!r}: {exc.strerror or exc}")
            return
        try:
            proc.communicate(data, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            self._report(
                f"on_event: {self.command!r} took more than {self.timeout:g} s and was stopped"
            )
            return
        if proc.returncode != 0:
            self._report(f"on_event: {self.command!r} failed (exit status {proc.returncode})")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the command and whatever it started (its own session), then reap it."""
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=1.0)
