"""What the coach says and rings for a person who is not looking (pure: no Textual, no I/O).

Everything here is decided from the plan (its steps, the exercises' numbers and the article's
first step of each exercise) and the settings; the engine stays free of sentences. For each step
:func:`step_sounds` returns the sounds due in it, each at a time counted from the step's start:

* a phrase to speak (the full text, a shorter form, a priority). A phrase that would not end
  before the next thing said, at the chosen rate, is replaced by its shorter form (a cue's
  ``say`` in the routines file, or the cue word alone), or left out;
* a bell pattern from a small vocabulary (:data:`VOCABULARY`) that carries the meaning over SSH,
  where the terminal bell is the only sound that reaches the person.

The coach (:mod:`trainer.coaching.coach`) schedules them on the session's clock; the UI plays them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from trainer.engine import Plan, Side, Step, StepKind
from trainer.engine.plan import ExerciseSummary
from trainer.programme.schema import DEFAULT_RATE, Advice, BellMode
from trainer.text import wording

#: Holds and rests at least this long end with a spoken "three, two, one" (ours).
COUNT_FROM = 10
#: The count: one number a second, the last one second before the step ends.
COUNT_WORDS = ("three", "two", "one")
#: What is said at the last rep's first cue, instead of its number.
LAST_REP = "Last one"
#: A movement cue shorter than this is a "fast move": it does not ring (ours).
FAST_MOVE = 3
#: Seconds before the count starts that the "get into position" phrase is said, at most (ours).
POSITION_LEAD = 12
#: Seconds between two bells of one pattern (ours): far enough apart to be heard as separate
#: rings on any terminal, and sent as separate writes, so SSH cannot merge them.
BELL_GAP = 0.4
#: Pause between two groups of one pattern (ours).
GROUP_GAP = 0.8


class Priority(IntEnum):
    """When several phrases fall due at once, the highest is said."""

    COUNT = 1
    INFO = 2
    CUE = 3
    ALERT = 4


class Kind(StrEnum):
    """What a sound is about (also the ``event`` of a hook's JSON)."""

    EXERCISE = "exercise"  # get into position for an exercise (first, or after a rest)
    POSITION = "position"  # how to get into position (the article's first step)
    MOVE = "move"
    HOLD = "hold"
    REST = "rest"
    SWITCH = "switch"
    COUNT = "count"
    DONE = "done"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    HURT = "hurt"


@dataclass(frozen=True, slots=True)
class Phrase:
    #: The full words, as written in the data or built here.
    text: str
    #: What is said instead when ``text`` would not fit ("" if nothing shorter exists).
    short: str
    priority: Priority
    #: The last resort of a cue: its first word or two ("Hold", "Raise").
    word: str = ""

    def fitted(self, seconds: float, rate: int) -> str:
        """The form that ends within ``seconds`` at ``rate``: the text, the short form, the
        cue word, or "" (nothing fits: the bell alone carries it)."""
        for form in (self.text, self.short, self.word):
            if form and estimate(form, rate) <= seconds + 1e-9:
                return form
        return ""


@dataclass(frozen=True, slots=True)
class BellPattern:
    name: str
    #: Seconds from the first bell to each bell (the first is 0).
    times: tuple[float, ...]
    #: What it means, for docs/sound-and-voice.md and the advice screen.
    meaning: str

    @property
    def sound(self) -> str:
        """The pattern drawn with dots: ``"•• ••"`` (a space is a longer pause)."""
        out = "•"
        for before, after in zip(self.times, self.times[1:], strict=False):
            out += (" " if after - before > BELL_GAP + 1e-9 else "") + "•"
        return out

    @property
    def bells(self) -> int:
        return len(self.times)


def _groups(*sizes: int) -> tuple[float, ...]:
    """Bell times for groups of ``sizes`` bells: BELL_GAP inside a group, GROUP_GAP between."""
    times: list[float] = []
    t = 0.0
    for g, size in enumerate(sizes):
        if g:
            t += GROUP_GAP
        for b in range(size):
            if b:
                t += BELL_GAP
            times.append(round(t, 2))
    return tuple(times)


MOVE_BELL = BellPattern("move", _groups(1), "move: a movement starts, or a hold ends (let go)")
HOLD_BELL = BellPattern("hold", _groups(2), "hold starts: keep still")
REST_BELL = BellPattern("rest", _groups(3), "a set is over: rest")
COUNT_BELL = BellPattern("count", _groups(1), "one a second: the last 3 s of a rest")
SWITCH_BELL = BellPattern("switch", _groups(2, 2), "switch sides")
NEXT_BELL = BellPattern("next", _groups(3, 3), "next exercise: get into position")
DONE_BELL = BellPattern("done", _groups(5), "the routine is done")
#: The bell vocabulary, in the order docs/sound-and-voice.md and the advice screen show it.
VOCABULARY = (MOVE_BELL, HOLD_BELL, REST_BELL, COUNT_BELL, SWITCH_BELL, NEXT_BELL, DONE_BELL)
VOCABULARY_BY_NAME = {p.name: p for p in VOCABULARY}
#: When two patterns fall due at once, the later in this list wins.
_BELL_RANK = {p.name: i for i, p in enumerate(VOCABULARY)}
_BELL_RANK["count"] = -1


def vocabulary_line() -> str:
    """The bell patterns in one line: "Bells: •• hold, • move or let go, ..." """
    short = {
        "move": "move or let go",
        "hold": "hold",
        "rest": "rest",
        "count": "3-2-1",
        "switch": "switch sides",
        "next": "next exercise",
        "done": "done",
    }
    parts = [f"{p.sound} {short[p.name]}" for p in VOCABULARY if p.name != "count"]
    return "Bells: " + ", ".join(parts) + "; one a second for the last 3 s of a rest."


def stronger(a: BellPattern | None, b: BellPattern | None) -> BellPattern | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if _BELL_RANK[b.name] >= _BELL_RANK[a.name] else a


@dataclass(frozen=True, slots=True)
class Sound:
    #: Seconds after the start of its step.
    at: float
    kind: Kind
    #: The words to say now ("" for none), already fitted to the time they have.
    say: str = ""
    phrase: Phrase | None = None
    bell: BellPattern | None = None

    @property
    def priority(self) -> Priority:
        return self.phrase.priority if self.phrase is not None else Priority.COUNT


# ------------------------------------------------------------------------- how long it takes

_PAUSES = re.compile(r"[,.;:!?]")
#: A sentence's end is a longer pause than a comma's ("Six. Raise": 1.41 s in espeak-ng).
_STOPS = re.compile(r"[.!?]")


def estimate(text: str, rate: int = DEFAULT_RATE) -> float:
    """Seconds a speech engine needs for ``text`` at ``rate`` words a minute, on the safe side.

    Fitted to espeak-ng's output (WAV length, trailing silence included: 0.6 s for "Rest",
    1.1 s for "Raise your hips", 3.5 s for "Bridges. Three sets of fifteen, hold ten seconds")
    and kept above it: a test renders every phrase of the shipped routines and checks it.
    """
    speech = (
        0.068 * len(text) + 0.25 * len(_PAUSES.findall(text)) + 0.05 * len(_STOPS.findall(text))
    )
    return max(0.8, 0.45 + speech * DEFAULT_RATE / max(1, rate))


def cue_word(text: str) -> str:
    """The cue alone: ``"Hold, squeeze your buttocks"`` -> ``"Hold"``, ``"Raise your top
    leg"`` -> ``"Raise"`` (what comes before a comma when it is one or two words, else the
    first word)."""
    first = re.split(r"[,.;:]", text, maxsplit=1)[0].strip()
    return first if len(first.split()) <= 2 else first.split()[0]


# ------------------------------------------------------------------------- the words


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def amount(ex: ExerciseSummary) -> str:
    """ "Three sets of fifteen, hold ten seconds"; "Five times, hold five seconds"."""
    if ex.sets > 1:
        text = f"{wording.spoken_number(ex.sets)} sets of {wording.spoken_number(ex.reps)}"
    else:
        text = f"{wording.spoken_number(ex.reps)} time{'' if ex.reps == 1 else 's'}"
    if ex.sides == 2:
        text += " on each side"
    if ex.hold:
        text += f", hold {wording.spoken_duration(ex.hold)}"
    return text[:1].upper() + text[1:]


def intro(ex: ExerciseSummary) -> str:
    """ "Bridges. Three sets of fifteen, hold ten seconds." """
    return f"{_sentence(ex.name)} {_sentence(amount(ex))}"


def position(ex: ExerciseSummary, side: Side) -> str:
    """The article's first step of the exercise, with the side when there is one."""
    first = ex.steps[0].strip() if ex.steps else ""
    if side is not Side.BOTH:
        sided, n = re.subn(r"\byour side\b", f"your {side.value} side", first, count=1)
        first = sided if n else f"{first}, {side.value} side" if first else f"{side.value} side"
    return _sentence(first)


def _phrase_for(plan: Plan, step: Step, duration: float) -> tuple[Kind, Phrase]:
    """The phrase said when ``step`` starts."""
    ex = plan.exercises[step.exercise_index]
    seconds = wording.spoken_duration(duration)
    match step.kind:
        case StepKind.READY:
            return Kind.EXERCISE, Phrase(intro(ex), _sentence(ex.name), Priority.CUE)
        case StepKind.EXERCISE_REST:
            return Kind.EXERCISE, Phrase(
                f"Rest, {seconds}. Next: {_lower_first(intro(ex))}",
                f"Rest. Next: {_lower_first(_sentence(ex.name))}",
                Priority.CUE,
            )
        case StepKind.SET_REST:
            n, of = wording.spoken_number(step.set), wording.spoken_number(step.sets)
            return Kind.REST, Phrase(
                f"Rest, {seconds}. Next: set {n} of {of}.", "Rest.", Priority.CUE
            )
        case StepKind.REP_REST:
            return Kind.REST, Phrase("Rest", "", Priority.CUE)
        case StepKind.SWITCH:
            return Kind.SWITCH, Phrase(
                f"Switch sides. {position(ex, step.side)}",
                f"Switch sides: {step.side.value} side.",
                Priority.CUE,
            )
        case StepKind.DONE:
            return Kind.DONE, Phrase("Done. Well done.", "Done.", Priority.ALERT)
        case StepKind.HOLD:
            return Kind.HOLD, counted_cue(step)
        case _:
            return Kind.MOVE, counted_cue(step)


def rep_count(step: Step) -> str:
    """The rep as said at its first cue: "Two", ..., "Last one"; "" for the first rep (the
    3-2-1 or the rest before it marks it) and for an exercise of one rep."""
    if step.cue_index != 0 or step.reps <= 1 or step.rep <= 1:
        return ""
    if step.rep == step.reps:
        return LAST_REP
    return wording.spoken_number(step.rep).capitalize()


def counted_cue(step: Step) -> Phrase:
    """A cue, with the rep's count before it at the rep's first cue: "Three. Raise your hips",
    shorter "Three. Raise", at the least "Three" (the count is what the ear cannot learn
    elsewhere: rep 3 and rep 9 sound alike otherwise)."""
    word = cue_word(step.text)
    count = rep_count(step)
    if not count:
        return Phrase(step.text, step.say, Priority.CUE, word)
    return Phrase(f"{count}. {step.text}", f"{count}. {step.say or word}", Priority.CUE, count)


def opening_bell(
    step: Step, previous: Step | None, mode: BellMode, *, has_hold: bool = False
) -> BellPattern | None:
    """The bell pattern rung when ``step`` starts (after ``previous``), in ``mode``.

    Fast moves inside a rep stay quiet: a movement rings (in ``all`` mode) when it lasts
    :data:`FAST_MOVE` s or more and starts the rep, or when the exercise has no hold to mark
    the rhythm; the end of a hold always rings (let go).
    """
    if mode is BellMode.OFF:
        return None
    match step.kind:
        case StepKind.DONE:
            return DONE_BELL
        case StepKind.READY | StepKind.EXERCISE_REST:
            return NEXT_BELL
        case StepKind.SWITCH:
            return SWITCH_BELL
        case StepKind.SET_REST:
            return REST_BELL
        case StepKind.HOLD:
            return HOLD_BELL
    if previous is not None and previous.kind is StepKind.HOLD:
        return MOVE_BELL  # the hold is over: let go
    if step.kind is StepKind.MOVE and mode is BellMode.ALL and step.duration >= FAST_MOVE:
        return MOVE_BELL if step.cue_index == 0 or not has_hold else None
    return None


def step_sounds(
    plan: Plan,
    step: Step,
    duration: float,
    *,
    previous: Step | None,
    bell: BellMode,
    rate: int = DEFAULT_RATE,
) -> list[Sound]:
    """Every sound due in ``step`` (lasting ``duration`` s), in time order.

    The opening phrase comes first (at 0) and gets the time up to the next thing said; then,
    before an exercise and near the end of a long rest between sets, how to get into position
    (with the side); then, in holds and rests of
    :data:`COUNT_FROM` seconds or more, "three, two, one" (and in rests, a bell with each).
    """
    kind, phrase = _phrase_for(plan, step, duration)
    counted = (
        duration >= COUNT_FROM
        and (step.kind is StepKind.HOLD or step.kind.is_rest)
        and all(estimate(word, rate) <= 1 for word in COUNT_WORDS)
    )
    count_at = duration - len(COUNT_WORDS)
    window = duration if step.kind is not StepKind.DONE else math.inf
    opening = phrase.fitted(window, rate)
    if counted and estimate(opening, rate) > count_at:
        shorter = phrase.fitted(count_at, rate)
        counted = bool(shorter)
        if counted:
            opening = shorter
    has_hold = plan.exercises[step.exercise_index].hold > 0
    ring = opening_bell(step, previous, bell, has_hold=has_hold)
    sounds = [Sound(0.0, kind, opening, phrase, ring)]
    end_of_talk = count_at if counted else duration
    if step.kind in (StepKind.READY, StepKind.EXERCISE_REST) or (
        step.kind is StepKind.SET_REST and counted
    ):
        # How to get into position, near the end of a long rest: the side too ("Lie on
        # your left side with the legs together").
        ex = plan.exercises[step.exercise_index]
        at = float(max(math.ceil(estimate(opening, rate)), math.floor(end_of_talk) - POSITION_LEAD))
        where = Phrase(
            f"Get into position. {position(ex, step.side)}", "Get into position.", Priority.INFO
        )
        said = where.fitted(end_of_talk - at, rate)
        if said:
            sounds.append(Sound(at, Kind.POSITION, said, where))
    if counted:
        count_bell = COUNT_BELL if bell is not BellMode.OFF and step.kind.is_rest else None
        for i, word in enumerate(COUNT_WORDS):
            sounds.append(
                Sound(
                    count_at + i,
                    Kind.COUNT,
                    word,
                    Phrase(word, "", Priority.COUNT),
                    count_bell,
                )
            )
    return sounds


def lead_in_sound() -> Sound:
    """A restored session's few seconds to get back into position."""
    phrase = Phrase("Get back into position.", "", Priority.CUE)
    return Sound(0.0, Kind.EXERCISE, phrase.text, phrase)


def resume_sound(plan: Plan, step: Step, remaining: float, room: float, rate: int) -> Sound | None:
    """After a pause: the current cue again, in the form that fits the ``room`` seconds before
    the next sound (``remaining``: what is left of the step)."""
    _, phrase = _phrase_for(plan, step, remaining)
    if step.kind in (StepKind.SET_REST, StepKind.EXERCISE_REST):
        phrase = Phrase(f"Rest, {wording.spoken_duration(remaining)}.", "Rest.", Priority.CUE)
    said = phrase.fitted(room, rate)
    return Sound(0.0, Kind.RESUME, said, phrase) if said else None


def advice_sound(advice: Advice) -> Sound:
    """ "This hurts" (x): stop, and the article's advice."""
    phrase = Phrase(
        f"Stopped. {_sentence(advice.stop_if_worse)} {_sentence(advice.see_doctor)}",
        "Stopped.",
        Priority.ALERT,
    )
    return Sound(0.0, Kind.HURT, phrase.text, phrase)


def hook_event(plan: Plan, step: Step, duration: float, sound: Sound) -> dict[str, object]:
    """The JSON object an ``on_event`` command gets (``time`` is added when it runs)."""
    return {
        "event": sound.kind.value,
        "routine": plan.routine_id,
        "exercise_id": step.exercise_id,
        "exercise": step.exercise_name,
        "side": step.side.value or None,
        "set": step.set,
        "sets": step.sets,
        "rep": step.rep,
        "reps": step.reps,
        "step_seconds": round(duration, 3),
        "text": sound.phrase.text if sound.phrase is not None else step.text,
        "said": sound.say,
    }
