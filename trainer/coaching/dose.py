"""Dose rules: what to suggest after a session, from the history alone (pure, no I/O, no Textual).

Three rules, each with named numbers that are ours, not the article's
(docs/adapting-the-dose.md lists them with the reasons):

- **See a doctor** (:func:`doctor_alert`): a session's pain is the worse of its two check-ins.
  The alert starts when the last :data:`DOCTOR_HIGH_RUN` sessions with a check-in were all at
  :data:`DOCTOR_HIGH` or more, or when pain rose in each of the last :data:`DOCTOR_RISES`
  sessions with a check-in; it stays on until a session's pain is both lower than the one
  before it and under :data:`DOCTOR_HIGH`. While it is on, nothing is suggested that adds
  exercise.
- **Ease off** (:func:`suggestions`): after "it hurts" in an exercise, or a session whose pain
  after is :data:`EASE_OFF_RISE` points or more above the person's recent level (the median of
  the last :data:`RECENT_SESSIONS` earlier check-ins after a session; with none, the check-in
  before this one), suggest the bottom of the exercise's range, or, when it is already there or
  has no range, leaving it out of the routine (never the routine's last exercise).
- **Next morning** (Silbernagel et al. 2007, from Thomee 1997: worse the next day means reduce
  the load): the last :data:`WORSE_MORNINGS` next-morning answers given were all "worse": ease
  off every exercise done in the latest session (as above). No step up while the 24-hour
  response of the session before the latest is unknown (not asked, skipped) or worse
  (:func:`morning_allows_progress`).
- **Progress**: after :data:`CALM_SESSIONS` consecutive sessions at the current dose in which
  every rep of the exercise was done, nothing hurt, and pain after was not higher than before,
  suggest :data:`HOLD_STEP` more second of hold (or else :data:`REPS_STEP` more rep), never
  above the top of the exercise's range nor above the article's own number (see
  :func:`article_limits`). An exercise without a range never progresses. A flare day
  (:mod:`trainer.coaching.flare`) never feeds a step up: nothing is suggested after one but
  easing off, and the calm run passes over it.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

from trainer.coaching import morning
from trainer.programme.schema import Exercise, RoutinesFile
from trainer.records.history.record import DoseChange, HistoryEntry, MorningCheck, Outcome
from trainer.text import wording

#: A line of the history the rules read.
Record = HistoryEntry | DoseChange | MorningCheck

#: Consecutive calm sessions at one dose before a step up is suggested.
CALM_SESSIONS = 3
#: Seconds added to a hold by one step up.
HOLD_STEP = 1
#: Reps added to each set by one step up (when the hold cannot grow).
REPS_STEP = 1
#: Points of pain after a session above the recent level that suggest easing off.
EASE_OFF_RISE = 2
#: Earlier sessions whose check-ins make the "recent level" (their median).
RECENT_SESSIONS = 5
#: Pain at or above this, session after session, is "pain that stays high".
DOCTOR_HIGH = 6
#: Sessions in a row at DOCTOR_HIGH or more that bring up the doctor's advice.
DOCTOR_HIGH_RUN = 3
#: Rises in a row (each session's pain above the one before) that bring it up.
DOCTOR_RISES = 3
#: Next-morning answers "worse" in a row (the last ones given) that suggest easing off.
WORSE_MORNINGS = 2

Change = Literal["hold", "reps", "leave_out"]


class Rule(StrEnum):
    PROGRESS = "progress"
    EASE_OFF = "ease_off"


@dataclass(frozen=True, slots=True)
class Limit:
    """The article's top for an exercise: its range's top, or its single number."""

    hold: int
    reps: int


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One change for one exercise. ``change`` None: no change to offer, only the advice."""

    exercise_id: str
    exercise_name: str
    rule: Rule
    change: Change | None
    old: int | None
    new: int | None
    routine_id: str
    #: Why, in a short sentence (shown under the suggestion).
    reason: str

    @property
    def text(self) -> str:
        """The suggestion itself, as the summary and the report say it."""
        name = self.exercise_name
        if self.change == "hold":
            return f"{name}: hold {self.new} s instead of {self.old} s"
        if self.change == "reps":
            return f"{name}: {wording.count(self.new or 0, 'rep')} instead of {self.old}"
        if self.change == "leave_out":
            return f"{name}: leave it out of this routine"
        return f"{name}: go gently, or leave it out next time"


@dataclass(frozen=True, slots=True)
class DoctorAlert:
    """The see-a-doctor rule holds: why, and the pain figures that made it hold."""

    reason: Literal["high", "rising"]
    pains: tuple[int, ...]

    @property
    def text(self) -> str:
        figures = ", ".join(str(p) for p in self.pains)
        if self.reason == "high":
            return f"Your back has been at {DOCTOR_HIGH} or more for a while ({figures} of 10)."
        return f"Your back pain has risen session after session ({figures} of 10)."


# --------------------------------------------------------------------------- helpers


def _sessions(records: Sequence[Record]) -> list[HistoryEntry]:
    return sorted((r for r in records if isinstance(r, HistoryEntry)), key=lambda e: e.started_at)


def _changes(records: Sequence[Record]) -> list[DoseChange]:
    """Every answered suggestion, accepted or declined."""
    return [r for r in records if isinstance(r, DoseChange)]


def session_pain(entry: HistoryEntry) -> int | None:
    """The worse of the session's check-ins (before and after), None when both were skipped."""
    given = [p for p in (entry.checkin_before, entry.checkin) if p is not None]
    return max(given) if given else None


def article_limits(shipped: RoutinesFile) -> dict[str, Limit]:
    """The article's tops per exercise id, from the shipped routines file (whose numbers the
    article tests check): the top of a range where the article gives one, else its number."""
    return {
        ex.id: Limit(
            hold=ex.hold_range[1] if ex.hold_range else ex.hold,
            reps=ex.reps_range[1] if ex.reps_range else ex.reps,
        )
        for ex in shipped.exercises
    }


def _mornings(records: Sequence[Record]) -> list[MorningCheck]:
    """The next-morning answers given (skipped ones passed over), in the order of their
    sessions."""
    given = [r for r in records if isinstance(r, MorningCheck) and r.compared is not None]
    return sorted(given, key=lambda m: m.session_started_at)


def worse_mornings(records: Sequence[Record]) -> bool:
    """The last WORSE_MORNINGS next-morning answers given were all "worse"."""
    last = _mornings(records)[-WORSE_MORNINGS:]
    return len(last) == WORSE_MORNINGS and all(m.compared == "worse" for m in last)


def morning_allows_progress(records: Sequence[Record]) -> bool:
    """The 24-hour response of the session before the latest one is known and not "worse".

    Right after a session its own next morning is still to come, so the last response that
    can be known is the one of the session before it; unknown (never asked: the next session
    came the same day, or more than MAX_DAYS_AFTER later; or skipped) blocks a step up."""
    sessions = _sessions(records)
    if len(sessions) < 2:
        return False
    answer = morning.answer_for(records, sessions[-2])
    return answer is not None and answer.compared in ("better", "same")


# --------------------------------------------------------------------------- see a doctor


def doctor_alert(records: Sequence[Record]) -> DoctorAlert | None:
    """The see-a-doctor state after every session so far (see the module's rule)."""
    pains = [p for p in (session_pain(e) for e in _sessions(records)) if p is not None]
    alert: DoctorAlert | None = None
    for i, pain in enumerate(pains):
        if alert is not None and i > 0 and pain < pains[i - 1] and pain < DOCTOR_HIGH:
            alert = None
        last_high = pains[max(0, i - DOCTOR_HIGH_RUN + 1) : i + 1]
        if len(last_high) == DOCTOR_HIGH_RUN and all(p >= DOCTOR_HIGH for p in last_high):
            alert = DoctorAlert("high", tuple(last_high))
        elif i >= DOCTOR_RISES and all(
            pains[j] > pains[j - 1] for j in range(i - DOCTOR_RISES + 1, i + 1)
        ):
            alert = DoctorAlert("rising", tuple(pains[i - DOCTOR_RISES : i + 1]))
    return alert


# --------------------------------------------------------------------------- suggestions


def recent_level(earlier: Sequence[HistoryEntry], entry: HistoryEntry) -> float | None:
    """The person's recent pain before ``entry``: the median of the last RECENT_SESSIONS
    check-ins after a session, or this session's check-in before when there are none."""
    after = [e.checkin for e in earlier if e.checkin is not None][-RECENT_SESSIONS:]
    if after:
        return float(statistics.median(after))
    return None if entry.checkin_before is None else float(entry.checkin_before)


def pain_spike(earlier: Sequence[HistoryEntry], entry: HistoryEntry) -> bool:
    """Pain after ``entry`` is EASE_OFF_RISE or more points above the recent level."""
    level = recent_level(earlier, entry)
    return (
        entry.checkin is not None and level is not None and entry.checkin >= level + EASE_OFF_RISE
    )


def hurt_exercises(entry: HistoryEntry) -> set[str]:
    """The exercises "it hurts" is blamed on: where it was pressed (and, in the rest between
    two exercises, the one just done too). A line from before the place was recorded: the
    first exercise not done in full (where the session stopped)."""
    if entry.outcome is not Outcome.HURT:
        return set()
    ids = [ex.id for ex in entry.exercises]
    if entry.hurt_at is not None:
        blamed = {entry.hurt_at.exercise_id}
        if entry.hurt_at.step == "exercise_rest" and entry.hurt_at.exercise_id in ids:
            at = ids.index(entry.hurt_at.exercise_id)
            if at > 0:
                blamed.add(ids[at - 1])
        return blamed
    for ex in entry.exercises:
        if ex.reps_done < ex.reps:
            return {ex.id}
    return set(ids[-1:])


def _calm_run(earlier: Sequence[HistoryEntry], ex: Exercise) -> int:
    """Consecutive calm sessions of ``ex`` at its current dose, newest first (at most
    CALM_SESSIONS). Sessions without the exercise are passed over; any other breaks the run."""
    run = 0
    for i in range(len(earlier) - 1, -1, -1):
        entry = earlier[i]
        log = next((x for x in entry.exercises if x.id == ex.id), None)
        if log is None or entry.flare:
            continue  # a flare day never counts toward a step up (nor breaks the run)
        if log.hold != ex.hold or log.set_reps != ex.reps:
            break  # another dose (or one not recorded)
        if log.reps == 0 or log.reps_done < log.reps or entry.outcome is Outcome.HURT:
            break
        before = entry.checkin_before
        if before is None:  # not asked: the last level the person gave before this session
            before = next(
                (
                    p
                    for e in reversed(earlier[:i])
                    for p in (e.checkin, e.checkin_before)
                    if p is not None
                ),
                None,
            )
        if entry.checkin is None or before is None or entry.checkin > before:
            break
        run += 1
        if run >= CALM_SESSIONS:
            break
    return run


def _step_up(ex: Exercise, limit: Limit | None) -> tuple[Change, int, int] | None:
    """The next step within the exercise's range and the article's top, or None."""
    if ex.hold_range is not None and ex.has_hold:
        top = min(ex.hold_range[1], limit.hold if limit else ex.hold_range[1])
        if ex.hold < top:
            return "hold", ex.hold, min(ex.hold + HOLD_STEP, top)
    if ex.reps_range is not None:
        top = min(ex.reps_range[1], limit.reps if limit else ex.reps_range[1])
        if ex.reps < top:
            return "reps", ex.reps, min(ex.reps + REPS_STEP, top)
    return None


def _ease_off(
    ex: Exercise, routines: RoutinesFile, routine_id: str
) -> tuple[Change, int | None, int | None] | None:
    """The bottom of the range, else leaving it out of the routine (if others remain)."""
    if ex.hold_range is not None and ex.has_hold and ex.hold > ex.hold_range[0]:
        return "hold", ex.hold, ex.hold_range[0]
    if ex.reps_range is not None and ex.reps > ex.reps_range[0]:
        return "reps", ex.reps, ex.reps_range[0]
    routine = next((r for r in routines.routines if r.id == routine_id), None)
    if routine is not None and ex.id in routine.exercises and len(routine.exercises) > 1:
        return "leave_out", None, None
    return None


def suggestions(
    records: Sequence[Record],
    routines: RoutinesFile,
    limits: Mapping[str, Limit],
) -> list[Suggestion]:
    """At most one suggestion per exercise of the latest session, in its order.

    Exercises no longer in ``routines`` are passed over, and so is an exercise whose suggestion
    was already answered after that session (accepted, or declined: a "no" is not asked again
    for the same session; after the next session the rules look afresh and may suggest it
    again). No progress while :func:`doctor_alert` holds, nor while the last 24-hour response
    is unknown or worse (:func:`morning_allows_progress`).
    """
    sessions = _sessions(records)
    if not sessions:
        return []
    entry, earlier = sessions[-1], sessions[:-1]
    changed = {c.exercise_id for c in _changes(records) if c.at >= entry.started_at}
    known = {ex.id: ex for ex in routines.exercises}
    hurt = hurt_exercises(entry)
    spike = pain_spike(earlier, entry)
    worse = worse_mornings(records)
    doctor = doctor_alert(records) is not None
    settled = morning_allows_progress(records)
    out: list[Suggestion] = []
    for log in entry.exercises:
        ex = known.get(log.id)
        if ex is None or log.id in changed:
            continue
        if log.id in hurt or ((spike or worse) and log.reps_done > 0):
            if log.id in hurt:
                why = "it hurt during this exercise"
            elif spike:
                why = (
                    f"your back was {entry.checkin} of 10 after the session, "
                    f"{EASE_OFF_RISE} or more above your recent level"
                )
            else:
                why = f"your back was worse the next morning {WORSE_MORNINGS} times in a row"
            eased = _ease_off(ex, routines, entry.routine_id)
            change, old, new = eased if eased is not None else (None, None, None)
            out.append(
                Suggestion(ex.id, ex.name, Rule.EASE_OFF, change, old, new, entry.routine_id, why)
            )
            continue
        if doctor or not settled or entry.flare:
            continue  # no step up: the doctor's advice, the 24-hour response, a flare day
        step = _step_up(ex, limits.get(ex.id))
        if step is None or _calm_run([*earlier, entry], ex) < CALM_SESSIONS:
            continue
        change, old, new = step
        rng = ex.hold_range if change == "hold" else ex.reps_range
        assert rng is not None
        unit = " s" if change == "hold" else ""
        why = (
            f"{CALM_SESSIONS} sessions in a row with every rep done and no more pain after; "
            f"the range is {rng[0]}-{rng[1]}{unit}"
        )
        out.append(
            Suggestion(ex.id, ex.name, Rule.PROGRESS, change, old, new, entry.routine_id, why)
        )
    return out


# --------------------------------------------------------------------------- accepting


def apply(routines: RoutinesFile, suggestion: Suggestion) -> RoutinesFile:
    """The routines file with ``suggestion`` made (validated like a hand edit).

    Raises ``ValueError`` for a suggestion without a change or whose exercise or routine is
    gone.
    """
    if suggestion.change is None:
        raise ValueError("this suggestion has no change to make")
    if suggestion.change == "leave_out":
        routine = routines.routine(suggestion.routine_id)
        kept = [x for x in routine.exercises if x != suggestion.exercise_id]
        new_routine = routine.model_validate({**routine.model_dump(), "exercises": kept})
        return routines.model_copy(
            update={
                "routines": [new_routine if r.id == routine.id else r for r in routines.routines]
            }
        )
    ex = routines.exercise(suggestion.exercise_id)
    edited = Exercise.model_validate({**ex.model_dump(), suggestion.change: suggestion.new})
    return routines.model_copy(
        update={"exercises": [edited if x.id == ex.id else x for x in routines.exercises]}
    )


def record(suggestion: Suggestion, at: datetime, *, accepted: bool = True) -> DoseChange:
    """The history line of an answered suggestion, accepted or (``accepted=False``) declined
    (``ValueError`` if it has no change: advice alone is not a decision)."""
    if suggestion.change is None:
        raise ValueError("this suggestion has no change to record")
    return DoseChange(
        kind="dose" if accepted else "dose-declined",
        at=at,
        exercise_id=suggestion.exercise_id,
        exercise_name=suggestion.exercise_name,
        change=suggestion.change,
        old=suggestion.old,
        new=suggestion.new,
        routine_id=suggestion.routine_id,
        rule=suggestion.rule.value,
    )
