"""The words people read: text helpers and phrases shared by the CLI, the lifecycle and the UI
(pure, no Textual). The engine returns structured data; its sentences are made here."""

from __future__ import annotations

import math
import os

#: The session's keys, as the safety advice and ``trainer --help`` list them.
SESSION_KEYS = (
    "space pause/resume, n next step, b back one step, + and - a longer or shorter rest, "
    "s stop (it asks first), x stop at once if it hurts, Escape back to the list (paused), "
    "q quit (the position is kept)"
)

#: The next-morning question (trainer.coaching.morning asks it; the reminder repeats it).
MORNING_QUESTION = "How is your back this morning compared with before yesterday's session?"

#: The most characters of a name put inside a sentence or a table cell (:func:`clip`): the
#: sentence's own words stay in sight however long the name (the routines file allows 400).
NAME_ROOM = 32


def clip(name: str, room: int = NAME_ROOM) -> str:
    """``name`` if it has at most ``room`` characters, else its start and an ellipsis, ``room``
    characters in all, cut at a space when one is near (``"Bridges Bridges…"``)."""
    if len(name) <= room:
        return name
    cut = name[: room - 1]
    space = cut.rfind(" ")
    if space >= room // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def duration(seconds: float) -> str:
    """``2332`` -> ``"38 min 52 s"``; ``45`` -> ``"45 s"``; ``3600`` -> ``"1 h 0 min"``."""
    total = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def clock(seconds: float) -> str:
    """A countdown as shown: ``75`` -> ``"1:15"``, ``9`` -> ``"9"``, rounded up."""
    total = max(0, math.ceil(seconds - 1e-9))
    minutes, secs = divmod(total, 60)
    return f"{minutes}:{secs:02d}" if minutes else str(secs)


def ago(seconds: float) -> str:
    """How long ago, for people: ``"just now"``, ``"5 minutes ago"``, ``"2 days ago"``."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"  # pragma: no cover


def estimate_minutes(seconds: float) -> int:
    """Whole minutes of a length of a minute or more, half a minute up: the one rounding rule
    of every "about N min" (the list, ``trainer check``, a calendar event's title and length)."""
    return max(1, math.floor(seconds / 60 + 0.5))


def estimate(seconds: float) -> str:
    """A routine's length for a list: ``2332`` -> ``"39 min"``; under a minute, seconds."""
    if seconds < 60:
        return duration(seconds)
    minutes = estimate_minutes(seconds)
    if minutes >= 90:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes} min"


def count(n: int, word: str) -> str:
    """``count(1, "exercise")`` -> ``"1 exercise"``; with 3, ``"3 exercises"``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- restoring a session


_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spoken_number(n: int) -> str:
    """A whole number as a speech engine should say it: ``15`` -> ``"fifteen"``,
    ``42`` -> ``"forty-two"``, ``600`` -> ``"six hundred"`` (digits from 1000 on)."""
    if n < 0 or n >= 1000:
        return str(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_ONES[hundreds]} hundred" + (f" and {spoken_number(rest)}" if rest else "")


def spoken_duration(seconds: float) -> str:
    """``60`` -> ``"one minute"``, ``90`` -> ``"one minute thirty"``, ``10`` -> ``"ten
    seconds"``, ``1`` -> ``"one second"``: a length as a coach says it."""
    total = max(0, math.ceil(seconds - 1e-9))
    minutes, secs = divmod(total, 60)
    if not minutes:
        return f"{spoken_number(secs)} second{'' if secs == 1 else 's'}"
    text = f"{spoken_number(minutes)} minute{'' if minutes == 1 else 's'}"
    return f"{text} {spoken_number(secs)}" if secs else text


def home_path(path: str | os.PathLike[str]) -> str:
    """A path to show a person: under their home folder as ``~/...`` (shorter, and the same
    on every machine they use)."""
    home = os.path.expanduser("~")
    text = os.fspath(path)
    if home not in ("", "~", "/") and (text == home or text.startswith(home.rstrip("/") + "/")):
        return "~" + text[len(home.rstrip("/")) :]
    return text
