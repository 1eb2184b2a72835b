"""What ``trainer`` costs while a person holds a position, against a bare Textual app.

    python benchmarks/bench_trainer.py            # 3 runs each, tmux and ssh, 60 s countdown check
    python benchmarks/bench_trainer.py --runs 5 --no-ssh --countdown-seconds 30

Starts the installed ``trainer`` in tmux at 80x24 on a routine whose first step is a 600 s hold
(``--start``, so the first frame is the session screen), and in the same run the bare app of
``tests/e2e/bare_app.py`` (Header + Label), alternately, and prints the medians of: launch to
first frame, CPU, bytes/s written to the terminal, wakeups/s, peak RSS, with the ratio to the
bare app; then the same through ``ssh -tt`` to a loopback sshd when one can be started; then the
countdown's accuracy against the wall clock, read off the screen's block digits every 0.1 s.
The measuring itself is ``bench_terminal.py``'s.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (HERE, ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from bench_terminal import (  # noqa: E402
    compare,
    countdown_accuracy,
    loopback_sshd,
    print_table,
)

from tests.e2e.terminal import TmuxTerminal, terminal_env  # noqa: E402
from trainer.programme import loading  # noqa: E402
from trainer.programme.schema import Cue, CueKind, Routine, RoutinesFile, Timing  # noqa: E402
from trainer.text import wording  # noqa: E402
from trainer.ui.widgets.bigtext import render_big  # noqa: E402

HOLD = 600
ROUTINE_ID = "long-hold"
READY_TEXT = "Hold, squeeze"


def long_hold_routines(path: Path) -> Path:
    """The shipped file, with one routine whose first step is a 600 s hold."""
    shipped = loading.load_routines(ROOT / "routines.toml")
    bridges = shipped.exercise("bridges").model_copy(
        update={
            "hold": HOLD,
            "hold_range": None,
            "cues": [Cue(text="Hold, squeeze your buttocks", kind=CueKind.HOLD)],
        }
    )
    model = RoutinesFile.model_validate(
        shipped.model_copy(
            update={
                "timing": Timing(get_ready=0, switch_sides=10, rest_between_exercises=30),
                "exercises": [bridges],
                "routines": [
                    Routine(
                        id=ROUTINE_ID,
                        name="Long hold",
                        description="The benchmark: a 600 s hold first.",
                        exercises=["bridges"],
                    )
                ],
            }
        ).model_dump()
    )
    loading.save_routines(path, model)
    return path


def glyph_reader(longest: int = HOLD):
    """Read the big block-digit countdown off a screen: the rows drawn with full blocks."""
    known: dict[tuple[str, ...], float] = {}
    for seconds in range(longest + 1):
        rows = tuple(row.strip() for row in render_big(wording.clock(seconds)))
        known[rows] = float(seconds)

    def read(screen: str) -> float | None:
        rows = [line for line in screen.splitlines() if "█" in line]
        if len(rows) != 5:
            return None
        return known.get(tuple(row.strip() for row in rows))

    return read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="launches of each app (3)")
    parser.add_argument("--window", type=float, default=10.0, help="steady window, s (10)")
    parser.add_argument("--settle", type=float, default=1.0, help="wait after first frame (1)")
    parser.add_argument("--no-ssh", action="store_true", help="skip the ssh measurements")
    parser.add_argument("--no-color", action="store_true", help="run with NO_COLOR=1")
    parser.add_argument(
        "--countdown-seconds", type=float, default=60.0, help="countdown check, s (60; 0 skips)"
    )
    args = parser.parse_args(argv)
    trainer = shutil.which("trainer", path=str(Path(sys.executable).parent)) or shutil.which(
        "trainer"
    )
    if trainer is None:
        parser.error("the trainer command is not installed (pip install .)")
    if not shutil.which("tmux"):
        parser.error("tmux is not installed")

    with tempfile.TemporaryDirectory(prefix="bench-trainer-") as tmp:
        folder = Path(tmp)
        routines = long_hold_routines(folder / "routines.toml")
        env = terminal_env(folder / "home", no_color=args.no_color)
        marker = Path(env["XDG_STATE_HOME"]) / "trainer" / "advice-seen"
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("benchmark")
        # Each launch starts afresh: the previous run's saved position would open the resume
        # prompt instead of the session (the shell adds about 2 ms to the first frame).
        session = Path(env["XDG_STATE_HOME"]) / "trainer" / "session.json"
        command = [
            "/bin/sh",
            "-c",
            f'rm -f "{session}"; exec "{trainer}" --routines "{routines}" --start {ROUTINE_ID}',
        ]
        print(
            f"{platform.node()}: {platform.machine()}, Python {platform.python_version()}, "
            f"{args.runs} runs, {args.window:g} s window, 80x24, TERM={env['TERM']}, "
            f"COLORTERM unset{', NO_COLOR=1' if args.no_color else ''}\n",
            flush=True,
        )
        target, bare = compare(
            command, READY_TEXT, env, runs=args.runs, window=args.window, settle=args.settle
        )
        print_table("tmux (local), during a 600 s hold", target, bare, target_name="trainer")
        if not args.no_ssh:
            with loopback_sshd(folder / "sshd") as sshd:
                if sshd is not None:
                    target, bare = compare(
                        command,
                        READY_TEXT,
                        env,
                        runs=args.runs,
                        window=args.window,
                        settle=args.settle,
                        sshd=sshd,
                    )
                    print_table("ssh -tt to a loopback sshd", target, bare, target_name="trainer")
        if args.countdown_seconds > 0:
            with TmuxTerminal(command, env=env, cwd=folder) as terminal:
                terminal.wait_for(READY_TEXT, timeout=60)
                report = countdown_accuracy(
                    terminal, "", duration=args.countdown_seconds, reader=glyph_reader()
                )
            print(report, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
