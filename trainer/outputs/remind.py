"""Reminders: the training plan (days and time) and an iCalendar file for it (pure, no I/O).

A terminal app cannot remind anyone once it is closed; a calendar can. ``trainer remind`` writes
an RFC 5545 file with one weekly recurring event (an RRULE on the planned days) and an alarm at
its start, which a person imports once into their phone or desktop calendar. The file is written
by hand here (it is a few lines; the tests parse it back with the ``icalendar`` library), so the
app needs no extra dependency for it.

The event's times are *floating* local times (no time zone): 07:30 stays 07:30 wherever the
person is, which is what a morning routine wants.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from trainer import __version__
from trainer.programme.constants import WEEKDAYS
from trainer.text import wording

if TYPE_CHECKING:
    from trainer.records.history.record import HistoryEntry


class Settings(Protocol):
    """The plan's settings: :class:`trainer.programme.schema.Settings`, or the routine list's
    cached copy
    (read before pydantic is loaded)."""

    @property
    def plan_days(self) -> Sequence[str] | None: ...
    @property
    def plan_at(self) -> str | None: ...


#: RFC 5545 BYDAY codes, in the order of :data:`trainer.programme.schema.WEEKDAYS`.
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: Lines longer than this many octets are folded (RFC 5545, 3.1).
FOLD = 75


def parse_days(text: str) -> list[str]:
    """``"mon,wed,fri"`` -> ``["mon", "wed", "fri"]`` (Monday first); ``ValueError`` naming
    the bad day and the good ones."""
    days = [d.strip().lower() for d in text.split(",") if d.strip()]
    if not days:
        raise ValueError(f"give at least one day, e.g. mon,wed,fri (days: {','.join(WEEKDAYS)})")
    for day in days:
        if day not in WEEKDAYS:
            raise ValueError(f"{day!r} is not a day; use {','.join(WEEKDAYS)}")
    if len(set(days)) != len(days):
        raise ValueError("a day is listed twice")
    return sorted(days, key=WEEKDAYS.index)


def parse_at(text: str) -> str:
    """``"7:30"`` or ``"07:30"`` -> ``"07:30"``; ``ValueError`` otherwise."""
    # ASCII digits only: str.isdigit() and int() also take "²" (int() then fails with its own
    # message) and "١٢" (Arabic-Indic twelve), which no HH:MM in a calendar file should hold.
    found = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", text.strip())
    if found is None:
        raise ValueError(f"{text!r} is not a time; use HH:MM, e.g. 07:30")
    h, m = int(found[1]), int(found[2])
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise ValueError(f"{text!r} is not a time of day; use 00:00 to 23:59")
    return f"{h:02d}:{m:02d}"


def _at(settings: Settings) -> time:
    h, m = (settings.plan_at or "00:00").split(":")
    return time(int(h), int(m))


def next_planned(settings: Settings, now: datetime) -> datetime | None:
    """The next planned start after ``now`` (a naive or aware local time), or None."""
    if not settings.plan_days:
        return None
    at = _at(settings)
    for ahead in range(8):
        day = now.date() + timedelta(days=ahead)
        start = datetime.combine(day, at, tzinfo=now.tzinfo)
        if WEEKDAYS[day.weekday()] in settings.plan_days and start > now:
            return start
    return None  # pragma: no cover - a plan has at least one day


def last_planned_day(settings: Settings, today: date) -> date | None:
    """The latest planned day before ``today``, or None without a plan."""
    if not settings.plan_days:
        return None
    for back in range(1, 8):
        day = today - timedelta(days=back)
        if WEEKDAYS[day.weekday()] in settings.plan_days:
            return day
    return None  # pragma: no cover


def missed(settings: Settings, entries: Iterable[HistoryEntry], today: date) -> date | None:
    """The last planned day before today, if no session that counts was done on it."""
    from trainer.records.history.record import (
        is_counted,  # entries were read: the history is loaded
    )

    day = last_planned_day(settings, today)
    if day is None:
        return None
    done = {e.day for e in entries if is_counted(e)}
    return None if day in done else day


def plan_line(settings: Settings, entries: Iterable[HistoryEntry] | None, now: datetime) -> str:
    """What the routine list says about the plan: the next day, and a missed one."""
    nxt = next_planned(settings, now)
    if nxt is None:
        return ""
    if nxt.date() == now.date():
        when = f"today {nxt:%H:%M}"
    elif nxt.date() == now.date() + timedelta(days=1):
        when = f"tomorrow {nxt:%H:%M}"
    else:
        when = f"{nxt:%A %H:%M}"
    line = f"Next planned: {when}"
    if entries is not None:
        gone = missed(settings, entries, now.date())
        if gone is not None:
            line += f"; missed {gone:%A %d %b}"
    return line


# --------------------------------------------------------------------------- iCalendar


def escape_text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped; other
    control characters dropped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return "".join(ch for ch in value if ch == "\t" or (ord(ch) >= 32 and ord(ch) != 127))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        limit = FOLD if not out else FOLD - 1  # continuation lines start with a space
        if size + n > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


@dataclass(frozen=True, slots=True)
class Reminder:
    routine_id: str
    routine_name: str
    #: Seconds the routine takes (without pauses).
    seconds: int
    exercises: Sequence[str]
    days: Sequence[str]
    at: str


def first_start(days: Sequence[str], at: str, today: date) -> datetime:
    """The first planned day from ``today`` on (today included), at ``at``: DTSTART."""
    h, m = (int(x) for x in at.split(":"))
    for ahead in range(7):
        day = today + timedelta(days=ahead)
        if WEEKDAYS[day.weekday()] in days:
            return datetime.combine(day, time(h, m))
    raise ValueError("no planned day")


def calendar(reminder: Reminder, *, today: date, stamp: datetime) -> str:
    """The iCalendar file: one weekly event on the planned days, with an alarm at its start."""
    start = first_start(reminder.days, reminder.at, today)
    # As long as its title says ("about 23 min": 23 minutes), by the same rounding.
    if reminder.seconds < 60:
        event_length = f"PT{max(1, math.ceil(reminder.seconds))}S"
    else:
        event_length = f"PT{wording.estimate_minutes(reminder.seconds)}M"
    byday = ",".join(ICAL_DAYS[WEEKDAYS.index(d)] for d in reminder.days)
    length = wording.estimate(reminder.seconds)
    description = (
        f"{reminder.routine_name}, about {length}: {', '.join(reminder.exercises)}.\n"
        f"Start it with: trainer --start {reminder.routine_id}\n"
        f"After a session the day before, trainer first asks: {wording.MORNING_QUESTION} "
        "(better, same or worse, and 0-10; one key skips it)"
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//trainer//trainer {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{escape_text(reminder.routine_id)}-reminder@trainer.invalid",
        f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{start:%Y%m%dT%H%M%S}",
        f"DURATION:{event_length}",
        f"RRULE:FREQ=WEEKLY;BYDAY={byday}",
        f"SUMMARY:{escape_text(f'Back exercises: {reminder.routine_name} ({length})')}",
        f"DESCRIPTION:{escape_text(description)}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(f'Time for {reminder.routine_name} ({length})')}",
        "TRIGGER:PT0M",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
