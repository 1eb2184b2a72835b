"""``trainer report`` over a long history: wall time, peak memory, page size, SVG marks.

    python benchmarks/bench_report.py [SESSIONS]      (default 100,000)

Writes a history of SESSIONS sessions (one every two hours from 2020, check-ins before and
after, holds and reps that change, one session in 20 stopped because it hurt, a dose change
every 500 sessions) into a temporary XDG data folder, runs ``python -m trainer report --out``
in a new process and prints what it cost. Run it from the checkout to measure (the ``trainer``
package on ``PYTHONPATH`` wins: ``PYTHONPATH=/path/to/other/checkout`` measures another one).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def write_history(path: Path, sessions: int) -> None:
    start = datetime(2020, 1, 1, 8, 0, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        for n in range(sessions):
            when = start + timedelta(hours=2 * n)
            hold = 8 + (n // 2000) % 8
            hurt = n % 20 == 7
            line = {
                "started_at": when.isoformat(),
                "ended_at": (when + timedelta(minutes=20)).isoformat(),
                "routine_id": "full",
                "routine_name": "Full routine",
                "active_seconds": 1200,
                "outcome": "hurt" if hurt else "finished",
                "exercises": [
                    {
                        "id": "bridges",
                        "name": "Bridges",
                        "sets_done": 3,
                        "sets": 3,
                        "reps_done": 45,
                        "reps": 45,
                        "hold": hold,
                        "set_reps": 15,
                    },
                    {
                        "id": "bird-dog",
                        "name": "Bird dog",
                        "sets_done": 3,
                        "sets": 3,
                        "reps_done": 30,
                        "reps": 30,
                        "hold": 5,
                        "set_reps": 10 + (n // 3000) % 5,
                    },
                ],
                "checkin": n % 11,
                "checkin_before": (n * 7) % 11,
            }
            if hurt:
                line["hurt_at"] = {
                    "exercise_id": "bridges",
                    "side": "",
                    "set": 2,
                    "rep": 3,
                    "step": "hold",
                }
            out.write(json.dumps(line) + "\n")
            if n % 500 == 499:
                change = {
                    "kind": "dose",
                    "at": (when + timedelta(minutes=30)).isoformat(),
                    "exercise_id": "bridges",
                    "exercise_name": "Bridges",
                    "change": "hold",
                    "old": hold,
                    "new": hold + 1,
                    "rule": "progress",
                }
                out.write(json.dumps(change) + "\n")


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        env = {**os.environ}
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
            env[var] = str(home / var.lower())
        data = home / "xdg_data_home" / "trainer"
        data.mkdir(parents=True)
        write_history(data / "history.jsonl", sessions)
        out = home / "report.html"
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "trainer", "report", "--since", "2020-01-01", "--out", str(out)],
            env=env,
            check=True,
            capture_output=True,
            cwd=home,
        )
        took = time.perf_counter() - began
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        page = out.read_text(encoding="utf-8")
        print(
            f"{sessions:,} sessions: {took:.2f} s, peak RSS {peak:.0f} MB, page "
            f"{len(page.encode()) / 1e6:.2f} MB, {page.count('<circle'):,} circles, "
            f"{page.count('<tr>'):,} table rows"
        )


if __name__ == "__main__":
    main()
