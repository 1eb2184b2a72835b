"""The voice: the machine's own speech engine, run as one process per phrase (no Textual).

Found once at start: ``espeak-ng``, ``espeak`` or ``spd-say`` on Linux, ``say`` on macOS, the
built-in System.Speech through PowerShell on Windows. Each phrase is its own process, started
with ``subprocess.Popen`` (standard input, output and error on the null device) and never waited
for: the countdown is computed from the clock and cannot be delayed by a slow engine. A new phrase
kills the one still speaking; finished processes are reaped at the next phrase.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from trainer.choices import DEFAULT_RATE, VoiceMode


class VoiceSettings(Protocol):
    """What the voice follows: :class:`~trainer.models.Settings`, or the routine list's cached
    copy of them (:class:`~trainer.catalog.CachedSettings`), read before pydantic is loaded."""

    @property
    def voice(self) -> VoiceMode: ...
    @property
    def voice_engine(self) -> str: ...
    @property
    def voice_rate(self) -> int: ...


#: Engines in the order they are preferred, per platform family.
_PREFERRED = {
    "darwin": ("say", "espeak-ng", "espeak"),
    "win32": ("powershell", "pwsh", "espeak-ng", "espeak"),
    "linux": ("espeak-ng", "espeak", "spd-say"),
}

#: PowerShell reads the text and the rate from the environment: nothing is quoted into code.
_POWERSHELL = (
    "Add-Type -AssemblyName System.Speech; "
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "$s.Rate = [int]$env:TRAINER_SAY_RATE; "
    "$s.Speak($env:TRAINER_SAY)"
)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def clean(text: str, limit: int = 600) -> str:
    """Text safe to hand to an engine: no control characters, no leading option dash."""
    return _CONTROL.sub(" ", text).strip().lstrip("-").strip()[:limit]


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


@dataclass(frozen=True, slots=True)
class Engine:
    #: "espeak-ng", "espeak", "spd-say", "say" or "powershell" (the settings' names).
    name: str
    #: The program found on PATH.
    path: str

    def command(self, text: str, rate: int = DEFAULT_RATE) -> tuple[list[str], dict[str, str]]:
        """The argument list that says ``text`` at ``rate`` words a minute, and extra
        environment variables. Each engine gets its own rate flag, on its own scale."""
        text = clean(text)
        match self.name:
            case "espeak-ng" | "espeak":
                return [self.path, "-s", str(rate), text], {}
            case "spd-say":
                # -100..100 around the daemon's default; --wait keeps the process for the phrase.
                spd_rate = _clamp((rate - DEFAULT_RATE) / 1.75, -100, 100)
                return [self.path, "--wait", "-r", str(spd_rate), text], {}
            case "say":
                return [self.path, "-r", str(rate), text], {}
            case _:
                # SpeechSynthesizer.Rate is -10..10 (0 is about 175 words a minute).
                sapi_rate = _clamp((rate - DEFAULT_RATE) / 20, -10, 10)
                env = {"TRAINER_SAY": text, "TRAINER_SAY_RATE": str(sapi_rate)}
                return [self.path, "-NoProfile", "-NonInteractive", "-Command", _POWERSHELL], env

    def render_command(self, text: str, wav: str, rate: int = DEFAULT_RATE) -> list[str] | None:
        """The command that writes ``text`` to a WAV file instead (espeak only), for tests."""
        if self.name not in ("espeak-ng", "espeak"):
            return None
        return [self.path, "-s", str(rate), "-w", wav, clean(text)]


def _family(platform: str) -> str:
    if platform.startswith("win"):
        return "win32"
    return "darwin" if platform == "darwin" else "linux"


def detect_engines(
    which: Callable[[str], str | None] = shutil.which, platform: str = sys.platform
) -> tuple[Engine, ...]:
    found: list[Engine] = []
    for program in _PREFERRED[_family(platform)]:
        path = which(program)
        name = "powershell" if program == "pwsh" else program
        if path and all(e.name != name for e in found):
            found.append(Engine(name, path))
    return tuple(found)


def install_hint(platform: str = sys.platform) -> str:
    """Which package gives this kind of machine a voice."""
    match _family(platform):
        case "darwin":
            return "macOS's 'say' command was not found"
        case "win32":
            return "PowerShell (which has System.Speech) was not found on PATH"
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
