"""Issue 18 item 8: a long history makes a small report (binned charts, capped tables); a
write killed mid-way leaves no litter after the next write; hostile option values are one
line naming the option."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from trainer.cli import main
from trainer.outputs import report
from trainer.programme import loading
from trainer.records.history import DoseChange, ExerciseLog, HistoryEntry, HurtAt, Outcome

ROOT = Path(__file__).resolve().parent.parent
ROUTINES = loading.load_routines(ROOT / "routines.toml")


def long_history(sessions: int) -> list[HistoryEntry | DoseChange]:
    start = datetime(2020, 1, 1, 8, tzinfo=UTC)
    out: list[HistoryEntry | DoseChange] = []
    for n in range(sessions):
        when = start + timedelta(hours=6 * n)
        hurt = n % 20 == 7
        out.append(
            HistoryEntry.model_construct(
                version=1,
                started_at=when,
                ended_at=when + timedelta(minutes=20),
                routine_id="full",
                routine_name="Full routine",
                active_seconds=1200.0,
                paused_seconds=0.0,
                outcome=Outcome.HURT if hurt else Outcome.FINISHED,
                exercises=[
                    ExerciseLog.model_construct(
                        id="bridges",
                        name="Bridges",
                        sets_done=3,
                        sets=3,
                        reps_done=45,
                        reps=45,
                        hold=8 + (n // 500) % 5,
                        set_reps=15,
                    )
                ],
                checkin=n % 11,
                checkin_before=(n * 7) % 11,
                hurt_at=HurtAt(exercise_id="bridges", set=2, rep=3, step="hold") if hurt else None,
            )
        )
        if n % 100 == 99:
            out.append(
                DoseChange(
                    at=when + timedelta(minutes=30),
                    exercise_id="bridges",
                    exercise_name="Bridges",
                    change="hold",
                    old=9,
                    new=10,
                    rule="progress",
                )
            )
    return out


def test_a_long_history_makes_a_small_page() -> None:
    records = long_history(8000)  # 5.5 years, four a day
    page = report.render(records, ROUTINES, today=date(2025, 6, 30), since=date(2020, 1, 1))
    size = len(page.encode())
    assert size < 150_000, f"the page is {size:,} bytes"
    assert page.count("<circle") <= 4 * report.MAX_POINTS
    # The three capped tables (sessions, stops, accepted changes) and the routines.
    assert page.count("<tr>") <= 3 * report.MAX_ROWS + 40
    assert "median" in page  # what a binned mark means is in its tooltip and the chart's label
    assert "The latest 60 of 400 stops" in page
    assert "The latest 60 of 80 accepted changes" in page
    assert "The latest 60 of 8000 sessions" in page


def test_a_short_history_still_shows_each_session() -> None:
    records = long_history(30)
    page = report.render(records, ROUTINES, today=date(2020, 1, 10), since=date(2020, 1, 1))
    assert page.count('class="after mark"') == 30
    assert "median" not in page


def test_bins_go_from_weeks_to_months_to_years_then_runs_of_years() -> None:
    def moments(count: int, step: timedelta) -> list[datetime]:
        start = datetime(2001, 1, 1, 12, tzinfo=UTC)
        return [start + i * step for i in range(count)]

    assert report.bins(moments(120, timedelta(days=1))) is None
    weeks = report.bins(moments(700, timedelta(days=1)))  # 100 weeks
    assert weeks is not None and len(weeks) == 100 and weeks[0].title.startswith("week of")
    months = report.bins(moments(1500, timedelta(days=1)))  # about 50 months
    assert months is not None and 49 <= len(months) <= 51 and months[0].title == "January 2001"
    years = report.bins(moments(4000, timedelta(days=3)))  # about 33 years
    assert years is not None and len(years) == 33 and years[0].title == "2001"
    runs = report.bins(moments(600, timedelta(days=365)))  # 600 years: runs of five
    assert runs is not None and len(runs) <= report.MAX_POINTS
    assert runs[0].title.startswith("2001 to ")
    assert sum(len(b.members) for b in runs) == 600


def killed_pid(name: str) -> str:
    """The pid in a temp file's name (``.x.html.PID.random.tmp``), or its random part."""
    return name.split(".")[3]


KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from trainer.storage import files
    # Killed between the temp file's write and its rename: what kill -9 mid-write leaves.
    files.os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
    files.write_out(Path(sys.argv[1]), b"x" * 100000)
    """
)


def test_a_write_killed_mid_way_leaves_no_litter_after_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "x.html"
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(target)], check=False)
    assert killed.returncode == -9
    litter = sorted(p.name for p in folder.iterdir())
    assert len(litter) == 1 and litter[0].startswith(".x.html.") and litter[0].endswith(".tmp")
    # What is not ours to remove: another name's temp file, a file of the same shape held by a
    # live process (this one: pid 1 always runs), an odd name.
    others = [
        f".y.html.{killed_pid(litter[0])}.abcdefgh.tmp",
        ".x.html.1.abcdefgh.tmp",
        ".x.html.abcdefgh.tmp.bak",
        "notes.txt",
    ]
    for name in others:
        (folder / name).write_text("keep me")
    assert main(["report", "--out", str(target)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted([*others, "x.html"])
    assert target.read_text().startswith("<!DOCTYPE")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["remind", "--days", "mon", "--at", "²:30"], "--at"),
        (["remind", "--days", "mon", "--at", "\u0661\u0662:30"], "--at"),
        (["remind", "--days", "mon", "--at", "7:3"], "--at"),
        (["remind", "--days", "mon", "--at", "24:00"], "--at"),
        (["remind", "--days", "mon,\u0661", "--at", "07:30"], "--days"),
        (["history", "--days", "\u0661\u0662"], "--days"),
        (["history", "--days", "1_0"], "--days"),
        (["history", "--days", "²"], "--days"),
        (["history", "--days", "999999999999"], "--days"),
        (["history", "--csv", "--days", "99999999"], "--days"),
        (["history", "--days", "0"], "--days"),
        (["report", "--since", "\u0662\u0660\u0662\u0666-03-01"], "--since"),
        (["report", "--since", "2026-02-30"], "--since"),
    ],
)
def test_a_hostile_option_value_is_one_line_naming_the_option(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    option: str,
) -> None:
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.chdir(tmp_path)
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own errors: usage, then one line
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    last = err.strip().splitlines()[-1]
    assert option in last and "int()" not in err and "Traceback" not in err
    assert not os.path.exists(tmp_path / "trainer.ics")
