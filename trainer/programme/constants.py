"""Values of the routines file's schema that code outside :mod:`trainer.programme.schema` needs
before
pydantic is loaded (the routine list's first frame: the voice, the plan's days).

:mod:`trainer.programme.schema` builds its fields from these and re-exports them; this module
imports
nothing, so the speech and plan code the list uses never pulls in pydantic.
"""

from __future__ import annotations

from enum import StrEnum

#: Days of the week as ``trainer remind --days`` and ``plan_days`` spell them, Monday first.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Voice rate, words a minute (espeak's scale).
MIN_RATE = 80
MAX_RATE = 400
DEFAULT_RATE = 175

#: ``theme``: pick what reads best in your room.
THEMES = ("dark", "light")


class BellMode(StrEnum):
    """Which changes ring the terminal bell (docs/sound-and-voice.md lists the patterns)."""

    ALL = "all"  # every cue worth a sound (fast moves inside a rep stay quiet)
    HOLDS = "holds"  # holds and rests only: hold, let go, rests, switch, next exercise, done
    OFF = "off"


#: Speech engines ``trainer`` knows how to run (``auto``: the first one found).
VOICE_ENGINES = ("auto", "espeak-ng", "espeak", "spd-say", "say")


class VoiceMode(StrEnum):
    #: On in a local session when a speech engine exists; off over SSH (it would speak there).
    AUTO = "auto"
    ON = "on"
    OFF = "off"
