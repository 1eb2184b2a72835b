"""One session as the history keeps it: the record, how it is built from a session, the check-in.

No I/O and no Textual here: :mod:`trainer.records.history.log` writes and reads these records.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Literal, Protocol

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from trainer.programme.schema import MAX_REPS, MAX_SECONDS, MAX_SETS, ReadText
from trainer.text.errors import TrainerError

if TYPE_CHECKING:
    from trainer.engine import Session, SessionSnapshot

HISTORY_VERSION = 1
#: The check-in scale: 0 = no pain at all, 10 = the worst pain.
CHECKIN_MIN = 0
CHECKIN_MAX = 10
CHECKIN_QUESTION = "How does your back feel?"

Score = Annotated[int, Field(ge=CHECKIN_MIN, le=CHECKIN_MAX)]

#: The years a time in the history may fall in, in the local time zone. Python's dates end at
#: the years 1 and 9999: a time near either edge cannot be moved into every time zone
#: (``0001-01-01T00:00:00+14:00`` is in the year 0 in UTC) and a day or week counted from it
#: overflows. Nothing trainer wrote is outside these years; a line that is, is damaged.
EARLIEST_YEAR = 1900
LATEST_YEAR = 9000


def placeable(moment: datetime) -> datetime:
    """``moment`` if it can be placed on a local day with room to count days around it; else
    ``ValueError`` (so a history line with such a time is skipped as damaged, when it is read,
    and costs nothing but itself). Checked in the local time zone (``TZ``) of the reader."""
    try:
        local = moment.astimezone()
    except (OverflowError, ValueError, OSError):
        raise ValueError(
            f"the time {moment.isoformat()} is outside the dates this computer can show"
        ) from None
    if not EARLIEST_YEAR <= local.year <= LATEST_YEAR:
        raise ValueError(
            f"the year {local.year} is outside {EARLIEST_YEAR}-{LATEST_YEAR} (a wrong clock?)"
        )
    return moment


#: A time in the history: time-zone aware, and placeable on a local day (see :func:`placeable`).
HistoryTime = Annotated[AwareDatetime, AfterValidator(placeable)]

# --------------------------------------------------------------------------- models


class Outcome(StrEnum):
    FINISHED = "finished"  # ran to the end with every rep done
    PARTIAL = "partial"  # ran to the end, but steps were skipped: not every rep was done
    STOPPED = "stopped"  # stopped early
    HURT = "hurt"  # stopped early because it hurt
    ABANDONED = "abandoned"  # never ended: closed mid-session and not resumed

    @property
    def label(self) -> str:
        return {
            Outcome.FINISHED: "finished",
            Outcome.PARTIAL: "partly done",
            Outcome.STOPPED: "stopped early",
            Outcome.HURT: "stopped, it hurt",
            Outcome.ABANDONED: "not finished",
        }[self]


#: The most sets (both sides) and reps one exercise of a session can log.
MAX_LOGGED_SETS = 2 * MAX_SETS
MAX_LOGGED_REPS = 2 * MAX_SETS * MAX_REPS
#: The longest a session's active or paused time can be: 400 days (a session saved, paused,
#: and resumed much later still fits; a larger number is a damaged line).
MAX_SESSION_SECONDS = 400 * 24 * 3600


class ExerciseLog(BaseModel):
    """What was done of one exercise in one session."""

    # Built on first use, not at import: the first screen does not need it.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True, allow_inf_nan=False)

    # Text read back from history.jsonl: control characters show as escapes (see ReadText).
    id: ReadText
    name: ReadText
    # Bounded by what a routines file can ask (both sides of every set): a larger number is a
    # damaged line, skipped with a warning, never a 300-digit column.
    sets_done: int = Field(ge=0, le=MAX_LOGGED_SETS)
    sets: int = Field(ge=0, le=MAX_LOGGED_SETS)
    reps_done: int = Field(ge=0, le=MAX_LOGGED_REPS)
    reps: int = Field(ge=0, le=MAX_LOGGED_REPS)
    #: The dose the session ran with: seconds of each hold, reps in each set (None in lines
    #: written before trainer recorded them).
    hold: int | None = Field(default=None, ge=0, le=MAX_SECONDS)
    set_reps: int | None = Field(default=None, ge=0, le=MAX_REPS)


class HurtAt(BaseModel):
    """Where "it hurts" stopped a session: the exercise, side, set and rep, and the kind of
    step that was running (``hold``, ``move``, ``rep_rest``, ``exercise_rest`` ...)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    exercise_id: ReadText
    #: "" for an exercise done once, "left" or "right".
    side: ReadText = ""
    set: int = Field(ge=1)
    rep: int = Field(ge=1)
    step: ReadText = ""


class DoseChange(BaseModel):
    """A suggested change the person answered, as its own line of ``history.jsonl``.

    ``change`` is ``hold`` or ``reps`` (``old`` -> ``new``), or ``leave_out`` (the exercise
    was taken out of the routine ``routine_id``). Session lines have no ``kind``; an accepted
    change has ``kind = "dose"``, a declined one ``kind = "dose-declined"`` (nothing changed;
    its own kind so that a trainer older than this one skips it with a warning instead of
    taking it for a change that was made).
    """

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True, allow_inf_nan=False)

    kind: Literal["dose", "dose-declined"] = "dose"
    version: int = Field(default=HISTORY_VERSION, ge=1)
    at: HistoryTime
    exercise_id: ReadText
    exercise_name: ReadText
    change: Literal["hold", "reps", "leave_out"]
    old: int | None = None
    new: int | None = None
    routine_id: ReadText | None = None
    #: The rule that suggested it: ``progress`` or ``ease_off``.
    rule: Literal["progress", "ease_off"]

    @property
    def day(self) -> date:
        return local_day(self.at)

    @property
    def accepted(self) -> bool:
        """The person said yes (the routines file changed); False: declined, nothing changed."""
        return self.kind == "dose"

    @property
    def decision(self) -> Literal["accepted", "declined"]:
        return "accepted" if self.accepted else "declined"


#: The ``kind`` of each dose-decision line of the history.
DOSE_KINDS = ("dose", "dose-declined")


#: How the back is the next morning, compared with before the session.
Compared = Literal["better", "same", "worse"]


class MorningCheck(BaseModel):
    """The answer to the next-morning question about one session, as its own line
    (``kind = "morning"``; a trainer older than this one skips it with a warning).

    ``session_started_at`` names the session it is about (its ``started_at``). ``compared``
    and ``score`` are None when the question was skipped: the line then records that it was
    asked, so it is never asked twice for the same session.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True, allow_inf_nan=False)

    kind: Literal["morning"] = "morning"
    version: int = Field(default=HISTORY_VERSION, ge=1)
    #: When it was answered (or skipped).
    at: AwareDatetime
    session_started_at: AwareDatetime
    compared: Compared | None = None
    #: Back pain this morning, 0-10 (None: not given).
    score: Score | None = None

    @property
    def day(self) -> date:
        return local_day(self.at)

    @property
    def skipped(self) -> bool:
        return self.compared is None and self.score is None


class HistoryEntry(BaseModel):
    """One session, as one line of ``history.jsonl``.

    ``started_at``/``ended_at`` are time-zone aware (written as local time with its offset,
    e.g. ``2026-03-29T08:05:00+02:00``); ``active_seconds`` excludes pauses. ``checkin`` is the
    answer to "How does your back feel?" on a 0-10 scale (0 = no pain, 10 = the worst), or None
    when it was skipped. Unknown keys (from a newer trainer) are ignored.
    """

    # Built on first use, not at import: the first screen does not need it.
    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True, allow_inf_nan=False)

    version: int = Field(default=HISTORY_VERSION, ge=1)
    started_at: HistoryTime
    ended_at: HistoryTime
    routine_id: ReadText
    routine_name: ReadText
    active_seconds: float = Field(ge=0, le=MAX_SESSION_SECONDS)
    paused_seconds: float = Field(default=0.0, ge=0, le=MAX_SESSION_SECONDS)
    outcome: Outcome
    exercises: list[ExerciseLog] = Field(default_factory=list)
    checkin: Score | None = None
    #: The optional check-in before the session (same scale), None when skipped or not asked.
    checkin_before: Score | None = None
    #: Where "it hurts" stopped the session (None otherwise, and in older lines).
    hurt_at: HurtAt | None = None
    #: A flare day: the gentle version of the routine, started with the flare key (the bottom
    #: of every range, the gentlest exercises). Never feeds a step up; keeps the streak. False
    #: in older lines (a trainer older than this one reads the line and ignores the field).
    flare: bool = False

    @property
    def day(self) -> date:
        """The local date the session started on (the machine's current time zone)."""
        return local_day(self.started_at)

    @property
    def reps_done(self) -> int:
        return sum(ex.reps_done for ex in self.exercises)

    @property
    def sets_done(self) -> int:
        return sum(ex.sets_done for ex in self.exercises)

    @property
    def reps(self) -> int:
        """Reps the session asked for (every exercise, set and side)."""
        return sum(ex.reps for ex in self.exercises)

    @property
    def exercises_done(self) -> int:
        """Exercises of which every rep was done."""
        return sum(1 for ex in self.exercises if ex.reps and ex.reps_done >= ex.reps)

    @property
    def amount(self) -> str:
        """How much was done: ``"3 of 5 exercises, 40 of 98 reps"``."""
        return amount_done(self.exercises)


class _Done(Protocol):
    @property
    def reps_done(self) -> int: ...
    @property
    def reps(self) -> int: ...


def amount_done(exercises: Sequence[_Done]) -> str:
    """``"3 of 5 exercises, 40 of 98 reps"``: exercises with every rep done, and reps done."""
    done = sum(1 for ex in exercises if ex.reps and ex.reps_done >= ex.reps)
    reps_done = sum(ex.reps_done for ex in exercises)
    reps = sum(ex.reps for ex in exercises)
    return (
        f"{done} of {len(exercises)} exercise{'' if len(exercises) == 1 else 's'}, "
        f"{reps_done} of {reps} rep{'' if reps == 1 else 's'}"
    )


def local_day(moment: datetime) -> date:
    """The date of ``moment`` in the machine's time zone (``TZ`` honoured)."""
    return moment.astimezone().date()


def is_counted(entry: HistoryEntry) -> bool:
    """Whether a session counts as "done that day" for the streak, the calendar and this week.

    Every session counts except an *abandoned* one in which not a single rep was done (the app
    was opened and closed). A session stopped early, or stopped because it hurt, counts even
    with no rep: showing up and listening to your back is the habit being kept.
    """
    return not (entry.outcome is Outcome.ABANDONED and entry.reps_done == 0)


# --------------------------------------------------------------------------- from a session


def outcome_of(session: Session) -> Outcome:
    """The outcome of a session as it stands: finished (every rep done) or partial (the end
    reached with steps skipped), stopped (hurt or not), else abandoned."""
    from trainer.engine import State

    state = session.view().state  # brings the session up to the clock first
    if state is State.FINISHED:
        every = all(r.reps_done >= r.reps for r in session.results())
        return Outcome.FINISHED if every else Outcome.PARTIAL
    if state is State.STOPPED:
        return Outcome.HURT if session.hurt else Outcome.STOPPED
    return Outcome.ABANDONED


def entry_from_session(
    session: Session,
    *,
    started_at: datetime,
    ended_at: datetime,
    outcome: Outcome | str,
    checkin: int | None = None,
    checkin_before: int | None = None,
) -> HistoryEntry:
    """A history entry for ``session``: its results, its active and paused time.

    ``started_at`` and ``ended_at`` must be time-zone aware; they are stored as local time
    with the local offset. Raises ``ValueError`` for a naive datetime or a check-in outside
    0-10.

    The times in it come from the monotonic clock (the session's active and paused seconds);
    the two wall-clock times are only labels. A session lasts at least its active plus paused
    time, so when the wall clock says less (it was set back while the session ran: NTP, a
    manual change, a restored VM), ``ended_at`` is ``started_at`` plus that time instead: an
    entry never ends before it began.
    """
    for name, moment in (("started_at", started_at), ("ended_at", ended_at)):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{name} must be time-zone aware, got {moment.isoformat()}")
    view = session.view()
    lasted = timedelta(seconds=view.active_time + view.paused_time)
    ended_at = max(ended_at, started_at + lasted)
    dose = {ex.id: ex for ex in session.plan.exercises}
    exercises = [
        ExerciseLog(
            id=r.id,
            name=r.name,
            sets_done=r.sets_done,
            sets=r.sets,
            reps_done=r.reps_done,
            reps=r.reps,
            hold=dose[r.id].hold,
            set_reps=dose[r.id].reps,
        )
        for r in session.results()
    ]
    place = session.hurt_at
    hurt_at = (
        None
        if place is None
        else HurtAt(
            exercise_id=place.exercise_id,
            side=place.side.value,
            set=place.set,
            rep=place.rep,
            step=place.kind.value,
        )
    )
    entry = HistoryEntry(
        started_at=started_at.astimezone(),
        ended_at=ended_at.astimezone(),
        routine_id=session.plan.routine_id,
        routine_name=session.plan.routine_name,
        active_seconds=round(view.active_time, 1),
        paused_seconds=round(view.paused_time, 1),
        outcome=Outcome(outcome),
        exercises=exercises,
        checkin_before=checkin_before,
        hurt_at=hurt_at,
        flare=session.plan.flare,
    )
    return set_checkin(entry, checkin)


def entry_from_snapshot(
    snapshot: SessionSnapshot, *, started_at: datetime, ended_at: datetime, flare: bool = False
) -> HistoryEntry:
    """An abandoned session's entry from its saved position alone, when its plan can no longer
    be rebuilt (its routine or an exercise left the routines file since): the routine, the
    times, no exercise counts (unknown now: the share done is 0, never a guess)."""
    lasted = timedelta(seconds=snapshot.active_time + snapshot.paused_time)
    return HistoryEntry(
        started_at=started_at.astimezone(),
        ended_at=max(ended_at, started_at + lasted).astimezone(),
        routine_id=snapshot.routine_id,
        routine_name=snapshot.routine_name,
        active_seconds=min(round(snapshot.active_time, 1), MAX_SESSION_SECONDS),
        paused_seconds=min(round(snapshot.paused_time, 1), MAX_SESSION_SECONDS),
        outcome=Outcome.ABANDONED,
        exercises=[],
        flare=flare,
    )


def parse_checkin(text: str) -> int | None:
    """What was typed in the check-in box: a score, None for "skip" (nothing typed), or
    :class:`TrainerError` with what to type instead."""
    text = text.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not CHECKIN_MIN <= int(text) <= CHECKIN_MAX:
        raise TrainerError(
            f"Type a number from {CHECKIN_MIN} to {CHECKIN_MAX}, or Enter alone to skip."
        )
    return int(text)


def set_checkin(entry: HistoryEntry, checkin: int | None) -> HistoryEntry:
    """``entry`` with the check-in answer (0-10), or None when it was skipped.

    The flow is *append after the check-in*, never amend: when a session ends the app builds the
    entry with :func:`entry_from_session`, asks "How does your back feel?", then calls
    ``append_entry(set_checkin(entry, answer))`` once the question is answered or skipped
    (``answer=None``). If the app is closed while the question is open, it appends the entry
    as it is (no check-in). The file is therefore only ever appended to, one whole line per
    session; no line is rewritten. Raises ``ValueError`` for a score outside 0-10.
    """
    if checkin is not None:
        if isinstance(checkin, bool) or not isinstance(checkin, int):
            raise ValueError(f"the check-in must be a whole number 0-10, got {checkin!r}")
        if not CHECKIN_MIN <= checkin <= CHECKIN_MAX:
            raise ValueError(f"the check-in must be 0-10, got {checkin}")
    return entry.model_copy(update={"checkin": checkin})
