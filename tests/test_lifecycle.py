"""The life of a workout without a terminal: a fake clock, a fixed wall clock, a store in memory.

Each test plays what a person does (start, pause, quit, come back, resume, start over, discard,
finish, stop, it hurts, check in) and checks what ends up saved and in the history.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from memory_store import START, MemoryStore, Wall

from trainer.coaching.lifecycle import Notice, Workout
from trainer.coaching.morning import Answer
from trainer.engine import ManualClock, State, StepKind
from trainer.programme import preferences as prefs
from trainer.programme.constants import BellMode
from trainer.programme.schema import RoutinesFile
from trainer.records.history import DoseChange, HistoryEntry, Outcome
from trainer.records.saved_session import SavedSession
from trainer.text.errors import TrainerError


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def notices() -> list[Notice]:
    return []


@pytest.fixture
def make(routines: RoutinesFile, clock: ManualClock, store: MemoryStore, notices: list[Notice]):
    def build(saved: SavedSession | None = None) -> Workout:
        return Workout(
            Path("/home/me/routines.toml"),
            routines,
            clock=clock,
            now=Wall(clock),
            store=store,
            saved=saved,
            report=notices.append,
        )

    return build


def run_to_end(workout: Workout, clock: ManualClock) -> None:
    assert workout.coach is not None
    clock.advance(workout.coach.plan.total + 1)
    workout.coach.tick()


def test_a_started_session_is_saved_at_every_step_change(make, clock, store) -> None:
    workout = make()
    coach = workout.start("quick-core")
    assert workout.in_progress
    coach.tick()
    first = store.saved
    assert first is not None and first.snapshot.step_index == 0
    for _ in range(int(coach.plan.steps[1].offset)):  # the screen ticks at least once a second
        clock.advance(1)
        coach.tick()
    clock.advance(0.5)
    coach.tick()
    assert store.saved is not None and store.saved.snapshot.step_index == 1
    assert store.saved.started_at == START


def test_quit_pauses_and_saves_where_it_was(make, clock, store) -> None:
    workout = make()
    coach = workout.start("quick-core")
    clock.advance(20.5)
    coach.tick()
    workout.keep_position()
    assert coach.session.state is State.PAUSED
    assert store.saved is not None and store.saved.snapshot.state is State.PAUSED
    assert store.history == []  # nothing ended: nothing in the history


def test_resume_continues_at_the_saved_step_after_a_lead_in(make, clock, store) -> None:
    first = make()
    coach = first.start("quick-core")
    clock.advance(40.2)
    step = coach.session.step
    first.keep_position()
    saved = store.saved
    assert saved is not None
    clock.advance(3600)  # an hour later, a new process
    again = make(saved=saved)
    assert again.resume_problem() is None
    resumed, note = again.resume()
    assert note is None and again.saved is None
    view = resumed.session.view()
    assert view.state is State.LEAD_IN and view.next == step
    assert again.started_at == saved.started_at


def quick_core_kept_after_30_s(make, clock, store) -> SavedSession:  # type: ignore[no-untyped-def]
    """Quick core started, 30 s on, its position kept: the saved session."""
    workout = make()
    workout.start("quick-core")
    clock.advance(30)
    workout.keep_position()
    saved = store.saved
    assert saved is not None
    return saved


def test_a_routine_removed_since_cannot_be_resumed(make, clock, store, routines) -> None:
    saved = quick_core_kept_after_30_s(make, clock, store)
    routines.routines = [r for r in routines.routines if r.id != "quick-core"]
    again = make(saved=saved)
    problem = again.resume_problem()
    assert problem is not None and "no longer in the routines file" in problem
    with pytest.raises(TrainerError):
        again.resume()
    # Start over has nothing to start; the session is still kept in the history, as the
    # dialog says: the routine and its times, no counts (unknown without the plan).
    assert again.restart() is None
    assert store.saved is None
    (entry,) = store.history
    assert entry.outcome is Outcome.ABANDONED and entry.routine_id == "quick-core"
    assert entry.exercises == [] and entry.active_seconds == pytest.approx(30, abs=1)
    assert entry.started_at == saved.started_at.astimezone()


def test_a_changed_routine_still_leaves_its_abandoned_session_in_the_history(
    make, clock, store, routines
) -> None:
    """The routine is still there, but its exercise was removed: the saved position no longer
    fits the plan; discarding it keeps a line all the same."""
    saved = quick_core_kept_after_30_s(make, clock, store)
    quick = routines.routine("quick-core")
    first = quick.exercises[0]
    routines.routines = [
        r.model_copy(update={"exercises": [e for e in r.exercises if e != first]})
        if r.id == "quick-core"
        else r
        for r in routines.routines
    ]
    again = make(saved=saved)
    again.discard()
    (entry,) = store.history
    assert entry.outcome is Outcome.ABANDONED and entry.routine_id == "quick-core"
    assert entry.exercises == []


def test_start_over_records_the_saved_session_as_abandoned(make, clock, store) -> None:
    first = make()
    coach = first.start("quick-core")
    clock.advance(coach.plan.exercises[0].first_step + 60)
    coach.tick()
    first.keep_position()
    saved = store.saved
    again = make(saved=saved)
    assert again.restart() == "quick-core"
    assert again.saved is None and store.saved is None
    (entry,) = store.history
    assert entry.outcome is Outcome.ABANDONED
    assert entry.routine_id == "quick-core"


def test_discard_records_what_was_done_and_forgets_the_position(make, clock, store) -> None:
    first = make()
    coach = first.start("quick-core")
    clock.advance(120)
    coach.tick()
    first.keep_position()
    again = make(saved=store.saved)
    again.discard()
    assert store.saved is None and again.saved is None
    (entry,) = store.history
    assert entry.outcome is Outcome.ABANDONED
    assert entry.reps_done > 0


def test_starting_another_routine_abandons_the_running_one(make, clock, store) -> None:
    workout = make()
    workout.start("quick-core")
    clock.advance(90)
    workout.start("full")
    (entry,) = store.history
    assert (entry.routine_id, entry.outcome) == ("quick-core", Outcome.ABANDONED)
    assert workout.coach is not None and workout.coach.plan.routine_id == "full"


def test_finish_waits_for_the_check_in_then_records_it(make, clock, store) -> None:
    workout = make()
    workout.start("quick-core")
    run_to_end(workout, clock)
    session = workout.end()
    assert session.state is State.FINISHED
    assert store.saved is None  # nothing to resume
    assert store.history == []  # not yet: the check-in comes first
    workout.record_checkin(3)
    (entry,) = store.history
    assert (entry.outcome, entry.checkin) == (Outcome.FINISHED, 3)


def test_stop_and_hurt_are_recorded_with_their_outcome(make, clock, store) -> None:
    workout = make()
    coach = workout.start("quick-core")
    clock.advance(50)
    coach.stop()
    workout.end()
    workout.record_checkin(None)
    coach = workout.start("quick-core")
    clock.advance(50)
    coach.stop_hurt()
    workout.end()
    workout.record_checkin(7)
    assert [(e.outcome, e.checkin) for e in store.history] == [
        (Outcome.STOPPED, None),
        (Outcome.HURT, 7),
    ]


def test_quitting_from_the_summary_records_the_session_without_a_check_in(
    make, clock, store
) -> None:
    workout = make()
    workout.start("quick-core")
    run_to_end(workout, clock)
    workout.end()
    workout.keep_position()  # q on the summary
    (entry,) = store.history
    assert entry.checkin is None and entry.outcome is Outcome.FINISHED
    workout.keep_position()  # a second way out records nothing twice
    assert len(store.history) == 1


def test_a_failed_save_is_reported_once_until_it_works_again(make, clock, store, notices) -> None:
    workout = make()
    store.refuse.add("session")
    coach = workout.start("quick-core")
    for _ in range(5):
        clock.advance(5)
        coach.tick()
    assert [n.severity for n in notices] == ["error"]
    assert "Position not saved" in notices[0].text and "disk is full" in notices[0].text
    store.refuse.clear()
    clock.advance(5)
    coach.tick()
    assert store.saved is not None


def test_a_position_that_cannot_be_removed_is_reported_not_swallowed(
    make, clock, store, notices
) -> None:
    workout = make()
    workout.start("quick-core")
    run_to_end(workout, clock)
    store.refuse.add("discard")
    workout.end()
    assert len(notices) == 1
    assert "offered again next time" in notices[0].text


def test_history_that_cannot_be_written_is_reported(make, clock, store, notices) -> None:
    workout = make()
    workout.start("quick-core")
    run_to_end(workout, clock)
    workout.end()
    store.refuse.add("history")
    workout.record_checkin(2)
    assert len(notices) == 1 and notices[0].text.startswith("History not saved")


def test_the_advice_is_shown_until_it_was_read(make, store) -> None:
    workout = make()
    assert workout.should_show_advice()
    workout.advice_read()
    assert not make().should_show_advice()


def test_saving_the_routines_file_changes_the_plans_and_the_running_settings(
    make, store, routines
) -> None:
    workout = make()
    coach = workout.start("quick-core")
    curls = routines.exercise("partial-curls").model_copy(update={"reps": 8})
    edited = routines.model_copy(
        update={
            "exercises": [curls if e.id == "partial-curls" else e for e in routines.exercises],
            "settings": routines.settings.model_copy(update={"checkin_before": True}),
        }
    )
    workout.save_routines(edited)
    assert store.routines is edited
    assert workout.routines.settings.checkin_before is True
    workout.save_preferences(prefs.Preferences(bell=BellMode.OFF))
    assert coach.preferences.bell is BellMode.OFF  # the running session follows them
    plan = workout.plan("quick-core")
    curl_steps = [s for s in plan.steps if s.exercise_id == "partial-curls"]
    assert max(s.rep for s in curl_steps) == 8


def test_a_refused_routines_save_changes_nothing(make, store, routines) -> None:
    workout = make()
    store.refuse.add("routines")
    before = workout.plan("quick-core")
    with pytest.raises(TrainerError):
        workout.save_routines(routines.model_copy())
    assert workout.routines is routines and workout.plan("quick-core") is before


def test_the_lead_in_is_not_part_of_the_saved_position(make, clock, store) -> None:
    first = make()
    coach = first.start("quick-core")
    clock.advance(30)
    coach.tick()
    first.keep_position()
    again = make(saved=store.saved)
    resumed, _ = again.resume()
    assert resumed.session.view().step.kind is StepKind.READY  # "get back into position"
    assert store.saved is not None and store.saved.snapshot.kind is not StepKind.READY


# --------------------------------------------------------------------------- the dose


def calm_gentle(workout: Workout, clock: ManualClock, pain: int) -> HistoryEntry | None:
    workout.start("gentle", checkin_before=pain)
    run_to_end(workout, clock)
    workout.end()
    entry = workout.record_checkin(pain)
    if entry is not None:  # the next morning, the same as before (a known 24-hour response)
        workout.record_morning(entry, Answer("same", pain))
    return entry


def test_the_check_in_before_goes_into_the_entry(make, clock, store) -> None:
    workout = make()
    entry = calm_gentle(workout, clock, 3)
    assert entry is not None and entry == store.history[-2]
    assert (entry.checkin_before, entry.checkin) == (3, 3)
    workout.start("gentle")  # not asked this time
    workout.abandon()
    assert store.history[-1].checkin_before is None


def test_suggestions_after_three_calm_sessions_and_accepting_one(make, clock, store) -> None:
    workout = make()
    for _ in range(2):
        entry = calm_gentle(workout, clock, 2)
        assert entry is not None and workout.suggestions(entry) == []
    entry = calm_gentle(workout, clock, 2)
    assert entry is not None
    found = {s.exercise_id: s for s in workout.suggestions(entry)}
    assert set(found) == {"cat-stretch", "bridges"}
    assert workout.accept(found["bridges"])
    assert store.routines is not None and store.routines.exercise("bridges").hold == 11
    assert workout.routines.exercise("bridges").hold == 11
    change = store.history[-1]
    assert isinstance(change, DoseChange) and (change.old, change.new) == (10, 11)
    assert workout.doctor_alert() is None
    # Asked again for the same session: bridges were already changed after it.
    assert [s.exercise_id for s in workout.suggestions(entry)] == ["cat-stretch"]


def test_a_declined_suggestion_is_recorded_and_changes_nothing(make, clock, store) -> None:
    workout = make()
    for _ in range(3):
        entry = calm_gentle(workout, clock, 2)
    assert entry is not None
    found = {s.exercise_id: s for s in workout.suggestions(entry)}
    before = workout.routines
    workout.decline(found["bridges"])
    assert workout.routines is before and store.routines is None, "nothing saved"
    line = store.history[-1]
    assert isinstance(line, DoseChange)
    assert (line.kind, line.exercise_id, line.old, line.new) == ("dose-declined", "bridges", 10, 11)
    assert line.at == workout.now()
    assert [s.exercise_id for s in workout.suggestions(entry)] == ["cat-stretch"]


def test_no_suggestion_when_the_history_does_not_end_with_the_session(
    make, clock, store, notices
) -> None:
    workout = make()
    entries = [calm_gentle(workout, clock, 2) for _ in range(3)]
    assert entries[0] is not None and workout.suggestions(entries[0]) == []
    store.refuse.add("read")
    assert entries[2] is not None and workout.suggestions(entries[2]) == []
    assert notices[-1].text.startswith("History not read")
    store.refuse = {"history"}
    assert calm_gentle(workout, clock, 2) is None, "not written: nothing to suggest from"


def test_a_change_that_cannot_be_saved_is_reported_and_not_recorded(
    make, clock, store, notices
) -> None:
    workout = make()
    for _ in range(3):
        entry = calm_gentle(workout, clock, 2)
    assert entry is not None
    (first, *_rest) = workout.suggestions(entry)
    store.refuse.add("routines")
    before = len(store.history)
    assert not workout.accept(first)
    assert len(store.history) == before
    assert notices[-1].severity == "error" and "Not changed" in notices[-1].text


def test_the_lock_says_whether_a_session_is_in_progress(make, clock, tmp_path: Path) -> None:
    """A second trainer reads the lock: "already running a session" only while one is in
    progress here (started or resumed, until it ends or is given up), else "already open"."""
    from trainer.records.session_lock import LockHolder, SessionLock

    path = tmp_path / "session.lock"

    def second() -> str:
        found = SessionLock.try_acquire(path)
        assert isinstance(found, LockHolder)  # never a second writer
        return found.describe()

    lock = SessionLock.try_acquire(path)
    assert isinstance(lock, SessionLock)
    workout = make()
    workout.hold(lock)
    assert second().startswith("trainer is already open (pid ")  # the list
    workout.start("quick-core")
    assert second().startswith("trainer is already running a session (pid ")
    workout.abandon()  # given up
    assert second().startswith("trainer is already open (pid ")
    workout.start("quick-core")
    assert second().startswith("trainer is already running a session (pid ")
    run_to_end(workout, clock)
    workout.end()  # the summary and its check-in
    assert second().startswith("trainer is already open (pid ")
    lock.release()
    free = SessionLock.try_acquire(path)
    assert isinstance(free, SessionLock)
    free.release()
