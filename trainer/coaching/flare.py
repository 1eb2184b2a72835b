"""A flare day: the gentle version of a routine, for a day the back is acting up (pure, no I/O,
no Textual).

The plan is built from the programme like any other (:func:`flare_plan`), with three changes,
each explained in docs/adapting-the-dose.md:

- **Only the gentlest exercises** of the routine, in its order: :data:`GENTLEST`, chosen from
  the article. The draw-in is done lying still ("keeping your hips still": a breath and a belly
  pull, nothing lifted) and the cat stretch is the article's stretch ("relieve muscle
  tension"; its advice names "light stretches" as what should help). Bridges (the hips lifted
  and held 10-15 s, 45 times), partial curls (head and shoulders lifted, 30 times) and the leg
  lifts (60 lifts) load the back and hips more, and are left out.
- **The bottom of every range the article gives**, and never above the person's current dose:
  each hold and each set's reps is the lowest of the current number, the bottom of the
  exercise's range in the routines file and the bottom of the article's range (the shipped
  file). Sets, rests and cues are unchanged.
- **The voice slower** for that session only (:func:`flare_preferences`): the preferences'
  voice rate times :data:`FLARE_RATE_FACTOR` (ours), never below the slowest rate; the
  preferences file is not touched.

A flare session is recorded with ``flare = true`` on its history line: the dose rules never
take it as a reason to step up (:mod:`trainer.coaching.dose`), and it keeps the streak like any
session that counts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from trainer.engine.plan import Plan, build_plan
from trainer.programme.constants import MIN_RATE
from trainer.programme.preferences import Preferences
from trainer.programme.schema import Exercise, RoutinesFile
from trainer.text.errors import TrainerError

#: The exercises a flare day keeps, by id (the article's gentlest: see the module's docstring).
GENTLEST = ("draw-in", "cat-stretch")
#: The voice's rate on a flare day, as a share of the person's (ours: about 15 % slower is
#: clearly calmer without dragging a phrase past its step; 175 words a minute becomes 149).
FLARE_RATE_FACTOR = 0.85
#: What a flare day's routine is called on screen and in the history.
FLARE_SUFFIX = " (flare day)"


def bottoms(shipped: RoutinesFile) -> dict[str, tuple[int | None, int | None]]:
    """The bottom of the article's hold and reps ranges per exercise id (None: no range), from
    the shipped routines file (whose numbers the article tests check)."""
    return {
        ex.id: (
            ex.hold_range[0] if ex.hold_range else None,
            ex.reps_range[0] if ex.reps_range else None,
        )
        for ex in shipped.exercises
    }


def gentle_dose(ex: Exercise, article: tuple[int | None, int | None] | None) -> Exercise:
    """``ex`` at the bottom of its ranges (its own and the article's), never above its dose."""
    hold_bottom, reps_bottom = article if article is not None else (None, None)
    holds = [ex.hold]
    if ex.has_hold:
        own = ex.hold_range[0] if ex.hold_range else None
        holds += [b for b in (own, hold_bottom) if b is not None]
    reps = [ex.reps]
    own_reps = ex.reps_range[0] if ex.reps_range else None
    reps += [b for b in (own_reps, reps_bottom) if b is not None]
    return ex.model_copy(update={"hold": min(holds), "reps": min(reps)})


def flare_plan(
    routines: RoutinesFile,
    routine_id: str,
    article: Mapping[str, tuple[int | None, int | None]],
) -> Plan:
    """The gentle version of ``routine_id``: its :data:`GENTLEST` exercises at
    :func:`gentle_dose`. :class:`TrainerError` (one line) when it has none of them;
    ``KeyError`` for a routine not in the file."""
    routine = routines.routine(routine_id)
    kept = [
        gentle_dose(ex, article.get(ex.id))
        for ex in routines.exercises_of(routine)
        if ex.id in GENTLEST
    ]
    if not kept:
        names = ", ".join(GENTLEST)
        raise TrainerError(
            f"'{routine.name}' has none of the gentlest exercises ({names}): a flare day "
            "needs one of them; choose another routine."
        )
    gentle = routine.model_copy(update={"exercises": [ex.id for ex in kept]})
    plan = build_plan(gentle, kept, routines.timing)
    return dataclasses.replace(plan, routine_name=routine.name + FLARE_SUFFIX, flare=True)


def flare_rate(rate: int) -> int:
    """The voice's words a minute on a flare day: :data:`FLARE_RATE_FACTOR` of ``rate``, not
    below the slowest rate a voice takes."""
    return max(MIN_RATE, min(rate, round(rate * FLARE_RATE_FACTOR)))


def flare_preferences(preferences: Preferences) -> Preferences:
    """The person's preferences for a flare session: the same, with the voice slower."""
    return preferences.with_values(voice_rate=flare_rate(preferences.voice_rate))
