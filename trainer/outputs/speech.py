"""The voice: the machine's own speech engine, run as a process (no Textual).

Found once at start: ``espeak-ng``, ``espeak`` or ``spd-say`` on Linux, ``say`` on macOS
(trainer runs on POSIX systems only). Nothing here ever waits for an engine: the countdown is
computed from the clock and cannot be delayed by a slow one.

* espeak-ng and espeak run as one long-lived process per voice (:class:`LineSpeaker`):
  given no text argument they read standard input and speak each line as it arrives, so a phrase
  costs only its synthesis, not the engine's start-up (loading its voice data), which is most of
  the CPU of a phrase said by a new process.
* The others run one process per phrase (:class:`ProcessSpeaker`), standard input, output and
  error on the null device. A new phrase kills the one still speaking; finished processes are
  reaped at the next phrase.

:func:`open_speaker` picks the right one for an engine.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from trainer.programme.constants import DEFAULT_RATE, VoiceMode


class VoiceSettings(Protocol):
    """What the voice follows: :class:`~trainer.programme.schema.Settings`, or the routine list's
    cached
    copy of them (:class:`~trainer.programme.catalog.CachedSettings`), read before pydantic is
    loaded."""

    @property
    def voice(self) -> VoiceMode: ...
    @property
    def voice_engine(self) -> str: ...
    @property
    def voice_rate(self) -> int: ...


#: Engines in the order they are preferred, per platform family.
_PREFERRED = {
    "darwin": ("say", "espeak-ng", "espeak"),
    "linux": ("espeak-ng", "espeak", "spd-say"),
}

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
#: espeak reads ``[[...]]`` as phoneme mnemonics (it is always given ``espeakPHONEMES``); a
#: space between the brackets makes them plain punctuation.
_PHONEMES = re.compile(r"\[(?=\[)")
#: espeak's line reader takes at most 999 bytes at once (``fgets`` into 1000 bytes).
LINE_BYTES = 999


def clean(text: str, limit: int = 600) -> str:
    """Text safe to hand to an engine: no control characters (so no newline either), no leading
    option dash."""
    return _CONTROL.sub(" ", text).strip().lstrip("-").strip()[:limit]


def _espeak_text(text: str) -> str:
    """:func:`clean` text that espeak says as words: no phoneme input (SSML is read only with
    ``-m``, never given), and short enough to be one line of its reader."""
    text = _PHONEMES.sub("[ ", clean(text))
    data = text.encode("utf-8")[: LINE_BYTES - 1]  # room for the newline
    return data.decode("utf-8", errors="ignore").strip()


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


@dataclass(frozen=True, slots=True)
class Engine:
    #: "espeak-ng", "espeak", "spd-say" or "say" (the settings' names).
    name: str
    #: The program found on PATH.
    path: str

    def command(self, text: str, rate: int = DEFAULT_RATE) -> tuple[list[str], dict[str, str]]:
        """The argument list that says ``text`` at ``rate`` words a minute, and extra
        environment variables. Each engine gets its own rate flag, on its own scale."""
        text = clean(text)
        match self.name:
            case "espeak-ng" | "espeak":
                return [self.path, "-s", str(rate), _espeak_text(text)], {}
            case "spd-say":
                # -100..100 around the daemon's default; --wait keeps the process for the phrase.
                spd_rate = _clamp((rate - DEFAULT_RATE) / 1.75, -100, 100)
                return [self.path, "--wait", "-r", str(spd_rate), text], {}
            case "say":
                return [self.path, "-r", str(rate), text], {}
        raise ValueError(f"no speech engine is called {self.name!r}")

    def render_command(self, text: str, wav: str, rate: int = DEFAULT_RATE) -> list[str] | None:
        """The command that writes ``text`` to a WAV file instead (espeak only), for tests."""
        if self.name not in ("espeak-ng", "espeak"):
            return None
        return [self.path, "-s", str(rate), "-w", wav, _espeak_text(text)]

    @property
    def reads_lines(self) -> bool:
        """The engine can stay running and speak each line written to its standard input."""
        return self.name in ("espeak-ng", "espeak")

    def line_command(self, rate: int = DEFAULT_RATE) -> list[str]:
        """The long-lived process of :meth:`reads_lines` engines: no text argument, no
        ``--stdin`` (that one reads to the end of input before speaking), no ``-m`` (SSML)."""
        return [self.path, "-s", str(rate)]

    def line(self, text: str) -> bytes:
        """``text`` as one line for :meth:`line_command`'s process (b"" if nothing to say)."""
        text = _espeak_text(text)
        return (text + "\n").encode("utf-8") if text else b""


def _family(platform: str) -> str:
    return "darwin" if platform == "darwin" else "linux"


def detect_engines(
    which: Callable[[str], str | None] = shutil.which, platform: str = sys.platform
) -> tuple[Engine, ...]:
    found: list[Engine] = []
    for program in _PREFERRED[_family(platform)]:
        path = which(program)
        if path and all(e.name != program for e in found):
            found.append(Engine(program, path))
    return tuple(found)


def install_hint(platform: str = sys.platform) -> str:
    """Which package gives this kind of machine a voice."""
    if _family(platform) == "darwin":
        return "macOS's 'say' command was not found"
    return "install espeak-ng (for example: sudo apt install espeak-ng)"


@dataclass(frozen=True, slots=True)
class VoiceChoice:
    #: The engine that speaks, or None: voice off.
    engine: Engine | None
    #: One line for the settings screen: what happens, and why.
    why: str

    @property
    def on(self) -> bool:
        return self.engine is not None


@dataclass(frozen=True, slots=True)
class SpeechContext:
    """What this machine offers, found once at start."""

    engines: tuple[Engine, ...]
    #: ``SSH_CONNECTION`` is set: a voice would speak on the server, not where the person is.
    over_ssh: bool = False
    platform: str = sys.platform

    @classmethod
    def detect(
        cls,
        env: Mapping[str, str] | None = None,
        which: Callable[[str], str | None] = shutil.which,
        platform: str = sys.platform,
    ) -> SpeechContext:
        env = os.environ if env is None else env
        return cls(
            engines=detect_engines(which, platform),
            over_ssh=bool(env.get("SSH_CONNECTION")),
            platform=platform,
        )

    def choose(self, settings: VoiceSettings) -> VoiceChoice:
        """Voice on or off for ``settings``, with the engine and the reason."""
        if not self.engines:
            return VoiceChoice(None, f"No speech engine found: {install_hint(self.platform)}.")
        wanted = settings.voice_engine
        engine = next((e for e in self.engines if e.name == wanted), self.engines[0])
        note = ""
        if wanted != "auto" and engine.name != wanted:
            note = f" ({wanted} not found)"
        if settings.voice is VoiceMode.OFF:
            return VoiceChoice(None, f"Voice off. Available: {self.names}.")
        if settings.voice is VoiceMode.AUTO and self.over_ssh:
            return VoiceChoice(
                None,
                "Voice off over SSH: it would speak on the server, not where you are. "
                "Choose On if the server has speakers you can hear.",
            )
        return VoiceChoice(
            engine, f"Voice on: {engine.name}, {settings.voice_rate} words a minute{note}."
        )

    @property
    def names(self) -> str:
        return ", ".join(e.name for e in self.engines)


class Speaker(Protocol):
    """Says phrases; each new one cuts the last. Never blocks."""

    def say(self, text: str) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...

    def poll(self) -> None:
        """Reap the process of a phrase that has ended (called at every tick; never waits)."""

    def take_problem(self) -> str | None: ...


class NullSpeaker:
    """Voice off."""

    def say(self, text: str) -> None:
        pass

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass

    def poll(self) -> None:
        pass

    def take_problem(self) -> str | None:
        return None


Popen = Callable[..., "subprocess.Popen[bytes]"]


class ProcessSpeaker:
    """One engine process per phrase; a new phrase kills the one still speaking."""

    def __init__(
        self, engine: Engine, rate: int = DEFAULT_RATE, *, popen: Popen | None = None
    ) -> None:
        self.engine = engine
        self.rate = rate
        self._popen: Popen = popen or subprocess.Popen
        self._current: subprocess.Popen[bytes] | None = None
        self._dying: list[subprocess.Popen[bytes]] = []
        self._problem: str | None = None
        self._reported = False

    def say(self, text: str) -> None:
        self.stop()
        args, extra = self.engine.command(text, self.rate)
        if not clean(text):
            return
        env = {**os.environ, **extra} if extra else None
        try:
            self._current = self._popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                close_fds=True,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except OSError as exc:
            self._report(f"Voice: could not run {self.engine.path}: {exc.strerror or exc}")

    def stop(self) -> None:
        current, self._current = self._current, None
        if current is not None and current.poll() is None:
            with contextlib.suppress(OSError):  # it ended in between
                current.kill()
            self._dying.append(current)
        # Reap what has ended (never wait: a process that has not died yet is kept for later).
        self._dying = [p for p in self._dying if p.poll() is None]

    def close(self) -> None:
        self.stop()

    def poll(self) -> None:
        if self._current is not None and self._current.poll() is not None:
            self._current = None
        self._dying = [p for p in self._dying if p.poll() is None]

    @property
    def speaking(self) -> bool:
        return self._current is not None and self._current.poll() is None

    def _report(self, message: str) -> None:
        if not self._reported:
            self._reported = True
            self._problem = message

    def take_problem(self) -> str | None:
        problem, self._problem = self._problem, None
        return problem


#: Times a :class:`LineSpeaker`'s engine may die on its own (crash, broken pipe, exit at start)
#: and be started again; after that the voice stays silent until the settings change (ours).
MAX_RESTARTS = 3

Estimate = Callable[[str, int], float]
Clock = Callable[[], float]


def _estimate(text: str, rate: int) -> float:
    from trainer.coaching.audible import estimate  # loaded with the coach, before the first phrase

    return estimate(text, rate)


class LineSpeaker:
    """One long-lived engine process that speaks each line written to its standard input.

    Started at the first phrase. The engine queues lines: a phrase written while another is still
    being said would be heard late, so then (known from the phrase's estimated length: the engine
    does not say when it is done) the process is killed and a new one says the new phrase, as
    :class:`ProcessSpeaker` does. The coach fits every phrase before the next one, so in a routine
    that happens only when speech is cut on purpose (:meth:`stop`: pause, hush).

    The pipe never blocks: a line is one atomic write of less than ``PIPE_BUF`` bytes to a
    non-blocking pipe, and an engine too stuck to take it is replaced. The process shares our
    process group (a terminal's hang-up reaches it too) and ends at the end of its input when
    we are gone, however we went; :meth:`close` kills and reaps it.
    """

    def __init__(
        self,
        engine: Engine,
        rate: int = DEFAULT_RATE,
        *,
        popen: Popen | None = None,
        clock: Clock = time.monotonic,
        estimate: Estimate = _estimate,
    ) -> None:
        self.engine = engine
        self.rate = rate
        self._popen: Popen = popen or subprocess.Popen
        self._clock = clock
        self._estimate = estimate
        self._process: subprocess.Popen[bytes] | None = None
        self._dying: list[subprocess.Popen[bytes]] = []
        #: When the last phrase written ends, by its estimate.
        self._busy_until = float("-inf")
        self.restarts = 0
        #: Processes started (for tests and benchmarks).
        self.started = 0
        self._problem: str | None = None
        self._reported = False

    # ------------------------------------------------------------------ the Speaker protocol

    def say(self, text: str) -> None:
        line = self.engine.line(text)
        now = self._clock()
        if now < self._busy_until:
            self._kill()  # a late phrase is wrong: cut the one still speaking
        if not line:
            return
        for _ in range(2):  # a broken or stuck engine is replaced once for this phrase
            process = self._running()
            if process is None or process.stdin is None:
                return
            try:
                written = os.write(process.stdin.fileno(), line)
            except BlockingIOError:  # its input is full: it takes no more
                written = 0
            except OSError as exc:  # EPIPE: it has ended, or closed its input
                self._ended(exc)
                continue
            if written == len(line):
                self._busy_until = now + self._estimate(line.decode("utf-8").strip(), self.rate)
                return
            self._kill()  # stuck (a line is written whole or not at all: < PIPE_BUF bytes)

    def stop(self) -> None:
        """Silence now, whatever is queued or in the sound device's buffer: kill the engine (the
        next phrase starts a new one)."""
        self._kill()
        self._reap()

    def close(self) -> None:
        """Kill the engine and reap it and every process killed before (at most a second)."""
        self._kill()
        for process in self._dying:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=1)
        self._reap()

    def poll(self) -> None:
        process = self._process
        if process is not None and process.poll() is not None:
            self._ended()
        self._reap()

    def take_problem(self) -> str | None:
        problem, self._problem = self._problem, None
        return problem

    @property
    def speaking(self) -> bool:
        """A phrase is being said (by its estimated length)."""
        return self.alive and self._clock() < self._busy_until

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    # ------------------------------------------------------------------ the process

    def _running(self) -> subprocess.Popen[bytes] | None:
        """The engine, started if it is not running (None if it cannot be, or may no more)."""
        process = self._process
        if process is not None and process.poll() is not None:
            self._ended()
        if self._process is not None:
            return self._process
        if self.restarts > MAX_RESTARTS:
            return None
        try:
            process = self._popen(
                self.engine.line_command(self.rate),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # without a sound device espeak complains per line
                bufsize=0,
                close_fds=True,
            )
        except OSError as exc:
            self.restarts += 1
            self._report(f"Voice: could not run {self.engine.path}: {exc.strerror or exc}")
            return None
        if process.stdin is not None:
            os.set_blocking(process.stdin.fileno(), False)
        self.started += 1
        self._process = process
        return process

    def _ended(self, error: OSError | None = None) -> None:
        """The engine ended (or broke its pipe) without being told to: count it against
        :data:`MAX_RESTARTS`."""
        code = self._process.poll() if self._process is not None else None
        self._kill()  # a broken pipe may come from an engine still running
        self.restarts += 1
        if code is not None or error is None:
            why = f"exit code {code}"
        else:
            why = error.strerror or str(error)
        self._report(
            f"Voice: {self.engine.name} stopped ({why}); it is started again at most "
            f"{MAX_RESTARTS} times, then the voice is off until its settings change."
        )

    def _kill(self) -> None:
        """Kill the engine (it is reaped later: see :meth:`_reap`)."""
        process, self._process = self._process, None
        self._busy_until = float("-inf")
        if process is not None:
            if process.poll() is None:
                with contextlib.suppress(OSError):  # it ended in between
                    process.kill()
            self._retire(process)

    def _retire(self, process: subprocess.Popen[bytes]) -> None:
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        self._dying.append(process)

    def _reap(self) -> None:
        """Forget what has ended (never waits: one not dead yet is kept for later)."""
        self._dying = [p for p in self._dying if p.poll() is None]

    def _report(self, message: str) -> None:
        if not self._reported:
            self._reported = True
            self._problem = message


def open_speaker(engine: Engine, rate: int = DEFAULT_RATE) -> Speaker:
    """The speaker for ``engine``: one long-lived process if it reads lines, else one a phrase."""
    if engine.reads_lines:
        return LineSpeaker(engine, rate)
    return ProcessSpeaker(engine, rate)
