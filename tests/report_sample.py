"""A hand-written eight weeks of history for the report's tests and its screenshot.

Mondays, Wednesdays and Fridays at 07:30 are planned (a few are missed); the gentle routine's
bridges go from a 10 s hold to 12 s and the cat stretch from 3 to 4 reps through accepted
changes; one session stops because it hurt (bridges, set 2, rep 7, in the hold) and the next
suggestion eases the hold back off.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from trainer.programme.schema import RoutinesFile
from trainer.records.history import DoseChange, ExerciseLog, HistoryEntry, HurtAt, Outcome

#: The report's "today" in the sample (a Friday).
TODAY = date(2026, 3, 27)
FIRST = date(2026, 2, 2)  # a Monday, eight weeks earlier
#: Planned days that were missed.
MISSED = {date(2026, 2, 11), date(2026, 2, 27), date(2026, 3, 16), date(2026, 3, 18)}
HURT_DAY = date(2026, 3, 9)


def planned(routines: RoutinesFile) -> RoutinesFile:
    """``routines`` as they stand at the end of the sample: the plan set, cat stretch at 4."""
    settings = routines.settings.model_copy(
        update={"plan_days": ["mon", "wed", "fri"], "plan_at": "07:30"}
    )
    cat = routines.exercise("cat-stretch").model_copy(update={"reps": 4})
    exercises = [cat if ex.id == cat.id else ex for ex in routines.exercises]
    return routines.model_copy(update={"settings": settings, "exercises": exercises})


def _log(ex_id: str, name: str, *, hold: int, reps: int, sets: int = 1, done: int | None = None):
    total = reps * sets
    got = total if done is None else done
    return ExerciseLog(
        id=ex_id,
        name=name,
        sets_done=got // reps,
        sets=sets,
        reps_done=got,
        reps=total,
        hold=hold,
        set_reps=reps,
    )


def records() -> list[HistoryEntry | DoseChange]:
    out: list[HistoryEntry | DoseChange] = []
    hold, cat = 10, 3
    pains = iter([4, 4, 3, 4, 3, 3, 3, 2, 3, 3, 2, 2, 3, 2, 2, 2, 5, 4, 3, 3, 2, 2, 2, 2])
    day = FIRST
    while day <= TODAY:
        if day.weekday() in (0, 2, 4) and day not in MISSED:
            start = datetime(day.year, day.month, day.day, 7, 31, tzinfo=UTC)
            before = next(pains)
            hurt = day == HURT_DAY
            logs = [
                _log("cat-stretch", "Cat stretch", hold=0, reps=cat),
                _log("draw-in", "Draw-in maneuvers", hold=5, reps=5),
                _log("bridges", "Bridges", hold=hold, reps=15, sets=3, done=21 if hurt else None),
            ]
            entry = HistoryEntry(
                started_at=start,
                ended_at=start + timedelta(minutes=6 if hurt else 17),
                routine_id="gentle",
                routine_name="Gentle mobility",
                active_seconds=360 if hurt else 1000,
                outcome=Outcome.HURT if hurt else Outcome.FINISHED,
                exercises=logs,
                checkin_before=before,
                checkin=before + 2 if hurt else max(0, before - 1),
                hurt_at=HurtAt(exercise_id="bridges", side="", set=2, rep=7, step="hold")
                if hurt
                else None,
            )
            out.append(entry)
            after = entry.ended_at + timedelta(minutes=1)
            change = None
            if day == date(2026, 2, 13):
                change = ("bridges", "Bridges", "hold", hold, hold + 1, "progress")
                hold += 1
            elif day == date(2026, 2, 20):
                change = ("cat-stretch", "Cat stretch", "reps", cat, cat + 1, "progress")
                cat += 1
            elif day == date(2026, 3, 4):
                change = ("bridges", "Bridges", "hold", hold, hold + 1, "progress")
                hold += 1
            elif hurt:
                change = ("bridges", "Bridges", "hold", hold, 10, "ease_off")
                hold = 10
            if change is not None:
                ex_id, name, what, old, new, rule = change
                out.append(
                    DoseChange(
                        at=after,
                        exercise_id=ex_id,
                        exercise_name=name,
                        change=what,
                        old=old,
                        new=new,
                        routine_id="gentle",
                        rule=rule,
                    )
                )
        day += timedelta(days=1)
    return out
