"""Which frame of an exercise's figure to show, at each moment of a session (no Textual).

A cue ends in a pose (``pose`` in the routines file, see :class:`trainer.programme.schema.Cue`);
a move plays the frames from the pose before it to its own, by the share of its time gone by
(hips rise during "raise", stay up in the hold, come down during "lower"); a hold shows its
pose; rests, "get ready", "switch sides" and the end show the start pose. On the second side of
a two-sided exercise the figure is mirrored: the body lies on the side being worked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trainer.engine import Side, Step, StepKind, View
from trainer.programme import figures
from trainer.programme.figures import END, START

if TYPE_CHECKING:  # the routine list imports this before pydantic loads (a warm start)
    from trainer.programme.schema import Exercise, Figure

#: ``CueKind.HOLD``'s value (the schema's enum is a ``StrEnum``).
HOLD = "hold"


@dataclass(frozen=True, slots=True)
class Drawn:
    """An exercise's figure with every frame in one box (see :func:`figures.box`)."""

    #: Pose name -> its lines; the in-between frames are under ``"between 1"``, ...
    frames: dict[str, tuple[str, ...]]
    #: The way from start to end: pose names, start first.
    path: tuple[str, ...]
    width: int
    height: int
    #: The side the drawing shows (for a two-sided exercise); the other is mirrored.
    side: Side

    def lines(self, pose: str, side: Side = Side.BOTH) -> tuple[str, ...]:
        """One pose's lines, mirrored when ``side`` is the other side of the drawing."""
        lines = self.frames[pose]
        if side is not Side.BOTH and side is not self.side:
            return tuple(line.ljust(self.width) for line in figures.mirror(lines))
        return lines


def drawn(figure: Figure) -> Drawn:
    between = [f"between {n}" for n in range(1, len(figure.between or []) + 1)]
    named = {
        START: figure.start,
        **dict(zip(between, figure.between or [], strict=True)),
        END: figure.end,
        **(figure.poses or {}),
    }
    boxed, width, height = figures.box(list(named.values()))
    return Drawn(
        frames={name: tuple(lines) for name, lines in zip(named, boxed, strict=True)},
        path=(START, *between, END),
        width=width,
        height=height,
        side=Side(figure.side or Side.LEFT.value),
    )


def cue_poses(exercise: Exercise) -> list[str]:
    """The pose each cue ends in: its own ``pose``, else "end" for the moves up to the rep's
    hold (or its last cue), the hold keeping the pose before it, and "start" after it."""
    holds = [i for i, cue in enumerate(exercise.cues) if cue.kind == HOLD]
    counting = holds[0] if holds else len(exercise.cues) - 1
    poses: list[str] = []
    for i, cue in enumerate(exercise.cues):
        if cue.pose is not None:
            poses.append(cue.pose)
        elif cue.kind == HOLD:
            poses.append(poses[-1] if poses else END)
        else:
            poses.append(END if i <= counting else START)
    return poses


def way(drawing: Drawn, origin: str, target: str) -> list[str]:
    """The frames a move from ``origin`` to ``target`` shows, in order (``origin`` not
    included): along the path between start and end, or through the start pose."""
    if origin == target:
        return [target]
    path = list(drawing.path)
    if origin in path and target in path:
        a, b = path.index(origin), path.index(target)
        return path[a + 1 : b + 1] if a < b else path[b:a][::-1]
    if origin in path and origin != START:
        return [*way(drawing, origin, START), target]
    return [target]


def pose_at(exercise: Exercise, drawing: Drawn, step: Step, elapsed: float) -> str:
    """The pose name to show ``elapsed`` seconds into ``step`` of ``exercise``."""
    if step.kind not in (StepKind.MOVE, StepKind.HOLD) or step.cue_index < 0:
        return START
    poses = cue_poses(exercise)
    target = poses[step.cue_index]
    if step.kind is StepKind.HOLD:
        return target
    origin = poses[step.cue_index - 1] if step.cue_index > 0 else START
    frames = way(drawing, origin, target)
    share = elapsed / step.duration if step.duration > 0 else 1.0
    return frames[min(len(frames) - 1, max(0, math.floor(share * len(frames))))]


def frame_for(exercise: Exercise | None, drawing: Drawn | None, view: View) -> tuple[str, ...]:
    """The figure's lines for ``view`` (empty: the exercise has no figure)."""
    if exercise is None or drawing is None:
        return ()
    step = view.step
    pose = pose_at(exercise, drawing, step, view.elapsed)
    return drawing.lines(pose, step.side if exercise.sides == 2 else Side.BOTH)
