"""The history for people outside the app: the text of ``trainer history`` and the CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TextIO

from trainer.records.history.record import DoseChange, HistoryEntry, MorningCheck
from trainer.records.history.stats import (
    DayCell,
    _counting_days,
    _exercise_ids,
    calendar,
    in_order,
    pain_trend,
    sessions_this_week,
    streak,
    totals,
    within_days,
)
from trainer.text import wording
from trainer.text.safe import printable

#: A line of the history the CSV reads (sessions, and the next-morning answers about them).
Record = HistoryEntry | DoseChange | MorningCheck

#: How many sessions ``trainer history`` lists.
RECENT = 10

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


#: Rows of the pain chart: each row is two points of the 0-10 scale.
PAIN_ROWS = 5


def pain_chart(scores: Sequence[int]) -> list[str]:
    """Check-ins (0-10) as bars on a fixed 0-10 scale, the scale drawn at the left and each
    value under its bar, so that a 3 looks like a 3 whatever the others are, without colour.

    ``[3, 4, 3]`` -> three bars of 1.5, 2 and 1.5 rows (a row is 2 points, ▄▄ is 1)::

        10 ┤
         8 ┤
         6 ┤
         4 ┤ ▄▄ ██ ▄▄
         2 ┤ ██ ██ ██
         0 └─────────
              3  4  3
    """
    lines = []
    for row in range(PAIN_ROWS, 0, -1):
        top = 2 * row  # this row is filled for a score of `top`, half filled for `top - 1`
        cells = ["██" if score >= top else "▄▄" if score == top - 1 else "  " for score in scores]
        lines.append(f"{top:>2} ┤ {' '.join(cells)}".rstrip())
    lines.append(" 0 └" + "─" * (3 * len(scores)))
    lines.append("    " + "".join(f"{score:>3}" for score in scores))
    return lines


def _session_lines(entries: Sequence[HistoryEntry]) -> list[str]:
    """One aligned line per session: when, routine, outcome, active time, how much was done
    ("3 of 5 exercises, 40 of 98 reps"), check-in."""
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
                wording.duration(entry.active_seconds),
                entry.amount,
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
        streak_line = f"Streak: {wording.count(run, 'day')} in a row"
    else:
        streak_line = (
            f"Streak: {wording.count(run, 'day')} in a row (a session today keeps it going)"
        )
    lines = [
        streak_line,
        f"This week: {wording.count(sessions_this_week(every, today), 'session')}",
        "",
        "Last 8 weeks (sessions a day; . none, - not yet, [ ] today):",
        *_calendar_text(calendar(every, today, weeks=8)),
    ]
    window = every if days is None else within_days(every, today, days)
    span = "" if days is None else f" in the last {wording.count(days, 'day')}"
    pain = pain_trend(window)
    lines += ["", f"Back check-ins{span} (0 = no pain, 10 = worst), oldest first:"]
    lines.append("  " + (" ".join(str(p) for p in pain) if pain else "none yet"))
    lines += ["", f"Totals{span}:"]
    rows = totals(window)
    if rows:
        width = max(len(t.name) for t in rows)
        for t in rows:
            lines.append(
                f"  {t.name:<{width}}  {wording.count(t.sets_done, 'set'):>8}  "
                f"{wording.count(t.reps_done, 'rep'):>9}  in {wording.count(t.sessions, 'session')}"
            )
    else:
        lines.append("  nothing yet")
    if days is None:
        recent = window[-RECENT:]
        lines += ["", f"Last {wording.count(len(recent), 'session')}, newest first:"]
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
    "exercises_done",
    "exercises",
    "reps_done",
    "reps",
)
#: Columns added later, after every per-exercise ``_reps_done``/``_sets_done`` pair (so the
#: columns a spreadsheet already reads keep their places); then ``<id>_hold`` and
#: ``<id>_set_reps`` per exercise.
CSV_MORE_COLUMNS = (
    "checkin_before",
    "morning_compared",
    "morning_score",
    "flare_day",
    "hurt_exercise",
    "hurt_side",
    "hurt_set",
    "hurt_rep",
    "hurt_step",
)


def csv_header(entries: Iterable[Record]) -> list[str]:
    ids = _exercise_ids(in_order(_sessions(entries)))
    header = list(CSV_COLUMNS)
    for ex_id in ids:
        header += [f"{ex_id}_reps_done", f"{ex_id}_sets_done"]
    header += CSV_MORE_COLUMNS
    for ex_id in ids:
        header += [f"{ex_id}_hold", f"{ex_id}_set_reps"]
    return header


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection"); tab and CR too,
#: since some spreadsheets skip them before looking for the others.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str | int) -> str | int:
    """A cell a spreadsheet shows as text: a string that would start a formula gets a leading
    ``'``, and control characters show as escapes. Numbers (which we write) stay numbers."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START):
        value = "'" + value
    return printable(value)


def _sessions(records: Iterable[Record]) -> list[HistoryEntry]:
    return [r for r in records if isinstance(r, HistoryEntry)]


def _optional(value: int | None) -> str | int:
    return "" if value is None else value


def write_csv(records: Iterable[Record], stream: TextIO) -> None:
    """One row per session, oldest first, after a header row (docs/your-data.md lists the
    columns).

    ``records`` are the history's lines: the sessions, and the next-morning answers about them
    (other lines are passed over). Columns: date, start, end (local ``YYYY-MM-DD``, ``HH:MM``),
    routine (its name), outcome, active_minutes, paused_minutes (one decimal), checkin (empty
    when skipped), exercises_done (exercises with every rep done), exercises, reps_done, reps
    (reps asked for), then ``<exercise id>_reps_done`` and ``<exercise id>_sets_done`` for every
    exercise in the history, in the order first done (empty when the session did not include
    it); then :data:`CSV_MORE_COLUMNS`: checkin_before, morning_compared (better, same, worse;
    ``skipped``; empty when never asked), morning_score, flare_day (1 or 0), where "it hurts"
    stopped the session (exercise id, side, set, rep, step; empty otherwise); then
    ``<exercise id>_hold`` (seconds) and ``<exercise id>_set_reps`` (reps in each set), the
    dose the session ran with (empty when not recorded).
    """
    every = list(records)
    ordered = in_order(_sessions(every))
    mornings = {
        r.session_started_at: r for r in every if isinstance(r, MorningCheck)
    }  # aware times: equal instants match whatever their offsets
    ids = _exercise_ids(ordered)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([csv_cell(cell) for cell in csv_header(ordered)])
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
            _optional(entry.checkin),
            entry.exercises_done,
            len(entry.exercises),
            entry.reps_done,
            entry.reps,
        ]
        done = {ex.id: ex for ex in entry.exercises}
        for ex_id in ids:
            ex = done.get(ex_id)
            row += ["", ""] if ex is None else [ex.reps_done, ex.sets_done]
        morning = mornings.get(entry.started_at)
        if morning is None:
            compared = ""
        else:
            compared = morning.compared or ("skipped" if morning.skipped else "")
        place = entry.hurt_at
        row += [
            _optional(entry.checkin_before),
            compared,
            "" if morning is None else _optional(morning.score),
            1 if entry.flare else 0,
            *(
                ["", "", "", "", ""]
                if place is None
                else [place.exercise_id, place.side, place.set, place.rep, place.step]
            ),
        ]
        for ex_id in ids:
            ex = done.get(ex_id)
            row += ["", ""] if ex is None else [_optional(ex.hold), _optional(ex.set_reps)]
        writer.writerow([csv_cell(cell) for cell in row])
