# ruff: noqa: RUF001 - drawings are made of box characters that look like / \ < >
"""Exercise figures: the file's rules, the frame for each moment, the mirror, the fit, and
golden files of every shipped figure at each size (``TRAINER_UPDATE_GOLDEN=1`` rewrites them,
to be looked at before committing)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trainer.coaching import figures as motion
from trainer.engine import Side, State, StepKind, View, plan_for
from trainer.programme import figures, loading
from trainer.programme.schema import RoutinesFile
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "figures"
SHIPPED = ROOT / "routines.toml"
#: The boxes a figure is fitted to: the session at 80x24 and 60x20 (beside the countdown),
#: and the routine list's details at 80x24. Below them (40x12) no figure is shown.
SIZES = {"session": (32, 5), "picker": (40, 5)}


@pytest.fixture(scope="module")
def shipped() -> RoutinesFile:
    return loading.load_routines(SHIPPED)


def view_at(step_index: int, elapsed: float, routines: RoutinesFile, routine: str) -> View:
    plan = plan_for(routines, routine)
    step = plan.steps[step_index]
    return View(
        state=State.RUNNING,
        step=step,
        next=None,
        elapsed=elapsed,
        duration=step.duration,
        remaining=step.duration - elapsed,
        hold_progress=0,
        rep_progress=0,
        set_progress=0,
        progress=0,
        time_left=0,
        active_time=0,
        paused_time=0,
    )


# --------------------------------------------------------------------------- pure text


def test_mirror_swaps_directions_and_reverses_lines() -> None:
    assert figures.mirror(["/‾\\ (o)", "▌ ╱"]) == ["(o) /‾\\", "    ╲ ▐"]
    assert figures.mirror(figures.mirror(["◖█▙ <", " ┏┛"])) == ["◖█▙ <", " ┏┛"]


def test_box_aligns_frames_on_the_floor() -> None:
    frames, width, height = figures.box(["ab\n--", "x\nyyy\n---"])
    assert (width, height) == (3, 3)
    assert frames[0] == ["   ", "ab ", "-- "]
    assert frames[1] == ["x  ", "yyy", "---"]


def test_fit_centres_or_refuses() -> None:
    assert figures.fit(["ab", "cd"], 4, 3) == ["    ", " ab ", " cd "]
    assert figures.fit(["abcde"], 4, 3) is None  # never cut
    assert figures.fit(["a"] * 4, 4, 3) is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("a\tb", "a tab"),
        ("a\x1b[2Jb", "control character \\x1b"),
        ("人", "(\\u4eba) is two columns wide"),
        ("\U0001f1e6\U0001f1f7", "(\\U0001f1e6) is two columns wide"),  # a flag
        ("e\u0301", "(\\u0301) is a combining, invisible or zero-width mark"),
        ("a\ufe0f", "(\\ufe0f) is a combining, invisible"),
        ("|\u1160|", "(\\u1160) is a combining, invisible or zero-width"),  # drawn 0 wide
        ("|\u0f7f|", "(\\u0f7f) is a combining"),  # a spacing mark (Mc), drawn 0 wide
        ("a\u0378", "(\\u0378) is not an assigned character"),
        ("a\ue000", "(\\ue000) is a private-use character"),
        ("a\u05d0b", "(\\u05d0) is a right-to-left letter"),
        ("x" * 41, "41 columns wide"),
        ("x\n" * 13, "13 lines"),
        ("  \n ", "is blank"),
    ],
)
def test_problems_name_the_fix(text: str, says: str) -> None:
    found = figures.problem(text)
    assert found is not None and says in found
    assert found.isascii()  # the character by its code: a mark shown raw joins its neighbours


def test_a_bad_figure_in_the_file_is_one_line_with_its_line(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    bad = text.replace("▄██▄           ▄██▀   ▀█▄", "▄██▄\t       ▄██▀   ▀█▄", 1)
    path = tmp_path / "routines.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(TrainerError) as caught:
        loading.load_routines(path)
    message = str(caught.value)
    line = next(i for i, row in enumerate(bad.splitlines(), 1) if row.startswith("start = "))
    assert message == (
        f"{path}:{line}: exercises[0].figure.start: "
        "line 3, column 5 of the drawing is a tab (\\t); use spaces"
    )


def test_a_pose_the_figure_lacks_is_named(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace('pose = "sag"', 'pose = "sagg"', 1)
    path = tmp_path / "routines.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TrainerError, match=r"cues\[1\]\.pose: the figure has no pose 'sagg'"):
        loading.load_routines(path)


def test_an_exercise_without_a_figure_still_loads_and_plans(shipped: RoutinesFile) -> None:
    data = shipped.model_dump(mode="json", exclude_none=True)
    for ex in data["exercises"]:
        ex.pop("figure")
        for cue in ex["cues"]:
            cue.pop("pose", None)
    bare = RoutinesFile.model_validate(data)
    view = view_at(1, 0, bare, "full")
    assert motion.frame_for(bare.exercises[0], None, view) == ()


def test_the_saved_file_keeps_drawings_as_drawings(shipped: RoutinesFile) -> None:
    raw = loading.dump_routines(shipped)
    assert raw == SHIPPED.read_bytes()
    assert '\nstart = """\n' in raw.decode()


# --------------------------------------------------------------------------- motion


def poses_over(routines: RoutinesFile, routine: str, exercise_id: str) -> list[tuple[str, str]]:
    """(step kind, pose) at the start of each second of one rep (the first) of an exercise."""
    plan = plan_for(routines, routine)
    exercise = routines.exercise(exercise_id)
    assert exercise.figure is not None
    drawing = motion.drawn(exercise.figure)
    out = []
    for step in plan.steps:
        if step.exercise_id != exercise_id or step.rep != 1 or step.set != 1:
            continue
        if step.kind is StepKind.SWITCH or step.side is Side.RIGHT:
            continue
        for second in range(max(1, step.duration)):
            out.append((step.kind.value, motion.pose_at(exercise, drawing, step, second)))
    return out


def test_bridge_hips_rise_hold_and_come_down(shipped: RoutinesFile) -> None:
    seen = poses_over(shipped, "full", "bridges")
    assert seen[0] == ("ready", "start")
    work = [pose for kind, pose in seen if kind in ("move", "hold")]
    # raise 3 s: on the way, on the way, up; hold 10 s up; lower 3 s: on the way, down.
    assert work[:3] == ["between 1", "between 1", "end"]
    assert work[3:13] == ["end"] * 10
    assert work[13:] == ["between 1", "between 1", "start"]


def test_cat_arches_sags_through_the_start_and_returns(shipped: RoutinesFile) -> None:
    seen = [pose for kind, pose in poses_over(shipped, "full", "cat-stretch") if kind == "move"]
    assert seen == ["end"] * 5 + ["start", "start", "start", "sag", "sag"] + ["start"] * 3


def test_draw_in_and_curls_breathe_in_first(shipped: RoutinesFile) -> None:
    draw_in = [p for k, p in poses_over(shipped, "full", "draw-in") if k in ("move", "hold")]
    assert draw_in[:4] == ["inhale"] * 4 and draw_in[4:] == ["end"] * 8
    curls = [p for k, p in poses_over(shipped, "full", "partial-curls") if k in ("move", "hold")]
    assert curls[:3] == ["start"] * 3 and curls[3:6] == ["between 1", "between 1", "end"]


def test_the_second_side_is_mirrored(shipped: RoutinesFile) -> None:
    exercise = shipped.exercise("leg-lifts")
    assert exercise.figure is not None
    drawing = motion.drawn(exercise.figure)
    assert drawing.side is Side.RIGHT  # the drawing lies on the right side, head on the left
    right, left = drawing.lines("end", Side.RIGHT), drawing.lines("end", Side.LEFT)
    assert right[1].startswith(" ▄▄") and left[1].rstrip().endswith("▄▄")
    assert list(left) == [line.ljust(drawing.width) for line in figures.mirror(right)]
    assert drawing.lines("end", Side.BOTH) == right


# --------------------------------------------------------------------------- golden files


def rendered(shipped: RoutinesFile, size: tuple[int, int]) -> dict[str, str]:
    out: dict[str, str] = {}
    for exercise in shipped.exercises:
        assert exercise.figure is not None, exercise.id
        drawing = motion.drawn(exercise.figure)
        sides = (Side.LEFT, Side.RIGHT) if exercise.sides == 2 else (Side.BOTH,)
        parts = []
        for side in sides:
            for pose in drawing.frames:
                fitted = figures.fit(list(drawing.lines(pose, side)), *size)
                assert fitted is not None, f"{exercise.id} {pose} does not fit {size}"
                title = f"{pose}" + (f", {side.value} side" if side is not Side.BOTH else "")
                parts.append(f"-- {title}\n" + "\n".join(f"|{line}|" for line in fitted))
        out[exercise.id] = "\n".join(parts) + "\n"
    return out


@pytest.mark.parametrize("where", sorted(SIZES))
def test_golden_figures(shipped: RoutinesFile, where: str) -> None:
    update = os.environ.get("TRAINER_UPDATE_GOLDEN") == "1"
    for exercise_id, text in rendered(shipped, SIZES[where]).items():
        golden = GOLDEN / f"{exercise_id}-{where}.txt"
        if update:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8")
        assert golden.read_text(encoding="utf-8") == text, (
            f"{golden.name} differs: look at it, then TRAINER_UPDATE_GOLDEN=1"
        )


def test_a_side_on_a_one_sided_exercise_is_refused(tmp_path: Path) -> None:
    """Bridges are done once: a figure's ``side`` there is a mistake, named with its line."""
    text = SHIPPED.read_text(encoding="utf-8")
    bad = text.replace("[exercises.figure]\nstart", '[exercises.figure]\nside = "right"\nstart', 1)
    path = tmp_path / "routines.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(TrainerError) as caught:
        loading.load_routines(path)
    line = 1 + bad.splitlines().index('side = "right"')
    assert str(caught.value) == (
        f"{path}:{line}: exercises[0].figure.side: is for an exercise with sides = 2; remove it"
    )
