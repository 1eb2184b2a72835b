"""The installed ``trainer`` in a real terminal (tmux), as a person uses it.

Also the fault tests of the resume promise: kill -9 at random moments (seeded, many trials),
SIGHUP and SIGTERM, two instances at once.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from trainer.programme import loading
from trainer.programme.schema import Cue, CueKind, Routine, RoutinesFile, Timing

from .conftest import StartTerminal
from .terminal import TmuxTerminal, wait_process_gone

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
#: kill -9 trials; the issue asks for at least 50 in CI. They run in chunks of
#: ``TRIALS_PER_CHUNK``, each chunk a test of its own (own terminal, home and seed), so that
#: pytest-xdist spreads them over its workers: the same 50 trials, each as long as before (the
#: moment of the kill is what is random), in a fifth of the wall time.
TRIALS = int(os.environ.get("TRAINER_KILL_TRIALS", "50"))
TRIALS_PER_CHUNK = 10
CHUNKS = [
    (chunk, min(TRIALS_PER_CHUNK, TRIALS - chunk * TRIALS_PER_CHUNK))
    for chunk in range(-(-TRIALS // TRIALS_PER_CHUNK))
]
SEED = int(os.environ.get("TRAINER_KILL_SEED", "20261125"))


def trainer_cmd(*args: str) -> list[str]:
    found = shutil.which("trainer", path=str(Path(sys.executable).parent))
    assert found, "the trainer console script is not installed in this environment"
    return [found, *args]


def quick_routines(path: Path) -> Path:
    """A routines file whose steps last a second or two, so a few seconds cross many steps."""
    shipped = loading.load_routines(ROOT / "routines.toml")
    bridges = shipped.exercise("bridges").model_copy(
        update={
            "sets": 3,
            "reps": 4,
            "hold": 2,
            "rest_between_reps": 1,
            "rest_between_sets": 2,
            "cues": [
                Cue(text="Raise your hips", kind=CueKind.MOVE, seconds=1),
                Cue(text="Hold, squeeze your buttocks", kind=CueKind.HOLD),
                Cue(text="Lower your hips", kind=CueKind.MOVE, seconds=1),
            ],
        }
    )
    legs = shipped.exercise("leg-lifts").model_copy(
        update={"sets": 2, "reps": 3, "rest_between_sets": 2}
    )
    model = RoutinesFile.model_validate(
        shipped.model_copy(
            update={
                "timing": Timing(get_ready=1, switch_sides=1, rest_between_exercises=2),
                "exercises": [bridges, legs],
                "routines": [
                    Routine(
                        id="quick-test",
                        name="Quick test",
                        description="Short steps for the fault tests.",
                        exercises=["bridges", "leg-lifts"],
                    )
                ],
            }
        ).model_dump()
    )
    loading.save_routines(path, model)
    return path


def start_quick_test(
    start_terminal: StartTerminal, env: dict[str, str], routines: Path
) -> TmuxTerminal:
    """A first launch on ``routines``: past the safety advice, into the quick test routine."""
    term = start_terminal(trainer_cmd("--routines", str(routines)), env=env)
    term.wait_for("Before you start")
    term.send_keys("Enter")
    term.wait_for("Quick test")
    term.send_keys("Enter")
    term.wait_for("Set 1 of 3")
    return term


def prompt_line(snap: dict[str, object]) -> re.Pattern[str]:
    """How the resume prompt names a saved position (trainer.coaching.display.describe_step), as a
    pattern
    to search in the prompt's words (a long line may wrap)."""
    name = re.escape(str(snap["exercise_name"]))
    side = f", {snap['side']} side" if snap["side"] else ""
    set_no, rep = snap["set"], snap["rep"]
    where = {
        "move": rf"{name}{side}, set {set_no} of \d+, rep {rep} of \d+: ",
        "hold": rf"{name}{side}, set {set_no} of \d+, rep {rep} of \d+: ",
        "rep_rest": rf"{name}{side}, set {set_no} of \d+, rest before rep {rep} of \d+",
        "set_rest": rf"{name}{side}, rest before set {set_no} of \d+",
        "switch": rf"{name}, switching sides: ",
        "exercise_rest": rf"{name}{side}, rest before its first set",
        "ready": rf"{name}{side}, getting into position",
        "done": rf"{name}, at the end",
    }[str(snap["kind"])]
    return re.compile(where)


def title(term: TmuxTerminal) -> str:
    """The window title the app set (OSC 2): the countdown and the cue."""
    return term._display("#{pane_title}")


def session_json(env: dict[str, str]) -> dict[str, object]:
    path = Path(env["XDG_STATE_HOME"]) / "trainer" / "session.json"
    return json.loads(path.read_text(encoding="utf-8"))


POSITION = re.compile(
    r"(?P<name>Bridges|Lying lateral leg lifts)(?:, (?P<side>left|right) side)?"
    r"(?:, set (?P<set>\d), rep (?P<rep>\d))?"
)


def frame_position(screen: str) -> tuple[str, str | None, int, int] | None:
    """(exercise, side, set, rep) as the session screen shows them, None if not a session."""
    name = re.search(r"^ (Bridges|Lying lateral leg lifts)  \(", screen, re.M)
    sets = re.search(r"Set (\d) of \d(?: \((left|right) side\))?", screen)
    rep = re.search(r"Rep (\d) of \d", screen)
    if not (name and sets and rep):
        return None
    return name.group(1), sets.group(2), int(sets.group(1)), int(rep.group(1))


# --------------------------------------------------------------------------- as a user


def test_start_a_routine_see_the_countdown_move_pause_and_quit(
    start_terminal: StartTerminal, term_env: dict[str, str]
) -> None:
    term = start_terminal(trainer_cmd(), env=term_env)
    term.wait_for("Before you start")  # the safety advice, first launch only
    term.send_keys("Enter")
    term.wait_for("Full lower-back routine")
    term.send_keys("Enter")
    screen = term.wait_for("Set 1 of 3")
    assert "Bridges" in screen and "Rep 1 of 15" in screen and "Get into position" in screen
    first = title(term)
    deadline = time.monotonic() + 5
    while title(term) == first and time.monotonic() < deadline:
        time.sleep(0.1)
    moved = title(term)
    assert moved != first, f"the countdown did not move: {first!r}"
    assert re.match(r"^1?\d .*Get into position", moved), moved
    term.send_keys("Space")
    term.wait_for("PAUSED")
    frozen = title(term)
    time.sleep(2.2)
    assert title(term) == frozen, "the countdown moved while paused"
    term.send_keys("q")
    assert term.wait_dead() == 0
    assert not term.alternate_on(), "the terminal was left in the alternate screen"
    saved = session_json(term_env)
    assert saved["snapshot"]["state"] == "paused"  # type: ignore[index]


def test_a_bad_routines_file_never_starts_the_ui(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text((ROOT / "routines.toml").read_text().replace("reps = 15", "reps = 0", 1))
    term = start_terminal([*trainer_cmd("--routines", str(bad))], env=term_env)
    assert term.wait_dead() == 2
    screen = term.screen()
    assert "exercises[0].reps: must be at least 1, got 0" in screen
    assert "Traceback" not in screen


# --------------------------------------------------------------------------- signals


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_saves_the_step_and_restores_the_terminal(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path, signum: int
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    term = start_quick_test(start_terminal, term_env, routines)
    time.sleep(3.3)
    pid = term.pane_pid()
    last = frame_position(term.screen())
    os.kill(pid, signum)
    assert term.wait_dead() == 0, "trainer should exit cleanly on the signal"
    assert not term.alternate_on(), "the terminal was left in the alternate screen"
    assert "Traceback" not in term.screen()
    assert last is not None
    snap = session_json(term_env)["snapshot"]
    assert snap["state"] == "paused"  # type: ignore[index]
    saved = (snap["exercise_name"], snap["side"] or None, snap["set"], snap["rep"])  # type: ignore[index]
    assert saved == last or _next_rep(last, saved), f"saved {saved}, screen showed {last}"

    again = start_terminal(trainer_cmd("--routines", str(routines)), env=term_env)
    prompt = again.wait_for("Welcome back")
    assert prompt_line(snap).search(" ".join(prompt.split()))  # type: ignore[arg-type]


def test_closing_the_terminal_is_a_sighup_that_saves(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    term = start_quick_test(start_terminal, term_env, routines)
    pid = term.pane_pid()
    time.sleep(2.0)
    term.kill()  # the whole terminal goes away, as when an SSH connection drops
    wait_process_gone(pid)
    snap = session_json(term_env)["snapshot"]
    assert snap["state"] == "paused"  # type: ignore[index]
    assert snap["routine_id"] == "quick-test"  # type: ignore[index]


# --------------------------------------------------------------------------- kill -9


def test_every_kill_9_trial_runs() -> None:
    """The chunks below add up to TRIALS trials, none empty."""
    assert sum(trials for _chunk, trials in CHUNKS) == TRIALS >= 1
    assert all(trials >= 1 for _chunk, trials in CHUNKS)


@pytest.mark.parametrize(("chunk", "trials"), CHUNKS, ids=[f"chunk{c}" for c, _t in CHUNKS])
def test_kill_9_at_random_moments_loses_at_most_the_current_step(
    start_terminal: StartTerminal,
    term_env: dict[str, str],
    tmp_path: Path,
    chunk: int,
    trials: int,
) -> None:
    """Seeded trials: start (or resume), kill -9 at a random moment, relaunch: the prompt names
    the step on screen when it died (or the one just after it, if the save beat the paint)."""
    routines = quick_routines(tmp_path / "routines.toml")
    rng = random.Random(SEED + chunk)
    command = trainer_cmd("--routines", str(routines))
    state_dir = Path(term_env["XDG_STATE_HOME"]) / "trainer"
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "advice-seen").write_text("test")
    term = start_terminal(command, env=term_env)
    term.wait_for("Quick test")
    term.send_keys("Enter")
    exact = ahead = 0
    for trial in range(trials):
        term.wait_for(re.compile(r"Set \d of \d"))
        time.sleep(rng.uniform(0.05, 1.5))  # any moment of a step (they last 1-2 s)
        os.kill(term.pane_pid(), signal.SIGKILL)
        term.wait_dead()
        last = frame_position(term.screen())
        raw = (state_dir / "session.json").read_bytes()
        data = json.loads(raw)  # never half-written: it always parses
        snap = data["snapshot"]
        saved = (snap["exercise_name"], snap["side"] or None, snap["set"], snap["rep"])
        term.kill()
        term = start_terminal(command, env=term_env)
        prompt = term.wait_for("Welcome back")
        where = prompt_line(snap)
        words = " ".join(prompt.split())
        assert where.search(words), f"trial {trial}: prompt does not name {where.pattern!r}"
        if last is not None and saved != last:
            ahead += 1
            assert _next_rep(last, saved), f"trial {trial}: saved {saved}, screen {last}"
        else:
            exact += 1
        # Alternate: continue where it was, or start over.
        if trial % 2 == 0:
            term.send_keys("Enter")
        else:  # start over asks first; Tab to "Start over", Enter
            term.send_keys("o")
            term.wait_for("Start the routine over?")
            term.send_keys("Tab", "Enter")
    print(f"\nkill -9 trials: {trials}, prompt = last frame: {exact}, one step ahead: {ahead}")


def _next_rep(
    shown: tuple[str, str | None, int, int], saved: tuple[str, str | None, int, int]
) -> bool:
    """``saved`` is at most one step after ``shown`` (the next rep, set, side or exercise)."""
    if shown[0] != saved[0]:
        return True  # moved on to the next exercise in the same instant
    return (shown[1], shown[2], shown[3]) < (saved[1], saved[2], saved[3]) or (shown[1] != saved[1])


# --------------------------------------------------------------------------- two at once


def test_a_second_trainer_is_told_and_can_follow_read_only(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    routines = quick_routines(tmp_path / "routines.toml")
    first = start_terminal(trainer_cmd("--routines", str(routines)), env=term_env)
    first.wait_for("Before you start")
    first.send_keys("Enter")
    first.wait_for("Quick test")  # only open, on its list: no session yet
    second = start_terminal(trainer_cmd("--routines", str(routines)), env=term_env)
    screen = second.wait_for("already open")
    assert f"pid {first.pane_pid()}" in screen and "in another terminal" in screen
    assert "running a session" not in screen
    assert "Quit it there and this one takes over" in " ".join(screen.split())
    first.send_keys("Enter")  # the first one starts a session: the second is told so
    first.wait_for("Set 1 of 3")
    screen = second.wait_for("already running a session")
    assert f"pid {first.pane_pid()}" in screen
    second.send_keys("v")
    second.wait_for(re.compile(r"Bridges, set \d, rep \d"))
    second.send_keys("q")
    assert second.wait_dead() == 0
    # The first one still owns the session and keeps saving it.
    first.send_keys("Space")
    first.wait_for("PAUSED")
    assert session_json(term_env)["pid"] == first.pane_pid()


# --------------------------------------------------------------------------- a stopped process


def gap_routines(path: Path) -> Path:
    """One exercise whose reps take 5 s (1 s up, 2 s hold, 1 s down, 1 s rest), ten of them."""
    shipped = loading.load_routines(ROOT / "routines.toml")
    bridges = shipped.exercise("bridges").model_copy(
        update={
            "sets": 1,
            "reps": 10,
            "hold": 2,
            "rest_between_reps": 1,
            "cues": [
                Cue(text="Raise your hips", kind=CueKind.MOVE, seconds=1),
                Cue(text="Hold, squeeze your buttocks", kind=CueKind.HOLD),
                Cue(text="Lower your hips", kind=CueKind.MOVE, seconds=1),
            ],
        }
    )
    model = RoutinesFile.model_validate(
        shipped.model_copy(
            update={
                "timing": Timing(get_ready=1, switch_sides=1, rest_between_exercises=2),
                "exercises": [bridges],
                "routines": [
                    Routine(
                        id="gap-test",
                        name="Gap test",
                        description="Five-second reps for the stopped-process test.",
                        exercises=["bridges"],
                    )
                ],
            }
        ).model_dump()
    )
    loading.save_routines(path, model)
    return path


def test_a_stopped_process_pauses_where_it_was_and_counts_nothing_in_the_gap(
    start_terminal: StartTerminal, term_env: dict[str, str], tmp_path: Path
) -> None:
    routines = gap_routines(tmp_path / "routines.toml")
    state_dir = Path(term_env["XDG_STATE_HOME"]) / "trainer"
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "advice-seen").write_text("test")
    # tmux sends SIGCONT to a pane's process group as soon as it sees it stopped, so trainer
    # runs in a session of its own (setsid) to stay stopped; its pid is in the lock file.
    command = ["setsid", "-w", *trainer_cmd("--routines", str(routines))]
    term = start_terminal(command, env=term_env)
    term.wait_for("Gap test")
    term.send_keys("Enter")
    term.wait_for("Rep 2 of 10")  # a rep done, so the count has something to keep
    pid = int(json.loads((state_dir / "session.lock").read_text())["pid"])
    assert pid != term.pane_pid()
    os.kill(pid, signal.SIGSTOP)  # kill -STOP, Ctrl+Z, a stopped VM: nothing runs
    try:
        time.sleep(0.2)
        stopped = session_json(term_env)["snapshot"]  # the last position it saved
        time.sleep(8)  # more than a rep and a half would go by
    finally:
        os.kill(pid, signal.SIGCONT)
    # PAUSED and the bars below it: a capture taken while the frame is half written (a loaded
    # machine) can show the word before the bars' lines.
    screen = term.wait_for(re.compile(r"PAUSED[\s\S]*Rep \d+ of \d+"), timeout=5)
    after = session_json(term_env)["snapshot"]
    assert isinstance(stopped, dict) and isinstance(after, dict)
    assert after["state"] == "paused"
    assert after["step_index"] == stopped["step_index"], "the gap moved the session on"
    assert after["done_reps"] == stopped["done_reps"], "a rep in the gap was counted as done"
    assert after["paused_time"] >= 7, "the gap was not counted as paused"
    shown = frame_position(screen)
    assert shown == ("Bridges", None, after["set"], after["rep"])
    time.sleep(1.5)
    assert "PAUSED" in term.screen(), "a paused session moved on by itself"
    term.send_keys("Space")  # the person resumes it
    term.wait_until_gone("PAUSED")
    term.send_keys("q")
    assert term.wait_dead() == 0
