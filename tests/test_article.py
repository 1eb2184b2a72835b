"""The shipped routines.toml against the article it comes from.

The article's facts are written out here, so the shipped file is checked even where the article
text is not available; when it is (CI has ``shared/`` beside the checkout), the facts are also
checked against the text itself.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from trainer.engine import plan_for
from trainer.programme.schema import RoutinesFile

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "seeds" / "000_a00dca0fd18701d2.txt"

#: The article's order, its heading for each exercise, and its numbers.
FACTS: dict[str, dict[str, object]] = {
    "bridges": {
        "heading": "Bridges",
        "reps": 15,
        "sets": 3,
        "hold_range": (10, 15),
        "rest_between_sets": 60,
        "sides": 1,
        "bullets": 7,
    },
    "draw-in": {
        "heading": "Draw-in Maneuvers",
        "reps": 5,
        "sets": 1,
        "hold": 5,
        "sides": 1,
        "bullets": 6,
    },
    "leg-lifts": {
        "heading": "Lying Lateral Leg Lifts",
        "reps": 10,
        "sets": 3,
        "hold": 2,
        "sides": 2,
        "bullets": 8,
    },
    "cat-stretch": {
        "heading": "Cat Stretch",
        "reps_range": (3, 5),
        "sets": 1,
        "hold": 0,
        "sides": 1,
        "bullets": 5,
    },
    "partial-curls": {
        "heading": "Partial Curls",
        "reps": 10,
        "sets": 3,
        "hold": 5,
        "sides": 1,
        "bullets": 9,
    },
}
ARTICLE_ORDER = list(FACTS)

#: Sentences of the article that carry the numbers above, per exercise.
NUMBER_SENTENCES = {
    "bridges": [
        "hold 10-15 seconds",
        "Repeat 15 times for a set",
        "Perform 3 sets with 1 minute rest between each",
    ],
    "draw-in": ["Hold position for 5 seconds", "Repeat 5 times"],
    "leg-lifts": [
        "Hold position for 2 seconds",
        "Repeat 10 times for a set",
        "Perform 3 sets",
        "Switch sides and perform 3 more sets",
    ],
    "cat-stretch": ["Repeat 3-5 times"],
    "partial-curls": ["Hold 5 seconds", "Repeat 10 times for a set", "Perform 3 sets"],
}


def article_text() -> str:
    if not ARTICLE.is_file():
        pytest.skip(f"the article is not at {ARTICLE} (shared/ is not beside the checkout)")
    return ARTICLE.read_text(encoding="utf-8")


def bullet_groups(text: str) -> list[list[str]]:
    """The article's bullet lists, in order: one list of bullet texts per exercise."""
    groups: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        match = re.match(r"^\s*[•*-]\s+(.+?)\s*$", line)
        if match:
            current.append(match.group(1))
        elif current and line.strip():
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:-\d+)?", text)


# --------------------------------------------------------------------------- shipped vs facts


@pytest.mark.parametrize("exercise_id", ARTICLE_ORDER)
def test_shipped_numbers_match_the_article(routines: RoutinesFile, exercise_id: str) -> None:
    ex = routines.exercise(exercise_id)
    facts = FACTS[exercise_id]
    assert ex.sets == facts["sets"]
    assert ex.sides == facts["sides"]
    assert len(ex.steps) == facts["bullets"]
    if "reps" in facts:
        assert ex.reps == facts["reps"]
        assert ex.reps_range is None
    if "reps_range" in facts:
        low, high = facts["reps_range"]
        assert ex.reps_range == (low, high)
        assert low <= ex.reps <= high
    if "hold" in facts:
        assert ex.hold == facts["hold"]
        assert ex.hold_range is None
    if "hold_range" in facts:
        low, high = facts["hold_range"]
        assert ex.hold_range == (low, high)
        assert low <= ex.hold <= high
    if "rest_between_sets" in facts:
        assert ex.rest_between_sets == facts["rest_between_sets"]
    assert ex.out_of_range() == []


def test_bridges_in_detail(routines: RoutinesFile) -> None:
    bridges = routines.exercise("bridges")
    assert (bridges.reps, bridges.sets, bridges.hold_range, bridges.rest_between_sets) == (
        15,
        3,
        (10, 15),
        60,
    )


def test_every_hold_is_a_hold_cue(routines: RoutinesFile) -> None:
    for ex in routines.exercises:
        has_hold_cue = any(cue.kind == "hold" for cue in ex.cues)
        assert has_hold_cue == (ex.hold > 0), ex.id


def test_full_routine_is_the_article_in_order(routines: RoutinesFile) -> None:
    assert routines.routine("full").exercises == ARTICLE_ORDER
    assert [e.id for e in plan_for(routines, "full").exercises] == ARTICLE_ORDER
    assert [e.id for e in routines.exercises] == ARTICLE_ORDER


def test_advice_is_the_articles(routines: RoutinesFile) -> None:
    advice = routines.advice
    assert "stop doing them immediately and see a doctor" in advice.stop_if_worse
    assert "does not go away with light stretches or exercise" in advice.see_doctor


# --------------------------------------------------------------------------- facts vs article


def test_article_has_five_bullet_lists_of_the_expected_sizes() -> None:
    groups = bullet_groups(article_text())
    assert [len(g) for g in groups] == [FACTS[i]["bullets"] for i in ARTICLE_ORDER]


def test_article_headings_are_in_this_order() -> None:
    text = article_text()
    positions = [text.find(str(FACTS[i]["heading"])) for i in ARTICLE_ORDER]
    assert -1 not in positions
    assert positions == sorted(positions)


@pytest.mark.parametrize("exercise_id", ARTICLE_ORDER)
def test_numbers_come_from_the_article(exercise_id: str) -> None:
    groups = dict(zip(ARTICLE_ORDER, bullet_groups(article_text()), strict=True))
    bullets = " | ".join(groups[exercise_id])
    for sentence in NUMBER_SENTENCES[exercise_id]:
        assert sentence in bullets, (exercise_id, sentence)


@pytest.mark.parametrize("exercise_id", ARTICLE_ORDER)
def test_steps_follow_the_article_bullets(routines: RoutinesFile, exercise_id: str) -> None:
    groups = dict(zip(ARTICLE_ORDER, bullet_groups(article_text()), strict=True))
    ex = routines.exercise(exercise_id)
    assert ex.name.casefold() == str(FACTS[exercise_id]["heading"]).casefold()
    for bullet, step in zip(groups[exercise_id], ex.steps, strict=True):
        # Light copy-editing only: same numbers, mostly the same words.
        assert numbers(step) == numbers(bullet), (bullet, step)
        ratio = difflib.SequenceMatcher(a=bullet.lower(), b=step.lower()).ratio()
        assert ratio >= 0.75, (bullet, step, ratio)


def test_side_words_follow_the_article(routines: RoutinesFile) -> None:
    """ "Lie on side", "Raise top leg", "Switch sides": lying on one side the top leg is the
    other one; the wording (and which side comes first) is ours, the facts the article's."""
    text = article_text()
    for fact in ("Lie on side", "Raise top leg", "Switch sides"):
        assert fact in text
    for ex in routines.exercises:
        if ex.sides == 2:
            assert ex.side_words is not None, ex.id
            for words, (lie, lift) in zip(
                ex.side_words, (("left", "right"), ("right", "left")), strict=True
            ):
                assert words == f"Lie on {lie} side, lift {lift} leg"
        else:
            assert ex.side_words is None
