"""The dose rules, on hand-written histories: progress, ease off, see a doctor, and the edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from trainer.coaching import dose, morning
from trainer.coaching.dose import Rule, Suggestion
from trainer.programme.schema import RoutinesFile
from trainer.records.history import (
    DoseChange,
    ExerciseLog,
    HistoryEntry,
    HurtAt,
    MorningCheck,
    Outcome,
)

START = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


def ex_log(ex_id: str, *, hold: int | None, set_reps: int | None, sets: int = 1, done=None):
    planned = (set_reps or 0) * sets
    return ExerciseLog(
        id=ex_id,
        name=ex_id.title(),
        sets_done=sets if done is None else 0,
        sets=sets,
        reps_done=planned if done is None else done,
        reps=planned,
        hold=hold,
        set_reps=set_reps,
    )


def session(
    n: int,
    *,
    after: int | None,
    before: int | None = None,
    outcome: Outcome = Outcome.FINISHED,
    routine: str = "gentle",
    logs: list[ExerciseLog] | None = None,
    hurt_at: HurtAt | None = None,
) -> HistoryEntry:
    """Session ``n`` (one a day), of the shipped gentle routine at the shipped doses."""
    start = START + timedelta(days=n)
    return HistoryEntry(
        started_at=start,
        ended_at=start + timedelta(minutes=10),
        routine_id=routine,
        routine_name=routine.title(),
        active_seconds=600,
        outcome=outcome,
        exercises=logs if logs is not None else gentle_logs(),
        checkin=after,
        checkin_before=before,
        hurt_at=hurt_at,
    )


def gentle_logs(*, bridges_hold: int = 10, cat_reps: int = 3, bridges_done=None):
    return [
        ex_log("cat-stretch", hold=0, set_reps=cat_reps),
        ex_log("draw-in", hold=5, set_reps=5),
        ex_log("bridges", hold=bridges_hold, set_reps=15, sets=3, done=bridges_done),
    ]


def calm(n: int, **kw) -> HistoryEntry:
    return session(n, before=3, after=3, **kw)


def suggest(
    records: list[HistoryEntry | DoseChange | MorningCheck],
    routines: RoutinesFile,
    limits: dict[str, dose.Limit],
) -> list[Suggestion]:
    """The rules' suggestions, each session of ``records`` answered "same" the next morning
    unless it already has an answer (tests of the next-morning rule: tests/test_morning.py)."""
    answered = {r.session_started_at for r in records if isinstance(r, MorningCheck)}
    mornings = [
        morning.record(e, e.ended_at + timedelta(hours=12), morning.Answer("same"))
        for e in records
        if isinstance(e, HistoryEntry) and e.started_at not in answered
    ]
    return dose.suggestions([*records, *mornings], routines, limits)


@pytest.fixture
def limits(routines: RoutinesFile) -> dict[str, dose.Limit]:
    return dose.article_limits(routines)


def by_id(found: list[Suggestion]) -> dict[str, Suggestion]:
    return {s.exercise_id: s for s in found}


# --------------------------------------------------------------------------- progress


def test_three_calm_sessions_suggest_one_more_second_and_one_more_rep(routines, limits) -> None:
    history = [calm(1), calm(2), calm(3)]
    found = by_id(suggest(history, routines, limits))
    assert set(found) == {"bridges", "cat-stretch"}, "draw-in has no range: never progresses"
    bridges = found["bridges"]
    assert (bridges.rule, bridges.change, bridges.old, bridges.new) == (
        Rule.PROGRESS,
        "hold",
        10,
        11,
    )
    assert bridges.text == "Bridges: hold 11 s instead of 10 s"
    cat = found["cat-stretch"]
    assert (cat.change, cat.old, cat.new) == ("reps", 3, 4)


def test_two_calm_sessions_are_not_enough(routines, limits) -> None:
    assert suggest([calm(1), calm(2)], routines, limits) == []


def test_pain_after_higher_than_before_breaks_the_run(routines, limits) -> None:
    history = [calm(1), calm(2), session(3, before=3, after=4)]
    assert suggest(history, routines, limits) == []
    history = [session(1, before=2, after=3), calm(2), calm(3)]
    assert suggest(history, routines, limits) == []


def test_a_missing_checkin_after_breaks_the_run(routines, limits) -> None:
    assert suggest([calm(1), session(2, before=3, after=None), calm(3)], routines, limits) == []


def test_a_skipped_checkin_before_compares_with_the_last_level_given(routines, limits) -> None:
    # Not asked before: the level before is the last check-in of an earlier session.
    history = [calm(0), session(1, after=3), session(2, after=2), session(3, after=2)]
    assert {s.exercise_id for s in suggest(history, routines, limits)} == {
        "bridges",
        "cat-stretch",
    }
    rising = [calm(0), session(1, after=3), session(2, after=4), session(3, after=4)]
    assert suggest(rising, routines, limits) == []
    # With no check-in at all before the first session, it cannot count.
    assert (
        suggest([session(1, after=3), session(2, after=3), session(3, after=3)], routines, limits)
        == []
    )


def test_a_partial_session_counts_only_for_exercises_done_in_full(routines, limits) -> None:
    partial = calm(3, outcome=Outcome.STOPPED, logs=gentle_logs(bridges_done=20))
    found = by_id(suggest([calm(1), calm(2), partial], routines, limits))
    assert set(found) == {"cat-stretch"}


def test_sessions_without_the_exercise_are_passed_over(routines, limits) -> None:
    other = session(
        2, before=3, after=3, routine="quick-core", logs=[ex_log("draw-in", hold=5, set_reps=5)]
    )
    history = [calm(1), other, calm(3), calm(4)]
    assert {s.exercise_id for s in suggest(history, routines, limits)} == {
        "bridges",
        "cat-stretch",
    }


def test_only_sessions_at_the_current_dose_count(routines, limits) -> None:
    # Two calm sessions at 10 s, then the hold became 11 s: one session at 11 s is not a run.
    routines.exercise("bridges").hold = 11
    history = [calm(1), calm(2), calm(3, logs=gentle_logs(bridges_hold=11))]
    assert "bridges" not in by_id(suggest(history, routines, limits))
    # Lines written before the dose was recorded do not count either.
    old = [
        calm(
            n,
            logs=[
                ExerciseLog(
                    id="bridges", name="Bridges", sets_done=3, sets=3, reps_done=45, reps=45
                )
            ],
        )
        for n in (1, 2, 3)
    ]
    routines.exercise("bridges").hold = 10
    assert suggest(old, routines, limits) == []


def test_progress_stops_at_the_top_of_the_range_and_of_the_article(routines, limits) -> None:
    bridges = routines.exercise("bridges")
    bridges.hold = 15
    history = [calm(n, logs=gentle_logs(bridges_hold=15)) for n in (1, 2, 3)]
    assert "bridges" not in by_id(suggest(history, routines, limits))
    # A range widened beyond the article's 10-15 s still stops at the article's 15 s.
    bridges.hold_range = (10, 30)
    assert "bridges" not in by_id(suggest(history, routines, limits))
    bridges.hold = 14
    history = [calm(n, logs=gentle_logs(bridges_hold=14)) for n in (1, 2, 3)]
    assert by_id(suggest(history, routines, limits))["bridges"].new == 15


def test_a_changed_range_is_respected(routines, limits) -> None:
    bridges = routines.exercise("bridges")
    bridges.hold_range = (10, 10)  # the person narrowed it: nothing to step up to
    history = [calm(1), calm(2), calm(3)]
    assert "bridges" not in by_id(suggest(history, routines, limits))
    bridges.hold_range = None  # no range at all: never beyond the article's number
    assert "bridges" not in by_id(suggest(history, routines, limits))


def test_an_exercise_the_article_does_not_have_stays_within_its_own_range(routines, limits):
    draw_in = routines.exercise("draw-in")
    draw_in.hold_range = (5, 8)  # a range the person gave; draw-in's article number is 5 s
    history = [calm(1), calm(2), calm(3)]
    assert "draw-in" not in by_id(suggest(history, routines, limits)), (
        "the article says 5 s: a person's range never takes a suggestion beyond it"
    )
    del limits["draw-in"]  # an exercise of the person's own: only its range limits it
    assert by_id(suggest(history, routines, limits))["draw-in"].new == 6


def test_a_removed_exercise_gets_no_suggestion(routines, limits) -> None:
    data = routines.model_dump()
    data["exercises"] = [e for e in data["exercises"] if e["id"] != "cat-stretch"]
    for r in data["routines"]:
        r["exercises"] = [x for x in r["exercises"] if x != "cat-stretch"]
    routines = RoutinesFile.model_validate(data)
    history = [calm(1), calm(2), calm(3)]
    assert {s.exercise_id for s in suggest(history, routines, limits)} == {"bridges"}


def test_empty_history_suggests_nothing(routines, limits) -> None:
    assert suggest([], routines, limits) == []
    assert dose.doctor_alert([]) is None


def test_a_change_already_accepted_after_the_session_is_not_suggested_again(routines, limits):
    history = [calm(1), calm(2), calm(3)]
    accepted = DoseChange(
        at=history[-1].ended_at,
        exercise_id="bridges",
        exercise_name="Bridges",
        change="hold",
        old=10,
        new=11,
        routine_id="gentle",
        rule="progress",
    )
    assert "bridges" not in by_id(suggest([*history, accepted], routines, limits))


def test_a_declined_suggestion_is_not_asked_again_for_that_session_but_may_come_back(
    routines, limits
) -> None:
    history = [calm(1), calm(2), calm(3)]
    (bridges,) = [s for s in suggest(history, routines, limits) if s.exercise_id == "bridges"]
    declined = dose.record(bridges, history[-1].ended_at, accepted=False)
    assert (declined.kind, declined.decision, declined.accepted) == (
        "dose-declined",
        "declined",
        False,
    )
    assert "bridges" not in by_id(suggest([*history, declined], routines, limits))
    # After the next calm session the rules look afresh: the same step is offered again.
    again = by_id(suggest([*history, declined, calm(4)], routines, limits))
    assert (again["bridges"].old, again["bridges"].new) == (10, 11)


def test_advice_without_a_change_is_not_a_decision(routines, limits) -> None:
    advice = Suggestion("bridges", "Bridges", Rule.EASE_OFF, None, None, None, "gentle", "why")
    with pytest.raises(ValueError, match="no change to record"):
        dose.record(advice, START, accepted=False)


# --------------------------------------------------------------------------- ease off


def test_it_hurts_in_an_exercise_eases_that_exercise_off(routines, limits) -> None:
    routines.exercise("bridges").hold = 13
    hurt = session(
        4,
        before=3,
        after=4,
        outcome=Outcome.HURT,
        logs=gentle_logs(bridges_hold=13, bridges_done=4),
        hurt_at=HurtAt(exercise_id="bridges", side="", set=1, rep=5, step="hold"),
    )
    found = by_id(suggest([calm(1), calm(2), calm(3), hurt], routines, limits))
    assert set(found) == {"bridges"}, "a session that hurt is not calm for any exercise"
    s = found["bridges"]
    assert (s.rule, s.change, s.old, s.new) == (Rule.EASE_OFF, "hold", 13, 10)
    assert "hurt" in s.reason


def test_at_the_bottom_of_the_range_easing_off_means_leaving_it_out(routines, limits) -> None:
    hurt = session(
        1,
        after=4,
        outcome=Outcome.HURT,
        logs=gentle_logs(bridges_done=4),
        hurt_at=HurtAt(exercise_id="bridges", set=1, rep=5, step="hold"),
    )
    (s,) = suggest([hurt], routines, limits)
    assert (s.change, s.routine_id) == ("leave_out", "gentle")
    changed = dose.apply(routines, s)
    assert changed.routine("gentle").exercises == ["cat-stretch", "draw-in"]
    assert changed.routine("full").exercises == routines.routine("full").exercises


def test_the_last_exercise_of_a_routine_is_never_left_out(routines, limits) -> None:
    routines.routine("gentle").exercises = ["bridges"]
    hurt = session(
        1,
        after=4,
        outcome=Outcome.HURT,
        logs=[ex_log("bridges", hold=10, set_reps=15, sets=3, done=2)],
        hurt_at=HurtAt(exercise_id="bridges", set=1, rep=3, step="hold"),
    )
    (s,) = suggest([hurt], routines, limits)
    assert (s.rule, s.change) == (Rule.EASE_OFF, None)
    with pytest.raises(ValueError):
        dose.apply(routines, s)


def test_hurt_in_the_rest_between_exercises_blames_the_one_just_done_too(routines, limits):
    hurt = session(
        1,
        after=4,
        outcome=Outcome.HURT,
        logs=gentle_logs(bridges_done=0),
        hurt_at=HurtAt(exercise_id="bridges", set=1, rep=1, step="exercise_rest"),
    )
    assert {s.exercise_id for s in suggest([hurt], routines, limits)} == {
        "bridges",
        "draw-in",
    }


def test_an_old_hurt_line_without_the_place_blames_where_it_stopped(routines, limits) -> None:
    hurt = session(1, after=4, outcome=Outcome.HURT, logs=gentle_logs(bridges_done=7))
    assert [s.exercise_id for s in suggest([hurt], routines, limits)] == ["bridges"]


def test_pain_two_points_above_the_recent_level_eases_off_every_exercise_done(routines, limits):
    spike = session(4, before=3, after=5)
    found = suggest([calm(1), calm(2), calm(3), spike], routines, limits)
    assert {s.exercise_id: (s.rule, s.change) for s in found} == {
        "cat-stretch": (Rule.EASE_OFF, "leave_out"),
        "draw-in": (Rule.EASE_OFF, "leave_out"),
        "bridges": (Rule.EASE_OFF, "leave_out"),
    }
    # One point above is not a spike (and not calm either: no suggestion).
    assert (
        suggest([calm(1), calm(2), calm(3), session(4, before=3, after=4)], routines, limits) == []
    )


def test_the_recent_level_is_the_median_of_the_last_five_checkins(routines, limits) -> None:
    earlier = [session(n, after=p) for n, p in enumerate([9, 9, 2, 2, 3, 2, 2])]
    # The last five are 2, 3, 2, 2... median 2: a 4 after is a spike.
    assert dose.recent_level(earlier, session(9, after=4)) == 2
    assert dose.pain_spike(earlier, session(9, after=4))
    assert not dose.pain_spike(earlier, session(9, after=3))
    # No earlier check-in: the check-in before this session is the level.
    assert dose.pain_spike([], session(1, before=2, after=4))
    assert not dose.pain_spike([], session(1, after=9)), "no level to compare with"


# --------------------------------------------------------------------------- see a doctor


def pains(*values: int | None) -> list[HistoryEntry]:
    return [session(n, after=v) for n, v in enumerate(values)]


def test_three_sessions_at_six_or_more_bring_up_the_doctor_advice() -> None:
    assert dose.doctor_alert(pains(6, 7, 5, 6, 6)) is None
    alert = dose.doctor_alert(pains(6, 7, 5, 6, 6, 8))
    assert alert is not None and alert.reason == "high" and alert.pains == (6, 6, 8)


def test_a_rise_in_each_of_the_last_three_brings_it_up() -> None:
    assert dose.doctor_alert(pains(1, 2, 3, 3)) is None
    alert = dose.doctor_alert(pains(3, 1, 2, 3, 4))
    assert alert is not None and alert.reason == "rising" and alert.pains == (1, 2, 3, 4)


def test_the_alert_stays_until_pain_falls_below_six() -> None:
    assert dose.doctor_alert(pains(1, 2, 3, 4, 4)) is not None, "no fall yet"
    assert dose.doctor_alert(pains(1, 2, 3, 4, 3)) is None
    assert dose.doctor_alert(pains(6, 7, 8, 7)) is not None, "lower, but still 6 or more"
    assert dose.doctor_alert(pains(6, 7, 8, 7, 5)) is None
    assert dose.doctor_alert(pains(6, 7, 8, None, None)) is not None, "skipped check-ins"


def test_the_worse_checkin_of_a_session_counts() -> None:
    history = [session(n, before=b, after=2) for n, b in enumerate([7, 6, 8])]
    assert dose.doctor_alert(history) is not None


def test_rising_pain_shows_the_doctor_advice_and_no_progress(routines, limits) -> None:
    history = [
        session(1, before=0, after=0),
        session(2, before=1, after=1),
        session(3, before=2, after=2),
        session(4, before=3, after=3),
    ]
    # Every session was calm (pain after not above before), but pain rose session after
    # session: no suggestion to do more.
    assert dose.doctor_alert(history) is not None
    assert [s for s in suggest(history, routines, limits) if s.rule is Rule.PROGRESS] == []
    # The same three calm sessions without the rise do suggest more.
    flat = [session(n, before=3, after=3) for n in (1, 2, 3, 4)]
    assert dose.doctor_alert(flat) is None
    assert [s.rule for s in suggest(flat, routines, limits)] == [Rule.PROGRESS] * 2


# --------------------------------------------------------------------------- accepting


def test_apply_changes_one_number_and_never_beyond_the_range(routines, limits) -> None:
    (bridges,) = [
        s
        for s in suggest([calm(1), calm(2), calm(3)], routines, limits)
        if s.exercise_id == "bridges"
    ]
    changed = dose.apply(routines, bridges)
    assert changed.exercise("bridges").hold == 11
    assert routines.exercise("bridges").hold == 10, "the original is not changed"
    rec = dose.record(bridges, START)
    assert (rec.kind, rec.change, rec.old, rec.new, rec.rule) == (
        "dose",
        "hold",
        10,
        11,
        "progress",
    )


@pytest.mark.parametrize("hold", range(0, 40))
def test_no_suggestion_ever_leaves_the_article_range(routines, limits, hold: int) -> None:
    bridges = routines.exercise("bridges")
    bridges.hold_range = (1, 40)
    bridges.hold = max(1, hold)
    history = [calm(n, logs=gentle_logs(bridges_hold=bridges.hold)) for n in (1, 2, 3)]
    for s in suggest(history, routines, limits):
        if s.rule is Rule.PROGRESS and s.exercise_id == "bridges":
            assert s.new is not None and s.new <= 15
