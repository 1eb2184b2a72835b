"""The session history: one JSON line per session in ``$XDG_DATA_HOME/trainer/history.jsonl``.

Every session that ends (finished, stopped, stopped because it hurt, or abandoned) becomes one
:class:`HistoryEntry`, appended as one line. The file is meant to be read by people too (a
physio may look at it, or at ``trainer history --csv``), so it is plain JSON Lines with local
times and their UTC offset.

Writing is append-only and crash-safe: a line is written with a single ``os.write`` on a file
opened with ``O_APPEND`` and fsynced, so a crash leaves at worst one damaged last line, and the
next append starts on a fresh line so the damage never spreads. Reading skips a damaged line
with a one-line warning and keeps every other session.

The summary functions (streak, this week, calendar, pain trend, totals, last done) are pure: they
take the entries and ``today`` (a local date) and return plain data that a screen renders as is.
Days are local days: an entry's ``started_at`` is converted to the machine's time zone before its
date is taken, and a session belongs to the day it started (23:50 counts for that day, not the
next).

No Textual here.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from trainer import format, storage
from trainer.errors import TrainerError

if TYPE_CHECKING:
    from trainer.engine import Session

HISTORY_FILENAME = "history.jsonl"
HISTORY_VERSION = 1
#: The check-in scale: 0 = no pain at all, 10 = the worst pain.
CHECKIN_MIN = 0
CHECKIN_MAX = 10
CHECKIN_QUESTION = "How does your back feel?"
#: How many sessions ``trainer history`` lists.
RECENT = 10

Score = Annotated[int, Field(ge=CHECKIN_MIN, le=CHECKIN_MAX)]


# --------------------------------------------------------------------------- models


class Outcome(StrEnum):
    FINISHED = "finished"  # ran to the end
    STOPPED = "stopped"  # stopped early
    HURT = "hurt"  # stopped early because it hurt
    ABANDONED = "abandoned"  # never ended: closed mid-session and not resumed

    @property
    def label(self) -> str:
        return {
            Outcome.FINISHED: "finished",
            Outcome.STOPPED: "stopped early",
            Outcome.HURT: "stopped, it hurt",
            Outcome.ABANDONED: "not finished",
        }[self]


class ExerciseLog(BaseModel):
    """What was done of one exercise in one session."""

    # Built on first use, not at import: the first screen does not need it.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True, allow_inf_nan=False)

    id: str
    name: str
    sets_done: int = Field(ge=0)
    sets: int = Field(ge=0)
    reps_done: int = Field(ge=0)
    reps: int = Field(ge=0)


class HistoryEntry(BaseModel):
    """One session, as one line of ``history.jsonl``.

    ``started_at``/``ended_at`` are time-zone aware (written as local time with its offset,
    e.g. ``2026-03-29T08:05:00+02:00``); ``active_seconds`` excludes pauses. ``checkin`` is the
    answer to "How does your back feel?" on a 0-10 scale (0 = no pain, 10 = the worst), or None
    when it was skipped. Unknown keys (from a newer trainer) are ignored.
    """

    # Built on first use, not at import: the first screen does not need it.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True, allow_inf_nan=False)

    version: int = Field(default=HISTORY_VERSION, ge=1)
    started_at: AwareDatetime
    ended_at: AwareDatetime
    routine_id: str
    routine_name: str
    active_seconds: float = Field(ge=0)
    paused_seconds: float = Field(default=0.0, ge=0)
    outcome: Outcome
    exercises: list[ExerciseLog] = Field(default_factory=list)
    checkin: Score | None = None

    @property
    def day(self) -> date:
        """The local date the session started on (the machine's current time zone)."""
        return local_day(self.started_at)

    @property
    def reps_done(self) -> int:
        return sum(ex.reps_done for ex in self.exercises)

    @property
    def sets_done(self) -> int:
        return sum(ex.sets_done for ex in self.exercises)

    @property
    def counts(self) -> bool:
        """See :func:`counts`."""
        return counts(self)


def local_day(moment: datetime) -> date:
    """The date of ``moment`` in the machine's time zone (``TZ`` honoured)."""
    return moment.astimezone().date()


def counts(entry: HistoryEntry) -> bool:
    """Whether a session counts as "done that day" for the streak, the calendar and this week.

    Every session counts except an *abandoned* one in which not a single rep was done (the app
    was opened and closed). A session stopped early, or stopped because it hurt, counts even
    with no rep: showing up and listening to your back is the habit being kept.
    """
    return not (entry.outcome is Outcome.ABANDONED and entry.reps_done == 0)


# --------------------------------------------------------------------------- from a session


def outcome_of(session: Session) -> Outcome:
    """The outcome of a session as it stands: finished, stopped (hurt or not), else abandoned."""
    from trainer.engine import State

    state = session.view().state  # brings the session up to the clock first
    if state is State.FINISHED:
        return Outcome.FINISHED
    if state is State.STOPPED:
        return Outcome.HURT if session.hurt else Outcome.STOPPED
    return Outcome.ABANDONED


def entry_from_session(
    session: Session,
    *,
    started_at: datetime,
    ended_at: datetime,
    outcome: Outcome | str,
    checkin: int | None = None,
) -> HistoryEntry:
    """A history entry for ``session``: its results, its active and paused time.

    ``started_at`` and ``ended_at`` must be time-zone aware; they are stored as local time
    with the local offset. Raises ``ValueError`` for a naive datetime or a check-in outside
    0-10.
    """
    for name, moment in (("started_at", started_at), ("ended_at", ended_at)):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be time-zone aware, got {moment.isoformat()}")
    view = session.view()
    exercises = [
        ExerciseLog(
            id=r.id,
            name=r.name,
            sets_done=r.sets_done,
            sets=r.sets,
            reps_done=r.reps_done,
            reps=r.reps,
        )
        for r in session.results()
    ]
    entry = HistoryEntry(
        started_at=started_at.astimezone(),
        ended_at=ended_at.astimezone(),
        routine_id=session.plan.routine_id,
        routine_name=session.plan.routine_name,
        active_seconds=round(view.active_time, 1),
        paused_seconds=round(view.paused_time, 1),
        outcome=Outcome(outcome),
        exercises=exercises,
    )
    return set_checkin(entry, checkin)


def parse_checkin(text: str) -> int | None:
    """What was typed in the check-in box: a score, None for "skip" (nothing typed), or
    ``ValueError`` with what to type instead."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not CHECKIN_MIN <= int(text) <= CHECKIN_MAX:
        raise ValueError(
            f"Type a number from {CHECKIN_MIN} to {CHECKIN_MAX}, or Enter alone to skip."
        )
    return int(text)


def set_checkin(entry: HistoryEntry, checkin: int | None) -> HistoryEntry:
    """``entry`` with the check-in answer (0-10), or None when it was skipped.

    The flow is *append after the check-in*, never amend: when a session ends the app builds the
    entry with :func:`entry_from_session`, asks "How does your back feel?", then calls
    ``append_entry(set_checkin(entry, answer))`` once the question is answered or skipped
    (``answer=None``). If the app is closed while the question is open, it appends the entry
    as it is (no check-in). The file is therefore only ever appended to, one whole line per
    session; no line is rewritten. Raises ``ValueError`` for a score outside 0-10.
    """
    if checkin is not None:
        if isinstance(checkin, bool) or not isinstance(checkin, int):
            raise ValueError(f"the check-in must be a whole number 0-10, got {checkin!r}")
        if not CHECKIN_MIN <= checkin <= CHECKIN_MAX:
            raise ValueError(f"the check-in must be 0-10, got {checkin}")
    return entry.model_copy(update={"checkin": checkin})


# --------------------------------------------------------------------------- the file


def history_path() -> Path:
    return storage.data_dir() / HISTORY_FILENAME


def append_entry(entry: HistoryEntry, path: Path | None = None) -> Path:
    """Append ``entry`` as one line; returns the file's path.

    The file is opened with ``O_APPEND`` and the whole line goes in one ``os.write``, then
    fsync. A new file is 0600 in a 0700 folder. If the file does not end in a newline (a crash
    cut the last line), a newline is written first, so the damaged line stays on its own.
    Any failure is one :class:`TrainerError` line; the lines already in the file are kept.
    """
    path = Path(path) if path is not None else history_path()
    storage.ensure_dir(path.parent)
    line = entry.model_dump_json().encode("utf-8") + b"\n"
    try:
        fd = os.open(
            path,
            os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0),
            storage.FILE_MODE,
        )
    except OSError as exc:
        raise _write_error(exc, path) from exc
    try:
        size = os.fstat(fd).st_size
        if size > 0 and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line
        view = memoryview(line)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except OSError as exc:
        raise _write_error(exc, path) from exc
    finally:
        os.close(fd)
    if size == 0:
        storage.fsync_dir(path.parent)  # a new file: make its name durable too
    return path


def _write_error(exc: OSError, path: Path) -> TrainerError:
    return TrainerError(
        f"could not add the session to the history ({storage.write_reason(exc, path.parent)}); "
        "earlier sessions are kept",
        path=path,
    )


def read_entries(path: Path | None = None) -> tuple[list[HistoryEntry], list[str]]:
    """Every readable entry in file order, and one warning line per damaged line.

    A warning reads ``history.jsonl:17: skipped a damaged line (why)`` with the file's full
    path. Blank lines are ignored. A missing file is an empty history; a file that cannot be
    read at all is a :class:`TrainerError`.
    """
    path = Path(path) if path is not None else history_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except IsADirectoryError as exc:
        raise TrainerError(
            "cannot read the history: it is a folder, not a file", path=path
        ) from exc
    except OSError as exc:
        raise TrainerError(f"cannot read the history: {exc.strerror or exc}", path=path) from exc
    entries: list[HistoryEntry] = []
    warnings: list[str] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            entries.append(_parse_line(line))
        except _Damaged as exc:
            warnings.append(f"{path}:{number}: skipped a damaged line ({exc})")
    return entries, warnings


class _Damaged(Exception):
    pass


def _parse_line(line: bytes) -> HistoryEntry:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Damaged(f"not UTF-8 text at byte {exc.start + 1}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = "" if exc.msg.endswith(" at") else " at"
        raise _Damaged(f"not JSON: {exc.msg}{where} column {exc.colno}") from None
    except RecursionError:
        raise _Damaged("not JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise _Damaged("not a session record") from None
    try:
        return HistoryEntry.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = storage.format_loc(tuple(first["loc"])) or "record"
        more = f" and {exc.error_count() - 1} more" if exc.error_count() > 1 else ""
        raise _Damaged(f"{field}: {first['msg']}{more}") from None


# --------------------------------------------------------------------------- summaries


@dataclass(frozen=True, slots=True)
class DayCell:
    """One day of the calendar heat map."""

    date: date
    #: Sessions that count (see :func:`counts`) started that day.
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
    return {entry.day for entry in entries if counts(entry)}


def streak(entries: Iterable[HistoryEntry], today: date) -> int:
    """Consecutive local days, ending today or yesterday, with a session that counts.

    A day counts when it has at least one session that :func:`counts` (every session but an
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
    return sum(1 for entry in entries if counts(entry) and monday <= entry.day <= sunday)


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
        if counts(entry):
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
    """When each routine was last done (the latest ``ended_at`` of a session that counts)."""
    out: dict[str, datetime] = {}
    for entry in entries:
        if not counts(entry):
            continue
        seen = out.get(entry.routine_id)
        if seen is None or entry.ended_at > seen:
            out[entry.routine_id] = entry.ended_at
    return out


def within_days(entries: Iterable[HistoryEntry], today: date, days: int) -> list[HistoryEntry]:
    """Entries started in the last ``days`` local days, ``today`` included (``days`` >= 1)."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    first = today - timedelta(days=days - 1)
    return [entry for entry in entries if first <= entry.day <= today]


# --------------------------------------------------------------------------- text and CSV


def _calendar_text(rows: list[list[DayCell]]) -> list[str]:
    lines = ["           Mo  Tu  We  Th  Fr  Sa  Su"]
    for row in rows:
        cells = []
        for cell in row:
            if cell.in_future:
                mark = "-"
            elif cell.sessions:
                mark = str(cell.sessions) if cell.sessions < 10 else "+"
            else:
                mark = "."
            cells.append(f"[{mark}]" if cell.is_today else f" {mark} ")
        lines.append(f"  {row[0].date:%d %b}  " + " ".join(cells).rstrip())
    return lines


def _session_lines(entries: Sequence[HistoryEntry]) -> list[str]:
    """One aligned line per session: when, routine, outcome, active time, reps, check-in."""
    if not entries:
        return ["  none"]
    rows = []
    for entry in entries:
        start = entry.started_at.astimezone()
        rows.append(
            [
                f"{start:%a %Y-%m-%d %H:%M}",
                entry.routine_name,
                entry.outcome.label,
                format.duration(entry.active_seconds),
                format.count(entry.reps_done, "rep"),
                "" if entry.checkin is None else f"back {entry.checkin}/10",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def summary_text(entries: Iterable[HistoryEntry], today: date, *, days: int | None = None) -> str:
    """What ``trainer history`` prints: plain text, no colour, ASCII apart from names.

    Streak, this week and the 8-week calendar always use every entry; with ``days`` the pain
    trend, the totals and the session list cover only the last ``days`` days (and list every
    session in them instead of the last 10).
    """
    every = in_order(entries)
    if not every:
        return "No sessions yet. Finished, stopped and interrupted sessions appear here.\n"
    run = streak(every, today)
    if run == 0:
        streak_line = "Streak: 0 days"
    elif today in _counting_days(every):
        streak_line = f"Streak: {format.count(run, 'day')} in a row"
    else:
        streak_line = (
            f"Streak: {format.count(run, 'day')} in a row (a session today keeps it going)"
        )
    lines = [
        streak_line,
        f"This week: {format.count(sessions_this_week(every, today), 'session')}",
        "",
        "Last 8 weeks (sessions a day; . none, - not yet, [ ] today):",
        *_calendar_text(calendar(every, today, weeks=8)),
    ]
    window = every if days is None else within_days(every, today, days)
    span = "" if days is None else f" in the last {format.count(days, 'day')}"
    pain = pain_trend(window)
    lines += ["", f"Back check-ins{span} (0 = no pain, 10 = worst), oldest first:"]
    lines.append("  " + (" ".join(str(p) for p in pain) if pain else "none yet"))
    lines += ["", f"Totals{span}:"]
    rows = totals(window)
    if rows:
        width = max(len(t.name) for t in rows)
        for t in rows:
            lines.append(
                f"  {t.name:<{width}}  {format.count(t.sets_done, 'set'):>8}  "
                f"{format.count(t.reps_done, 'rep'):>9}  in {format.count(t.sessions, 'session')}"
            )
    else:
        lines.append("  nothing yet")
    if days is None:
        recent = window[-RECENT:]
        lines += ["", f"Last {format.count(len(recent), 'session')}, newest first:"]
    else:
        recent = window
        lines += ["", f"Sessions{span}, newest first:"]
    lines += _session_lines(recent[::-1])
    return "\n".join(lines) + "\n"


CSV_COLUMNS = (
    "date",
    "start",
    "end",
    "routine",
    "outcome",
    "active_minutes",
    "paused_minutes",
    "checkin",
)


def csv_header(entries: Iterable[HistoryEntry]) -> list[str]:
    header = list(CSV_COLUMNS)
    for ex_id in _exercise_ids(in_order(entries)):
        header += [f"{ex_id}_reps_done", f"{ex_id}_sets_done"]
    return header


def write_csv(entries: Iterable[HistoryEntry], stream: TextIO) -> None:
    """One row per session, oldest first, after a header row.

    Columns: date, start, end (local ``YYYY-MM-DD``, ``HH:MM``), routine (its name), outcome,
    active_minutes, paused_minutes (one decimal), checkin (empty when skipped), then
    ``<exercise id>_reps_done`` and ``<exercise id>_sets_done`` for every exercise in the
    history, in the order first done; empty when the session did not include that exercise.
    """
    ordered = in_order(entries)
    ids = _exercise_ids(ordered)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(csv_header(ordered))
    for entry in ordered:
        start = entry.started_at.astimezone()
        end = entry.ended_at.astimezone()
        row: list[str | int] = [
            start.date().isoformat(),
            f"{start:%H:%M}",
            f"{end:%H:%M}",
            entry.routine_name,
            entry.outcome.value,
            f"{entry.active_seconds / 60:.1f}",
            f"{entry.paused_seconds / 60:.1f}",
            "" if entry.checkin is None else entry.checkin,
        ]
        done = {ex.id: ex for ex in entry.exercises}
        for ex_id in ids:
            ex = done.get(ex_id)
            row += ["", ""] if ex is None else [ex.reps_done, ex.sets_done]
        writer.writerow(row)
