"""The shipped routines.toml against the article it comes from.

The article's facts and numbers are in ``tests/article_facts.py`` (the article itself is not in
the repository), so every test of the shipped file runs from the checkout alone. One more test,
defined only when the article is present (beside the checkout, or at ``TRAINER_ARTICLE``),
checks those facts and the shipped steps against the article's text.
"""

from __future__ import annotations

import difflib
import re

import pytest
from article_facts import (
    ADVICE_PHRASES,
    ARTICLE,
    ARTICLE_ORDER,
    BULLET_NUMBERS,
    FACTS,
    NUMBER_SENTENCES,
    SIDE_PHRASES,
)

from trainer.engine import plan_for
from trainer.programme.schema import RoutinesFile


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
    assert ex.name.casefold() == str(facts["heading"]).casefold()
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


@pytest.mark.parametrize("exercise_id", ARTICLE_ORDER)
def test_each_step_says_the_numbers_of_its_bullet(routines: RoutinesFile, exercise_id: str) -> None:
    """Light copy-editing only: step by step, the same numbers as the article's bullet."""
    steps = routines.exercise(exercise_id).steps
    assert [numbers(step) for step in steps] == BULLET_NUMBERS[exercise_id]


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
    assert ADVICE_PHRASES["stop_if_worse"] in advice.stop_if_worse
    assert ADVICE_PHRASES["see_doctor"] in advice.see_doctor


def test_side_words_follow_the_article(routines: RoutinesFile) -> None:
    """ "Lie on side", "Raise top leg", "Switch sides": lying on one side the top leg is the
    other one; the wording (and which side comes first) is ours, the facts the article's."""
    for ex in routines.exercises:
        if ex.sides == 2:
            assert ex.side_words is not None, ex.id
            for words, (lie, lift) in zip(
                ex.side_words, (("left", "right"), ("right", "left")), strict=True
            ):
                assert words == f"Lie on {lie} side, lift {lift} leg"
        else:
            assert ex.side_words is None


# --------------------------------------------------------------------------- facts vs article

if ARTICLE.is_file():
    # Defined only where the article is (not a skip for everyone else): the one check that
    # the facts above, and the shipped steps, are the article's.

    def test_the_facts_and_the_steps_are_the_articles(routines: RoutinesFile) -> None:
        text = ARTICLE.read_text(encoding="utf-8")
        groups = bullet_groups(text)
        assert [len(g) for g in groups] == [FACTS[i]["bullets"] for i in ARTICLE_ORDER]
        positions = [text.find(str(FACTS[i]["heading"])) for i in ARTICLE_ORDER]
        assert -1 not in positions
        assert positions == sorted(positions)
        for phrase in (*SIDE_PHRASES, *ADVICE_PHRASES.values()):
            assert phrase in " ".join(text.split()), phrase
        for exercise_id, bullets in zip(ARTICLE_ORDER, groups, strict=True):
            assert [numbers(b) for b in bullets] == BULLET_NUMBERS[exercise_id], exercise_id
            joined = " | ".join(bullets)
            for sentence in NUMBER_SENTENCES[exercise_id]:
                assert sentence in joined, (exercise_id, sentence)
            for bullet, step in zip(bullets, routines.exercise(exercise_id).steps, strict=True):
                # Light copy-editing only: mostly the same words.
                ratio = difflib.SequenceMatcher(a=bullet.lower(), b=step.lower()).ratio()
                assert ratio >= 0.75, (bullet, step, ratio)
