"""Issue 18 item 4: a history line whose time cannot be placed on a local day (the edges of
Python's dates, in any time zone) costs only itself, everywhere the history is read."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.cli import main
from trainer.coaching import dose
from trainer.outputs import report
from trainer.programme import loading
from trainer.records import history

GOOD = {
    "started_at": "2026-03-01T08:00:00+01:00",
    "ended_at": "2026-03-01T08:10:00+01:00",
    "routine_id": "quick-core",
    "routine_name": "Quick core",
    "active_seconds": 600,
    "outcome": "finished",
    "exercises": [
        {
            "id": "bridges",
            "name": "Bridges",
            "sets_done": 3,
            "sets": 3,
            "reps_done": 45,
            "reps": 45,
            "hold": 10,
            "set_reps": 15,
        }
    ],
    "checkin": 3,
}

ROUTINES = loading.load_routines(Path(__file__).resolve().parent.parent / "routines.toml")
#: Time zones at the ends of the offsets in use (+14, -12), a half-hour one, and Berlin.
ZONES = [
    "UTC",
    "Europe/Berlin",
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "America/St_Johns",
    "Asia/Kolkata",
]


@pytest.fixture
def use_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_history(lines: list[dict[str, object]]) -> Path:
    path = history.history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        ("UTC", "0001-01-01T00:00:00+14:00", "0001-01-01T00:10:00+14:00"),
        ("Europe/Berlin", "9999-12-31T23:30:00Z", "9999-12-31T23:40:00Z"),
        ("Pacific/Kiritimati", "9999-12-31T12:00:00Z", "9999-12-31T12:10:00Z"),
        ("Etc/GMT+12", "0001-01-01T05:00:00Z", "0001-01-01T05:10:00Z"),
        ("UTC", "2026-03-01T08:00:00+01:00", "9999-12-31T23:59:59-12:00"),
    ],
)
def test_a_line_with_an_out_of_range_time_costs_only_itself(
    home: Path, use_tz, capsys: pytest.CaptureFixture[str], zone: str, start: str, end: str
) -> None:
    use_tz(zone)
    write_history([GOOD, {**GOOD, "started_at": start, "ended_at": end}, GOOD])
    assert main(["history"]) == 0
    out, err = capsys.readouterr()
    assert "All sessions: 2" in out or "Last 2 sessions" in out
    assert "history.jsonl:2: skipped a damaged line" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["history", "--csv"]) == 0
    out, _ = capsys.readouterr()
    assert len(list(csv.reader(io.StringIO(out)))) == 3  # the header and the two good ones
    assert main(["report", "--out", str(home / "r.html")]) == 0
    page = (home / "r.html").read_text(encoding="utf-8")
    assert "Bridges" in page
    # And the same in the reader the screens share, and for the dose rules.
    summary = history.HistoryReader().summary()
    assert summary.problem is None and len(summary.entries) == 2 and len(summary.warnings) == 1
    assert set(summary.last_done) == {"quick-core"}


def test_a_fresh_process_under_berlin_reads_the_year_9999_line_as_damaged(home: Path) -> None:
    """As the issue reproduced it: a new process with ``TZ=Europe/Berlin`` in its environment."""
    write_history([GOOD, {**GOOD, "started_at": "9999-12-31T23:30:00Z"}])
    env = {**os.environ, "TZ": "Europe/Berlin"}
    for args in (["history"], ["report", "--out", "-"]):
        done = subprocess.run(
            [sys.executable, "-m", "trainer", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr and "OverflowError" not in done.stderr
        assert "history.jsonl:2: skipped a damaged line" in done.stderr


EDGES = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 3)),
    st.datetimes(min_value=datetime(9999, 12, 29), max_value=datetime(9999, 12, 31, 23, 59)),
    st.datetimes(min_value=datetime(1899, 12, 30), max_value=datetime(1900, 1, 2)),
    st.datetimes(min_value=datetime(9000, 12, 30), max_value=datetime(9001, 1, 2)),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
)
OFFSETS = st.integers(min_value=-24 * 60 + 1, max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    moments=st.lists(
        st.tuples(EDGES, OFFSETS, st.sampled_from(["start", "end", "dose"])), min_size=1, max_size=4
    ),
    zone=st.sampled_from(ZONES),
)
def test_fuzz_times_at_the_edges_never_crash_a_reader(
    tmp_path: Path, use_tz, moments: list[tuple[datetime, timezone, str]], zone: str
) -> None:
    use_tz(zone)
    lines: list[dict[str, object]] = [GOOD]
    for naive, offset, where in moments:
        moment = naive.replace(tzinfo=offset).isoformat()
        if where == "dose":
            lines.append(
                {
                    "kind": "dose",
                    "at": moment,
                    "exercise_id": "bridges",
                    "exercise_name": "Bridges",
                    "change": "hold",
                    "old": 10,
                    "new": 12,
                    "rule": "progress",
                }
            )
        else:
            lines.append({**GOOD, f"{where}ed_at": moment})
    path = tmp_path / "history.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    records, warnings = history.read_history(path)
    assert len(records) + len(warnings) == len(lines)  # each line is kept or warned about
    entries = [r for r in records if isinstance(r, history.HistoryEntry)]
    today = date(2026, 3, 10)
    # Every reader of the history: the text, the CSV, the stats, the report, the dose rules.
    history.summary_text(entries, today)
    history.write_csv(entries, io.StringIO())
    history.streak(entries, today), history.calendar(entries, today), history.totals(entries)
    history.last_done(entries), history.within_days(entries, today, 30)
    history.in_order(entries)
    routines = ROUTINES
    report.render(records, routines, today=today, generated=datetime(2026, 3, 10, tzinfo=UTC))
    report.render(records, routines, today=today, since=date(1, 1, 1))
    dose.doctor_alert(records)
    dose.suggestions(records, routines, dose.article_limits(routines))
