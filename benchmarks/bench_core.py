"""Core timings: load + validate routines.toml, build the full plan, one engine query.

Run: ``python benchmarks/bench_core.py``. A script, not a test: it prints a table of the median
and best of many repetitions (time.perf_counter), so speed goals can be checked by eye.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from trainer.engine import Session, plan_for  # noqa: E402
from trainer.programme.loading import load_routines  # noqa: E402

ROUTINES = ROOT / "routines.toml"


def measure(fn: Callable[[], object], *, repeat: int, number: int) -> list[float]:
    """Seconds per call, one value per repetition (each repetition runs ``number`` calls)."""
    fn()  # warm up (imports, caches)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return samples


def human(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:8.3f} ms"
    return f"{seconds * 1e6:8.2f} µs"


def main() -> int:
    routines = load_routines(ROUTINES)
    plan = plan_for(routines, "full")

    # One query at a random instant of a running session: a fresh session per instant, so
    # every view() has to work out the position from the start (the worst case: no earlier
    # query has advanced it).
    rng = random.Random(1)
    instants = [rng.uniform(0, plan.total) for _ in range(1000)]

    class Clock:
        now = 0.0

        def __call__(self) -> float:
            return self.now

    def new_session(clock: Clock) -> Session:
        session = Session(plan, clock)
        session.start()
        return session

    def fresh_view() -> object:
        clock = Clock()
        session = new_session(clock)
        clock.now = rng.choice(instants)
        return session.view()

    # And the steady case: one running session, asked again a frame (0.1 s) later.
    steady_clock = Clock()
    steady = [new_session(steady_clock)]

    def steady_view() -> object:
        steady_clock.now += 0.1
        if steady_clock.now >= plan.total:  # the routine is over: start another
            steady_clock.now = 0.0
            steady[0] = new_session(steady_clock)
        return steady[0].view()

    rows = [
        ("load + validate routines.toml", lambda: load_routines(ROUTINES), 200, 5),
        (f"build the full plan ({len(plan)} steps)", lambda: plan_for(routines, "full"), 200, 5),
        ("view() at a random instant, new session", fresh_view, 200, 20),
        ("view() 0.1 s after the previous view()", steady_view, 200, 200),
    ]
    print(f"Python {sys.version.split()[0]}, full routine {plan.total} s, {len(plan)} steps")
    print(f"{'operation':<46} {'median':>11} {'best':>11} {'runs':>7}")
    print("-" * 78)
    for name, fn, repeat, number in rows:
        samples = measure(fn, repeat=repeat, number=number)
        print(
            f"{name:<46} {human(statistics.median(samples)):>11} {human(min(samples)):>11} "
            f"{repeat * number:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
