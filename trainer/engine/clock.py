"""A monotonic clock that moves only when told: for tests, screenshots and benchmarks.

The engine reads time through an injected :data:`~trainer.engine.session.Clock` (the app passes
``time.monotonic``); this one is driven by hand, so a whole routine can run in microseconds and
every picture of a screen is the same on every run.
"""

from __future__ import annotations


class ManualClock:
    """``clock()`` reads it; ``advance(seconds)`` moves it (and returns the new reading)."""

    def __init__(self, start: float = 1000.0) -> None:
        # Not 0: a real monotonic clock rarely is, and 0 hides "was it ever set?" bugs.
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now
