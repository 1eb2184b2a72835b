#!/usr/bin/env python3
"""The voice's CPU: one espeak-ng process per phrase against one long-lived process reading lines.

    python benchmarks/bench_speech.py                  # both schedules, both speakers (~4 min)
    python benchmarks/bench_speech.py --window 30 --schedules full

Each schedule is the phrases trainer says, at their times (the coach run on a hand-moved clock,
as tests/sound_run.py does), said in real time by a speaker in a fresh child process:

full   the full routine's first ``--window`` seconds;
legs   ``--window`` seconds of leg lifts (1-2 s steps), as bench_issue14's "legs" routine;
every2 one phrase ("Raise your hips", about 1.1 s) every 2 s.

Speakers: ``process`` (:class:`~trainer.outputs.speech.ProcessSpeaker`, trainer before issue 14's
speech
work) and ``line`` (:class:`~trainer.outputs.speech.LineSpeaker`). The figure is the child's CPU
(utime +
stime) plus its ended children's (the engines, reaped before the end), as % of one core over the
window, as bench_issue14 counts trainer's process tree.

Without a sound device (a server, this CI machine) espeak-ng gives up on each phrase before it
synthesises it; ``--synth`` makes every engine write its audio to the null device instead
(``--stdout``), which costs what a sound device would (a ``sh`` wrapper ``exec``s espeak-ng).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (HERE, ROOT, ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

SCHEDULES = ("full", "legs", "every2")
SPEAKERS = ("process", "line")


def schedule(name: str, window: float) -> list[tuple[float, str]]:
    """(seconds from the start, phrase) of ``name``'s first ``window`` seconds."""
    if name == "every2":
        return [(t, "Raise your hips") for t in range(0, int(window), 2)]
    from sound_run import listen

    from trainer.programme.loading import load_routines

    if name == "full":
        run = listen(load_routines(ROOT / "routines.toml"), "full")
    else:
        from bench_issue14 import legs_routines

        with tempfile.TemporaryDirectory() as tmp:
            run = listen(load_routines(legs_routines(Path(tmp) / "legs.toml")), "legs")
    return [(h.t, h.say) for h in run.phrases if h.say and h.t < window]


def synth_wrapper(folder: Path, espeak: str) -> str:
    """An "espeak-ng" that synthesises every phrase to the null device, sound card or not."""
    script = folder / "espeak-ng"
    script.write_text(f'#!/bin/sh\nexec {espeak} --stdout "$@" >/dev/null\n', encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def child(speaker_name: str, schedule_name: str, window: float, synth: bool) -> None:
    """Say the schedule in real time; print the CPU as JSON."""
    from trainer.outputs.speech import Engine, LineSpeaker, ProcessSpeaker

    phrases = schedule(schedule_name, window)
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        sys.exit("espeak-ng is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine("espeak-ng", synth_wrapper(Path(tmp), espeak) if synth else espeak)
        speaker = LineSpeaker(engine) if speaker_name == "line" else ProcessSpeaker(engine)
        import trainer.coaching.audible  # noqa: F401  (the coach has loaded it before the first phrase)

        before = os.times()
        start = time.monotonic()
        for at, text in phrases:
            delay = start + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            speaker.poll()  # as the session screen's tick does
            speaker.say(text)
        delay = start + window - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        speaker.close()
        if isinstance(speaker, ProcessSpeaker):  # reap the last phrase's engine
            for process in [speaker._current, *speaker._dying]:
                if process is not None:
                    process.wait(timeout=30)
        elapsed = time.monotonic() - start
        after = os.times()
    own = (after.user - before.user) + (after.system - before.system)
    children = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    started = speaker.started if isinstance(speaker, LineSpeaker) else len(phrases)
    print(
        json.dumps(
            {
                "phrases": len(phrases),
                "engines": started,
                "elapsed": elapsed,
                "own": own,
                "children": children,
                "maxrss_children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--schedules", default="full,legs,every2")
    parser.add_argument("--speakers", default=",".join(SPEAKERS))
    parser.add_argument("--synth", action="store_true", help="synthesise even with no sound card")
    parser.add_argument("--child", nargs=2, metavar=("SPEAKER", "SCHEDULE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.window, args.synth)
        return
    print(
        f"window {args.window:.0f} s, {'synthesised to /dev/null' if args.synth else 'as is'}, "
        f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(
        f"{'schedule':<8} {'speaker':<8} {'phrases':>7} {'engines':>7} "
        f"{'CPU %':>6} {'engine%':>7} {'ms/phrase':>9}"
    )
    for schedule_name in args.schedules.split(","):
        for speaker_name in args.speakers.split(","):
            command = [sys.executable, __file__, "--window", str(args.window)]
            command += ["--synth"] * args.synth + ["--child", speaker_name, schedule_name]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            total = r["own"] + r["children"]
            per = 1000 * total / max(1, r["phrases"])
            print(
                f"{schedule_name:<8} {speaker_name:<8} {r['phrases']:>7} {r['engines']:>7} "
                f"{100 * total / r['elapsed']:>6.2f} {100 * r['children'] / r['elapsed']:>7.2f} "
                f"{per:>9.1f}"
            )


if __name__ == "__main__":
    main()
