"""The way through the screens without Textual: each test plays a person's answers to the steps
the flow returns (a fake clock, a store in memory) and checks what comes next and what was kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from memory_store import MemoryStore, Wall

from trainer.coaching import flow
from trainer.coaching.dose import CALM_SESSIONS, DOCTOR_HIGH, DOCTOR_HIGH_RUN
from trainer.coaching.flow import (
    CONTINUE,
    SAVED,
    AskCheckinBefore,
    AskResume,
    AskYesNo,
    Flow,
    OfferSuggestion,
    RefreshList,
    ResumeChoice,
    RunSession,
    SessionExit,
    ShowAdvice,
    ShowList,
    ShowSummary,
    StartOptions,
    UseSettings,
    WatchWriter,
)
from trainer.coaching.lifecycle import Notice, Workout, claim_session
from trainer.coaching.morning import Answer
from trainer.engine import ManualClock
from trainer.programme import catalog, loading
from trainer.programme.schema import RoutinesFile
from trainer.records.history import HistoryEntry, Outcome
from trainer.records.saved_session import LockHolder, SavedSession, SessionLock

PATH = Path("/home/me/routines.toml")


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.advice = True  # the first-launch advice was read (tests of it say otherwise)
    return store


@pytest.fixture
def make(routines: RoutinesFile, clock: ManualClock, store: MemoryStore):
    def build(saved: SavedSession | None = None, **options: object) -> Flow:
        workout = Workout(PATH, routines, clock=clock, now=Wall(clock), store=store, saved=saved)
        return Flow(workout, StartOptions(**options))  # type: ignore[arg-type]

    return build


def kinds(steps: flow.Steps) -> list[type]:
    return [type(step) for step in steps]


def only(steps: flow.Steps, kind: type) -> flow.Step:
    found = [step for step in steps if isinstance(step, kind)]
    assert len(found) == 1, steps
    return found[0]


def finish(session_step: RunSession, clock: ManualClock) -> flow.Steps:
    """Play the whole session to its end; the steps after the session screen."""
    coach = session_step.coach
    clock.advance(coach.plan.total + 1)
    coach.tick()
    return session_step.then(SessionExit.ENDED)


def saved_position(make, clock: ManualClock, store: MemoryStore) -> SavedSession:
    """A session of quick-core stopped on its way (what session.json would hold)."""
    first = make()
    run = only(first.start_routine("quick-core"), RunSession)
    clock.advance(30)
    run.coach.tick()
    run.coach.pause()
    assert store.saved is not None
    return store.saved


# ---------------------------------------------------------------------- start-up


def test_first_launch_shows_the_list_then_the_advice_and_reading_it_is_kept(make, store) -> None:
    store.advice = False
    steps = make().begin()
    assert kinds(steps) == [ShowList, ShowAdvice]
    advice = only(steps, ShowAdvice)
    assert advice.first_time and advice.doctor is None
    assert advice.then(None) == []
    assert store.advice  # not shown unasked again


def test_start_asked_for_comes_after_the_first_launch_advice(make, store) -> None:
    store.advice = False
    steps = make(start="quick-core").begin()
    assert kinds(steps) == [ShowList, ShowAdvice]
    after = only(steps, ShowAdvice).then(None)
    assert kinds(after) == [RunSession]
    assert only(after, RunSession).coach.plan.routine_id == "quick-core"


def test_start_goes_straight_to_the_session_without_the_list(make) -> None:
    steps = make(start="quick-core").begin()
    assert kinds(steps) == [RunSession]


def test_a_start_up_warning_and_a_resume_without_a_saved_session_are_said(make) -> None:
    steps = make(resume=True, warning="Folder tightened").begin()
    assert steps[0] == ShowList()
    texts = [step.text for step in steps if isinstance(step, Notice)]
    assert texts == ["Folder tightened", "No saved session to resume: choose a routine."]


def test_another_trainer_holding_the_lock_is_followed_and_nothing_else_shows(make) -> None:
    holder = LockHolder(pid=1, host="here")
    steps = make(locked_by=holder).begin()
    assert kinds(steps) == [WatchWriter]
    watch = only(steps, WatchWriter)
    assert watch.holder is holder and watch.routines_path == PATH
    assert watch.then(None) == []  # quit


def test_a_saved_session_is_offered_and_resume_continues_it(make, clock, store) -> None:
    saved = saved_position(make, clock, store)
    app = make(saved=saved)
    steps = app.begin()
    assert kinds(steps) == [ShowList, AskResume]
    prompt = only(steps, AskResume)
    assert prompt.saved is saved and prompt.problem is None and prompt.ran_elsewhere is None
    after = prompt.then(ResumeChoice.RESUME)
    assert kinds(after) == [RunSession]
    assert app.workout.saved is None and app.workout.in_progress


def test_resume_at_start_continues_at_once(make, clock, store) -> None:
    saved = saved_position(make, clock, store)
    steps = make(saved=saved, resume=True).begin()
    assert kinds(steps) == [ShowList, RunSession]


def test_discarding_the_saved_session_keeps_it_as_abandoned(make, clock, store) -> None:
    saved = saved_position(make, clock, store)
    app = make(saved=saved)
    prompt = only(app.begin(), AskResume)
    assert prompt.then(ResumeChoice.DISCARD) == [RefreshList()]
    assert app.workout.saved is None and store.saved is None
    assert [entry.outcome for entry in store.history] == [Outcome.ABANDONED]


def test_starting_over_records_the_saved_one_and_starts_its_routine(make, clock, store) -> None:
    saved = saved_position(make, clock, store)
    prompt = only(make(saved=saved).begin(), AskResume)
    after = prompt.then(ResumeChoice.RESTART)
    assert kinds(after) == [RefreshList, RunSession]
    assert only(after, RunSession).coach.session.index == 0
    assert [entry.outcome for entry in store.history] == [Outcome.ABANDONED]


def test_later_keeps_the_saved_session_for_the_list(make, clock, store) -> None:
    saved = saved_position(make, clock, store)
    app = make(saved=saved)
    assert only(app.begin(), AskResume).then(None) == [RefreshList()]
    assert app.workout.saved is saved
    assert kinds(app.chosen(SAVED)) == [AskResume]


def test_a_session_that_ran_on_another_file_says_so(make, clock, store) -> None:
    saved = saved_position(make, clock, store)
    moved = saved.model_copy(update={"routines_path": "/elsewhere/routines.toml"})
    prompt = only(make(saved=moved).begin(), AskResume)
    assert prompt.ran_elsewhere == Path("/elsewhere/routines.toml")


def test_resume_that_fails_says_why_and_asks_again(make, clock, store, routines) -> None:
    saved = saved_position(make, clock, store)
    routines.routines = [r for r in routines.routines if r.id != "quick-core"]
    prompt = only(make(saved=saved).begin(), AskResume)
    assert prompt.problem is not None and "no longer in the routines file" in prompt.problem
    after = prompt.then(ResumeChoice.RESUME)
    assert kinds(after) == [Notice, AskResume]
    assert only(after, Notice).severity == "error"


def test_taking_over_from_a_writer_that_quit(make, tmp_path) -> None:
    class Loaded:
        saved = None

    class Lock:
        marks: list[bool] = []

        def mark(self, *, session: bool) -> None:
            self.marks.append(session)

    class Takeover:
        lock = Lock()
        loaded = Loaded()
        notes = ["It left a temp file"]

    app = make(locked_by=LockHolder(pid=1, host="here"))
    steps = app.took_over(Takeover())  # type: ignore[arg-type]
    assert kinds(steps) == [ShowList, Notice]
    assert app.lock is Takeover.lock and app.options.locked_by is None
    # The workout now tells the lock file about its sessions (none yet: "already open").
    assert app.workout.lock is Takeover.lock and Lock.marks == [False]
    app.workout.start("quick-core")
    assert Lock.marks == [False, True]


# ---------------------------------------------------------------------- sessions


def test_a_routine_no_longer_in_the_file_is_not_started(make) -> None:
    steps = make().chosen("gone")
    assert kinds(steps) == [Notice]
    assert only(steps, Notice).text == "'gone' is no longer in the routines file."


def test_starting_another_while_one_runs_asks_first(make, store) -> None:
    app = make()
    first = only(app.start_routine("quick-core"), RunSession).then(SessionExit.LEFT)
    assert first == [ShowList()]
    assert kinds(app.chosen(CONTINUE)) == [RunSession]
    question = only(app.start_routine("full"), AskYesNo)
    assert "in progress" in question.question
    assert question.then(False) == [] and app.workout.coach is not None
    assert app.workout.coach.plan.routine_id == "quick-core"
    after = question.then(True)
    assert kinds(after) == [RunSession]
    assert only(after, RunSession).coach.plan.routine_id == "full"
    assert [entry.outcome for entry in store.history] == [Outcome.ABANDONED]


def test_the_check_in_before_is_asked_when_the_settings_want_it(make, routines) -> None:
    routines.settings.checkin_before = True
    app = make()
    ask = only(app.start_routine("quick-core"), AskCheckinBefore)
    assert app.workout.coach is None  # nothing starts before the answer
    assert kinds(ask.then(2)) == [RunSession]
    assert app.workout.checkin_before == 2


def test_after_a_session_the_summary_then_the_check_in_goes_to_the_history(
    make, clock, store
) -> None:
    app = make()
    after = finish(only(app.start_routine("quick-core"), RunSession), clock)
    summary = only(after, ShowSummary)
    assert summary.session.state.is_over and store.history == []  # held until the check-in
    assert summary.then(3)[0] == ShowList()
    assert [(entry.outcome, entry.checkin) for entry in store.history] == [(Outcome.FINISHED, 3)]


def test_the_doctor_rule_shows_its_advice_after_the_session_that_made_it_hold(
    make, clock, store
) -> None:
    app = make()
    for n in range(DOCTOR_HIGH_RUN):
        summary = only(
            finish(only(app.start_routine("quick-core"), RunSession), clock), ShowSummary
        )
        after = summary.then(DOCTOR_HIGH)
        doctors = [s for s in after if isinstance(s, ShowAdvice) and s.doctor]
        assert len(doctors) == (1 if n == DOCTOR_HIGH_RUN - 1 else 0), after
    assert str(DOCTOR_HIGH) in doctors[0].doctor
    # Then the suggestions, easing off only (if any), each asked in turn.
    for step in doctors[0].then(None):
        assert isinstance(step, OfferSuggestion) and step.where.startswith("1 of ")
    # Read once at the start of the next run: already shown this run, not again.
    assert app.history_read(list(store.history)) == []


def test_the_doctor_advice_shows_once_when_the_list_read_the_history(make, clock, store) -> None:
    app = make()
    for _ in range(DOCTOR_HIGH_RUN):
        only(finish(only(app.start_routine("quick-core"), RunSession), clock), ShowSummary).then(
            DOCTOR_HIGH
        )
    later = make()  # the next run
    steps = later.history_read(list(store.history))
    assert kinds(steps) == [ShowAdvice] and only(steps, ShowAdvice).doctor
    assert later.history_read(list(store.history)) == []
    assert make().history_read([]) == []


def test_calm_sessions_lead_to_suggestions_asked_in_turn(make, clock, store, routines) -> None:
    routines.settings.checkin_before = True
    app = make()

    def calm_session(after: int) -> flow.Steps:
        ask = only(app.start_routine("gentle"), AskCheckinBefore)
        summary = only(finish(only(ask.then(3), RunSession), clock), ShowSummary)
        return summary.then(after)

    for _ in range(CALM_SESSIONS - 1):
        assert calm_session(3) == [ShowList()]  # not enough calm sessions yet
        # The next morning: the same as before (a step up needs a known 24-hour response).
        (session,) = [r for r in store.history[-1:] if isinstance(r, HistoryEntry)]
        app.workout.record_morning(session, Answer("same", 3))
    steps = calm_session(2)
    assert kinds(steps) == [ShowList, OfferSuggestion]
    first = only(steps, OfferSuggestion)
    assert first.where == "1 of 2" and first.suggestion.exercise_id == "cat-stretch"
    after = first.then(True)  # accepted: the file is saved, the list shows the new numbers
    assert kinds(after) == [RefreshList, OfferSuggestion]
    assert store.routines is not None and store.routines.exercise("cat-stretch").reps == 4
    assert app.workout.routines is store.routines
    second = only(after, OfferSuggestion)
    assert second.where == "2 of 2"
    assert second.then(False) == []  # declined: nothing changes, nothing more to ask
    assert store.routines.exercise("bridges").hold == routines.exercise("bridges").hold
    assert store.history[-1].kind == "dose-declined"  # type: ignore[union-attr]


# ---------------------------------------------------------------------- the gate


def test_an_invalid_file_says_its_problem_and_nothing_opens(tmp_path, clock, store) -> None:
    path = tmp_path / "routines.toml"
    good = loading.default_routines_bytes()
    shipped = loading.parse_routines(good, path)
    listed = catalog.catalog_of(shipped, lambda rid: 60.0)
    path.write_bytes(b"routines = 3\n")
    workout = Workout(
        path, None, catalog=listed, raw=good, clock=clock, now=Wall(clock), store=store
    )
    app = Flow(workout)
    for steps in (app.advice(), app.start_routine("quick-core"), app.open_settings()):
        assert kinds(steps) == [Notice]
        assert only(steps, Notice).severity == "error" and str(path) in only(steps, Notice).text
    path.write_bytes(good)
    steps = app.open_settings()
    assert kinds(steps) == [UseSettings, flow.OpenSettings]  # same bytes: the list stands


def test_a_file_changed_since_the_list_redraws_it(tmp_path, clock, store) -> None:
    path = tmp_path / "routines.toml"
    good = loading.default_routines_bytes()
    shipped = loading.parse_routines(good, path)
    path.write_bytes(good + b"\n# edited\n")
    workout = Workout(
        path,
        None,
        catalog=catalog.catalog_of(shipped, lambda rid: 60.0),
        raw=good,
        clock=clock,
        now=Wall(clock),
        store=store,
    )
    steps = Flow(workout).advice()
    assert kinds(steps) == [UseSettings, RefreshList, ShowAdvice]


# ---------------------------------------------------------------------- the lock


def test_claiming_the_session_takes_the_lock_or_names_its_holder(isolated_dirs) -> None:
    first = claim_session(PATH)
    try:
        assert isinstance(first.lock, SessionLock) and first.holder is None
        assert first.saved is None and first.warning is None
        second = claim_session(PATH)
        assert second.lock is None and isinstance(second.holder, LockHolder)
        assert second.holder.pid > 0
    finally:
        first.release()
    third = claim_session(PATH)
    assert third.lock is not None
    third.release()
