"""The next-morning check: when to ask about the last session, and what (pure, no I/O, no Textual).

The pain-monitoring model (Silbernagel et al. 2007, from Thomee 1997) weighs the response the
next morning most: pain during exercise up to about 5/10 is acceptable if it has settled by the
next morning; if the back is worse the next day, the load is reduced. So at the first launch on
a later calendar day after a session, trainer asks once how the back is compared with before
that session (better / same / worse, and 0-10). The numbers are ours (docs/adapting-the-dose.md):

- :data:`MIN_HOURS_AFTER`: the question is about the morning *after*, so at least this long
  after the session ended (a night's sleep), whatever the calendar says: a session that ended
  at 00:20 is asked about the next morning, not at 00:30 the same night; nor right after a
  flight east that moved the date on.
- :data:`MAX_DAYS_AFTER`: not when the session ended longer ago than this. After three days the
  answer no longer says how that session was taken (a three-a-week plan has the next session
  by then, and "before the session" is hard to recall); the rules treat it as unknown.

"A later calendar day" is the date of the session's start *as it was recorded* (the local time
and offset of that moment) against today's date in the current time zone: a person who flew
after the session is asked on their new morning, not on the old zone's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from trainer.records.history.record import (
    Compared,
    DoseChange,
    HistoryEntry,
    MorningCheck,
    is_counted,
)
from trainer.text import wording

#: Hours after a session's end before the next-morning question may be asked.
MIN_HOURS_AFTER = 6
#: Days after a session's end after which it is no longer asked about.
MAX_DAYS_AFTER = 3

QUESTION = wording.MORNING_QUESTION

Record = HistoryEntry | DoseChange | MorningCheck


@dataclass(frozen=True, slots=True)
class Answer:
    """What the person answered: better / same / worse, and this morning's pain 0-10 (either
    may be left out)."""

    compared: Compared | None
    score: int | None = None


def last_session(records: Iterable[Record]) -> HistoryEntry | None:
    """The latest session that counts (an app opened and closed without a rep is not one)."""
    sessions = [r for r in records if isinstance(r, HistoryEntry) and is_counted(r)]
    return max(sessions, key=lambda e: e.started_at, default=None)


def answer_for(records: Iterable[Record], entry: HistoryEntry) -> MorningCheck | None:
    """The next-morning line about ``entry`` (answered or skipped), if there is one."""
    return next(
        (
            r
            for r in records
            if isinstance(r, MorningCheck) and r.session_started_at == entry.started_at
        ),
        None,
    )


def due(records: Iterable[Record], now: datetime) -> HistoryEntry | None:
    """The session to ask about now, or None: the last session, when today (local) is a later
    date than its start, it ended :data:`MIN_HOURS_AFTER` hours or more and at most
    :data:`MAX_DAYS_AFTER` days ago, and it was never asked about (answered or skipped)."""
    records = list(records)
    entry = last_session(records)
    if entry is None:
        return None
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    since = now - entry.ended_at
    if since < timedelta(hours=MIN_HOURS_AFTER) or since > timedelta(days=MAX_DAYS_AFTER):
        return None
    if now.astimezone().date() <= entry.started_at.date():
        return None
    if answer_for(records, entry) is not None:
        return None
    return entry


def question(entry: HistoryEntry, now: datetime) -> str:
    """The question, naming the session's day: "yesterday's session" the day after, else the
    weekday ("Tuesday's session")."""
    days = (now.astimezone().date() - entry.started_at.date()).days
    if days == 1:
        return QUESTION
    return QUESTION.replace("yesterday's", f"{entry.started_at:%A}'s")


def record(entry: HistoryEntry, at: datetime, answer: Answer | None) -> MorningCheck:
    """The history line of the answer about ``entry`` (None: skipped), ``at`` in local time.
    ``ValueError`` for an answer outside better/same/worse or 0-10."""
    return MorningCheck.model_validate(
        {
            "at": at.astimezone(),
            "session_started_at": entry.started_at,
            "compared": None if answer is None else answer.compared,
            "score": None if answer is None else answer.score,
        }
    )
