"""``trainer handout``: a printable page per routine, to keep beside the mat (pure, no I/O).

Each routine on its own A4 page (or pages): every exercise with its figure (start and end
positions), the article's steps, and its dose (sets, reps, hold, rests, sides), then the
article's safety advice. Self-contained like the report (:mod:`trainer.outputs.report`): inline
CSS with a print stylesheet, no script, nothing loaded (the same Content-Security-Policy), every
text from the routines file escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.engine import plan_for
from trainer.outputs.report import CSP, CSS, esc, figure_html
from trainer.programme.schema import Exercise, Routine, RoutinesFile
from trainer.text import wording

HANDOUT_CSS = """
section.routine { break-before: page; }
section.routine:first-of-type { break-before: auto; }
.exercise { break-inside: avoid; border-top: 1px solid #bbb; padding-top: .4em;
  margin-top: .8em; }
.exercise h3 { font-size: 13pt; margin: .2em 0; }
.dose { font-weight: bold; margin: .2em 0; }
ol.steps { margin: .2em 0 .4em; padding-left: 1.6em; }
.advice { border: 2px solid #b00020; padding: .4em .8em; margin-top: 1em;
  break-inside: avoid; }
.advice h3 { color: #b00020; margin: .1em 0; }
"""


def dose_line(exercise: Exercise) -> str:
    """ "3 sets of 15 reps, hold 10 s; rest 3 s between reps, 60 s between sets" (+ sides)."""
    parts = [
        f"{wording.count(exercise.sets, 'set')} of {wording.count(exercise.reps, 'rep')}"
        if exercise.sets > 1
        else wording.count(exercise.reps, "rep")
    ]
    if exercise.sides == 2:
        parts[0] += " on each side"
    if exercise.hold:
        parts.append(f"hold {exercise.hold} s")
    rests = []
    if exercise.rest_between_reps:
        rests.append(f"{exercise.rest_between_reps} s between reps")
    if exercise.sets > 1 and exercise.rest_between_sets:
        rests.append(f"{exercise.rest_between_sets} s between sets")
    text = ", ".join(parts)
    if rests:
        text += "; rest " + ", ".join(rests)
    return text


def _exercise(n: int, exercise: Exercise) -> list[str]:
    out = [
        '<div class="exercise">',
        f"<h3>{n}. {esc(exercise.name)}</h3>",
        f'<p class="dose">{esc(dose_line(exercise))}</p>',
    ]
    if exercise.sides == 2 and exercise.side_words:
        first, second = exercise.side_words
        out.append(f"<p>First side: {esc(first)}. Then: {esc(second)}.</p>")
    out.append(figure_html(exercise))
    out.append('<ol class="steps">')
    out += [f"<li>{esc(step)}</li>" for step in exercise.steps]
    out.append("</ol>")
    out.append(f"<p>Works: {esc(exercise.muscle)}. {esc(exercise.why)}</p>")
    out.append("</div>")
    return out


def _routine(routines: RoutinesFile, routine: Routine) -> list[str]:
    total = plan_for(routines, routine.id).total
    exercises = routines.exercises_of(routine)
    advice = routines.advice
    out = [
        '<section class="routine">',
        f"<h1>{esc(routine.name)}</h1>",
        f'<p class="meta">{esc(routine.description)} About {esc(wording.estimate(total))}, '
        f"{esc(wording.count(len(exercises), 'exercise'))}.</p>",
    ]
    for n, exercise in enumerate(exercises, start=1):
        out += _exercise(n, exercise)
    out += [
        '<div class="advice"><h3>Safety</h3>',
        f"<p><strong>{esc(advice.stop_if_worse)}</strong></p>",
        f"<p>{esc(advice.see_doctor)}</p>",
        f"<p>{esc(advice.posture)} {esc(advice.lifting)}</p>",
        "</div>",
        "</section>",
    ]
    return out


def render(routines: RoutinesFile, chosen: Sequence[Routine] | None = None) -> str:
    """The whole page: ``chosen`` routines (default: every routine), one after another, each
    starting a new printed page."""
    body: list[str] = []
    for routine in chosen if chosen is not None else routines.routines:
        body += _routine(routines, routine)
    body.append(
        f"<footer>{esc(routines.source.title)}. Steps and numbers from the article; "
        "figures drawn for trainer.</footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Lower-back exercises: handout</title>"
        f"<style>{CSS}{HANDOUT_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
