"""The session history: the JSONL log, its summaries, the CSV and ``trainer history``."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import stat
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.cli import main
from trainer.engine import ManualClock as FakeClock
from trainer.engine import Session, plan_for
from trainer.programme import loading
from trainer.records import history
from trainer.records.history import (
    ExerciseLog,
    HistoryEntry,
    Outcome,
    append_entry,
    calendar,
    entry_from_session,
    last_done,
    pain_trend,
    read_entries,
    sessions_this_week,
    set_checkin,
    streak,
    summary_text,
    totals,
    write_csv,
)
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def tz(monkeypatch: pytest.MonkeyPatch):
    """Every test runs in a known local time zone (UTC unless it asks for another)."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    use("UTC")
    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data" / "trainer" / "history.jsonl"


def entry(
    start: str,
    *,
    outcome: Outcome = Outcome.FINISHED,
    done: dict[str, tuple[int, int]] | None = None,
    checkin: int | None = None,
    minutes: float = 10,
    paused: float = 0,
    routine: tuple[str, str] = ("quick-core", "Quick core"),
) -> HistoryEntry:
    """An entry started at ``start`` (ISO with offset); ``done`` maps id -> (reps, sets)."""
    started = datetime.fromisoformat(start)
    if done is None:
        done = {"draw-in": (5, 1), "partial-curls": (30, 3)}
    return HistoryEntry(
        started_at=started,
        ended_at=started + timedelta(minutes=minutes, seconds=paused),
        routine_id=routine[0],
        routine_name=routine[1],
        active_seconds=minutes * 60,
        paused_seconds=paused,
        outcome=outcome,
        exercises=[
            ExerciseLog(
                id=ex_id,
                name=ex_id.replace("-", " ").title(),
                sets_done=sets,
                sets=3,
                reps_done=reps,
                reps=30,
            )
            for ex_id, (reps, sets) in done.items()
        ],
        checkin=checkin,
    )


def noon(day: date, **kw: object) -> HistoryEntry:
    return entry(f"{day.isoformat()}T12:00:00+00:00", **kw)  # type: ignore[arg-type]


NOTHING = {"draw-in": (0, 0), "partial-curls": (0, 0)}


# --------------------------------------------------------------------------- the file


def test_every_outcome_round_trips_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "trainer" / "history.jsonl"
    written = [
        entry("2026-03-02T08:00:00+01:00", checkin=4),
        entry("2026-03-03T08:00:00+01:00", outcome=Outcome.STOPPED, done={"draw-in": (3, 0)}),
        entry("2026-03-04T08:00:00+01:00", outcome=Outcome.HURT, checkin=8),
        entry("2026-03-05T08:00:00+01:00", outcome=Outcome.ABANDONED, done=NOTHING),
    ]
    for item in written:
        assert append_entry(item, path) == path
    entries, warnings = read_entries(path)
    assert warnings == []
    assert entries == written
    raw = path.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == 4
    first = json.loads(raw.splitlines()[0])
    # A person (or a physio) reads local times with their offset.
    assert first["started_at"] == "2026-03-02T08:00:00+01:00"
    assert first["outcome"] == "finished" and first["checkin"] == 4 and first["version"] == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_default_path_is_under_xdg_data_home(data_home: Path) -> None:
    append_entry(entry("2026-03-02T08:00:00+00:00"))
    assert data_home.is_file()
    assert read_entries()[0][0].started_at == datetime(2026, 3, 2, 8, tzinfo=UTC)


def test_one_append_is_one_whole_line_in_one_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.jsonl"
    append_entry(entry("2026-03-02T08:00:00+00:00"), path)
    calls: list[bytes] = []
    real_write = os.write

    def spy(fd: int, data: bytes) -> int:
        calls.append(bytes(data))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", spy)
    append_entry(entry("2026-03-03T08:00:00+00:00"), path)
    assert len(calls) == 1
    assert calls[0].endswith(b"\n") and calls[0].count(b"\n") == 1
    assert json.loads(calls[0])["started_at"] == "2026-03-03T08:00:00Z"


def test_damaged_lines_are_skipped_with_a_warning_each(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    good = [entry(f"2026-03-0{d}T08:00:00+00:00") for d in (1, 2, 3)]
    line = [e.model_dump_json() for e in good]
    out_of_range = line[1].replace('"checkin":null', '"checkin":11')
    assert out_of_range != line[1]
    path.write_bytes(
        (
            f"{line[0]}\n"
            f"{line[1][:40]}\n"  # 2: truncated
            "\n"  # 3: blank, ignored silently
            "garbage that is not json\n"  # 4
            "[1, 2, 3]\n"  # 5: JSON, but not a record
            f"{out_of_range}\n"  # 6: a record, but the check-in is out of range
            f"{line[1]}\n"
        ).encode()
        + b"\xff\xfe\x00 not utf-8\n"  # 8
        + f"{line[2]}\n".encode()
    )
    entries, warnings = read_entries(path)
    assert entries == good
    assert [w.split(": skipped")[0] for w in warnings] == [
        f"{path}:2",
        f"{path}:4",
        f"{path}:5",
        f"{path}:6",
        f"{path}:8",
    ]
    assert all(": skipped a damaged line (" in w and w.endswith(")") for w in warnings)
    assert all("\n" not in w for w in warnings)
    assert "not JSON" in warnings[0]
    assert "checkin" in warnings[3]
    assert "UTF-8" in warnings[4]


def test_a_line_cut_by_a_crash_does_not_swallow_the_next_append(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    first, cut, after = (entry(f"2026-03-0{d}T08:00:00+00:00") for d in (1, 2, 3))
    append_entry(first, path)
    with path.open("ab") as handle:  # a crash in the middle of writing the second line
        handle.write(cut.model_dump_json().encode()[:57])
    append_entry(after, path)
    entries, warnings = read_entries(path)
    assert entries == [first, after]
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:2: skipped a damaged line")
    assert path.read_bytes().endswith(b"\n")


@settings(deadline=None)
@given(cut=st.integers(min_value=0, max_value=10_000))
def test_a_crash_anywhere_in_a_line_costs_only_that_line(tmp_path_factory, cut: int) -> None:
    path = tmp_path_factory.mktemp("h") / "history.jsonl"
    before, lost, after = (entry(f"2026-03-0{d}T08:00:00+00:00") for d in (1, 2, 3))
    append_entry(before, path)
    line = (lost.model_dump_json() + "\n").encode()
    partial = line[: cut % (len(line) + 1)]
    with path.open("ab") as handle:
        handle.write(partial)
    append_entry(after, path)
    entries, warnings = read_entries(path)
    # Cut right before its newline, the line is still whole: the next append ends it.
    whole = len(partial) >= len(line) - 1
    assert entries == ([before, lost, after] if whole else [before, after])
    assert len(warnings) == (0 if whole or not partial.strip() else 1)


def test_missing_file_is_an_empty_history(tmp_path: Path) -> None:
    assert read_entries(tmp_path / "nope" / "history.jsonl") == ([], [])


def test_unwritable_or_unreadable_history_is_one_trainer_error_line(tmp_path: Path) -> None:
    folder = tmp_path / "history.jsonl"
    folder.mkdir()  # a folder where the file should be
    with pytest.raises(TrainerError) as caught:
        append_entry(entry("2026-03-01T08:00:00+00:00"), folder)
    text = str(caught.value)
    assert text.startswith(f"{folder}: could not add the session to the history")
    assert "\n" not in text
    with pytest.raises(TrainerError, match="cannot read the history"):
        read_entries(folder)


# --------------------------------------------------------------------------- from a session


@pytest.fixture(scope="module")
def quick_core():
    return plan_for(loading.load_routines(ROOT / "routines.toml"), "quick-core")


def test_entry_from_a_finished_session_with_a_pause(quick_core, tz) -> None:
    tz("Europe/Berlin")
    clock = FakeClock(0.0)
    session = Session(quick_core, clock)
    session.start()
    clock.now = 100
    session.pause()
    clock.now = 160  # a minute's pause
    session.resume()
    clock.now = quick_core.total + 60 + 30  # well past the end
    assert history.outcome_of(session) is Outcome.FINISHED
    started = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # after the spring change: CEST
    made = entry_from_session(
        session,
        started_at=started,
        ended_at=started + timedelta(seconds=quick_core.total + 60),
        outcome=history.outcome_of(session),
        checkin=3,
    )
    assert made.routine_id == "quick-core" and made.routine_name == "Quick core"
    assert made.active_seconds == quick_core.total
    assert made.paused_seconds == 60
    assert made.outcome is Outcome.FINISHED and made.checkin == 3
    assert [(e.id, e.reps_done, e.reps, e.sets_done, e.sets) for e in made.exercises] == [
        ("draw-in", 5, 5, 1, 1),
        ("partial-curls", 30, 30, 3, 3),
    ]
    # Stored as local wall time with the local offset.
    assert made.started_at.isoformat() == "2026-03-29T08:00:00+02:00"
    assert json.loads(made.model_dump_json())["started_at"] == "2026-03-29T08:00:00+02:00"


def test_entry_from_a_session_stopped_because_it_hurt(quick_core) -> None:
    clock = FakeClock(0.0)
    session = Session(quick_core, clock)
    session.start()
    curls = quick_core.exercises[1]
    clock.now = quick_core.steps[curls.first_step].offset + 1  # draw-in done, curls begun
    session.stop(hurt=True)
    clock.now += 500  # time after stopping is not active time
    assert history.outcome_of(session) is Outcome.HURT
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    made = entry_from_session(
        session, started_at=start, ended_at=start + timedelta(minutes=2), outcome="hurt"
    )
    assert made.outcome is Outcome.HURT and made.checkin is None
    assert made.active_seconds == quick_core.steps[curls.first_step].offset + 1
    assert [(e.id, e.reps_done, e.sets_done) for e in made.exercises] == [
        ("draw-in", 5, 1),
        ("partial-curls", 0, 0),
    ]
    assert made.reps_done == 5
    # Where it hurt, as data: the first step of the curls is "get into position" (the rest
    # between exercises) of set 1, rep 1; and the dose each exercise ran with.
    assert made.hurt_at is not None
    assert made.hurt_at.model_dump() == {
        "exercise_id": "partial-curls",
        "side": "",
        "set": 1,
        "rep": 1,
        "step": "exercise_rest",
    }
    assert [(e.hold, e.set_reps) for e in made.exercises] == [(5, 5), (5, 10)]


def test_hurt_place_names_side_set_and_rep(quick_core) -> None:
    routines = loading.load_routines(ROOT / "routines.toml")
    plan = plan_for(routines, "full")
    legs = next(e for e in plan.exercises if e.id == "leg-lifts")
    hold = next(
        s
        for s in plan.steps[legs.first_step :]
        if s.side.value == "right" and s.set == 2 and s.rep == 4 and s.kind.value == "hold"
    )
    clock = FakeClock(0.0)
    session = Session(plan, clock)
    session.start()
    clock.now = hold.offset + 0.5
    session.stop(hurt=True)
    place = session.hurt_at
    assert place is not None
    assert (place.exercise_id, place.side.value, place.set, place.rep, place.kind.value) == (
        "leg-lifts",
        "right",
        2,
        4,
        "hold",
    )
    session.stop(hurt=True)  # a second press changes nothing
    assert session.hurt_at == place


def test_old_lines_still_load_and_new_lines_carry_the_additions(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    old = (
        '{"version":1,"started_at":"2026-03-02T08:00:00+01:00","ended_at":'
        '"2026-03-02T08:10:00+01:00","routine_id":"gentle","routine_name":"Gentle",'
        '"active_seconds":600,"paused_seconds":0,"outcome":"hurt","exercises":[{"id":'
        '"bridges","name":"Bridges","sets_done":0,"sets":3,"reps_done":2,"reps":45}],'
        '"checkin":4}\n'
    )
    path.write_text(old)
    change = history.DoseChange(
        at=datetime(2026, 3, 3, 8, tzinfo=UTC),
        exercise_id="bridges",
        exercise_name="Bridges",
        change="hold",
        old=10,
        new=11,
        routine_id="gentle",
        rule="progress",
    )
    history.append_entry(change, path)
    with path.open("a") as f:
        f.write('{"kind": "plan", "x": 1}\n')
    records, warnings = history.read_history(path)
    assert len(records) == 2 and records[1] == change
    (old_entry,) = [r for r in records if isinstance(r, HistoryEntry)]
    assert old_entry.checkin_before is None and old_entry.hurt_at is None
    assert old_entry.exercises[0].hold is None
    assert warnings == [f"{path}:3: skipped a damaged line (kind 'plan' is from a newer trainer)"]
    entries, _ = history.read_entries(path)
    assert entries == [old_entry], "read_entries gives the sessions only"
    assert json.loads(path.read_text().splitlines()[1])["kind"] == "dose"


def test_a_wall_clock_set_back_never_makes_a_session_end_before_it_began(quick_core) -> None:
    """Durations come from the monotonic clock; the wall-clock times are labels only."""
    clock = FakeClock()
    session = Session(quick_core, clock)
    session.start()
    clock.advance(300)
    session.pause()
    clock.advance(60)  # a minute paused
    session.stop()
    started = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    wall_at_end = started - timedelta(hours=1)  # the wall clock was set back an hour meanwhile
    made = entry_from_session(session, started_at=started, ended_at=wall_at_end, outcome="stopped")
    assert made.active_seconds == 300 and made.paused_seconds == 60
    assert made.ended_at >= made.started_at
    assert made.ended_at == started + timedelta(seconds=360)
    # A wall clock that agrees (or shows more: the app was closed in between) is kept.
    later = started + timedelta(hours=2)
    kept = entry_from_session(session, started_at=started, ended_at=later, outcome="stopped")
    assert kept.ended_at == later


def test_outcome_of_a_session_that_never_ended_is_abandoned(quick_core) -> None:
    clock = FakeClock(0.0)
    session = Session(quick_core, clock)
    assert history.outcome_of(session) is Outcome.ABANDONED
    session.start()
    clock.now = 30
    assert history.outcome_of(session) is Outcome.ABANDONED
    session.stop()
    assert history.outcome_of(session) is Outcome.STOPPED


def test_entry_from_session_rejects_naive_times_and_bad_checkins(quick_core) -> None:
    session = Session(quick_core, FakeClock(0.0))
    aware = datetime(2026, 3, 2, 8, tzinfo=UTC)
    with pytest.raises(ValueError, match="started_at must be time-zone aware"):
        entry_from_session(
            session, started_at=datetime(2026, 3, 2, 8), ended_at=aware, outcome="stopped"
        )
    with pytest.raises(ValueError, match="0-10"):
        entry_from_session(session, started_at=aware, ended_at=aware, outcome="stopped", checkin=11)


def test_checkin_is_set_before_the_single_append(tmp_path: Path) -> None:
    path = tmp_path / "history.jsonl"
    base = entry("2026-03-02T08:00:00+00:00")
    answered = set_checkin(base, 6)
    assert answered.checkin == 6 and base.checkin is None
    assert set_checkin(answered, None).checkin is None  # skipped
    for bad in (-1, 11, True, 2.5):
        with pytest.raises(ValueError):
            set_checkin(base, bad)  # type: ignore[arg-type]
    append_entry(answered, path)
    assert [e.checkin for e in read_entries(path)[0]] == [6]


# --------------------------------------------------------------------------- streaks


def test_streak_counts_consecutive_days_ending_today() -> None:
    today = date(2026, 3, 12)
    days = [today - timedelta(days=n) for n in (0, 1, 2, 4)]  # day 3 skipped
    entries = [noon(d) for d in days] + [noon(today)]  # two sessions today count once
    assert streak(entries, today) == 3


def test_a_streak_that_last_counted_yesterday_is_still_current() -> None:
    today = date(2026, 3, 12)
    entries = [noon(today - timedelta(days=n)) for n in (1, 2)]
    assert streak(entries, today) == 2
    assert streak(entries, today + timedelta(days=1)) == 0  # a skipped day breaks it
    assert streak([], today) == 0


def test_what_counts_for_a_streak() -> None:
    today = date(2026, 3, 12)
    yesterday = today - timedelta(days=1)
    opened_and_closed = noon(today, outcome=Outcome.ABANDONED, done=NOTHING)
    assert streak([opened_and_closed], today) == 0
    assert not history.is_counted(opened_and_closed)
    some_reps = noon(today, outcome=Outcome.ABANDONED, done={"draw-in": (2, 0)})
    assert streak([some_reps], today) == 1
    hurt_at_once = noon(today, outcome=Outcome.HURT, done=NOTHING)
    stopped = noon(yesterday, outcome=Outcome.STOPPED, done=NOTHING)
    assert streak([hurt_at_once, stopped], today) == 2
    # A session dated after today (a clock that was wrong) does not stretch the streak.
    assert streak([noon(today + timedelta(days=1)), noon(yesterday)], today) == 1


def test_streak_across_month_and_year_ends() -> None:
    feb = [noon(date(2026, 1, 30) + timedelta(days=n)) for n in range(4)]  # Jan 30 .. Feb 2
    assert streak(feb, date(2026, 2, 2)) == 4
    leap = [noon(date(2028, 2, 27) + timedelta(days=n)) for n in range(4)]  # .. Feb 29, Mar 1
    assert streak(leap, date(2028, 3, 1)) == 4
    year = [noon(date(2026, 12, 30) + timedelta(days=n)) for n in range(4)]  # .. Jan 2
    assert streak(year, date(2027, 1, 2)) == 4


def test_streak_over_the_spring_dst_change_uses_local_days(tz) -> None:
    # Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST. Stored in UTC on purpose.
    entries = [
        entry("2026-03-28T22:30:00+00:00"),  # Sat 28, 23:30 CET
        entry("2026-03-29T21:45:00+00:00"),  # Sun 29, 23:45 CEST
        entry("2026-03-29T22:10:00+00:00"),  # Mon 30, 00:10 CEST (still the 29th in UTC)
        entry("2026-03-30T22:20:00+00:00"),  # Tue 31, 00:20 CEST (the 30th in UTC)
    ]
    tz("Europe/Berlin")
    assert [e.day.day for e in entries] == [28, 29, 30, 31]
    assert streak(entries, date(2026, 3, 31)) == 4
    assert streak(entries, date(2026, 4, 1)) == 4  # last counted yesterday, across month end
    assert streak(entries, date(2026, 4, 2)) == 0
    # The same file read on a machine in UTC has other days: the 31st is empty there.
    tz("UTC")
    assert [e.day.day for e in entries] == [28, 29, 29, 30]
    assert streak(entries, date(2026, 3, 31)) == 3


def test_streak_and_calendar_over_the_autumn_dst_change(tz) -> None:
    # Europe/Berlin: 2026-10-25 03:00 CEST -> 02:00 CET, a 25-hour day.
    tz("Europe/Berlin")
    entries = [
        entry("2026-10-24T23:45:00+02:00"),
        entry("2026-10-25T02:30:00+02:00"),  # the first 02:30 of the day
        entry("2026-10-25T23:50:00+01:00"),
        entry("2026-10-25T23:05:00+00:00"),  # Mon 00:05 CET
    ]
    assert [e.day.day for e in entries] == [24, 25, 25, 26]
    assert streak(entries, date(2026, 10, 26)) == 3
    week = calendar(entries, date(2026, 10, 26), weeks=2)
    by_day = {cell.date: cell.sessions for row in week for cell in row}
    assert by_day[date(2026, 10, 24)] == 1
    assert by_day[date(2026, 10, 25)] == 2
    assert by_day[date(2026, 10, 26)] == 1


def test_a_session_just_before_midnight_belongs_to_that_local_day(tz) -> None:
    late = entry("2026-02-01T04:30:00+00:00")  # 23:30 on Jan 31 in New York
    tz("America/New_York")
    assert late.day == date(2026, 1, 31)
    assert streak([late], date(2026, 2, 1)) == 1  # yesterday, still current
    assert sessions_this_week([late], date(2026, 2, 1)) == 1  # Sat 31 and Sun 1: same ISO week
    assert calendar([late], date(2026, 2, 1), weeks=1)[0][5].sessions == 1  # Saturday
    tz("Asia/Tokyo")
    assert late.day == date(2026, 2, 1)


@settings(deadline=None)
@given(offsets=st.sets(st.integers(min_value=0, max_value=40), max_size=30))
def test_streak_matches_a_day_by_day_count(offsets: set[int]) -> None:
    today = date(2026, 3, 1)
    entries = [noon(today - timedelta(days=n)) for n in offsets]
    start = 0 if 0 in offsets else 1
    expected = 0
    while start + expected in offsets:
        expected += 1
    assert streak(entries, today) == expected


# --------------------------------------------------------------------------- week and calendar


def test_sessions_this_week_is_the_iso_week() -> None:
    wednesday = date(2026, 3, 4)
    entries = [
        noon(date(2026, 3, 1)),  # Sunday of the week before
        noon(date(2026, 3, 2)),  # Monday
        noon(date(2026, 3, 4)),
        noon(date(2026, 3, 4), outcome=Outcome.STOPPED),
        noon(date(2026, 3, 4), outcome=Outcome.ABANDONED, done=NOTHING),  # does not count
        noon(date(2026, 3, 9)),  # next Monday
    ]
    assert sessions_this_week(entries, wednesday) == 3
    assert sessions_this_week(entries, date(2026, 3, 2)) == 3  # Monday: the same week
    assert sessions_this_week(entries, date(2026, 3, 1)) == 1  # Sunday: the week before
    assert sessions_this_week(entries, date(2026, 3, 9)) == 1
    assert sessions_this_week([], wednesday) == 0


def test_calendar_is_weeks_by_seven_monday_first_ending_this_week() -> None:
    today = date(2026, 3, 4)  # a Wednesday
    entries = [
        noon(today, done={"draw-in": (5, 1)}),
        noon(today, done={"draw-in": (5, 1), "partial-curls": (10, 1)}),
        noon(date(2026, 1, 12)),  # first Monday of the window: 30 + 5 reps
        noon(date(2026, 1, 11)),  # the Sunday before: outside
        noon(date(2026, 2, 3), outcome=Outcome.ABANDONED, done={"draw-in": (2, 0)}),
        noon(date(2026, 2, 4), outcome=Outcome.ABANDONED, done=NOTHING),
    ]
    grid = calendar(entries, today)
    assert len(grid) == 8 and all(len(row) == 7 for row in grid)
    flat = [cell for row in grid for cell in row]
    assert flat[0].date == date(2026, 1, 12) and flat[0].date.weekday() == 0
    assert flat[-1].date == date(2026, 3, 8)
    assert all(b.date - a.date == timedelta(days=1) for a, b in itertools.pairwise(flat))
    cells = {cell.date: cell for cell in flat}
    assert (cells[today].sessions, cells[today].reps, cells[today].is_today) == (2, 20, True)
    assert (cells[date(2026, 1, 12)].sessions, cells[date(2026, 1, 12)].reps) == (1, 35)
    assert (cells[date(2026, 2, 3)].sessions, cells[date(2026, 2, 3)].reps) == (1, 2)
    assert (cells[date(2026, 2, 4)].sessions, cells[date(2026, 2, 4)].reps) == (0, 0)
    assert [c.in_future for c in grid[-1]] == [False, False, False, True, True, True, True]
    assert sum(c.is_today for c in flat) == 1
    assert sum(c.sessions for c in flat) == 4
    one = calendar([], date(2026, 3, 8))  # a Sunday: nothing in the future
    assert not any(c.in_future for row in one for c in row)
    assert len(calendar(entries, today, weeks=1)) == 1
    with pytest.raises(ValueError):
        calendar(entries, today, weeks=0)


# --------------------------------------------------------------------------- trend and totals


def test_pain_trend_is_in_time_order_without_skipped_checkins() -> None:
    entries = [
        entry("2026-03-03T08:00:00+00:00", checkin=4),
        entry("2026-03-01T08:00:00+00:00", checkin=7),
        entry("2026-03-02T08:00:00+00:00"),  # skipped
        entry("2026-03-02T06:00:00-05:00", checkin=5),  # 11:00 UTC, after the skipped one
        entry("2026-03-04T08:00:00+00:00", checkin=0),
    ]
    assert pain_trend(entries) == [7, 5, 4, 0]
    assert pain_trend([]) == []


def test_totals_per_exercise_in_the_order_first_done() -> None:
    entries = [
        entry("2026-03-02T08:00:00+00:00", done={"partial-curls": (30, 3), "draw-in": (5, 1)}),
        entry("2026-03-01T08:00:00+00:00", done={"bridges": (15, 1)}),
        entry("2026-03-03T08:00:00+00:00", done={"draw-in": (0, 0), "partial-curls": (12, 1)}),
    ]
    got = totals(entries)
    assert [(t.id, t.sets_done, t.reps_done, t.sessions) for t in got] == [
        ("bridges", 1, 15, 1),
        ("partial-curls", 4, 42, 2),
        ("draw-in", 1, 5, 1),
    ]
    assert got[1].name == "Partial Curls"
    assert totals([]) == []


def test_last_done_per_routine() -> None:
    entries = [
        entry("2026-03-01T08:00:00+00:00", minutes=10),
        entry("2026-03-03T08:00:00+00:00", minutes=12),
        entry("2026-03-02T08:00:00+00:00"),
        entry("2026-03-05T08:00:00+00:00", outcome=Outcome.ABANDONED, done=NOTHING),
        entry("2026-03-04T08:00:00+00:00", routine=("full", "Full routine"), minutes=30),
    ]
    assert last_done(entries) == {
        "quick-core": datetime(2026, 3, 3, 8, 12, tzinfo=UTC),
        "full": datetime(2026, 3, 4, 8, 30, tzinfo=UTC),
    }
    assert last_done([]) == {}


# --------------------------------------------------------------------------- text and CSV


def _twelve_sessions(today: date) -> list[HistoryEntry]:
    """Today, yesterday and the day before, then one every third day going back."""
    days = [today - timedelta(days=n) for n in (0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 26, 29)]
    return [noon(d, checkin=n % 11) for n, d in enumerate(reversed(days))]


def test_summary_text_shows_streak_week_calendar_trend_totals_and_last_ten() -> None:
    today = date(2026, 3, 4)  # Wednesday
    text = summary_text(_twelve_sessions(today), today)
    lines = text.splitlines()
    assert lines[0] == "Streak: 3 days in a row"
    assert lines[1] == "This week: 3 sessions"  # Mon 2, Tue 3, Wed 4
    assert "           Mo  Tu  We  Th  Fr  Sa  Su" in lines
    this_week = next(line for line in lines if line.startswith("  02 Mar"))
    assert this_week == "  02 Mar   1   1  [1]  -   -   -   -"
    assert "  0 1 2 3 4 5 6 7 8 9 10 0" in lines
    assert "  Draw In         12 sets    60 reps  in 12 sessions" in lines
    listed = [line for line in lines if line.startswith("  ") and "Quick core" in line]
    assert len(listed) == 10
    assert listed[0].startswith(
        "  Wed 2026-03-04 12:00  Quick core  finished  10 min  1 of 2 exercises, 35 of 60 reps"
    )
    assert listed[0].endswith("back 0/10")
    assert listed[-1].startswith("  Mon 2026-02-09")  # 23 days back; the two older are left out
    assert "2026-02-06" not in text and "2026-02-03" not in text
    assert "Last 10 sessions, newest first:" in lines


def test_summary_text_with_days_and_edge_cases() -> None:
    today = date(2026, 3, 4)
    entries = _twelve_sessions(today)
    text = summary_text(entries, today, days=3)
    assert text.startswith("Streak: 3 days in a row\n")  # streak still uses everything
    assert "Sessions in the last 3 days, newest first:" in text
    assert "  9 10 0" in text.splitlines()
    assert sum("Quick core" in line for line in text.splitlines()) == 3
    tomorrow = summary_text(entries, today + timedelta(days=1))
    assert tomorrow.startswith("Streak: 3 days in a row (a session today keeps it going)")
    assert summary_text(entries, today + timedelta(days=2)).startswith("Streak: 0 days\n")
    assert summary_text([], today).startswith("No sessions yet.")


def test_csv_has_a_header_and_one_row_per_session() -> None:
    entries = [
        entry(
            "2026-03-02T07:05:00+00:00",
            outcome=Outcome.HURT,
            done={"draw-in": (5, 1), "partial-curls": (4, 0)},
            checkin=7,
            minutes=6.5,
            paused=90,
        ),
        entry(
            "2026-03-01T23:50:00+00:00",
            done={"bridges": (45, 3)},
            routine=("mine", "Bridges, then rest"),
        ),
    ]
    out = io.StringIO()
    write_csv(entries, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    old = 18  # the columns before the ones added at the end: same names, same places
    assert rows[0][:old] == [
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
        "bridges_reps_done",
        "bridges_sets_done",
        "draw-in_reps_done",
        "draw-in_sets_done",
        "partial-curls_reps_done",
        "partial-curls_sets_done",
    ]
    assert rows[1][:old] == [
        "2026-03-01",
        "23:50",
        "00:00",
        "Bridges, then rest",
        "finished",
        "10.0",
        "0.0",
        "",
        "1",
        "1",
        "45",
        "30",
        "45",
        "3",
        "",
        "",
        "",
        "",
    ]
    assert rows[2][:old] == [
        "2026-03-02",
        "07:05",
        "07:13",
        "Quick core",
        "hurt",
        "6.5",
        "1.5",
        "7",
        "0",
        "2",
        "9",
        "60",
        "",
        "",
        "5",
        "1",
        "4",
        "0",
    ]
    assert len(rows) == 3


def test_csv_uses_local_dates_and_times(tz) -> None:
    tz("Europe/Berlin")
    out = io.StringIO()
    write_csv([entry("2026-03-29T22:10:00+00:00")], out)
    assert out.getvalue().splitlines()[1].startswith("2026-03-30,00:10,00:20,")
    empty = io.StringIO()
    write_csv([], empty)
    assert empty.getvalue() == ",".join((*history.CSV_COLUMNS, *history.CSV_MORE_COLUMNS)) + "\n"


def _dosed(start: str, **kw: object) -> HistoryEntry:
    """An entry whose exercises carry the dose they ran with (hold, reps per set)."""
    plain = entry(start, **kw)  # type: ignore[arg-type]
    doses = {"draw-in": (5, 5), "partial-curls": (0, 10), "bridges": (10, 15)}
    return plain.model_copy(
        update={
            "exercises": [
                ex.model_copy(update={"hold": doses[ex.id][0], "set_reps": doses[ex.id][1]})
                for ex in plain.exercises
            ]
        }
    )


def _csv_rows(records: list[history.Record]) -> list[dict[str, str]]:
    out = io.StringIO()
    write_csv(records, out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_csv_adds_pain_before_next_morning_dose_flare_and_where_it_hurt_at_the_end() -> None:
    from trainer.coaching import morning
    from trainer.records.history import HurtAt

    first = _dosed("2026-03-02T07:05:00+00:00", checkin=3).model_copy(update={"checkin_before": 4})
    hurt = _dosed(
        "2026-03-04T07:05:00+00:00", outcome=Outcome.HURT, done={"bridges": (21, 1)}, checkin=6
    ).model_copy(
        update={
            "hurt_at": HurtAt(exercise_id="bridges", side="left", set=2, rep=7, step="hold"),
            "flare": True,
        }
    )
    third = _dosed("2026-03-06T07:05:00+00:00")
    answers = [
        morning.record(first, first.ended_at + timedelta(hours=20), morning.Answer("worse", 5)),
        morning.record(hurt, hurt.ended_at + timedelta(hours=20), None),  # skipped
    ]
    out = io.StringIO()
    write_csv([first, hurt, third, *answers], out)
    header = next(csv.reader(io.StringIO(out.getvalue())))
    ids = ["draw-in", "partial-curls", "bridges"]
    assert header[12:] == [
        *(f"{i}_{what}" for i in ids for what in ("reps_done", "sets_done")),
        *history.CSV_MORE_COLUMNS,
        *(f"{i}_{what}" for i in ids for what in ("hold", "set_reps")),
    ]
    rows = _csv_rows([first, hurt, third, *answers])
    assert [r["checkin_before"] for r in rows] == ["4", "", ""]
    assert [r["morning_compared"] for r in rows] == ["worse", "skipped", ""]
    assert [r["morning_score"] for r in rows] == ["5", "", ""]
    assert [r["flare_day"] for r in rows] == ["0", "1", "0"]
    place = ["hurt_exercise", "hurt_side", "hurt_set", "hurt_rep", "hurt_step"]
    assert [rows[1][c] for c in place] == ["bridges", "left", "2", "7", "hold"]
    assert [rows[0][c] for c in place] == [""] * 5
    assert (rows[0]["draw-in_hold"], rows[0]["draw-in_set_reps"]) == ("5", "5")
    assert (rows[0]["partial-curls_hold"], rows[0]["partial-curls_set_reps"]) == ("0", "10")
    assert (rows[1]["bridges_hold"], rows[1]["bridges_set_reps"]) == ("10", "15")
    assert (rows[1]["draw-in_hold"], rows[0]["bridges_hold"]) == ("", "")  # not in it
    # An old line without the dose leaves its cells empty.
    assert _csv_rows([entry("2026-03-02T07:05:00+00:00")])[0]["draw-in_hold"] == ""


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
def test_csv_matches_a_next_morning_answer_across_midnight_and_time_zones(tz, zone) -> None:
    """A session at 23:50 (+01:00), answered the next morning after a flight (-08:00),
    read back in another zone still: the answer is on the session's row."""
    from trainer.coaching import morning

    tz(zone)
    late = entry("2026-03-01T23:50:00+01:00", checkin=2)
    answered_at = datetime.fromisoformat("2026-03-02T07:30:00-08:00")
    answer = morning.record(late, answered_at, morning.Answer("better", 1))
    line = json.loads(answer.model_dump_json())
    assert line["session_started_at"] == "2026-03-01T23:50:00+01:00"
    # The line as read back from the file, with the session time written in another offset.
    shifted = history.MorningCheck.model_validate(
        {**line, "session_started_at": "2026-03-01T22:50:00+00:00"}
    )
    for read_back in (answer, shifted):
        (row,) = _csv_rows([late, read_back])
        assert (row["morning_compared"], row["morning_score"]) == ("better", "1")
        assert row["date"] == late.started_at.astimezone().date().isoformat()


def test_csv_cells_from_files_never_start_a_formula_or_carry_control_characters() -> None:
    from trainer.records.history import HurtAt

    bad = entry("2026-03-02T07:05:00+00:00", outcome=Outcome.HURT).model_copy(
        update={
            "hurt_at": HurtAt(exercise_id="=HYPERLINK(1)", side="@x", set=1, rep=1, step="-\x1b[2J")
        }
    )
    (row,) = _csv_rows([bad])
    assert row["hurt_exercise"] == "'=HYPERLINK(1)"
    assert row["hurt_side"] == "'@x"
    assert row["hurt_step"].startswith("'-") and "\x1b" not in row["hurt_step"]


# --------------------------------------------------------------------------- trainer history


def _write_recent(path: Path) -> date:
    today = date.today()
    for n in (0, 1, 20):
        start = datetime.combine(today - timedelta(days=n), datetime.min.time()).astimezone()
        append_entry(entry((start + timedelta(hours=12)).isoformat(), checkin=n % 10), path)
    return today


def test_cli_history_prints_the_summary(data_home: Path, capsys) -> None:
    _write_recent(data_home)
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("Streak: 2 days in a row\n")
    assert "This week:" in out and "Last 3 sessions, newest first:" in out
    assert "  0 1 0" in out.splitlines()


def test_cli_history_csv_and_days(data_home: Path, capsys) -> None:
    today = _write_recent(data_home)
    assert main(["history", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:3] == ["date", "start", "end"] and len(rows) == 4
    assert rows[-1][0] == today.isoformat()
    assert main(["history", "--csv", "--days", "7"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [r[0] for r in rows[1:]] == [
        (today - timedelta(days=1)).isoformat(),
        today.isoformat(),
    ]
    with pytest.raises(SystemExit) as bad:
        main(["history", "--days", "0"])
    assert bad.value.code == 2
    assert "--days: must be at least 1" in capsys.readouterr().err


def test_cli_history_warns_about_a_damaged_line_and_still_succeeds(data_home: Path, capsys) -> None:
    _write_recent(data_home)
    with data_home.open("ab") as handle:
        handle.write(b'{"version": 1, "started_at": "2026-')
    assert main(["history", "--csv"]) == 0
    out, err = capsys.readouterr()
    assert len(list(csv.reader(io.StringIO(out)))) == 4
    assert err.startswith(f"trainer: warning: {data_home}:4: skipped a damaged line (not JSON: ")
    assert err.count("\n") == 1
    assert main(["history"]) == 0
    assert "skipped a damaged line" in capsys.readouterr().err


def test_cli_history_without_sessions_or_with_an_unreadable_file(data_home: Path, capsys) -> None:
    assert main(["history"]) == 0
    assert capsys.readouterr().out.startswith("No sessions yet.")
    assert main(["history", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("date,start,end,routine,outcome,")
    data_home.mkdir(parents=True)  # a folder in place of the file
    assert main(["history"]) == 2
    out, err = capsys.readouterr()
    assert (
        out == ""
        and err == f"trainer: {data_home}: cannot read the history: it is a folder, not a file\n"
    )


# --------------------------------------------------------------------------- honest records


def test_a_session_with_no_rep_done_is_never_last_done() -> None:
    entries = [
        entry("2026-03-01T08:00:00+00:00"),
        entry("2026-03-06T08:00:00+00:00", outcome=Outcome.STOPPED, done=NOTHING),
        entry("2026-03-07T08:00:00+00:00", outcome=Outcome.HURT, done=NOTHING),
        entry("2026-03-08T08:00:00+00:00", outcome=Outcome.PARTIAL, done=NOTHING),
    ]
    assert last_done(entries) == {"quick-core": datetime(2026, 3, 1, 8, 10, tzinfo=UTC)}


def test_skipping_through_a_routine_is_partial_with_the_counts(routines, clock) -> None:
    plan = plan_for(routines, "quick-core")
    session = Session(plan, clock)
    session.start()
    # Draw-in maneuvers done whole (every rep), then everything else skipped to the end.
    draw_in = plan.exercises[0]
    clock.advance(plan.steps[plan.exercises[1].first_step].offset)
    while not session.view().state.is_over:
        session.skip()
    assert history.outcome_of(session) is Outcome.PARTIAL
    made = entry_from_session(
        session,
        started_at=datetime(2026, 3, 1, 8, tzinfo=UTC),
        ended_at=datetime(2026, 3, 1, 8, 9, tzinfo=UTC),
        outcome=history.outcome_of(session),
    )
    assert made.amount == f"1 of 2 exercises, {draw_in.reps} of {draw_in.reps + 30} reps"
    assert made.outcome.label == "partly done"


def test_a_routine_run_to_the_end_is_finished(routines, clock) -> None:
    plan = plan_for(routines, "quick-core")
    session = Session(plan, clock)
    session.start()
    clock.advance(plan.total)
    assert history.outcome_of(session) is Outcome.FINISHED


def test_old_history_lines_still_load() -> None:
    line = (
        '{"version":1,"started_at":"2026-03-01T08:00:00+00:00",'
        '"ended_at":"2026-03-01T08:10:00+00:00","routine_id":"full","routine_name":"Full",'
        '"active_seconds":600,"outcome":"finished","exercises":[]}'
    )
    old = HistoryEntry.model_validate_json(line)
    assert (old.outcome, old.amount) == (Outcome.FINISHED, "0 of 0 exercises, 0 of 0 reps")


def test_the_pain_chart_uses_a_fixed_scale() -> None:
    """3, 4, 3: three bars of nearly equal height (1.5, 2, 1.5 rows), not a 0-to-max sketch."""
    chart = history.pain_chart([3, 4, 3])
    assert chart == [
        "10 ┤",
        " 8 ┤",
        " 6 ┤",
        " 4 ┤ ▄▄ ██ ▄▄",
        " 2 ┤ ██ ██ ██",
        " 0 └─────────",
        "      3  4  3",
    ]
    # A 3 looks like a 3 whatever the other readings are.
    assert history.pain_chart([3, 10])[3:5] == [" 4 ┤ ▄▄ ██", " 2 ┤ ██ ██"]
    assert history.pain_chart([10])[0] == "10 ┤ ██"
    assert history.pain_chart([0])[:5] == ["10 ┤", " 8 ┤", " 6 ┤", " 4 ┤", " 2 ┤"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("active_seconds", 1e308),
        ("paused_seconds", 1e300),
        ("exercises.0.reps_done", 10**30),
        ("exercises.0.reps", 10**30),
        ("exercises.0.sets_done", 10**30),
        ("exercises.0.hold", 10**30),
        ("exercises.0.set_reps", 10**6),
    ],
)
def test_a_number_no_session_can_have_is_a_damaged_line(
    tmp_path: Path, field: str, value: float
) -> None:
    """A hand-edited (or corrupted) line with a 300-digit number is skipped with the one-line
    warning, like any damaged line: never a 300-digit column in `trainer history` or the CSV."""
    path = tmp_path / "history.jsonl"
    good = entry("2026-03-01T08:00:00+00:00")
    data = json.loads(good.model_dump_json())
    target = data
    *parents, last = field.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = value
    path.write_text(json.dumps(data) + "\n" + good.model_dump_json() + "\n", encoding="utf-8")
    entries, warnings = read_entries(path)
    assert entries == [good]
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:1: skipped a damaged line")
