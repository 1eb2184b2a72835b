"""How long the routine list blocks on a large history (not part of the test suite).

``python benchmarks/bench_history.py [LINES]`` writes a history of LINES sessions (default
100,000) into a temp folder, runs the app headless at 80x24, opens the history screen and goes
back to the list three times, and reports:

- the longest stall of the event loop (how long the UI could not react to a key) during each
  return to the list, and
- how long until the list's details show "Last done" (the history has been read).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_history(path: Path, lines: int) -> None:
    from trainer.records.history import ExerciseLog, HistoryEntry, Outcome

    start = datetime(2020, 1, 1, 8, 0).astimezone()
    exercises = [
        ExerciseLog(id="bridges", name="Bridges", sets_done=3, sets=3, reps_done=45, reps=45),
        ExerciseLog(id="bird-dog", name="Bird dog", sets_done=3, sets=3, reps_done=30, reps=30),
    ]
    with path.open("wb") as out:
        for n in range(lines):
            when = start + timedelta(hours=2 * n)
            entry = HistoryEntry(
                started_at=when,
                ended_at=when + timedelta(minutes=20),
                routine_id="full",
                routine_name="Full routine",
                active_seconds=1200,
                outcome=Outcome.FINISHED,
                exercises=exercises,
                checkin=n % 11,
            )
            out.write(entry.model_dump_json().encode() + b"\n")


async def ticker(stalls: list[float]) -> None:
    """Wake every 5 ms and note how long each wake-up really took (a stall of the loop)."""
    last = time.perf_counter()
    while True:
        await asyncio.sleep(0.005)
        now = time.perf_counter()
        stalls.append(now - last)
        last = now


async def measure(routines_path: Path) -> list[tuple[float, float]]:
    from trainer.programme.loading import load_routines
    from trainer.ui.app import TrainerApp
    from trainer.ui.screens.picker import PickerScreen

    app = TrainerApp(routines_path, load_routines(routines_path), show_advice=False)
    results: list[tuple[float, float]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        async def wait_last_done(t0: float) -> float:
            while True:
                details = str(app.screen.query_one("#details").render())
                if isinstance(app.screen, PickerScreen) and "Last done" in details:
                    return time.perf_counter() - t0
                await asyncio.sleep(0.005)

        await wait_last_done(time.perf_counter())  # the first read, at start-up
        for _ in range(3):
            await pilot.press("h")
            await pilot.pause()
            await asyncio.sleep(0.5)
            while not hasattr(app.screen, "action_close"):
                await asyncio.sleep(0.01)
            stalls: list[float] = []
            task = asyncio.create_task(ticker(stalls))
            t0 = time.perf_counter()
            await pilot.press("escape")
            ready = await wait_last_done(t0)
            await asyncio.sleep(0.2)
            task.cancel()
            results.append((max(stalls), ready))
    return results


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for var, name in (
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_DATA_HOME", "data"),
        ):
            (folder / name).mkdir()
            os.environ[var] = str(folder / name)
        routines = folder / "routines.toml"
        routines.write_bytes((ROOT / "routines.toml").read_bytes())
        history = folder / "data" / "trainer" / "history.jsonl"
        history.parent.mkdir(mode=0o700)
        write_history(history, lines)
        print(f"history: {lines:,} lines, {history.stat().st_size / 1e6:.1f} MB")
        for n, (stall, ready) in enumerate(asyncio.run(measure(routines)), start=1):
            print(
                f"return to the list #{n}: longest UI stall {stall * 1000:.0f} ms, "
                f"'Last done' shown after {ready * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
