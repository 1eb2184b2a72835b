"""Pydantic models: the schema of ``routines.toml``.

The file is the single source of a routine's facts. Every model forbids unknown keys, so a
typo such as ``rep = 10`` is reported by name instead of being silently ignored. Field order
here is the order tomli-w writes, so a save without changes reproduces the shipped file.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    model_validator,
)

# Re-exported: the values live in trainer.programme.constants so the list reads them without
# pydantic.
from trainer.programme.constants import DEFAULT_RATE as DEFAULT_RATE
from trainer.programme.constants import MAX_RATE as MAX_RATE
from trainer.programme.constants import MIN_RATE as MIN_RATE
from trainer.programme.constants import VOICE_ENGINES as VOICE_ENGINES
from trainer.programme.constants import WEEKDAYS as WEEKDAYS
from trainer.programme.constants import BellMode as BellMode
from trainer.programme.constants import VoiceMode as VoiceMode
from trainer.programme.figures import END, START
from trainer.programme.figures import problem as figure_problem
from trainer.text.safe import escape_char, printable, unsafe_chars

SCHEMA_VERSION = 1

#: Upper bounds that no home routine needs; they catch typos like ``hold = 100000``.
MAX_SETS = 20
MAX_REPS = 100
MAX_SECONDS = 600

# Strict: a TOML file says `sets = 3`; `sets = "3"` or `bell = "yes"` is a mistake to report,
# not to guess at.
Int = Annotated[int, Strict()]
Id = Annotated[
    str,
    Strict(),
    Field(
        min_length=1,
        max_length=40,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="lower-case letters, digits, '-' or '_'",
    ),
]


_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _why_not(char: str) -> str:
    """What is wrong with one character :func:`trainer.text.safe.unsafe_chars` found, and the
    fix."""
    shown = escape_char(char)
    if char in _LINE_BREAKS:
        return f"a line break ({shown}); keep it on one line"
    if char == "\t":
        return f"a tab ({shown}); use spaces"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return (
            f"an invisible direction control ({shown}); delete it "
            "(right-to-left letters themselves are fine)"
        )
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate ({shown}), which is not a character; delete it"
    return f"the control character {shown}; delete it (text cannot hold escape sequences)"


def _text_only(keep: str = "") -> Callable[[str], str]:
    """A check that ``value`` holds text a terminal shows as text (see ``trainer.text.safe``)."""

    def check(value: str) -> str:
        bad = unsafe_chars(value, keep=keep)
        if bad:
            at = value.index(bad[0]) + 1
            raise ValueError(f"character {at} is {_why_not(bad[0])}")
        return value

    return check


#: Text shown on one line (a name, a cue, a step): no control characters, no line breaks.
Text = Annotated[str, Strict(), Field(min_length=1, max_length=400), AfterValidator(_text_only())]
#: Prose shown in a wrapping paragraph (a description, the advice): line breaks allowed (a
#: TOML multi-line string), tabs and every other control character not.
Prose = Annotated[
    str, Strict(), Field(min_length=1, max_length=400), AfterValidator(_text_only("\n"))
]
#: Text read back from a file trainer wrote (``session.json``, ``history.jsonl``): a control
#: character there was not put there by trainer, so it is shown as its escape (``\x1b``)
#: instead of being refused (which would throw away a saved position or a session's record).
ReadText = Annotated[str, AfterValidator(printable)]
WORD_PATTERN = r"^[A-Za-z]+( [A-Za-z]+)*$"
#: A cue's short word, drawn in block letters (A-Z and spaces only: the letters the font has).
Word = Annotated[
    str,
    Strict(),
    Field(
        min_length=1,
        max_length=12,
        pattern=WORD_PATTERN,
        description="1-12 letters A-Z, words separated by one space",
    ),
]
Seconds = Annotated[int, Strict(), Field(ge=0, le=MAX_SECONDS)]


def _drawing(value: str) -> str:
    found = figure_problem(value)
    if found is not None:
        raise ValueError(found)
    return value


#: One frame of a figure: lines of one-column characters (see :mod:`trainer.programme.figures`).
Drawing = Annotated[str, Strict(), Field(min_length=1, max_length=2000), AfterValidator(_drawing)]

PositiveSeconds = Annotated[int, Strict(), Field(ge=1, le=MAX_SECONDS)]


class FieldProblem(ValueError):
    """A check across fields that names the field at fault.

    ``loc`` is relative to the model that raises it (``("exercises", 3)`` in a routine), so the
    loader can add it to pydantic's own place and find the line in the file.
    """

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class CueKind(StrEnum):
    """What a cue asks of the body: a movement into or out of a position, or a hold."""

    MOVE = "move"
    HOLD = "hold"


class Cue(_Strict):
    """One timed instruction inside a rep ("Raise your hips", "Hold, squeeze")."""

    text: Text
    kind: CueKind = CueKind.MOVE
    #: Seconds for a ``move`` cue. A ``hold`` cue lasts the exercise's ``hold``; leave it out.
    seconds: PositiveSeconds | None = None
    #: A shorter form for the voice, said when ``text`` would not fit the cue's seconds.
    say: Text | None = None
    #: The short word shown in large letters ("LIFT"); without it, HOLD for a hold and the
    #: cue's first word for a move.
    word: Word | None = None
    #: The pose of the exercise's figure the body is in at the end of this cue ("start",
    #: "end" or one of the figure's own ``poses``); without it: "end" up to the rep's hold (or
    #: its last cue), "start" after it.
    pose: Id | None = None

    @model_validator(mode="after")
    def _seconds_match_kind(self) -> Self:
        if self.kind is CueKind.MOVE and self.seconds is None:
            raise ValueError("a move cue needs 'seconds' (how long the movement takes)")
        if self.kind is CueKind.HOLD and self.seconds is not None:
            raise FieldProblem(
                ("seconds",),
                "a hold cue takes its length from the exercise's 'hold'; remove 'seconds'",
            )
        return self


class Figure(_Strict):
    """A drawing of the body in the exercise's start and end positions, in text (see
    docs/routines.md): ``between`` frames show the way from start to end, ``poses`` any other
    position a cue names."""

    #: For an exercise with sides = 2: the side the person lies on in this drawing (seen from
    #: the front; left when not given); the other side is drawn mirrored.
    side: Literal["left", "right"] | None = None
    start: Drawing
    #: Frames on the way from start to end, in order.
    between: list[Drawing] | None = Field(default=None, max_length=6)
    end: Drawing
    #: Other positions a cue can name (``pose = "sag"``).
    poses: dict[Id, Drawing] | None = Field(default=None, max_length=4)

    @model_validator(mode="after")
    def _own_names(self) -> Self:
        for name in self.poses or {}:
            if name in (START, END):
                raise FieldProblem(
                    ("poses", name), f"'{name}' is the figure's own {name}; use another name"
                )
        return self

    @property
    def pose_names(self) -> list[str]:
        return [START, END, *(self.poses or {})]


class Exercise(_Strict):
    id: Id
    name: Text
    #: The muscle it works, in the article's words.
    muscle: Text
    #: Why it helps the lower back, condensed from the article.
    why: Prose
    #: Every step the article gives, in order.
    steps: list[Text] = Field(min_length=1, max_length=20)
    sets: Int = Field(ge=1, le=MAX_SETS)
    reps: Int = Field(ge=1, le=MAX_REPS)
    #: Seconds each hold lasts (0 for an exercise without a hold).
    hold: Seconds
    #: 1, or 2 for "switch sides and perform the sets again".
    sides: Int = Field(ge=1, le=2)
    #: With ``sides = 2``: what each side means, in words that can't be misread, first side
    #: first ("Lie on your left side, lift your right leg").
    side_words: tuple[Text, Text] | None = None
    rest_between_reps: Seconds
    rest_between_sets: Seconds
    #: The article's range, when it gives one; the default above is taken from it.
    hold_range: tuple[Seconds, Seconds] | None = None
    reps_range: tuple[Int, Int] | None = None
    #: The timed cues of one rep, in order.
    cues: list[Cue] = Field(min_length=1, max_length=10)
    #: How the exercise looks, drawn in text (optional).
    figure: Figure | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        holds = sum(1 for cue in self.cues if cue.kind is CueKind.HOLD)
        if holds > 1:
            raise FieldProblem(("cues",), "a rep can have at most one hold cue")
        if holds == 1 and self.hold == 0:
            raise FieldProblem(("hold",), "must be at least 1 second (the rep has a hold cue)")
        if holds == 0 and self.hold > 0:
            raise FieldProblem(
                ("hold",),
                f'is {self.hold} but no cue has kind = "hold"; add one or set hold = 0',
            )
        if self.side_words is not None and self.sides != 2:
            raise ValueError("'side_words' is for an exercise with sides = 2; remove it")
        if self.figure is not None and self.figure.side is not None and self.sides != 2:
            raise FieldProblem(("figure", "side"), "is for an exercise with sides = 2; remove it")
        for name, rng in (("hold_range", self.hold_range), ("reps_range", self.reps_range)):
            if rng is not None and rng[0] > rng[1]:
                raise FieldProblem(
                    (name,), f"must be [low, high] with low <= high, got {list(rng)}"
                )
        if self.reps_range is not None and self.reps_range[0] < 1:
            raise FieldProblem(("reps_range",), "must start at 1 or more")
        for i, cue in enumerate(self.cues):
            if cue.pose is None:
                continue
            if self.figure is None:
                raise FieldProblem(
                    ("cues", i, "pose"), "needs the exercise's [exercises.figure]; add it"
                )
            if cue.pose not in self.figure.pose_names:
                known = ", ".join(self.figure.pose_names)
                raise FieldProblem(
                    ("cues", i, "pose"), f"the figure has no pose '{cue.pose}' (known: {known})"
                )
        return self

    @property
    def has_hold(self) -> bool:
        return any(cue.kind is CueKind.HOLD for cue in self.cues)

    def out_of_range(self) -> list[str]:
        """Values the person set outside the article's range (allowed, but worth a flag)."""
        notes = []
        if self.hold_range and not self.hold_range[0] <= self.hold <= self.hold_range[1]:
            lo, hi = self.hold_range
            notes.append(f"hold {self.hold} s is outside the article's {lo}-{hi} s")
        if self.reps_range and not self.reps_range[0] <= self.reps <= self.reps_range[1]:
            lo, hi = self.reps_range
            reps = f"{self.reps} rep{'' if self.reps == 1 else 's'}"
            notes.append(f"{reps} is outside the article's {lo}-{hi}")
        return notes


class Routine(_Strict):
    id: Id
    name: Text
    description: Prose
    exercises: list[Id] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        for j, ex_id in enumerate(self.exercises):
            if ex_id in self.exercises[:j]:
                raise FieldProblem(
                    ("exercises", j), f"'{ex_id}' is listed twice; raise its sets instead"
                )
        return self


class Timing(_Strict):
    """Transitions the article gives no number for; all of them are ours (see docs/routines.md)."""

    get_ready: Seconds = 15
    switch_sides: Seconds = 10
    rest_between_exercises: Seconds = 30


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ClockTime = Annotated[
    str, Strict(), Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", description="HH:MM")
]


class Settings(_Strict):
    """The programme's ``[settings]``: what a physiotherapist may send, plain data only.

    The person's own preferences (bell, notifications, theme, voice, voice_rate,
    voice_engine, on_event) are not here: they live in ``preferences.toml``
    (:mod:`trainer.programme.preferences` has the table of where each key went and why). An
    old file that still has them loads; the loader takes them out before this model sees
    them (ignored, listed, never run), so no command or program name is ever read from a
    routines file.
    """

    #: Ask "How does your back feel?" before a session too (one key skips it): part of the
    #: pain monitoring a programme may ask for.
    checkin_before: StrictBool = False
    #: The planned training days and time, written by ``trainer remind`` (None: no plan).
    plan_days: list[Weekday] | None = Field(default=None, min_length=1, max_length=7)
    plan_at: ClockTime | None = None

    @model_validator(mode="after")
    def _plan_days_once(self) -> Self:
        if self.plan_days is not None and len(set(self.plan_days)) != len(self.plan_days):
            raise ValueError("plan_days lists a day twice")
        return self


class Advice(_Strict):
    """The article's closing advice, shown before the first session and on "this hurts"."""

    stop_if_worse: Prose
    see_doctor: Prose
    posture: Prose
    lifting: Prose
    why_core: Prose


class Source(_Strict):
    title: Text
    note: Prose


def _unique_ids(table: str, ids: list[str]) -> set[str]:
    """The ids of ``table``'s items, each used once (else the second use is the problem)."""
    seen: set[str] = set()
    for i, item_id in enumerate(ids):
        if item_id in seen:
            raise FieldProblem((table, i, "id"), f"'{item_id}' is used twice; ids must be unique")
        seen.add(item_id)
    return seen


class RoutinesFile(_Strict):
    schema_version: Int = Field(default=SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    source: Source
    settings: Settings = Settings()
    timing: Timing = Timing()
    advice: Advice
    exercises: list[Exercise] = Field(min_length=1, max_length=50)
    routines: list[Routine] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _references(self) -> Self:
        known = _unique_ids("exercises", [ex.id for ex in self.exercises])
        _unique_ids("routines", [routine.id for routine in self.routines])
        for i, routine in enumerate(self.routines):
            for j, ex_id in enumerate(routine.exercises):
                if ex_id not in known:
                    raise FieldProblem(
                        ("routines", i, "exercises", j),
                        f"no exercise has id '{ex_id}' (known: {', '.join(sorted(known))})",
                    )
        return self

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)

    def routine(self, routine_id: str) -> Routine:
        for routine in self.routines:
            if routine.id == routine_id:
                return routine
        raise KeyError(routine_id)

    def exercises_of(self, routine: Routine) -> list[Exercise]:
        return [self.exercise(ex_id) for ex_id in routine.exercises]
