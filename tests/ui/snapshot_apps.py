"""Scenes of the real app, shared by the snapshot tests and ``scripts/screenshots.py``.

A scene is a name and a list of steps (key presses, clock jumps, typing) that take a freshly
built :class:`TrainerApp` from the routine list to the screen worth a picture. Everything that
could differ between two runs is pinned: the clock (a hand-moved fake), ``now``, the XDG folders
(a private folder per scene) and the routines path (``routines.toml``, relative to the scene's
folder, which the caller makes the working directory so that the settings screen shows the same
path on every run).

To add a picture: add a :class:`Scene` to :data:`SCENES` (a snapshot test picks it up by name in
``tests/ui/test_snapshots.py``; the screenshot script by its list of names).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from trainer.coaching.display import window_title
from trainer.coaching.lifecycle import catalog_for
from trainer.engine import ManualClock, State
from trainer.outputs.speech import Engine, SpeechContext
from trainer.programme import preferences
from trainer.programme.catalog import Catalog
from trainer.programme.loading import load_routines, parse_routines
from trainer.programme.schema import RoutinesFile
from trainer.records import history
from trainer.ui.app import TrainerApp
from trainer.ui.screens.session import SessionScreen

ROOT = Path(__file__).resolve().parents[2]
#: The shipped default routines file, copied into each scene's folder.
SHIPPED_ROUTINES = ROOT / "routines.toml"
#: The routines file as the app is given it: relative to the scene folder (the working dir).
ROUTINES_NAME = Path("routines.toml")
#: Where the fake clock starts (a monotonic clock is rarely at 0).
CLOCK_START = 1000.0
#: The wall-clock time the app believes it is (history entries, saved sessions).
FIXED_NOW = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)


def answer_next_morning(session_started_at: datetime) -> None:
    """Record the next-morning question about that session as answered ("same", an hour before
    FIXED_NOW), so that a scene opens on the list (and `h` on the history), not on the question."""
    history.append_entry(
        history.MorningCheck(
            at=FIXED_NOW - timedelta(hours=1),
            session_started_at=session_started_at,
            compared="same",
        )
    )


XDG_VARS = {
    "XDG_CONFIG_HOME": "xdg-config",
    "XDG_STATE_HOME": "xdg-state",
    "XDG_DATA_HOME": "xdg-data",
}

# Timings of the shipped "full" routine that the scenes rely on (bridges come first).
GET_READY = 15  # [timing] get_ready
BRIDGE_RAISE = 3  # "Raise your hips"
BRIDGE_HOLD = 10  # "Hold, squeeze your buttocks"
BRIDGE_REP = BRIDGE_RAISE + BRIDGE_HOLD + 3  # then "Lower your hips", 3 s
BRIDGE_REP_REST = 3
BRIDGE_REPS = 15
BRIDGE_SETS = 3
BRIDGE_SET_REST = 60
#: Seconds from the start of the full routine to the end of the first set of bridges.
FIRST_SET = GET_READY + BRIDGE_REPS * BRIDGE_REP + (BRIDGE_REPS - 1) * BRIDGE_REP_REST
#: ... and to the end of the bridges (the next exercise starts).
ALL_BRIDGES = (
    BRIDGE_SETS * (FIRST_SET - GET_READY) + (BRIDGE_SETS - 1) * BRIDGE_SET_REST + GET_READY
)


#: Seconds from the start of the full routine to its "switch sides" (the leg lifts' middle).
SWITCH_SIDES_AT = 1388

#: The session's states, each drawn with its own frame or fill (snapshots at several sizes).
SESSION_STATES = {
    "move": "session-move",
    "hold": "session-hold",
    "rest": "session-rest",
    "switch": "session-switch",
    "paused": "session-paused",
    "side": "session-side",
}


class RecordingSpeaker:
    """A speech engine that speaks nowhere: it keeps what it was asked to say and to stop."""

    def __init__(self) -> None:
        #: Every phrase, in order; "<stop>" where speech was cut without a new phrase.
        self.log: list[str] = []
        self.speaking = False

    @property
    def said(self) -> list[str]:
        return [entry for entry in self.log if entry != "<stop>"]

    def say(self, text: str) -> None:
        self.log.append(text)
        self.speaking = True

    def stop(self) -> None:
        if self.speaking:
            self.log.append("<stop>")
        self.speaking = False

    def close(self) -> None:
        self.stop()

    def poll(self) -> None:
        pass

    def take_problem(self) -> str | None:
        return None


#: A machine with espeak-ng, not over SSH: the same settings screen on every test machine.
FIXED_SPEECH = SpeechContext(
    engines=(Engine("espeak-ng", "/usr/bin/espeak-ng"),), over_ssh=False, platform="linux"
)


def prepare_folder(folder: Path, routines: Path = SHIPPED_ROUTINES) -> dict[str, str]:
    """Copy ``routines`` into ``folder`` as ``routines.toml`` and make empty XDG folders there.

    Returns the environment variables to set (the caller sets them, and makes ``folder`` the
    working directory, before building the app).
    """
    shutil.copyfile(routines, folder / ROUTINES_NAME)
    env = {"HOME": str(folder)}  # the paths a screen shows as ~/... are the same every run
    for var, name in XDG_VARS.items():
        (folder / name).mkdir(exist_ok=True)
        env[var] = str(folder / name)
    return env


def make_app(
    clock: ManualClock | None = None, routines_path: Path = ROUTINES_NAME, **options: Any
) -> TrainerApp:
    """The real app on ``routines_path``, with a fake clock and a fixed ``now``.

    The first-launch safety advice is off unless ``show_advice`` says otherwise: scenes start
    at the routine list. Other ``options`` go to :class:`TrainerApp` as they are (``saved=``).
    """
    options.setdefault("show_advice", False)
    # Never a real speech process in a test: the voice goes to a recorder.
    options.setdefault("speech", FIXED_SPEECH)
    options.setdefault("speaker_factory", lambda engine, rate: RecordingSpeaker())
    options.setdefault("now", lambda: FIXED_NOW)
    raw = Path(routines_path).read_bytes()
    options.setdefault("preferences", preferences.load())  # the person's, from XDG_CONFIG_HOME
    # Validated once per file content; each app gets its own copy (models are mutable).
    parsed = _PARSED.get(raw)
    if parsed is None:
        parsed = _PARSED[raw] = parse_routines(raw, Path(routines_path))
    routines = parsed.model_copy(deep=True)
    # As `trainer` starts (trainer.cli.cmd_app): the list's catalog is built before the app;
    # here once per file content (a catalog is immutable and holds no path; building it plans
    # every routine: 20 ms an app).
    if "catalog" not in options:
        found = _CATALOGS.get(raw)
        if found is None:
            found = _CATALOGS[raw] = catalog_for(routines, raw, Path(routines_path))
        options["catalog"] = found
    return TrainerApp(
        routines_path, routines, raw=raw, clock=clock or ManualClock(CLOCK_START), **options
    )


_PARSED: dict[bytes, RoutinesFile] = {}
_CATALOGS: dict[bytes, Catalog] = {}


# ---------------------------------------------------------------------------- steps

AnyPilot = Pilot[Any]
Step = Callable[[AnyPilot], Awaitable[None]]


def clock_of(pilot: AnyPilot) -> ManualClock:
    clock = getattr(getattr(pilot.app, "workout", None), "clock", None)
    if not isinstance(clock, ManualClock):
        raise TypeError("the app needs a clock with advance() (build it with make_app)")
    return clock


async def redraw(pilot: AnyPilot) -> None:
    """Let the session screen read the clock now (as its own timer would), then settle."""
    screen = pilot.app.screen
    if isinstance(screen, SessionScreen):
        screen.tick()
    await pilot.pause()


async def settled(pilot: AnyPilot) -> None:
    """Let pending work end: messages, then the screens' worker threads (the history is read
    off the UI thread) and what they hand back."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def press(*keys: str) -> Step:
    async def step(pilot: AnyPilot) -> None:
        await pilot.press(*keys)
        await settled(pilot)

    return step


def _running_session(pilot: AnyPilot) -> SessionScreen | None:
    screen = pilot.app.screen
    if isinstance(screen, SessionScreen) and screen.coach.session.state in (
        State.RUNNING,
        State.LEAD_IN,
    ):
        return screen
    return None


def advance(seconds: float) -> Step:
    """Let ``seconds`` pass on the fake clock while the app runs, and redraw the session.

    A silence longer than ``trainer.coaching.coach.GAP_LIMIT`` past the screen's expected wake-up
    is a gap
    in which the app could not run, which pauses the session. So a long wait lets the running
    session screen tick at the last moment that is not a gap (``Coach.wake_by``), as few times as
    that takes (its own timer would tick every second, which the tests need not play out).

    The session is positioned directly: those ticks run back to back, with no Pilot pause (no
    repaint) between them, and the screen is drawn once at the end. Each tick is the coach's,
    with what the screen does with it but the drawing (the rules, the saves, the sounds and the
    title), and the last one is the screen's own, so the screen at the end is the one a person
    who waited would see. A pause per tick made 1,388 s of the full routine cost 10-25 s, and
    drawing every tick unseen was a third of a session snapshot's time.
    """

    async def step(pilot: AnyPilot) -> None:
        clock = clock_of(pilot)
        end = clock() + seconds
        while (screen := _running_session(pilot)) is not None:
            wake_by = screen.coach.wake_by
            if wake_by is None or end <= wake_by:
                break
            clock.advance(wake_by - clock())
            view, signal = screen.coach.tick()
            screen.trainer.outlets.play(signal)
            screen.trainer.signals.title(window_title(view))
            if view.state.is_over:
                screen.tick()  # the screen's own: it leaves for the summary
        clock.advance(end - clock())
        await redraw(pilot)

    return step


def type_into(selector: str, text: str) -> Step:
    """Replace the text of the input ``selector`` by ``text``, typed key by key."""

    async def step(pilot: AnyPilot) -> None:
        field = pilot.app.screen.query_one(selector, Input)
        field.focus()
        field.clear()
        await pilot.pause()
        if text:
            await pilot.press(*text)
        await pilot.pause()

    return step


async def settle(pilot: AnyPilot) -> None:
    """Freeze what would differ from one capture to the next: blinking input cursors."""
    await settled(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def light_theme(pilot: AnyPilot) -> None:
    """Switch to the light theme as the settings screen does: saved in preferences.toml."""
    app = pilot.app
    assert isinstance(app, TrainerApp)
    app.workout.save_preferences(app.workout.preferences.with_values(theme="light"))
    app.apply_theme()
    await pilot.pause()


def bridges_input(name: str) -> str:
    """The settings screen's input for one of the bridges' numbers."""
    return f"#in--bridges--{name}"


# ---------------------------------------------------------------------------- scenes


def no_options() -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Scene:
    name: str
    description: str
    steps: Sequence[Step]
    #: Called in the scene's folder (XDG variables set) before the app is built: it may write
    #: files there and returns extra TrainerApp options (``saved=``, ``show_advice=``...).
    prepare: Callable[[], dict[str, Any]] = no_options

    async def play(self, pilot: AnyPilot) -> None:
        """Run the steps on a started app (``run_before`` of ``snap_compare``)."""
        await pilot.pause()
        for step in self.steps:
            await step(pilot)
        await settle(pilot)


START_FULL = press("enter")  # the list opens on the full routine
INTO_FIRST_HOLD = GET_READY + BRIDGE_RAISE + 4  # 4 s into the first hold
OPEN_SETTINGS = press("e")


def saved_full_routine() -> dict[str, Any]:
    """A full-routine session saved 2 hours ago, paused in the second set of bridges."""
    from datetime import timedelta

    from trainer.engine import Session, plan_for
    from trainer.records.saved_session import SavedSession

    clock = ManualClock(CLOCK_START)
    routines = load_routines(ROUTINES_NAME)
    session = Session(plan_for(routines, "full"), clock)
    session.start()
    clock.advance(FIRST_SET + 60 + 7 * (BRIDGE_REP + BRIDGE_REP_REST) + 5)
    session.pause()
    saved = SavedSession.of(
        session,
        ROUTINES_NAME,
        started_at=FIXED_NOW - timedelta(hours=2, minutes=10),
        saved_at=FIXED_NOW - timedelta(hours=2),
    )
    return {"saved": saved}


def fixed_history() -> dict[str, Any]:
    """Five weeks of sessions with check-ins, written to the scene's history file."""
    from datetime import timedelta

    from trainer.records.history import ExerciseLog, HistoryEntry, Outcome, append_entry

    routines = load_routines(ROUTINES_NAME)
    plans = {
        "full": ["bridges", "draw-in", "leg-lifts", "cat-stretch", "partial-curls"],
        "quick-core": ["draw-in", "partial-curls"],
    }
    days = [34, 32, 30, 27, 25, 23, 20, 18, 16, 13, 11, 9, 6, 4, 3, 2, 1, 0]
    pains = [6, 6, 5, 6, 5, 5, 4, 5, 4, 4, 3, 4, 3, 3, 2, 3, 2, 2]
    for n, (ago, pain) in enumerate(zip(days, pains, strict=True)):
        routine = "full" if n % 3 else "quick-core"
        outcome = Outcome.HURT if n == 4 else Outcome.FINISHED
        started = FIXED_NOW - timedelta(days=ago, hours=n % 3)
        logs = []
        for ex_id in plans[routine]:
            ex = routines.exercise(ex_id)
            reps = ex.reps * ex.sets * ex.sides
            done = reps // 3 if outcome is Outcome.HURT else reps
            logs.append(
                ExerciseLog(
                    id=ex.id,
                    name=ex.name,
                    sets_done=ex.sets * ex.sides if done == reps else 0,
                    sets=ex.sets * ex.sides,
                    reps_done=done,
                    reps=reps,
                )
            )
        append_entry(
            HistoryEntry(
                started_at=started,
                ended_at=started + timedelta(minutes=39 if routine == "full" else 12),
                routine_id=routine,
                routine_name=routines.routine(routine).name,
                active_seconds=2332.0 if routine == "full" else 689.0,
                paused_seconds=60.0,
                outcome=outcome,
                exercises=logs,
                checkin=pain,
            )
        )
    return {}


def yesterdays_session() -> dict[str, Any]:
    """One full routine finished yesterday evening and not yet asked about: the first launch
    today opens on the next-morning question."""
    from datetime import timedelta

    from trainer.records.history import HistoryEntry, Outcome, append_entry

    started = FIXED_NOW - timedelta(hours=15)
    append_entry(
        HistoryEntry(
            started_at=started,
            ended_at=started + timedelta(minutes=39),
            routine_id="full",
            routine_name=load_routines(ROUTINES_NAME).routine("full").name,
            active_seconds=2332.0,
            paused_seconds=0.0,
            outcome=Outcome.FINISHED,
            exercises=[],
            checkin=3,
        )
    )
    return {}


def old_preferences_in_routines() -> dict[str, Any]:
    """A routines file from before preferences.toml: its bell and command wait for consent."""
    path = Path(ROUTINES_NAME)
    text = path.read_text(encoding="utf-8")
    old = '[settings]\nbell = "holds"  # quiet\non_event = "notify-send trainer"\n'
    path.write_text(text.replace("[settings]\n", old, 1), encoding="utf-8")
    return {}


def plain_letters() -> dict[str, Any]:
    """The person's preferences ask for plain letters (a font without block characters)."""
    from trainer.programme import preferences

    path = preferences.preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("plain_letters = true\n", encoding="utf-8")
    return {}


#: A routine of the leg lifts alone (a two-sided exercise from the first step).
LEGS_ROUTINE = (
    '\n[[routines]]\nid = "legs"\nname = "Legs"\ndescription = "Leg lifts."\n'
    'exercises = ["leg-lifts"]\n'
)


def add_legs_routine(path: Path) -> None:
    """Add :data:`LEGS_ROUTINE` to the routines file at ``path``."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + LEGS_ROUTINE, encoding="utf-8")


def checkin_before() -> dict[str, Any]:
    """The programme asks for a check-in before each session (``checkin_before = true``)."""
    path = Path(ROUTINES_NAME)
    text = path.read_text(encoding="utf-8")
    assert "checkin_before = false" in text
    path.write_text(text.replace("checkin_before = false", "checkin_before = true"))
    return {}


def calm_gentle_session() -> list[Step]:
    """The gentle routine from the list, run to the end with both check-ins at 3 (calm)."""
    return [
        press("down", "down", "enter"),
        type_into("#checkin-before-score", "3"),
        press("enter"),
        advance(5000),
        type_into("#checkin", "3"),
        press("enter"),
    ]


async def answered_the_morning_after(pilot: AnyPilot) -> None:
    """The last session answered "same" the next morning (as the next launch would ask)."""
    entries, _ = history.read_entries()
    answer_next_morning(entries[-1].started_at)


def edit_routines(old: str, new: str) -> Step:
    """Another program (an editor) changes the routines file meanwhile."""

    async def step(pilot: AnyPilot) -> None:
        path = Path(ROUTINES_NAME)
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    return step


def locked_by_another() -> dict[str, Any]:
    from datetime import timedelta

    from trainer.records.saved_session import LockHolder, SessionLock

    # Really held (by this test process), so the follower's polls find its writer still there.
    lock = SessionLock.try_acquire()
    if not isinstance(lock, SessionLock):
        raise RuntimeError(f"the scene's lock is taken: {lock.describe()}")
    _HELD_LOCKS.append(lock)
    since = FIXED_NOW - timedelta(minutes=12)
    # The details another trainer in a session writes: what every poll then reads, so the
    # screen (which shows what each poll found) stays as it is, whenever the picture is taken.
    data = json.dumps({"pid": 4242, "since": since.isoformat(), "session": True}).encode()
    fd = os.open(lock.path, os.O_WRONLY)
    try:
        os.pwrite(fd, data, 0)
        os.ftruncate(fd, len(data))
    finally:
        os.close(fd)
    holder = SessionLock.try_acquire()
    assert holder == LockHolder(pid=4242, since=since, session=True), holder
    return {"locked_by": holder}


def seconds_into(
    routine: str, exercise: str, cue: int, into: float, *, side: str = "", rep: int = 1
) -> float:
    """Seconds from the start of a shipped routine to ``into`` seconds into a cue of its
    first set (read from the plan, so the scenes follow the file)."""
    from trainer.engine import StepKind, plan_for

    plan = plan_for(load_routines(SHIPPED_ROUTINES), routine)
    for step in plan.steps:
        if (
            step.exercise_id == exercise
            and step.kind in (StepKind.MOVE, StepKind.HOLD)
            and step.cue_index == cue
            and step.rep == rep
            and step.set == 1
            and (not side or step.side.value == side)
        ):
            return step.offset + into
    raise LookupError((routine, exercise, cue, side))


#: The routine list's second and third routines (each option is one item of the list).
START_QUICK_CORE = press("down", "enter")
START_GENTLE = press("down", "down", "enter")

#: Each exercise's figure in the pose that shows it best (the first one is in session-move
#: and session-hold; the leg lifts' start pose on the right side in session-switch).
FIGURE_SCENES = {
    "figure-draw-in": (
        "Draw-in maneuvers, 3 s into 'Breathe in deeply': the belly rises (the inhale pose)",
        [START_QUICK_CORE, advance(seconds_into("quick-core", "draw-in", 0, 3))],
    ),
    "figure-partial-curls": (
        "Partial curls, 2 s into the hold: head and shoulders lifted",
        [START_QUICK_CORE, advance(seconds_into("quick-core", "partial-curls", 2, 2))],
    ),
    "figure-cat-sag": (
        "Cat stretch, 4 s into 'Relax, let your belly sag' (the sag pose)",
        [START_GENTLE, advance(seconds_into("gentle", "cat-stretch", 1, 4))],
    ),
    "figure-cat-arch": (
        "Cat stretch, 4 s into 'Arch your back' (the end pose)",
        [START_GENTLE, advance(seconds_into("gentle", "cat-stretch", 0, 4))],
    ),
    "figure-leg-lifts-left": (
        "Leg lifts on the left side, in the hold: lying on the left side (head on the right), "
        "the right leg up",
        [START_FULL, advance(seconds_into("full", "leg-lifts", 1, 1, side="left"))],
    ),
    "figure-leg-lifts-right": (
        "Leg lifts on the right side, in the hold: the figure mirrored",
        [START_FULL, advance(seconds_into("full", "leg-lifts", 1, 1, side="right"))],
    ),
}


#: Locks the scenes hold for as long as the test process runs.
_HELD_LOCKS: list[Any] = []


def _scenes(*scenes: Scene) -> dict[str, Scene]:
    return {scene.name: scene for scene in scenes}


SCENES: dict[str, Scene] = _scenes(
    Scene("picker", "The routine list with the full routine's details", []),
    Scene(
        "session-hold",
        "Bridges, set 1, rep 1: 4 s into the 10 s hold",
        [START_FULL, advance(INTO_FIRST_HOLD)],
    ),
    Scene(
        "session-hold-light",
        "The first hold again, in the light theme",
        [light_theme, START_FULL, advance(INTO_FIRST_HOLD)],
    ),
    Scene(
        "session-move",
        "Bridges, set 1, rep 1: 1 s into 'Raise your hips' (LIFT, a thin rounded frame)",
        [START_FULL, advance(GET_READY + 1)],
    ),
    Scene(
        "session-switch",
        "Leg lifts: switch sides, in words (SWITCH SIDES, a double frame)",
        [START_FULL, advance(SWITCH_SIDES_AT + 2)],
    ),
    Scene(
        "session-side",
        "Leg lifts, right side, set 1, rep 8: the hold, RIGHT SIDE in big letters",
        [START_FULL, advance(SWITCH_SIDES_AT + 12 + 7 * 7)],
    ),
    Scene(
        "session-rest",
        "The 60 s rest after the first set of bridges, 20 s into it",
        [START_FULL, advance(FIRST_SET), advance(20)],
    ),
    Scene(
        "session-paused",
        "Paused during the first hold; the clock runs on, the countdown does not",
        [START_FULL, advance(INTO_FIRST_HOLD), press("space"), advance(30)],
    ),
    Scene("settings", "The settings screen as opened from the list", [OPEN_SETTINGS]),
    Scene(
        "settings-invalid",
        "Bridges reps set to 0: shown in red, Save disabled",
        [OPEN_SETTINGS, type_into(bridges_input("reps"), "0")],
    ),
    Scene(
        "settings-unsaved",
        "Escape after changing the bridges reps: Save / Discard / Keep editing",
        [OPEN_SETTINGS, type_into(bridges_input("reps"), "12"), press("escape")],
    ),
    Scene(
        "summary",
        "The full routine run to the end (after a 2 min pause), then the summary",
        [START_FULL, advance(100), press("space"), advance(120), press("space"), advance(3600)],
    ),
    Scene(
        "summary-hurt",
        "'x' during the second rep of bridges: stopped, the article's advice, the check-in",
        [START_FULL, advance(GET_READY + BRIDGE_REP + BRIDGE_REP_REST + 5), press("x")],
    ),
    Scene(
        "advice",
        "First launch: the article's safety advice and the keys that matter",
        [],
        prepare=lambda: {"show_advice": True},
    ),
    Scene(
        "resume",
        "A session saved 2 hours ago: Resume, Start over or Discard",
        [],
        prepare=saved_full_routine,
    ),
    Scene(
        "history",
        "Five weeks of sessions: heat map, streak, this week, pain trend, totals",
        [press("h")],
        prepare=fixed_history,
    ),
    Scene(
        "watch",
        "Another trainer holds the session: told who, can follow read-only or quit",
        [],
        prepare=locked_by_another,
    ),
    Scene(
        "morning",
        "The first launch the day after a session: how is your back this morning?",
        [],
        prepare=yesterdays_session,
    ),
    Scene(
        "migrate",
        "An old routines file still holds the bell and a command: moved only with consent",
        [],
        prepare=old_preferences_in_routines,
    ),
    Scene(
        "conflict",
        "Saving a hold that an editor changed meanwhile: both values, the file's kept first",
        [
            OPEN_SETTINGS,
            type_into(bridges_input("hold"), "12"),
            edit_routines("hold = 10\n", "hold = 14\n"),
            press("ctrl+s"),
        ],
    ),
    Scene(
        "checkin",
        "Before a session (the programme asks for it): how does your back feel? Escape skips",
        [press("enter")],
        prepare=checkin_before,
    ),
    Scene(
        "suggest",
        "After a third calm session at one dose: a step up, one exercise at a time, within the "
        "article's range",
        [
            *calm_gentle_session(),
            answered_the_morning_after,
            *calm_gentle_session(),
            answered_the_morning_after,
            *calm_gentle_session(),
        ],
        prepare=checkin_before,
    ),
    Scene(
        "session-plain",
        "The first hold in plain letters (a terminal font without block characters)",
        [START_FULL, advance(INTO_FIRST_HOLD)],
        prepare=plain_letters,
    ),
    *(Scene(name, description, steps) for name, (description, steps) in FIGURE_SCENES.items()),
)
