"""The next-morning check: when it is asked (a fake clock on crafted histories: across midnight,
across time zones, never twice), how it feeds the dose rules, and the flow that asks it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from memory_store import MemoryStore, Wall

from trainer.coaching import dose, morning
from trainer.coaching.flow import AskMorning, Flow, ShowAdvice, StartOptions
from trainer.coaching.lifecycle import Workout
from trainer.coaching.morning import MAX_DAYS_AFTER, MIN_HOURS_AFTER, Answer
from trainer.engine import ManualClock
from trainer.programme.schema import RoutinesFile
from trainer.records.history import ExerciseLog, HistoryEntry, MorningCheck, Outcome

PARIS = timezone(timedelta(hours=1))
BERLIN_SUMMER = timezone(timedelta(hours=2))
NEW_YORK = timezone(timedelta(hours=-5))
TOKYO = timezone(timedelta(hours=9))


@pytest.fixture
def tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Set the machine's time zone (``TZ``) for the test: ``tz("EST5")``."""

    def set_tz(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    set_tz("CET-1")
    yield set_tz
    monkeypatch.undo()
    time.tzset()


def logs(reps_done: int | None = None) -> list[ExerciseLog]:
    planned = [("cat-stretch", 0, 3, 1), ("draw-in", 5, 5, 1), ("bridges", 10, 15, 3)]
    return [
        ExerciseLog(
            id=ex_id,
            name=ex_id,
            sets_done=sets,
            sets=sets,
            reps_done=reps * sets if reps_done is None else reps_done,
            reps=reps * sets,
            hold=hold,
            set_reps=reps,
        )
        for ex_id, hold, reps, sets in planned
    ]


def session(
    start: datetime,
    minutes: int = 20,
    *,
    outcome: Outcome = Outcome.FINISHED,
    pain: int | None = 3,
    reps_done: int | None = None,
) -> HistoryEntry:
    return HistoryEntry(
        started_at=start,
        ended_at=start + timedelta(minutes=minutes),
        routine_id="gentle",
        routine_name="Gentle mobility",
        active_seconds=minutes * 60,
        outcome=outcome,
        exercises=logs(reps_done),
        checkin_before=pain,
        checkin=pain,
    )


def answer(entry: HistoryEntry, compared: str | None, score: int | None = None) -> MorningCheck:
    at = entry.ended_at + timedelta(hours=12)
    return morning.record(entry, at, None if compared is None else Answer(compared, score))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- when it is asked


def test_asked_the_next_calendar_day_not_the_same_evening(tz) -> None:
    yesterday = session(datetime(2026, 3, 2, 7, 30, tzinfo=PARIS))
    assert morning.due([yesterday], datetime(2026, 3, 2, 21, 0, tzinfo=PARIS)) is None
    assert morning.due([yesterday], datetime(2026, 3, 3, 7, 0, tzinfo=PARIS)) == yesterday
    assert morning.question(yesterday, datetime(2026, 3, 3, 7, 0, tzinfo=PARIS)) == (
        "How is your back this morning compared with before yesterday's session?"
    )


def test_a_session_that_ends_after_midnight_is_asked_about_the_next_morning(tz) -> None:
    late = session(datetime(2026, 3, 2, 23, 30, tzinfo=PARIS), minutes=50)  # ends 00:20
    assert late.ended_at.date() == datetime(2026, 3, 3).date()
    just_after = datetime(2026, 3, 3, 0, 40, tzinfo=PARIS)  # a later date, but the same night
    assert morning.due([late], just_after) is None
    assert morning.due([late], late.ended_at + timedelta(hours=MIN_HOURS_AFTER)) == late
    assert morning.due([late], datetime(2026, 3, 3, 7, 0, tzinfo=PARIS)) == late


def test_never_asked_twice_for_the_same_session_answered_or_skipped(tz) -> None:
    s = session(datetime(2026, 3, 2, 7, 30, tzinfo=PARIS))
    morning_after = datetime(2026, 3, 3, 7, 0, tzinfo=PARIS)
    for given in (answer(s, "same", 2), answer(s, None)):
        assert morning.due([s, given], morning_after) is None
        assert morning.due([s, given], morning_after + timedelta(days=1)) is None
    # An answer about another session does not count for this one.
    other = answer(session(datetime(2026, 3, 1, 7, 30, tzinfo=PARIS)), "worse")
    assert morning.due([s, other], morning_after) == s


def test_not_asked_about_a_session_more_than_three_days_ago(tz) -> None:
    s = session(datetime(2026, 3, 2, 7, 30, tzinfo=PARIS))
    two_days = datetime(2026, 3, 4, 7, 0, tzinfo=PARIS)
    assert morning.due([s], two_days) == s
    assert morning.question(s, two_days) == (
        "How is your back this morning compared with before Monday's session?"
    )
    assert morning.due([s], s.ended_at + timedelta(days=MAX_DAYS_AFTER)) == s
    assert morning.due([s], s.ended_at + timedelta(days=MAX_DAYS_AFTER, minutes=1)) is None


def test_only_the_last_session_is_asked_about_and_an_empty_opening_is_not_one(tz) -> None:
    first = session(datetime(2026, 3, 2, 7, 30, tzinfo=PARIS))
    second = session(datetime(2026, 3, 2, 18, 0, tzinfo=PARIS))
    opened = session(
        datetime(2026, 3, 2, 19, 0, tzinfo=PARIS), outcome=Outcome.ABANDONED, reps_done=0
    )
    assert morning.due([first, second, opened], datetime(2026, 3, 3, 7, tzinfo=PARIS)) == second
    assert morning.due([], datetime(2026, 3, 3, 7, tzinfo=PARIS)) is None


def test_flying_west_after_an_evening_session(tz) -> None:
    """A session at 22:00 in Berlin (20:00 UTC); the person lands in New York the same day."""
    s = session(datetime(2026, 3, 2, 22, 0, tzinfo=BERLIN_SUMMER), minutes=30)
    tz("EST5")
    evening_there = datetime(2026, 3, 2, 23, 0, tzinfo=NEW_YORK)  # 5.5 h later, same date
    assert morning.due([s], evening_there) is None
    assert morning.due([s], datetime(2026, 3, 3, 7, 0, tzinfo=NEW_YORK)) == s


def test_flying_east_moves_the_date_on_but_not_the_night(tz) -> None:
    """A session at 20:00 in New York (01:00 UTC the next day); an hour and a half later it is
    already the next date in Tokyo: not a morning after yet."""
    s = session(datetime(2026, 3, 2, 20, 0, tzinfo=NEW_YORK), minutes=30)
    tz("JST-9")
    assert morning.due([s], datetime(2026, 3, 3, 12, 0, tzinfo=TOKYO)) is None  # 1.5 h after
    assert morning.due([s], datetime(2026, 3, 4, 7, 0, tzinfo=TOKYO)) == s


def test_the_answer_is_kept_with_the_session_it_is_about(tz) -> None:
    s = session(datetime(2026, 3, 2, 7, 30, tzinfo=PARIS))
    line = morning.record(s, datetime(2026, 3, 3, 7, 5, tzinfo=PARIS), Answer("worse", 6))
    assert (line.kind, line.compared, line.score, line.skipped) == ("morning", "worse", 6, False)
    assert line.session_started_at == s.started_at
    assert morning.record(s, line.at, None).skipped
    with pytest.raises(ValueError):
        morning.record(s, line.at, Answer("fine", 2))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        morning.record(s, line.at, Answer("same", 11))


# --------------------------------------------------------------------------- the dose rules


def calm_days(n: int) -> list[HistoryEntry]:
    """``n`` calm, complete sessions at the shipped doses, one a day."""
    return [session(datetime(2026, 3, 2 + i, 7, 30, tzinfo=PARIS)) for i in range(n)]


def test_no_step_up_while_the_last_24_hour_response_is_unknown_or_worse(
    routines: RoutinesFile, tz
) -> None:
    limits = dose.article_limits(routines)
    days = calm_days(3)
    # Unknown: never asked.
    assert dose.suggestions(days, routines, limits) == []
    # Unknown: skipped.
    assert dose.suggestions([*days, answer(days[1], None)], routines, limits) == []
    # Worse the morning after the session before this one.
    worse = [*days, answer(days[1], "worse", 4)]
    assert [s.rule for s in dose.suggestions(worse, routines, limits)] == []
    # Known and not worse: the calm run may step up.
    for compared in ("same", "better"):
        found = dose.suggestions([*days, answer(days[1], compared)], routines, limits)
        assert {s.exercise_id: s.rule for s in found} == {
            "cat-stretch": dose.Rule.PROGRESS,
            "bridges": dose.Rule.PROGRESS,
        }


def test_worse_next_morning_twice_in_a_row_suggests_easing_off(routines: RoutinesFile, tz) -> None:
    limits = dose.article_limits(routines)
    routines.exercise("bridges").hold = 12
    days = calm_days(3)
    once = [*days, answer(days[0], "same"), answer(days[1], "worse")]
    assert all(s.rule is not dose.Rule.EASE_OFF for s in dose.suggestions(once, routines, limits))
    twice = [*days, answer(days[0], "worse"), answer(days[1], "worse")]
    found = {s.exercise_id: s for s in dose.suggestions(twice, routines, limits)}
    assert set(found) == {"cat-stretch", "draw-in", "bridges"}
    assert all(s.rule is dose.Rule.EASE_OFF for s in found.values())
    assert (found["bridges"].change, found["bridges"].old, found["bridges"].new) == ("hold", 12, 10)
    assert "worse the next morning 2 times in a row" in found["bridges"].reason
    # A skipped morning in between is passed over; an answer that is not "worse" breaks it.
    skipped = [*twice[:3], answer(days[0], "worse"), answer(days[1], None)]
    assert dose.worse_mornings([*skipped, answer(days[2], "worse")])
    assert not dose.worse_mornings([*twice, answer(days[2], "better")])


# --------------------------------------------------------------------------- the flow


@pytest.fixture
def flow_at(routines: RoutinesFile, clock: ManualClock):
    def build(store: MemoryStore, now: datetime) -> Flow:
        workout = Workout(
            Path("/home/me/routines.toml"), routines, clock=clock, now=lambda: now, store=store
        )
        return Flow(workout, StartOptions())

    return build


def test_the_flow_asks_once_at_the_first_launch_and_records_the_answer(flow_at, tz) -> None:
    store = MemoryStore()
    s = session(datetime(2026, 3, 2, 7, 30, tzinfo=PARIS))
    store.history.append(s)
    now = datetime(2026, 3, 3, 7, 0, tzinfo=PARIS)
    flow = flow_at(store, now)
    (step,) = flow.history_read(list(store.history))
    assert isinstance(step, AskMorning)
    assert step.question == morning.QUESTION
    assert flow.history_read(list(store.history)) == [], "once a run"
    assert step.then(Answer("better", 2)) == []
    (line,) = [r for r in store.history if isinstance(r, MorningCheck)]
    assert (line.session_started_at, line.compared, line.score) == (s.started_at, "better", 2)
    assert line.at == now
    # The next launch that morning: already answered.
    assert flow_at(store, now + timedelta(hours=1)).history_read(list(store.history)) == []


def test_skipping_is_recorded_so_it_is_not_asked_again(flow_at, tz) -> None:
    store = MemoryStore()
    store.history.append(session(datetime(2026, 3, 2, 7, 30, tzinfo=PARIS)))
    now = datetime(2026, 3, 3, 7, 0, tzinfo=PARIS)
    (step,) = flow_at(store, now).history_read(list(store.history))
    assert isinstance(step, AskMorning)
    step.then(None)
    assert isinstance(store.history[-1], MorningCheck) and store.history[-1].skipped
    assert flow_at(store, now).history_read(list(store.history)) == []


def test_the_doctor_advice_is_read_first_then_the_question(flow_at, tz) -> None:
    store = MemoryStore()
    for i in range(3):
        store.history.append(session(datetime(2026, 3, 1 + i, 7, 30, tzinfo=PARIS), pain=7))
    steps = flow_at(store, datetime(2026, 3, 4, 7, 0, tzinfo=PARIS)).history_read(
        list(store.history)
    )
    # Pushed in this order: the advice ends on top, so it is read first.
    assert [type(s) for s in steps] == [AskMorning, ShowAdvice]


def test_a_wall_clock_moved_with_the_fake_clock_reaches_the_next_morning(
    routines: RoutinesFile, clock: ManualClock, tz
) -> None:
    store = MemoryStore()
    wall = Wall(clock)
    workout = Workout(Path("/x/routines.toml"), routines, clock=clock, now=wall, store=store)
    store.history.append(session(wall() - timedelta(hours=1)))
    assert workout.morning_due(store.history) is None
    clock.advance(24 * 3600)
    due = workout.morning_due(store.history)
    assert due is not None and due[0] == store.history[0]


def test_the_answers_go_through_the_history_file(isolated_dirs, tz) -> None:
    from trainer.records import history

    s = session(datetime(2026, 3, 2, 7, 30, tzinfo=PARIS))
    history.append_entry(s)
    history.append_entry(answer(s, "better", 1))
    history.append_entry(answer(s, None))
    recs, warnings = history.read_history()
    assert warnings == []
    assert [type(r).__name__ for r in recs] == ["HistoryEntry", "MorningCheck", "MorningCheck"]
    checks = [r for r in recs if isinstance(r, MorningCheck)]
    assert [(c.compared, c.score) for c in checks] == [("better", 1), (None, None)]
    assert history.read_entries()[0] == [s]
