"""Summaries of the history: streak, this week, calendar, pain trend, totals, last done.

Pure functions: they take the entries and ``today`` (a local date) and return plain data that a
screen or the text report renders as is. Days are local days: an entry's ``started_at`` is
converted to the machine's time zone before its date is taken, and a session belongs to the day
it started (23:50 counts for that day, not the next).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.records.history.record import HistoryEntry, Outcome, is_counted

# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True, slots=True)
class DayCell:
    """One day of the calendar heat map."""

    date: date
    #: Sessions that count (see :func:`is_counted`) started that day.
    sessions: int
    #: Reps done that day, over every session.
    reps: int
    #: After ``today``: drawn blank.
    in_future: bool
    is_today: bool


@dataclass(frozen=True, slots=True)
class ExerciseTotal:
    """Everything done of one exercise over the history."""

    id: str
    #: The name in the most recent session that had it.
    name: str
    #: Sessions in which at least one rep of it was done.
    sessions: int
    sets_done: int
    reps_done: int


def in_order(entries: Iterable[HistoryEntry]) -> list[HistoryEntry]:
    """Entries oldest first (by when they started; stable for equal times)."""
    return sorted(entries, key=lambda e: e.started_at)


def _counting_days(entries: Iterable[HistoryEntry]) -> set[date]:
    return {entry.day for entry in entries if is_counted(entry)}


def streak(entries: Iterable[HistoryEntry], today: date) -> int:
    """Consecutive local days, ending today or yesterday, with a session that counts.

    A day counts when it has at least one session that :func:`is_counted` (every session but an
    abandoned one with no rep done). A streak whose last day is yesterday is still current
    today (there is still time to train); a day with nothing breaks it, so a streak that last
    counted two days ago is 0. Sessions after ``today`` are ignored.
    """
    days = _counting_days(entries)
    day = today if today in days else today - timedelta(days=1)
    run = 0
    while day in days:
        run += 1
        day -= timedelta(days=1)
    return run


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def sessions_this_week(entries: Iterable[HistoryEntry], today: date) -> int:
    """Sessions that count, started in ``today``'s ISO week (Monday to Sunday)."""
    monday = week_start(today)
    sunday = monday + timedelta(days=6)
    return sum(1 for entry in entries if is_counted(entry) and monday <= entry.day <= sunday)


def calendar(entries: Iterable[HistoryEntry], today: date, weeks: int = 8) -> list[list[DayCell]]:
    """``weeks`` rows of 7 cells, Monday first, oldest week first, the last row this week.

    A cell has the sessions that count started that day and the reps done that day (over
    every session); days after ``today`` are flagged ``in_future``.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    first = week_start(today) - timedelta(weeks=weeks - 1)
    last = first + timedelta(days=7 * weeks - 1)
    sessions: dict[date, int] = {}
    reps: dict[date, int] = {}
    for entry in entries:
        day = entry.day
        if not first <= day <= last:
            continue
        reps[day] = reps.get(day, 0) + entry.reps_done
        if is_counted(entry):
            sessions[day] = sessions.get(day, 0) + 1
    rows: list[list[DayCell]] = []
    for week in range(weeks):
        row = []
        for weekday in range(7):
            day = first + timedelta(days=7 * week + weekday)
            row.append(
                DayCell(
                    date=day,
                    sessions=sessions.get(day, 0),
                    reps=reps.get(day, 0),
                    in_future=day > today,
                    is_today=day == today,
                )
            )
        rows.append(row)
    return rows


def pain_trend(entries: Iterable[HistoryEntry]) -> list[int]:
    """Check-in scores (0 = no pain, 10 = the worst), oldest first; skipped check-ins left out."""
    return [entry.checkin for entry in in_order(entries) if entry.checkin is not None]


def _exercise_ids(entries: Sequence[HistoryEntry]) -> list[str]:
    """Exercise ids in the order first seen, over entries oldest first."""
    seen: dict[str, None] = {}
    for entry in entries:
        for ex in entry.exercises:
            seen.setdefault(ex.id, None)
    return list(seen)


def totals(entries: Iterable[HistoryEntry]) -> list[ExerciseTotal]:
    """Sets and reps done per exercise over every session, in the order first done."""
    ordered = in_order(entries)
    names: dict[str, str] = {}
    sessions: dict[str, int] = {}
    sets: dict[str, int] = {}
    reps: dict[str, int] = {}
    for entry in ordered:
        for ex in entry.exercises:
            names[ex.id] = ex.name
            sets[ex.id] = sets.get(ex.id, 0) + ex.sets_done
            reps[ex.id] = reps.get(ex.id, 0) + ex.reps_done
            sessions[ex.id] = sessions.get(ex.id, 0) + (1 if ex.reps_done else 0)
    return [
        ExerciseTotal(
            id=ex_id,
            name=names[ex_id],
            sessions=sessions[ex_id],
            sets_done=sets[ex_id],
            reps_done=reps[ex_id],
        )
        for ex_id in _exercise_ids(ordered)
    ]


def last_done(entries: Iterable[HistoryEntry]) -> dict[str, datetime]:
    """When each routine was last done: the latest ``ended_at`` of a session that counts and in
    which at least one rep was done (a session with no rep done is never "last done")."""
    out: dict[str, datetime] = {}
    for entry in entries:
        if not is_counted(entry) or entry.reps_done == 0:
            continue
        seen = out.get(entry.routine_id)
        if seen is None or entry.ended_at > seen:
            out[entry.routine_id] = entry.ended_at
    return out


def done_share(entry: HistoryEntry) -> float:
    """How much of the session was done, 0.0-1.0: reps done over reps asked for (a session
    that asked for no rep: 1.0 when it ran to the end, else 0.0). A 50-second start of a
    routine is a small share, not a session."""
    if entry.reps:
        return min(1.0, entry.reps_done / entry.reps)
    return 1.0 if entry.outcome is Outcome.FINISHED else 0.0


def share_done(entries: Iterable[HistoryEntry], routine_id: str, ended_at: datetime) -> str:
    """How much of the session of ``routine_id`` that ended at ``ended_at`` was done, when
    not all of it ("2 of 35 reps"); "" for a whole session or one not found."""
    for entry in entries:
        if entry.routine_id == routine_id and entry.ended_at == ended_at:
            if entry.reps and entry.reps_done < entry.reps:
                return f"{entry.reps_done} of {entry.reps} rep{'' if entry.reps == 1 else 's'}"
            return ""
    return ""


def within_days(entries: Iterable[HistoryEntry], today: date, days: int) -> list[HistoryEntry]:
    """Entries started in the last ``days`` local days, ``today`` included (``days`` >= 1)."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    first = today - timedelta(days=days - 1)
    return [entry for entry in entries if first <= entry.day <= today]
