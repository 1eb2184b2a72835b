"""Where the coach's cues go out: the speaker, the terminal's signals (bells, title, desktop
notification) and the ``on_event`` hook. The rules are :mod:`trainer.coaching.coach`'s and
:mod:`trainer.coaching.audible`'s; this hands each part of a
:class:`~trainer.coaching.coach.Signal` to its outlet and shows an outlet's first problem once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from trainer.outputs.hooks import HookRunner
from trainer.outputs.speech import (
    Engine,
    NullSpeaker,
    Speaker,
    SpeechContext,
    VoiceChoice,
    VoiceSettings,
    open_speaker,
)
from trainer.ui.bells import TerminalSignals

if TYPE_CHECKING:
    from trainer.coaching.coach import Signal  # the coach loads with the first session


class OutletSettings(VoiceSettings, Protocol):
    """The settings sounds follow (the models' or the list's cached copy)."""

    @property
    def on_event(self) -> str | None: ...


SpeakerFactory = Callable[[Engine, int], Speaker]
HookFactory = Callable[[str], HookRunner]


class CueOutlets:
    """The outlets of one app: configured from the settings, played at each coach signal."""

    def __init__(
        self,
        signals: TerminalSignals,
        context: SpeechContext,
        *,
        speaker_factory: SpeakerFactory = open_speaker,
        hook_factory: HookFactory = HookRunner,
    ) -> None:
        self.signals = signals
        self.context = context
        self.__speaker_factory = speaker_factory
        self.__hook_factory = hook_factory
        self.speaker: Speaker = NullSpeaker()
        self.hooks: HookRunner | None = None
        self.choice = VoiceChoice(None, "")
        self.__voice: tuple[Engine | None, int] = (None, 0)

    def configure(self, settings: OutletSettings) -> None:
        """Follow the settings: voice on or off, engine, rate, hook command."""
        self.choice = self.context.choose(settings)
        voice = (self.choice.engine, settings.voice_rate)
        if voice != self.__voice:
            self.speaker.close()
            engine = self.choice.engine
            if engine is None:
                self.speaker = NullSpeaker()
            else:
                self.speaker = self.__speaker_factory(engine, settings.voice_rate)
            self.__voice = voice
        command = settings.on_event
        if self.hooks is None or self.hooks.command != command:
            if self.hooks is not None:
                self.hooks.close()
            self.hooks = self.__hook_factory(command) if command else None

    def play(self, signal: Signal) -> None:
        self.speaker.poll()
        if signal.hush:
            self.speaker.stop()
        if signal.say:
            self.speaker.say(signal.say)
        if signal.bell_pattern is not None:
            self.signals.bell_pattern(signal.bell_pattern)
        if signal.notification is not None:
            self.signals.notify(*signal.notification)
        if self.hooks is not None:
            for event in signal.hook_events:
                self.hooks.run(event)
        self.__show_problems()

    def hush(self) -> None:
        self.speaker.stop()

    def close(self) -> None:
        self.speaker.close()
        if self.hooks is not None:
            self.hooks.close()

    def __show_problems(self) -> None:
        for outlet in (self.speaker, self.hooks):
            problem = outlet.take_problem() if outlet is not None else None
            if problem:
                self.signals.app.notify(problem, severity="warning", timeout=10)
