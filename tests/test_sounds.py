"""The whole routine by ear: a golden sound track, and a listener who recovers the plan from it.

The golden file (tests/golden/full-routine-sounds.txt) is what a person checks against the
article: every phrase and bell pattern of the full routine at its time. The decoder below uses
only what a person hears (words and bell patterns, with their times), never the plan, and must
find every hold's start and end, every rest's end and every switch of side.
"""

from __future__ import annotations

import os

import pytest
from sound_run import GOLDEN, Heard, Run, golden_text, listen

from trainer.coaching import audible
from trainer.engine import Plan, StepKind
from trainer.programme.constants import BellMode, VoiceMode
from trainer.programme.preferences import Preferences
from trainer.programme.schema import RoutinesFile
from trainer.text import wording

DOTS = {p.name: p.sound for p in audible.VOCABULARY}
#: The sounds come 0.01 s after the change (the screen's timer); nothing may be later than this.
TOLERANCE = 0.05


@pytest.fixture(scope="module")
def full(routines_module: RoutinesFile) -> Run:
    return listen(routines_module, "full")


@pytest.fixture(scope="module")
def routines_module() -> RoutinesFile:
    from conftest import ROOT

    from trainer.programme.loading import load_routines

    return load_routines(ROOT / "routines.toml")


# ----------------------------------------------------------------------------- the golden file


@pytest.mark.parametrize("routine_id", ["full", "quick-core", "gentle"])
def test_the_sound_track_matches_the_golden_file(routines_module, routine_id):
    run = listen(routines_module, routine_id)
    name = routines_module.routine(routine_id).name
    text = golden_text(run, f"{name} ({routine_id}), by ear, default settings", DOTS)
    path = GOLDEN / f"{routine_id}-sounds.txt"
    if os.environ.get("TRAINER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"{path.name} differs: if the change is meant, regenerate it with "
        "TRAINER_UPDATE_GOLDEN=1 python -m pytest tests/test_sounds.py and read the diff"
    )


def test_the_full_routine_opens_with_the_exercise_and_ends_with_done(full):
    said = [h.say for h in full.phrases]
    assert said[0] == "Bridges. Three sets of fifteen, hold ten seconds."
    assert said[1] == (
        "Get into position. Lie on the ground with feet flat on the floor and hip-width apart."
    )
    assert said[2:5] == ["three", "two", "one"]
    assert said[5:7] == ["Raise your hips", "Hold, squeeze your buttocks"]
    assert "Rest, one minute. Next: set two of three." in said
    assert "Switch sides. Lie on your right side with the legs together." in said
    assert "Rest, thirty seconds. Next: draw-in maneuvers. Five times, hold five seconds." in said
    assert said[-1] == "Done. Well done."
    assert full.heard[-1].bell == "done"


def test_fast_moves_inside_a_rep_do_not_ring(full):
    """Leg lifts: raise 2 s, hold 2 s, lower 2 s: only the hold and its end ring."""
    lifts = [h for h in full.heard if h.step.exercise_id == "leg-lifts" and h.step.rep == 4]
    rung = [(h.step.text, h.bell) for h in lifts if h.bell]
    assert rung[:2] == [("Hold", "hold"), ("Lower your leg", "move")]
    assert all(h.bell is None for h in lifts if h.step.text == "Raise your top leg")


def test_counts_before_and_after(full, routines_module):
    """What the full routine makes now, against one bell per step change before."""
    before = len(full.plan.steps) - 1  # one bell at every step change
    bells = sum(audible.VOCABULARY_BY_NAME[h.bell].bells for h in full.patterns if h.bell)
    holds_only = listen(routines_module, "full", Preferences().with_values(**{"bell": "holds"}))
    holds_bells = sum(
        audible.VOCABULARY_BY_NAME[h.bell].bells for h in holds_only.patterns if h.bell
    )
    print(
        f"\nfull routine: {before} bells before; now {len(full.phrases)} phrases, "
        f"{len(full.patterns)} bell patterns ({bells} bells) with bell = all, "
        f"{len(holds_only.patterns)} patterns ({holds_bells} bells) with bell = holds"
    )
    assert len(full.patterns) < before
    assert len(holds_only.patterns) < len(full.patterns)


def test_bell_off_rings_nothing_and_voice_settings_do_not_change_what_is_decided(
    routines_module,
):
    quiet = Preferences().with_values(**{"bell": BellMode.OFF})
    run = listen(routines_module, "quick-core", quiet)
    assert run.patterns == []
    assert run.phrases  # the words are decided whatever the speaker does


# ----------------------------------------------------------------------------- the listener

COUNT = set(audible.COUNT_WORDS)


def moments(heard: list[Heard]) -> list[tuple[float, list[str], list[str]]]:
    """What is heard at each instant: (time, phrases, bell patterns)."""
    out: list[tuple[float, list[str], list[str]]] = []
    for h in heard:
        if out and abs(out[-1][0] - h.t) < 1e-6:
            out[-1][1].extend([h.say] if h.say else [])
            out[-1][2].extend([h.bell] if h.bell else [])
        else:
            out.append((h.t, [h.say] if h.say else [], [h.bell] if h.bell else []))
    return out


def is_aside(words: list[str], bells: list[str]) -> bool:
    """Said or rung during a step without ending it: a count, or how to get into position."""
    return all(w in COUNT or w.startswith("Get into position") for w in words) and all(
        b == "count" for b in bells
    )


#: The rep counts a listener knows: "Two" -> 2 ... (the coach says them capitalised).
NUMBERS = {wording.spoken_number(n).capitalize(): n for n in range(2, 1000)}


def rep_said(words: list[str]) -> int | str | None:
    """The rep a phrase starts with: "Three. Raise your hips" -> 3, "Last one..." -> "last"."""
    for w in words:
        head = w.split(".")[0]
        if head == audible.LAST_REP:
            return "last"
        if head in NUMBERS:
            return NUMBERS[head]
    return None


def decode(heard: list[Heard]) -> dict[str, list]:
    """The listener's rules (docs/sound-and-voice.md), applied to the sounds alone.

    * `••` (hold) starts a hold; the next sound that is not a count ends it.
    * A phrase starting "Rest" or "Switch sides", or the first sound of the session (get into
      position), starts a rest; the next sound that is not a count or "Get into position..."
      ends it (a counted rest ends right after "one").
    * "Switch sides..." (with `•• ••`) is a switch of side.
    * A rep is numbered at its start ("Three. Raise your hips", "Last one. ..."); the sound
      that ends a rest between sets (or before an exercise) and carries no number starts
      rep 1 of a set.
    """
    holds: list[tuple[float, float]] = []
    rest_ends: list[float] = []
    switches: list[float] = []
    reps: list[tuple[float, int | str]] = []
    hold_start: float | None = None
    resting = False
    set_rest = False
    for n, (t, words, bells) in enumerate(moments(heard)):
        if n and is_aside(words, bells):
            continue
        rep = rep_said(words)
        if rep is not None:
            reps.append((t, rep))
        elif set_rest and not any(w.startswith(("Rest", "Switch", "Done")) for w in words):
            reps.append((t, 1))
        if resting or n == 0:
            set_rest = False
        if hold_start is not None:
            holds.append((hold_start, t))
            hold_start = None
        if resting:
            rest_ends.append(t)
            resting = False
        if "hold" in bells:
            hold_start = t
        if n == 0 or any(w.startswith(("Rest", "Switch sides")) for w in words):
            resting = True
            # Any rest but the short one between reps ("Rest" alone) ends a set.
            set_rest = n == 0 or any(w.startswith(("Rest,", "Rest.", "Switch")) for w in words)
        if any(w.startswith("Switch sides") for w in words):
            switches.append(t)
    return {"holds": holds, "rest_ends": rest_ends, "switches": switches, "reps": reps}


def planned(plan: Plan) -> dict[str, list]:
    steps = plan.steps
    starts = [
        s
        for s in steps
        if s.kind in (StepKind.MOVE, StepKind.HOLD) and s.cue_index == 0 and s.reps > 1
    ]
    return {
        "reps": [(s.offset, "last" if s.rep == s.reps else s.rep) for s in starts],
        "holds": [(s.offset, s.offset + s.duration) for s in steps if s.kind is StepKind.HOLD],
        "rest_ends": [s.offset + s.duration for s in steps if s.kind.is_rest],
        "switches": [s.offset for s in steps if s.kind is StepKind.SWITCH],
    }


def assert_close(found: list, expected: list) -> None:
    assert len(found) == len(expected)
    flat_found = [x for item in found for x in (item if isinstance(item, tuple) else (item,))]
    flat_expected = [x for item in expected for x in (item if isinstance(item, tuple) else (item,))]
    worst = max((abs(a - b) for a, b in zip(flat_found, flat_expected, strict=True)), default=0)
    assert worst <= TOLERANCE


def test_a_listener_recovers_every_hold_rest_end_and_switch_of_the_full_routine(full):
    found = decode(full.heard)
    expected = planned(full.plan)
    assert len(expected["holds"]) == 45 + 5 + 60 + 30  # bridges, draw-in, leg lifts, curls
    assert len(expected["switches"]) == 1
    for what in ("holds", "rest_ends", "switches"):
        assert_close(found[what], expected[what])


@pytest.mark.parametrize("routine_id", ["full", "quick-core", "gentle"])
def test_a_listener_recovers_every_rep_number(routines_module, routine_id):
    """Rep 3 does not sound like rep 9: each rep's number is heard at its start."""
    run = listen(routines_module, routine_id)
    found = decode(run.heard)["reps"]
    expected = planned(run.plan)["reps"]
    assert [rep for _, rep in found] == [rep for _, rep in expected]
    assert_close([t for t, _ in found], [t for t, _ in expected])


def test_a_long_rest_between_sets_ends_with_the_position_and_its_side(full):
    """ "Get into position. Lie on your right side..." before the 3-2-1 of a rest between
    sets, as before an exercise."""
    said = [
        (h.step.side.value, h.say, h.step.offset + h.step.duration - h.t)
        for h in full.phrases
        if h.step.kind is StepKind.SET_REST and h.say.startswith("Get into position")
    ]
    assert len(said) == 2 + 4 + 2  # bridges, leg lifts (2 a side), partial curls
    for side, text, before_end in said:
        assert before_end <= audible.POSITION_LEAD + len(audible.COUNT_WORDS)
        if side:
            assert f"Lie on your {side} side" in text


def test_the_listener_is_not_fooled_by_a_shifted_sound_track(full):
    """The decoder can fail: shift every sound of one exercise by a second and it notices."""
    shifted = [
        Heard(h.t + 1.0, h.say, h.bell, h.step) if h.step.exercise_id == "cat-stretch" else h
        for h in full.heard
    ]
    found = decode(shifted)
    with pytest.raises(AssertionError):
        assert_close(found["rest_ends"], planned(full.plan)["rest_ends"])


def test_with_the_voice_off_the_bells_alone_give_every_hold_and_long_rest(routines_module):
    """Over SSH (no voice): `••` starts a hold and the next pattern ends it; a rest of 10 s or
    more ends one second after its third count bell; `•• ••` is the switch of side."""
    settings = Preferences().with_values(**{"voice": VoiceMode.OFF})
    run = listen(routines_module, "full", settings)
    rung = [(h.t, h.bell) for h in run.patterns]
    holds, long_rest_ends, switches = [], [], []
    start: float | None = None
    counts = 0
    for t, bell in rung:
        if start is not None and bell != "count":
            holds.append((start, t))
            start = None
        if bell == "hold":
            start = t
        counts = counts + 1 if bell == "count" else 0
        if counts == 3:
            long_rest_ends.append(t + 1.0)
        if bell == "switch":
            switches.append(t)
    plan = planned(run.plan)
    assert_close(holds, plan["holds"])
    long_rests = [
        s.offset + s.duration for s in run.plan.steps if s.kind.is_rest and s.duration >= 10
    ]
    assert_close(long_rest_ends, long_rests)
    assert_close(switches, plan["switches"])


def test_settings_default_voice_is_automatic():
    assert Preferences().voice is VoiceMode.AUTO
