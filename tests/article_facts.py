"""What the shipped routines take from the article, written out: facts and numbers, not its text.

The article (``shared/seeds/000_a00dca0fd18701d2.txt``, beside the checkout on the project's own
machines) is not part of the repository. Everything a test of the shipped routines needs from it
is here, so those tests run from a fresh clone; ``tests/test_article.py`` checks these facts
against the article itself when it is present.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where the article is, if anywhere (TRAINER_ARTICLE may point at a copy).
ARTICLE = Path(
    os.environ.get("TRAINER_ARTICLE", ROOT.parent / "shared" / "seeds" / "000_a00dca0fd18701d2.txt")
)

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

#: The numbers in each of the article's bullets, bullet by bullet (a range stays one number):
#: a step of the shipped file says the same numbers as the bullet it copy-edits.
BULLET_NUMBERS: dict[str, list[list[str]]] = {
    "bridges": [[], [], [], ["10-15"], [], ["15"], ["3", "1"]],
    "draw-in": [[], [], [], [], ["5"], ["5"]],
    "leg-lifts": [[], [], [], [], ["2"], ["10"], ["3"], ["3"]],
    "cat-stretch": [[], [], [], [], ["3-5"]],
    "partial-curls": [[], [], [], [], ["2"], [], ["5"], ["10"], ["3"]],
}

#: Short phrases of the article that carry the numbers above, per exercise.
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

#: What the article says of sides: lying on one side, the top leg lifts, then sides switch.
SIDE_PHRASES = ("Lie on side", "Raise top leg", "Switch sides")

#: The article's safety advice, as the shipped advice quotes it.
ADVICE_PHRASES = {
    "stop_if_worse": "stop doing them immediately and see a doctor",
    "see_doctor": "does not go away with light stretches or exercise",
}
