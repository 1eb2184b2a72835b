"""``trainer remind``: the iCalendar file parsed back with the icalendar library, the plan kept in
the routines file, and what the routine list says about the next and the missed planned day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest

from trainer import cli
from trainer.outputs import remind
from trainer.programme import loading
from trainer.programme.schema import Settings
from trainer.records.history import ExerciseLog, HistoryEntry, Outcome
from trainer.storage import files

THURSDAY = date(2026, 11, 26)


def reminder(**kw) -> remind.Reminder:
    values = {
        "routine_id": "full",
        "routine_name": "Full lower-back routine",
        "seconds": 2332,
        "exercises": ["Bridges", "Draw-in maneuvers"],
        "days": ["mon", "wed", "fri"],
        "at": "07:30",
    }
    values.update(kw)
    return remind.Reminder(**values)


def parse(text: str) -> icalendar.Event:
    cal = icalendar.Calendar.from_ical(text)
    assert cal["VERSION"] == "2.0" and str(cal["PRODID"]).startswith("-//trainer//")
    (event,) = cal.walk("VEVENT")
    return event


def test_a_weekly_event_on_the_planned_days_with_an_alarm_at_its_start() -> None:
    stamp = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    text = remind.calendar(reminder(), today=THURSDAY, stamp=stamp)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    event = parse(text)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE", "FR"]
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 11, 27, 7, 30) and start.tzinfo is None  # Friday, floating
    assert event.decoded("DURATION") == timedelta(minutes=39)
    assert str(event["SUMMARY"]) == "Back exercises: Full lower-back routine (39 min)"
    assert "Bridges, Draw-in maneuvers" in str(event["DESCRIPTION"])
    assert "trainer --start full" in str(event["DESCRIPTION"])
    assert "How is your back this morning compared with before yesterday's session?" in str(
        event["DESCRIPTION"]
    )
    assert event.decoded("DTSTAMP") == stamp
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(0)
    assert "Full lower-back routine" in str(alarm["DESCRIPTION"])


def test_today_is_the_first_day_when_it_is_planned() -> None:
    event = parse(remind.calendar(reminder(days=["thu"]), today=THURSDAY, stamp=datetime.now(UTC)))
    assert event.decoded("DTSTART") == datetime(2026, 11, 26, 7, 30)


def test_names_with_commas_newlines_and_long_unicode_survive_the_round_trip() -> None:
    name = "Rücken, sanft; morgens\\ " + "é" * 60 + "\n\x1b[2Jend"
    text = remind.calendar(reminder(routine_name=name), today=THURSDAY, stamp=datetime.now(UTC))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\x1b" not in text
    summary = str(parse(text)["SUMMARY"])
    assert summary == f"Back exercises: {name.replace(chr(27), '')} (39 min)"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "give at least one day"),
        ("mon,funday", "'funday' is not a day; use mon,tue,wed,thu,fri,sat,sun"),
        ("mon,mon", "a day is listed twice"),
    ],
)
def test_bad_days_say_what_to_write(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        remind.parse_days(text)


def test_days_and_times_are_normalised() -> None:
    assert remind.parse_days(" FRI,mon ,wed") == ["mon", "wed", "fri"]
    assert remind.parse_at("7:30") == "07:30"
    for bad in ("24:00", "7", "07:3", "7:60", "seven"):
        with pytest.raises(ValueError):
            remind.parse_at(bad)


def test_cli_remind_writes_the_file_and_keeps_the_plan_in_the_routines_file(
    isolated_dirs, tmp_path, capsys
) -> None:
    out = tmp_path / "plan.ics"
    assert cli.main(["remind", "--days", "tue,thu", "--at", "18:05", "--out", str(out)]) == 0
    event = parse(out.read_text())
    assert event["RRULE"]["BYDAY"] == ["TU", "TH"]
    assert event.decoded("DTSTART").time() == time(18, 5)
    path = files.user_routines_path()
    settings = loading.load_routines(path).settings
    assert (settings.plan_days, settings.plan_at) == (["tue", "thu"], "18:05")
    assert "Plan saved in" in capsys.readouterr().err
    # Again with the same plan: the file is not rewritten.
    before = path.stat().st_mtime_ns
    assert cli.main(["remind", "--days", "tue,thu", "--at", "18:05", "--out", "-"]) == 0
    assert path.stat().st_mtime_ns == before
    again = capsys.readouterr()
    assert "BEGIN:VCALENDAR" in again.out
    assert f"Plan unchanged in {path}: tue, thu at 18:05" in again.err  # not "saved"
    # A routine of one's choice; a bad one or bad days are one line and status 2.
    assert (
        cli.main(
            [
                "remind",
                "--days",
                "sat",
                "--at",
                "9:00",
                "--routine",
                "quick-core",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "Quick core" in str(parse(out.read_text())["SUMMARY"])
    assert cli.main(["remind", "--days", "sat", "--at", "9:00", "--routine", "nope"]) == 2
    assert "no routine has id 'nope' (known: full, quick-core, gentle)" in capsys.readouterr().err
    assert cli.main(["remind", "--days", "someday", "--at", "9:00"]) == 2
    assert "--days: 'someday' is not a day" in capsys.readouterr().err


def test_the_settings_screen_does_not_drop_the_plan(isolated_dirs) -> None:
    from trainer.programme.editing import apply_edits

    routines = loading.load_routines(loading.ensure_user_routines())
    settings = routines.settings.model_copy(update={"plan_days": ["mon"], "plan_at": "07:00"})
    routines = routines.model_copy(update={"settings": settings})
    result = apply_edits(routines, {}, {}, {"bell": "off"})
    assert result.routines is not None and result.routines.settings.plan_days == ["mon"]


def test_plan_days_are_checked_in_the_file(tmp_path) -> None:
    text = (
        loading.default_routines_bytes()
        .decode()
        .replace("checkin_before = false\n", 'checkin_before = false\nplan_days = ["mon", "mon"]\n')
    )
    path = tmp_path / "r.toml"
    path.write_text(text)
    with pytest.raises(Exception, match="plan_days lists a day twice"):
        loading.load_routines(path)
    path.write_text(text.replace('["mon", "mon"]', '["mon"]\nplan_at = "7:30"'))
    with pytest.raises(Exception, match="plan_at"):
        loading.load_routines(path)


# --------------------------------------------------------------------------- the list's line


def plan(*days: str) -> Settings:
    return Settings(plan_days=list(days), plan_at="07:30")


def done_on(day: date) -> HistoryEntry:
    start = datetime.combine(day, time(7, 31), tzinfo=UTC)
    return HistoryEntry(
        started_at=start,
        ended_at=start + timedelta(minutes=20),
        routine_id="full",
        routine_name="Full",
        active_seconds=1200,
        outcome=Outcome.FINISHED,
        exercises=[ExerciseLog(id="b", name="B", sets_done=1, sets=1, reps_done=5, reps=5)],
    )


def test_next_planned_day_and_a_missed_one() -> None:
    thursday_morning = datetime(2026, 11, 26, 6, 0)
    assert remind.plan_line(Settings(), [], thursday_morning) == ""
    assert remind.plan_line(plan("thu"), [], thursday_morning) == (
        "Next planned: today 07:30; missed Thursday 19 Nov"
    )
    later = thursday_morning.replace(hour=8)
    assert remind.plan_line(plan("fri"), [], later) == (
        "Next planned: tomorrow 07:30; missed Friday 20 Nov"
    )
    wednesday = date(2026, 11, 25)
    assert remind.plan_line(plan("mon", "wed"), [done_on(wednesday)], later) == (
        "Next planned: Monday 07:30"
    )
    assert remind.missed(plan("mon", "wed"), [done_on(wednesday)], THURSDAY) is None
    assert remind.missed(plan("mon", "wed"), [done_on(date(2026, 11, 23))], THURSDAY) == wednesday
    # History not read yet: no claim about a missed day.
    assert remind.plan_line(plan("mon"), None, later) == "Next planned: Monday 07:30"
