"""Issue 22, point 2: a flare day. The gentle plan is built from the programme without Textual;
the flow and the workout run it on a fake clock with a store in memory; the history, the dose
rules, the streak and the saved session treat it as a flare day."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from memory_store import MemoryStore, Wall

from trainer.coaching import dose, flare
from trainer.coaching.flow import (
    CONTINUE,
    AskResume,
    Flow,
    ResumeChoice,
    RunSession,
    SessionExit,
    ShowList,
    ShowSummary,
    StartOptions,
    UseSettings,
)
from trainer.coaching.lifecycle import Notice, Workout
from trainer.engine import ManualClock, plan_for
from trainer.programme import loading
from trainer.programme.constants import MIN_RATE
from trainer.programme.preferences import Preferences
from trainer.programme.schema import RoutinesFile
from trainer.records import history
from trainer.records.history import ExerciseLog, HistoryEntry, Outcome, streak
from trainer.records.saved_session import SavedSession, parse_session
from trainer.text.errors import TrainerError

PATH = Path("/home/me/routines.toml")
ARTICLE = flare.bottoms(loading.shipped_routines())


def exercises(plan) -> list[tuple[str, int, int, int]]:
    """(id, sets, reps per set, hold) of each exercise of ``plan``."""
    return [(ex.id, ex.sets, ex.reps, ex.hold) for ex in plan.exercises]


# --------------------------------------------------------------------------- the plan


def test_the_gentle_plan_keeps_the_gentlest_exercises_at_the_bottom_of_the_ranges(
    routines: RoutinesFile,
) -> None:
    cat = routines.exercise("cat-stretch").model_copy(update={"reps": 5})  # top of 3-5
    routines = routines.model_copy(
        update={"exercises": [cat if ex.id == cat.id else ex for ex in routines.exercises]}
    )
    full = flare.flare_plan(routines, "full", ARTICLE)
    # The article's order kept; bridges, leg lifts and partial curls left out; cat stretch at
    # the bottom of its 3-5 reps; draw-in's single numbers (5 reps, 5 s) as they are.
    assert exercises(full) == [("draw-in", 1, 5, 5), ("cat-stretch", 1, 3, 0)]
    assert full.flare and full.routine_name == "Full lower-back routine (flare day)"
    assert full.routine_id == "full"
    assert full.total < plan_for(routines, "full").total / 5
    assert exercises(flare.flare_plan(routines, "gentle", ARTICLE)) == [
        ("cat-stretch", 1, 3, 0),
        ("draw-in", 1, 5, 5),
    ]
    assert exercises(flare.flare_plan(routines, "quick-core", ARTICLE)) == [("draw-in", 1, 5, 5)]
    assert not plan_for(routines, "full").flare


def test_the_gentle_dose_is_never_above_the_current_one_nor_above_any_range_bottom(
    routines: RoutinesFile,
) -> None:
    cat = routines.exercise("cat-stretch")
    bridges = routines.exercise("bridges")
    # Below the range (a person's own choice): kept.
    assert flare.gentle_dose(cat.model_copy(update={"reps": 2}), ARTICLE["cat-stretch"]).reps == 2
    # A range widened by hand starts lower: its bottom; narrowed above the article's: the article's.
    low = cat.model_copy(update={"reps": 4, "reps_range": (2, 6)})
    assert flare.gentle_dose(low, ARTICLE["cat-stretch"]).reps == 2
    high = cat.model_copy(update={"reps": 5, "reps_range": (4, 5)})
    assert flare.gentle_dose(high, ARTICLE["cat-stretch"]).reps == 3
    # A hold: bridges at 13 s of 10-15 goes to 10 s; an exercise of one's own keeps its dose.
    assert flare.gentle_dose(bridges.model_copy(update={"hold": 13}), ARTICLE["bridges"]).hold == 10
    assert flare.gentle_dose(bridges.model_copy(update={"hold_range": None}), None).hold == 10


def test_a_routine_without_a_gentle_exercise_says_so(routines: RoutinesFile) -> None:
    from trainer.programme.schema import Routine

    mine = Routine(id="mine", name="Bridges only", description="x", exercises=["bridges"])
    routines = routines.model_copy(update={"routines": [*routines.routines, mine]})
    with pytest.raises(TrainerError) as problem:
        flare.flare_plan(routines, "mine", ARTICLE)
    assert "'Bridges only' has none of the gentlest exercises (draw-in, cat-stretch)" in str(
        problem.value
    )


def test_the_voice_is_slower_for_a_flare_day_only() -> None:
    assert flare.flare_rate(175) == 149
    assert flare.flare_rate(MIN_RATE) == MIN_RATE and flare.flare_rate(90) == MIN_RATE
    mine = Preferences(voice_rate=200, theme="light")
    slow = flare.flare_preferences(mine)
    assert slow.voice_rate == 170 and slow.theme == "light"
    assert mine.voice_rate == 200  # the person's own are untouched


# --------------------------------------------------------------------------- the flow


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    store.advice = True
    return store


@pytest.fixture
def make(routines: RoutinesFile, clock: ManualClock, store: MemoryStore):
    def build(saved: SavedSession | None = None) -> Flow:
        workout = Workout(PATH, routines, clock=clock, now=Wall(clock), store=store, saved=saved)
        return Flow(workout, StartOptions())

    return build


def test_the_flare_key_starts_the_gentle_version_with_a_slower_voice_and_records_it(
    make, clock: ManualClock, store: MemoryStore
) -> None:
    app = make()
    steps = app.chosen("gentle", flare=True)
    assert [type(s) for s in steps] == [UseSettings, RunSession]
    slower = steps[0]
    assert isinstance(slower, UseSettings) and slower.settings.voice_rate == 149
    run = steps[1]
    assert isinstance(run, RunSession)
    assert run.coach.plan.flare and run.coach.preferences.voice_rate == 149
    assert app.workout.preferences.voice_rate == 175
    clock.advance(run.coach.plan.total + 1)
    run.coach.tick()
    after = run.then(SessionExit.ENDED)
    assert after[0] == UseSettings(app.workout.preferences)  # the person's own voice again
    summary = after[1]
    assert isinstance(summary, ShowSummary)
    assert summary.then(2)[0] == ShowList()
    (entry,) = store.history
    assert isinstance(entry, HistoryEntry)
    assert entry.flare and entry.outcome is Outcome.FINISHED
    assert entry.routine_name == "Gentle mobility (flare day)"
    assert [(x.id, x.set_reps) for x in entry.exercises] == [("cat-stretch", 3), ("draw-in", 5)]
    assert json.loads(entry.model_dump_json())["flare"] is True


def test_the_list_beside_a_flare_session_gets_the_persons_voice_back(make) -> None:
    app = make()
    run = app.chosen("quick-core", flare=True)[1]
    assert isinstance(run, RunSession)
    left = run.then(SessionExit.LEFT)
    assert left == [UseSettings(app.workout.preferences), ShowList()]
    again = app.chosen(CONTINUE)
    assert [type(s) for s in again] == [UseSettings, RunSession]  # slower again


def test_flare_on_the_continue_line_or_a_routine_without_gentle_exercises_says_why(
    make, routines: RoutinesFile
) -> None:
    app = make()
    (notice,) = app.chosen(CONTINUE, flare=True)
    assert isinstance(notice, Notice) and "highlight a routine" in notice.text
    assert app.workout.coach is None
    from trainer.programme.schema import Routine

    routines.routines.append(
        Routine(id="mine", name="Bridges only", description="x", exercises=["bridges"])
    )
    (notice,) = app.chosen("mine", flare=True)
    assert isinstance(notice, Notice) and "none of the gentlest exercises" in notice.text
    assert app.workout.coach is None


def test_a_saved_flare_session_resumes_and_starts_over_as_one(
    make, clock: ManualClock, store: MemoryStore
) -> None:
    run = make().chosen("full", flare=True)[1]
    assert isinstance(run, RunSession)
    clock.advance(20)
    run.coach.tick()
    run.coach.pause()
    saved = store.saved
    assert saved is not None and saved.flare
    from trainer.records import saved_session

    text = saved.model_dump_json(indent=2)
    reread, problem = parse_session(text.encode())
    assert problem is None and reread is not None and reread.flare
    resumed = make(saved=saved)
    prompt = next(s for s in resumed.begin() if isinstance(s, AskResume))
    steps = prompt.then(ResumeChoice.RESUME)
    coach = next(s for s in steps if isinstance(s, RunSession)).coach
    assert coach.plan.flare and coach.preferences.voice_rate == 149
    again = make(saved=saved)
    prompt = next(s for s in again.begin() if isinstance(s, AskResume))
    restarted = next(s for s in prompt.then(ResumeChoice.RESTART) if isinstance(s, RunSession))
    assert restarted.coach.plan.flare and restarted.coach.session.index == 0
    # A saved session that is not a flare day is written without the key (an older trainer
    # still reads it), and one without the key loads as not a flare day.
    plain = saved.model_copy(update={"flare": False})
    assert '"flare"' not in _written(plain, saved_session)
    assert '"flare": true' in _written(saved, saved_session)


def _written(saved: SavedSession, module) -> str:
    out: list[bytes] = []

    def capture(path, data, **_kw) -> None:
        out.append(data)

    original = module.files.atomic_write
    module.files.atomic_write = capture
    try:
        module.save_session(saved)
    finally:
        module.files.atomic_write = original
    return out[0].decode()


# --------------------------------------------------------------------------- history, rules


def entry(day: date, *, flare: bool = False, hold: int = 10, checkin: int = 2) -> HistoryEntry:
    start = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    return HistoryEntry(
        started_at=start,
        ended_at=start + timedelta(minutes=10),
        routine_id="gentle",
        routine_name="Gentle mobility",
        active_seconds=600,
        outcome=Outcome.FINISHED,
        exercises=[
            ExerciseLog(
                id="bridges",
                name="Bridges",
                sets_done=3,
                sets=3,
                reps_done=45,
                reps=45,
                hold=hold,
                set_reps=15,
            )
        ],
        checkin_before=checkin,
        checkin=checkin,
        flare=flare,
    )


def test_an_old_history_line_is_not_a_flare_day() -> None:
    line = json.loads(entry(date(2026, 3, 2)).model_dump_json())
    del line["flare"]
    assert HistoryEntry.model_validate(line).flare is False


def test_a_completed_flare_day_keeps_the_streak(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    today = date(2026, 3, 4)
    days = [entry(date(2026, 3, 2)), entry(date(2026, 3, 3), flare=True), entry(today)]
    assert streak(days, today) == 3
    assert streak([days[0], days[2]], today) == 1  # without the flare day: broken
    assert history.is_counted(days[1])


def _mornings(entries: list[HistoryEntry]) -> list[history.Record]:
    from trainer.coaching import morning

    out: list[history.Record] = []
    for e in entries:
        out.append(e)
        out.append(morning.record(e, e.ended_at + timedelta(hours=20), morning.Answer("same")))
    return out


def test_flare_sessions_never_feed_a_progress_suggestion(routines: RoutinesFile) -> None:
    limits = dose.article_limits(loading.shipped_routines())
    calm = [entry(date(2026, 3, d)) for d in (2, 4, 6)]
    # The control: three calm sessions at the current dose suggest a step up.
    found = dose.suggestions(_mornings(calm), routines, limits)
    assert [(s.rule, s.change) for s in found] == [(dose.Rule.PROGRESS, "hold")]
    # The same three, then a flare day (at the same dose): no step up after it.
    flared = [*calm, entry(date(2026, 3, 7), flare=True)]
    assert dose.suggestions(_mornings(flared), routines, limits) == []
    # A flare day in the middle neither counts toward the run nor breaks it.
    middle = [calm[0], entry(date(2026, 3, 3), flare=True), calm[1]]
    assert dose.suggestions(_mornings(middle), routines, limits) == []  # only 2 calm
    four = [calm[0], entry(date(2026, 3, 3), flare=True), calm[1], calm[2]]
    assert [s.rule for s in dose.suggestions(_mornings(four), routines, limits)] == [
        dose.Rule.PROGRESS
    ]


def test_every_number_the_rules_use_is_in_the_docs_table_with_its_source() -> None:
    """The README links to this table: each constant of the dose, next-morning and flare-day
    rules has a row with its value and a source."""
    from trainer.coaching import morning

    root = Path(__file__).resolve().parent.parent
    text = (root / "README.md").read_text()
    table = text.split("## Every number the dose rules use", 1)[1].split("\n## ", 1)[0]
    rows = {
        line.split("|")[1].strip(): line.split("|")
        for line in table.splitlines()
        if line.startswith("| `")
    }
    numbers = {
        name: value
        for module in (dose, morning, flare)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, int | float) and not isinstance(value, bool)
    }
    assert len(numbers) >= 12
    for name, value in {**numbers, "MIN_RATE": MIN_RATE}.items():
        row = rows.get(f"`{name}`")
        assert row is not None, f"{name} is not in the table"
        assert str(value) in row[2], f"{name}: the table says {row[2].strip()}, the code {value}"
        assert row[4].strip(), f"{name} has no source"
