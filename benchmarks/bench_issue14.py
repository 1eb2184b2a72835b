#!/usr/bin/env python3
"""Issue 14: trainer against a bare Textual app and termdown; scale, growth, profiles.

    pip install termdown                     # a peer countdown, only for this benchmark
    python benchmarks/bench_issue14.py       # everything (about 25 minutes on 2 busy cores)
    python benchmarks/bench_issue14.py --only compare --runs 1 --window 20   # a quick look

Parts (``--only`` picks some, comma-separated):

compare  In tmux at 80x24 (TERM=xterm-256color, COLORTERM unset), in ONE run, launched in turn
         ``--runs`` times (medians): the bare app (tests/e2e/bare_app.py), ``termdown 30``, the
         routine list (``trainer``), ``trainer --start full`` (the full routine's first minute)
         and a minute of leg lifts (1-2 s steps; a routines file generated here). First frame,
         CPU of one core (the process tree, ended children included), bytes/s to the terminal
         (tmux pipe-pane), wakeups/s (context switches of all threads), peak RSS; then the
         issue's goals as ratios of the same run.
scale    N trainer sessions at once, each over ``ssh -tt`` to one loopback sshd, each in its own
         tmux window with its own XDG folders, for N in ``--sessions`` (1,10,25,50): every
         countdown's error against the wall clock (block digits read off every pane every
         0.1 s), CPU and memory in total and per added session.
growth   A generated routine of about 10,000 steps against the shipped one: load, plan, a
         session query, the list's first frame and a running minute's cost.
profile  Where the time goes: ``python -X importtime`` of the start-up imports, cProfile of the
         start-up to the list's first frame, cProfile of a running minute of the full routine.

Every measurement notes the load average: the machine's other work shows in the figures.
"""

from __future__ import annotations

import argparse
import functools
import io
import itertools
import json
import os
import platform
import pstats
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _path in (HERE, ROOT, ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from bench_terminal import (  # noqa: E402
    BARE_APP,
    BARE_READY_TEXT,
    CLK_TCK,
    Metrics,
    _cpu_ticks,
    _status_field,
    measure_once,
    process_tree,
)
from e2e.terminal import LoopbackSshd, process_alive, terminal_env  # noqa: E402

SHIPPED = ROOT / "routines.toml"
LIST_READY = "Choose a routine"
SESSION_READY = re.compile(r"Set \d+ of \d+")
ANY_TEXT = re.compile(r"\S")
TERMDOWN_SECONDS = 30
GOALS = {
    "first_frame_ratio": 1.2,
    "bytes_per_s": 300.0,
    "wakeups_per_s": 20.0,
    "rss_ratio": 1.3,
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load1() -> float:
    return os.getloadavg()[0]


def machine() -> dict[str, str]:
    import textual

    return {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": platform.machine(),
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "textual": textual.__version__,
        "load_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --------------------------------------------------------------------------- routines files


def legs_routines(path: Path) -> Path:
    """The shipped file plus a routine that starts at the leg lifts, with no get-ready step."""
    from trainer.programme import loading
    from trainer.programme.schema import Routine, RoutinesFile

    shipped = loading.load_routines(SHIPPED)
    model = RoutinesFile.model_validate(
        shipped.model_copy(
            update={
                "timing": shipped.timing.model_copy(update={"get_ready": 0}),
                "routines": [
                    Routine(
                        id="legs",
                        name="Leg lifts first",
                        description="The benchmark: the leg lifts, 1-2 s steps, from the start.",
                        exercises=["leg-lifts", "cat-stretch", "partial-curls"],
                    )
                ],
            }
        ).model_dump()
    )
    loading.save_routines(path, model)
    return path


def big_routines(path: Path, steps: int = 10_000) -> tuple[Path, int]:
    """A routine of at least ``steps`` steps: the five exercises four times, with more sets."""
    from trainer.engine import plan_for
    from trainer.programme import loading
    from trainer.programme.schema import MAX_SETS, Routine, RoutinesFile

    shipped = loading.load_routines(SHIPPED)
    copies = [
        ex.model_copy(update={"id": f"{ex.id}-{n}"})
        for n in range(1, 5)
        for ex in shipped.exercises
    ]
    sets = [min(MAX_SETS, ex.sets * 3) for ex in copies]  # about 7,000 steps, then one by one
    for turn in range(len(copies) * MAX_SETS):
        exercises = [ex.model_copy(update={"sets": n}) for ex, n in zip(copies, sets, strict=True)]
        model = RoutinesFile.model_validate(
            shipped.model_copy(
                update={
                    # The shipped "full" routine refers to the shipped ids: keep those too.
                    "exercises": [*exercises, *shipped.exercises],
                    "routines": [
                        Routine(
                            id="big",
                            name="Generated, 10,000 steps",
                            description="The growth benchmark.",
                            exercises=[ex.id for ex in exercises],
                        ),
                        *shipped.routines[:1],
                    ],
                }
            ).model_dump()
        )
        count = len(plan_for(model, "big"))
        if count >= steps:
            loading.save_routines(path, model)
            return path, count
        # One more set of the next exercise that can take one: the count grows in small steps.
        i = turn % len(copies)
        sets[i] = min(MAX_SETS, sets[i] + 1)
    raise RuntimeError("could not reach the step count within the schema's limits")


def prepared_env(home: Path, validated: Path | None = None) -> dict[str, str]:
    """A fresh environment with the advice already seen (so ``--start`` opens the session).
    ``validated``: a routines file checked before (``trainer check``, as any earlier run does),
    so the catalog cache holds it and the list starts without validating it."""
    env = terminal_env(home)
    marker = Path(env["XDG_STATE_HOME"]) / "trainer" / "advice-seen"
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("benchmark\n")
    if validated is not None:
        trainer = shutil.which("trainer", path=str(Path(sys.executable).parent)) or "trainer"
        subprocess.run([trainer, "check", str(validated)], env=env, check=True, capture_output=True)
    return env


def trainer_command(env: dict[str, str], routines: Path, *extra: str) -> list[str]:
    """``trainer`` afresh each launch: no saved position, so no resume prompt."""
    trainer = shutil.which("trainer", path=str(Path(sys.executable).parent)) or "trainer"
    session = Path(env["XDG_STATE_HOME"]) / "trainer" / "session.json"
    args = shlex.join([trainer, "--routines", str(routines), *extra])
    return ["/bin/sh", "-c", f'rm -f "{session}"; exec {args}']


def termdown_path() -> str | None:
    return shutil.which("termdown", path=str(Path(sys.executable).parent)) or shutil.which(
        "termdown"
    )


# --------------------------------------------------------------------------- compare


@dataclass
class Row:
    name: str
    metrics: Metrics
    load: float
    window: float
    runs: list[Metrics] = field(default_factory=list)


def _fmt_row(row: Row) -> str:
    m = row.metrics
    return (
        f"{row.name:<34} {m.first_frame_s:7.3f} {m.cpu_percent:6.2f} "
        f"{m.ended_children_cpu_percent:6.2f} {m.bytes_per_s:8,.0f} "
        f"{m.wakeups_per_s:7.1f} {m.peak_rss_mib:7.1f} {m.first_frame_bytes:8,.0f} "
        f"{row.window:5.0f} {row.load:5.2f}"
    )


def print_rows(title: str, rows: Sequence[Row]) -> None:
    print(title)
    print(
        f"{'program':<34} {'frame s':>7} {'CPU %':>6} {'spawn%':>6} {'bytes/s':>8} {'wake/s':>7} "
        f"{'RSS MiB':>7} {'1st B':>8} {'win s':>5} {'load':>5}"
    )
    print("-" * 103)
    for row in rows:
        print(_fmt_row(row))
    print(flush=True)


def compare(tmp: Path, runs: int, window: float) -> dict[str, Row]:
    termdown = termdown_path()
    if termdown is None:
        raise SystemExit(
            "termdown is not installed: `pip install termdown` into this venv (a benchmark-only "
            "tool, not a dependency of trainer), then run again"
        )
    legs = legs_routines(tmp / "legs.toml")
    programs: list[tuple[str, Callable[[dict[str, str]], list[str]], object, float]] = [
        ("bare app (Header + Label)", lambda env: [sys.executable, str(BARE_APP)],
         BARE_READY_TEXT, min(window, 20.0)),
        (f"termdown {TERMDOWN_SECONDS}", lambda env: [termdown, str(TERMDOWN_SECONDS)],
         ANY_TEXT, TERMDOWN_SECONDS - 4.0),
        ("trainer: the routine list", lambda env: trainer_command(env, SHIPPED),
         LIST_READY, 5.0),
        ("trainer: the list, first run", lambda env: trainer_command(env, SHIPPED),
         LIST_READY, 5.0),
        ("trainer --start full (1st minute)",
         lambda env: trainer_command(env, SHIPPED, "--start", "full"),
         SESSION_READY, window - 1.0),
        ("trainer: leg lifts (a minute)",
         lambda env: trainer_command(env, legs, "--start", "legs"),
         SESSION_READY, window - 1.0),
    ]  # fmt: skip
    results: dict[str, list[Metrics]] = {name: [] for name, *_ in programs}
    loads: dict[str, list[float]] = {name: [] for name, *_ in programs}
    for n in range(runs):
        for name, command, ready, win in programs:
            # The list as people open it: the file was validated by an earlier run (the
            # catalog cache holds it); "first run" is a file never validated (or just edited).
            validated = SHIPPED if name == "trainer: the routine list" else None
            env = prepared_env(tmp / f"home-{uuid.uuid4().hex[:8]}", validated)
            loads[name].append(load1())
            results[name].append(
                measure_once(command(env), ready, env, window=win, settle=1.0)  # type: ignore[arg-type]
            )
            log(f"  compare run {n + 1}/{runs}: {name} done (load {load1():.2f})")
    return {
        name: Row(
            name,
            Metrics.median(results[name]),
            statistics.median(loads[name]),
            win,
            results[name],
        )
        for name, _c, _r, win in programs
    }


def goals(rows: dict[str, Row]) -> list[tuple[str, str, str, bool]]:
    bare = rows["bare app (Header + Label)"].metrics
    peer = rows[f"termdown {TERMDOWN_SECONDS}"].metrics
    listing = rows["trainer: the routine list"].metrics
    checks: list[tuple[str, str, str, bool]] = []
    ratio = listing.first_frame_s / bare.first_frame_s
    checks.append(
        (
            "list's first frame / bare app's",
            f"{ratio:.2f}x ({listing.first_frame_s:.3f} / {bare.first_frame_s:.3f} s)",
            f"<= {GOALS['first_frame_ratio']}x",
            ratio <= GOALS["first_frame_ratio"],
        )
    )
    runs = [rows["trainer --start full (1st minute)"], rows["trainer: leg lifts (a minute)"]]
    for row in runs:
        m = row.metrics
        label = row.name.replace("trainer", "").strip(" :")
        checks.append(
            (
                f"CPU, {label}",
                f"{m.cpu_percent:.2f} % (termdown {peer.cpu_percent:.2f} %)",
                "<= termdown",
                m.cpu_percent <= peer.cpu_percent,
            )
        )
        checks.append(
            (
                f"bytes/s, {label}",
                f"{m.bytes_per_s:,.0f}",
                f"<= {GOALS['bytes_per_s']:.0f}",
                m.bytes_per_s <= GOALS["bytes_per_s"],
            )
        )
        checks.append(
            (
                f"wakeups/s, {label}",
                f"{m.wakeups_per_s:.1f}",
                f"<= {GOALS['wakeups_per_s']:.0f}",
                m.wakeups_per_s <= GOALS["wakeups_per_s"],
            )
        )
    peak = max(row.metrics.peak_rss_mib for row in [*runs, rows["trainer: the routine list"]])
    ratio = peak / bare.peak_rss_mib
    checks.append(
        (
            "peak RSS / bare app's",
            f"{ratio:.2f}x ({peak:.1f} / {bare.peak_rss_mib:.1f} MiB)",
            f"<= {GOALS['rss_ratio']}x",
            ratio <= GOALS["rss_ratio"],
        )
    )
    return checks


def print_goals(checks: Sequence[tuple[str, str, str, bool]]) -> None:
    print("Goals of issue 14 (same run)")
    for what, value, goal, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {what:<38} {value:<34} goal {goal}")
    print(flush=True)


# --------------------------------------------------------------------------- countdown reading


def glyph_table(longest: int = 3600) -> dict[tuple[str, ...], float]:
    from trainer.text import wording
    from trainer.ui.widgets.bigtext import render_big

    return {
        tuple(row.strip() for row in render_big(wording.clock(s))): float(s)
        for s in range(longest + 1)
    }


def read_screen(screen: str, table: dict[tuple[str, ...], float]) -> tuple[float | None, str]:
    """(the block-digit number, the step's identity: the lines that name the step)."""
    lines = screen.splitlines()
    # The digits' rows: centred, under the step's framed big word (whose rows begin with its
    # border at the screen's edge), so the last five rows of blocks that don't.
    glyph_rows = [
        n for n, line in enumerate(lines) if "█" in line and len(line) - len(line.lstrip()) > 2
    ][-5:]
    value = None
    if len(glyph_rows) == 5:
        value = table.get(tuple(lines[n].strip() for n in glyph_rows))
    top = glyph_rows[0] if glyph_rows else 0
    key = [line.strip() for line in lines[:top]]
    for line in lines:
        found = re.findall(r"(?:Set|Rep|Side) \d+ of \d+|Next: .*", line)
        key.extend(found)
    return value, "\n".join(key)


@dataclass
class Accuracy:
    samples: int = 0
    unreadable: int = 0
    changes: int = 0
    steps: int = 0
    max_error_s: float = 0.0
    #: The largest error that the sampling's uncertainty cannot explain.
    max_sure_error_s: float = 0.0
    max_gap_s: float = 0.0
    #: Step changes where the step's text changed on screen before its block digits.
    text_first: int = 0
    #: The longest time the new step's text showed next to the old step's digits.
    max_text_lead_s: float = 0.0


#: A new step's text may show a frame before its digits: a digit change this soon after a text
#: change is the same step change.
TEXT_LEAD = 0.5


class ChainedCountdown:
    """How far a step countdown strays from the wall clock, across steps.

    Samples are (time, value, step identity). A change of the shown value to ``v`` between two
    samples at ``t0`` and ``t1`` puts the step's end in [t0 + v, t1 + v]. A new step (the value
    goes up, or the identity changes) ends the previous one in [t0, t1] and, as the steps are
    whole seconds shown rounded up, the new step ends ``v`` (its first value) later: the chain
    of predicted ends never resets, so a display that lags by a little every step shows its
    accumulated lag. The error of an event is the distance of its midpoint from the prediction
    anchored at the first event; the sure error subtracts both half-widths.

    The digits are the countdown: when the identity changes first and the digits follow within
    ``TEXT_LEAD`` s, the step change is timed by the digits (and counted in ``text_first``).
    An identity change with no digit change after it is a step that starts on the value the
    last one ended on (a 1 s step after a "1").
    """

    def __init__(self) -> None:
        self.acc = Accuracy()
        self._prev: tuple[float, float, str] | None = None
        self._predicted: float | None = None  # predicted end of the current step (midpoint)
        self._anchor_half = 0.0
        self._pending: tuple[float, float, float] | None = None  # identity-only change

    def add(self, t: float, value: float | None, key: str) -> None:
        self.acc.samples += 1
        if value is None:
            self.acc.unreadable += 1
            return
        if self._prev is None:
            self._prev = (t, value, key)
            return
        if self._pending is not None and t - self._pending[1] > TEXT_LEAD:
            self._step(*self._pending)
            self._pending = None
        t0, v0, k0 = self._prev
        self._prev = (t, value, key)
        self.acc.max_gap_s = max(self.acc.max_gap_s, t - t0)
        if value == v0 and key == k0:
            return
        if value == v0:  # the identity changed alone: a step change, or its digits to follow
            if self._pending is None:
                self._pending = (t0, t, value)
            return
        if value > v0:  # a new step's digits
            if self._pending is not None:
                self.acc.text_first += 1
                self.acc.max_text_lead_s = max(self.acc.max_text_lead_s, t - self._pending[1])
                self._pending = None
            self._step(t0, t, value)
            return
        if self._pending is not None:
            self._step(*self._pending)
            self._pending = None
        self.acc.changes += 1
        mid, half = (t0 + t) / 2, (t - t0) / 2
        observed_end = mid + value
        if self._predicted is None:
            self._predicted, self._anchor_half = observed_end, half
            return
        self._error(observed_end - self._predicted, half)

    def _step(self, t0: float, t1: float, value: float) -> None:
        """A step began in (t0, t1] showing ``value``."""
        self.acc.steps += 1
        mid, half = (t0 + t1) / 2, (t1 - t0) / 2
        if self._predicted is not None:
            self._error(mid - self._predicted, half)
            self._predicted += value
        else:
            self._predicted, self._anchor_half = mid + value, half

    def _error(self, error: float, half: float) -> None:
        self.acc.max_error_s = max(self.acc.max_error_s, abs(error))
        sure = abs(error) - half - self._anchor_half
        self.acc.max_sure_error_s = max(self.acc.max_sure_error_s, sure, 0.0)


# --------------------------------------------------------------------------- scale


class Fleet:
    """One private tmux server, one window per session."""

    def __init__(self, workdir: Path) -> None:
        self.socket = f"trainer-bench-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.workdir = workdir
        self.windows: list[str] = []
        self.config = workdir / "tmux.conf"
        self.config.write_text(
            "set -g default-terminal xterm-256color\nset -g remain-on-exit on\n"
            "set -g status off\nset -g history-limit 0\n"
        )

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.config), *args],
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.workdir)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=30,
            check=True,
        )
        return result.stdout

    def add(self, command: Sequence[str], env: dict[str, str]) -> str:
        shell = "exec " + shlex.join(["env", "-i", *(f"{k}={v}" for k, v in env.items()), *command])
        size = ["-x", "80", "-y", "24"]
        if not self.windows:
            out = self.tmux(
                "new-session", "-d", "-s", "fleet", *size, "-P", "-F", "#{pane_id}", shell
            )
        else:
            out = self.tmux("new-window", "-d", "-t", "fleet", "-P", "-F", "#{pane_id}", shell)
        pane = out.strip()
        self.windows.append(pane)
        return pane

    def server_pid(self) -> int:
        return int(self.tmux("display-message", "-p", "#{pid}").strip())

    def capture_all(self) -> tuple[float, float, list[str]]:
        """Every pane's screen in one tmux call; (start, end, screens)."""
        args: list[str] = []
        for pane in self.windows:
            args += ["capture-pane", "-p", "-t", pane, ";", "display-message", "-p", "@@END@@", ";"]
        start = time.monotonic()
        out = self.tmux(*args[:-1])
        end = time.monotonic()
        screens = out.split("@@END@@\n")
        return start, end, screens[: len(self.windows)]

    def kill(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False, timeout=30
        )


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _machine_busy() -> tuple[int, int]:
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + parts[4]
    return sum(parts) - idle, sum(parts)


@dataclass
class ScalePoint:
    sessions: int
    load: float
    window_s: float
    trainer_cpu_percent: float
    ssh_cpu_percent: float
    tmux_cpu_percent: float
    machine_busy_percent: float
    trainer_rss_mib: float
    trainer_pss_mib: float
    mem_available_drop_mib: float
    max_error_s: float
    max_sure_error_s: float
    sessions_over_0_2: int
    unreadable_percent: float
    max_sample_gap_s: float
    round_s: float
    steps_seen: int
    start_s: float


def _mem_available_kib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1])
    return 0


def scale(
    tmp: Path, levels: Sequence[int], window: float, interval: float = 0.1
) -> list[ScalePoint]:
    table = glyph_table()
    points: list[ScalePoint] = []
    baseline_mem = _mem_available_kib()
    with LoopbackSshd(tmp / "sshd") as sshd:
        # A default sshd drops unauthenticated connections beyond MaxStartups 10: start in
        # batches, each batch on screen before the next.
        fleet = Fleet(tmp)
        try:
            started = 0
            for level in levels:
                t_start = time.monotonic()
                while started < level:
                    batch = []
                    for _ in range(min(5, level - started)):
                        env = prepared_env(tmp / f"s{started:03d}")
                        routines = Path(env["XDG_CONFIG_HOME"]) / "routines.toml"
                        shutil.copyfile(SHIPPED, routines)
                        remote = trainer_command(env, routines, "--start", "full")
                        batch.append(fleet.add(sshd.ssh_command(remote, env), env))
                        started += 1
                    _wait_ready(fleet, batch, table)
                start_s = time.monotonic() - t_start
                log(f"  scale: {level} sessions on screen ({start_s:.1f} s), load {load1():.2f}")
                time.sleep(2.0)
                points.append(
                    _measure_fleet(fleet, sshd, table, window, interval, baseline_mem, start_s)
                )
                p = points[-1]
                log(
                    f"  scale {level}: trainer CPU {p.trainer_cpu_percent:.1f} %, max error "
                    f"{p.max_error_s:.2f} s (sure {p.max_sure_error_s:.2f}), load {p.load:.2f}"
                )
        finally:
            apps = [pid for pid in process_tree(sshd.pid)[1:] if _comm(pid) != "sshd"]
            fleet.kill()  # every ssh client hangs up: each session saves and exits
            deadline = time.monotonic() + 60
            while any(process_alive(pid) for pid in apps) and time.monotonic() < deadline:
                time.sleep(0.2)
    return points


def _wait_ready(fleet: Fleet, panes: list[str], table: dict[tuple[str, ...], float]) -> None:
    deadline = time.monotonic() + 180
    while True:
        screens = dict(zip(fleet.windows, fleet.capture_all()[2], strict=True))
        waiting = [p for p in panes if read_screen(screens[p], table)[0] is None]
        if not waiting:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"sessions never showed a countdown:\n{screens[waiting[0]]}")
        time.sleep(0.2)


def _measure_fleet(
    fleet: Fleet,
    sshd: LoopbackSshd,
    table: dict[tuple[str, ...], float],
    window: float,
    interval: float,
    baseline_mem: int,
    start_s: float,
) -> ScalePoint:
    tree = process_tree(sshd.pid)
    apps = [pid for pid in tree if _comm(pid) != "sshd"]
    sshds = [pid for pid in tree if _comm(pid) == "sshd"]
    tmux_pid = fleet.server_pid()
    local = process_tree(tmux_pid)  # the tmux server and the ssh clients

    def ticks(pids: list[int]) -> int:
        return sum(_cpu_ticks(pid) or 0 for pid in pids)

    before = (ticks(apps), ticks(sshds) + ticks(local[1:]), ticks(local[:1]), _machine_busy())
    load = [load1()]
    chains = [ChainedCountdown() for _ in fleet.windows]
    rounds: list[float] = []
    t_begin = time.monotonic()
    next_at = t_begin
    while time.monotonic() - t_begin < window:
        t0, t1, screens = fleet.capture_all()
        rounds.append(t1 - t0)
        n = len(screens)
        for i, (screen, chain) in enumerate(zip(screens, chains, strict=True)):
            value, key = read_screen(screen, table)
            chain.add(t0 + (t1 - t0) * (i + 0.5) / n, value, key)
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    elapsed = time.monotonic() - t_begin
    load.append(load1())
    after = (ticks(apps), ticks(sshds) + ticks(local[1:]), ticks(local[:1]), _machine_busy())
    rss = sum(_status_field(Path(f"/proc/{pid}/status"), "VmRSS") or 0 for pid in apps)
    pss = sum(_pss_kib(pid) for pid in apps)
    busy = (after[3][0] - before[3][0]) / max(1, after[3][1] - before[3][1])
    accs = [c.acc for c in chains]
    samples = sum(a.samples for a in accs)

    def pct(i: int) -> float:
        return 100.0 * (after[i] - before[i]) / CLK_TCK / elapsed  # type: ignore[operator]

    return ScalePoint(
        sessions=len(fleet.windows),
        load=statistics.mean(load),
        window_s=elapsed,
        trainer_cpu_percent=pct(0),
        ssh_cpu_percent=pct(1),
        tmux_cpu_percent=pct(2),
        machine_busy_percent=100.0 * busy * (os.cpu_count() or 1),
        trainer_rss_mib=rss / 1024,
        trainer_pss_mib=pss / 1024,
        mem_available_drop_mib=(baseline_mem - _mem_available_kib()) / 1024,
        max_error_s=max(a.max_error_s for a in accs),
        max_sure_error_s=max(a.max_sure_error_s for a in accs),
        sessions_over_0_2=sum(a.max_error_s > 0.2 for a in accs),
        unreadable_percent=100.0 * sum(a.unreadable for a in accs) / max(1, samples),
        max_sample_gap_s=max(a.max_gap_s for a in accs),
        round_s=statistics.median(rounds),
        steps_seen=sum(a.steps for a in accs),
        start_s=start_s,
    )


def print_scale(points: Sequence[ScalePoint]) -> None:
    print("Scale: N sessions of `trainer --start full`, each over ssh -tt to a loopback sshd")
    print(
        f"{'N':>3} {'trainer CPU%':>12} {'per sess':>8} {'ssh+tmux%':>9} {'machine%':>8} "
        f"{'PSS MiB':>8} {'RSS MiB':>8} {'max err':>7} {'sure':>5} {'>0.2':>4} "
        f"{'unread%':>7} {'gap s':>5} {'load':>5}"
    )
    for p in points:
        print(
            f"{p.sessions:>3} {p.trainer_cpu_percent:12.1f} "
            f"{p.trainer_cpu_percent / p.sessions:8.2f} "
            f"{p.ssh_cpu_percent + p.tmux_cpu_percent:9.1f} {p.machine_busy_percent:8.0f} "
            f"{p.trainer_pss_mib:8.0f} {p.trainer_rss_mib:8.0f} {p.max_error_s:7.2f} "
            f"{p.max_sure_error_s:5.2f} {p.sessions_over_0_2:4d} {p.unreadable_percent:7.1f} "
            f"{p.max_sample_gap_s:5.2f} {p.load:5.2f}"
        )
    print("Marginal cost of each added session")
    for a, b in itertools.pairwise(points):
        n = b.sessions - a.sessions
        cpu = (b.trainer_cpu_percent - a.trainer_cpu_percent) / n
        ssh = (b.ssh_cpu_percent + b.tmux_cpu_percent - a.ssh_cpu_percent - a.tmux_cpu_percent) / n
        pss = (b.trainer_pss_mib - a.trainer_pss_mib) / n
        mem = (b.mem_available_drop_mib - a.mem_available_drop_mib) / n
        print(
            f"  {a.sessions:>2} -> {b.sessions:>2}: CPU {cpu:+.2f} % (ssh+tmux {ssh:+.2f} %), "
            f"PSS {pss:+.1f} MiB, MemAvailable {mem:+.1f} MiB"
        )
    print(flush=True)


# --------------------------------------------------------------------------- growth


def _best(fn: Callable[[], object], repeat: int = 7) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def growth(tmp: Path, window: float) -> dict[str, object]:
    from trainer.engine import ManualClock, Session, plan_for
    from trainer.programme import loading

    big, count = big_routines(tmp / "big.toml")
    out: dict[str, object] = {"steps": count}
    for name, path, routine in (("shipped full", SHIPPED, "full"), ("generated", big, "big")):
        model = loading.load_routines(path)
        plan = plan_for(model, routine)
        clock = ManualClock()
        session = Session(plan, clock)
        session.start()

        def steady(
            session: Session = session, clock: ManualClock = clock, total: int = plan.total
        ) -> None:
            for _ in range(100):
                clock.advance(0.1)
                session.view()

        late_clock = ManualClock()
        late = Session(plan, late_clock)
        late.start()
        late_clock.advance(plan.total * 0.9)
        late.view()

        def late_steady(session: Session = late, clock: ManualClock = late_clock) -> None:
            for _ in range(100):
                clock.advance(0.1)
                session.view()

        out[name] = {
            "steps": len(plan),
            "file_kib": path.stat().st_size / 1024,
            "load_ms": 1e3 * _best(functools.partial(loading.load_routines, path)),
            "plan_ms": 1e3 * _best(functools.partial(plan_for, model, routine)),
            "view_us_start": 1e6 * _best(steady) / 100,
            "view_us_late": 1e6 * _best(late_steady) / 100,
        }
    # In the terminal: the list's first frame (the list plans every routine) and a running window.
    rows: dict[str, list[Metrics]] = {}
    cases: list[tuple[str, Path, str | None, str | re.Pattern[str], float]] = [
        ("list, shipped", SHIPPED, None, LIST_READY, 3.0),
        ("list, generated file", big, None, LIST_READY, 3.0),
        ("running, shipped full", SHIPPED, "full", SESSION_READY, window),
        ("running, generated", big, "big", SESSION_READY, window),
    ]
    for n in range(3):
        for name, path, start, ready, win in cases:
            env = prepared_env(tmp / f"g-{uuid.uuid4().hex[:8]}")
            extra = ("--start", start) if start else ()
            rows.setdefault(name, []).append(
                measure_once(trainer_command(env, path, *extra), ready, env, window=win, settle=1.0)
            )
        log(f"  growth run {n + 1}/3 done (load {load1():.2f})")
    out["terminal"] = {name: asdict(Metrics.median(m)) for name, m in rows.items()}
    return out


def print_growth(result: dict[str, object]) -> None:
    print(f"Growth: a generated routine of {result['steps']:,} steps against the shipped one")
    print(
        f"{'':<14} {'steps':>6} {'file KiB':>8} {'load ms':>8} {'plan ms':>8} "
        f"{'view µs':>8} {'late µs':>8}"
    )
    for name in ("shipped full", "generated"):
        r = result[name]
        assert isinstance(r, dict)
        print(
            f"{name:<14} {r['steps']:>6,} {r['file_kib']:8.1f} {r['load_ms']:8.2f} "
            f"{r['plan_ms']:8.2f} "
            f"{r['view_us_start']:8.1f} {r['view_us_late']:8.1f}"
        )
    terminal = result["terminal"]
    assert isinstance(terminal, dict)
    print(
        f"{'in tmux':<24} {'frame s':>7} {'CPU %':>6} {'bytes/s':>8} {'wake/s':>7} {'RSS MiB':>7}"
    )
    for name, m in terminal.items():
        print(
            f"{name:<24} {m['first_frame_s']:7.3f} {m['cpu_percent']:6.2f} "
            f"{m['bytes_per_s']:8,.0f} "
            f"{m['wakeups_per_s']:7.1f} {m['peak_rss_mib']:7.1f}"
        )
    print(flush=True)


# --------------------------------------------------------------------------- profile

PROFILE_WRAPPER = r"""
import cProfile, os, signal, sys, time
profile = cProfile.Profile()
out = sys.argv[1]
def restart(signum, frame):
    # From here on: the main thread's CPU time only (idle waits in epoll cost nothing).
    global profile
    profile.disable()
    profile = cProfile.Profile(time.thread_time)
    profile.enable()
def dump(signum, frame):
    profile.disable()
    profile.dump_stats(out)
    os.write(2, b"")
    os._exit(0)
signal.signal(signal.SIGUSR2, restart)
signal.signal(signal.SIGUSR1, dump)
sys.argv = ["trainer", *sys.argv[2:]]
profile.enable()
from trainer.cli import main
main()
"""


def _importtime(
    tmp: Path,
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    code = "import trainer.cli, trainer.storage.files, trainer.ui.app"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    rows = []
    for line in result.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)), m.group(4)))
    top: dict[str, int] = {}
    for _self, cum, depth, name in rows:
        if depth <= 2:  # top-level imports (the indentation of -X importtime is 1 + 2 per level)
            top[name] = top.get(name, 0) + cum
    by_package: dict[str, int] = {}
    for self_us, _cum, _depth, name in rows:
        package = name.split(".")[0]
        by_package[package] = by_package.get(package, 0) + self_us
    (tmp / "importtime.txt").write_text(result.stderr)
    packages = sorted(((v, 0, k) for k, v in by_package.items()), reverse=True)[:10]
    modules = sorted(((s, c, n) for s, c, _d, n in rows), reverse=True)[:15]
    return packages, modules


def _profiled_run(
    tmp: Path, routines: Path, extra: Sequence[str], ready: object, minute: float | None
) -> pstats.Stats:
    from e2e.terminal import TmuxTerminal

    # The list as people open it: from a file validated before (see compare).
    env = prepared_env(tmp / f"p-{uuid.uuid4().hex[:8]}", None if extra else routines)
    wrapper = tmp / "profile_trainer.py"
    wrapper.write_text(PROFILE_WRAPPER)
    out = tmp / f"profile-{uuid.uuid4().hex[:6]}.prof"
    command = [sys.executable, str(wrapper), str(out), "--routines", str(routines), *extra]
    with TmuxTerminal(command, env=env, cwd=tmp) as terminal:
        terminal.wait_for(ready, timeout=60, interval=0.01)  # type: ignore[arg-type]
        pid = terminal.pane_pid()
        if minute is not None:
            time.sleep(1.0)
            os.kill(pid, signal.SIGUSR2)
            time.sleep(minute)
        os.kill(pid, signal.SIGUSR1)
        deadline = time.monotonic() + 20
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
    return pstats.Stats(str(out))


def _top(stats: pstats.Stats, key: str, n: int) -> str:
    buffer = io.StringIO()
    stats.stream = buffer  # type: ignore[attr-defined]
    stats.sort_stats(key).print_stats(n)
    lines = buffer.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    root = str(Path(sys.prefix))
    return "\n".join(
        line.replace(root + "/lib/python3.11/site-packages/", "").replace(str(ROOT) + "/", "")
        for line in lines[start:]
        if line.strip()
    )


COUNTED = {
    "compositor refreshes": ("_compositor.py", "render_update"),
    "layout refreshes": ("screen.py", "_refresh_layout"),
    "widget renders": ("_styles_cache.py", "render_widget"),
    "session ticks": ("session.py", "tick"),
    "terminal writes": ("_writer_thread.py", "write"),
}


def _counts(stats: pstats.Stats) -> dict[str, int]:
    found = dict.fromkeys(COUNTED, 0)
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        for name, (file_end, func) in COUNTED.items():
            if filename.endswith(file_end) and function == func:
                found[name] += row[1]
    return found


def profile(tmp: Path, minute: float, save: Path | None) -> dict[str, str]:
    packages, modules = _importtime(tmp)
    print("Start-up imports (python -X importtime of trainer.cli, storage, ui.app)")
    print("  own time by top-level package, ms:")
    for us, _z, name in packages:
        print(f"  {us / 1000:7.1f}  {name}")
    print("  slowest modules (own ms, cumulative ms):")
    for us, cum, name in modules:
        print(f"  {us / 1000:7.1f} {cum / 1000:7.1f}  {name}")
    print()
    startup = _profiled_run(tmp, SHIPPED, [], LIST_READY, None)
    total = startup.total_tt  # type: ignore[attr-defined]
    print(f"cProfile: launch to the list's first frame ({total:.2f} s under the profiler)")
    text_start = _top(startup, "cumulative", 30)
    print(text_start)
    print()
    running = _profiled_run(tmp, SHIPPED, ["--start", "full"], SESSION_READY, minute)
    total = running.total_tt  # type: ignore[attr-defined]
    counts = _counts(running)
    print(
        f"cProfile: {minute:.0f} s of the full routine, main thread's CPU time "
        f"({total:.2f} s under the profiler, {100 * total / minute:.1f} % of one core)"
    )
    print("  per second: " + ", ".join(f"{name} {n / minute:.1f}" for name, n in counts.items()))
    text_run_cum = _top(running, "cumulative", 30)
    text_run_tot = _top(running, "tottime", 20)
    print(text_run_cum)
    print()
    print(text_run_tot)
    print(flush=True)
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        startup.dump_stats(str(save / "startup.prof"))
        running.dump_stats(str(save / "running.prof"))
        shutil.copyfile(tmp / "importtime.txt", save / "importtime.txt")
    return {"startup": text_start, "running_cum": text_run_cum, "running_tot": text_run_tot}


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="compare,scale,growth,profile", help="parts to run")
    parser.add_argument("--runs", type=int, default=3, help="launches of each program (3)")
    parser.add_argument(
        "--window", type=float, default=60.0, help="a running routine's window, s (60)"
    )
    parser.add_argument("--sessions", default="1,10,25,50", help="scale levels (1,10,25,50)")
    parser.add_argument(
        "--scale-window", type=float, default=30.0, help="window at each level, s (30)"
    )
    parser.add_argument("--growth-window", type=float, default=30.0, help="running window, s (30)")
    parser.add_argument(
        "--profile-seconds", type=float, default=60.0, help="running profile, s (60)"
    )
    parser.add_argument("--profile-dir", type=Path, help="keep the .prof files and importtime here")
    parser.add_argument("--json", type=Path, help="write every figure here as JSON")
    args = parser.parse_args(argv)
    parts = {p.strip() for p in args.only.split(",")}
    if not shutil.which("tmux"):
        parser.error("tmux is not installed")
    info = machine()
    print(
        f"{info['date']}: {info['machine']}, {info['cores']} cores, Python {info['python']}, "
        f"Textual {info['textual']}, load average {info['load_at_start']}; 80x24, "
        "TERM=xterm-256color, COLORTERM unset\n",
        flush=True,
    )
    result: dict[str, object] = {"machine": info}
    with tempfile.TemporaryDirectory(prefix="bench-issue14-", ignore_cleanup_errors=True) as name:
        tmp = Path(name)
        if "compare" in parts:
            rows = compare(tmp, args.runs, args.window)
            print_rows(f"Compare (medians of {args.runs} runs)", list(rows.values()))
            checks = goals(rows)
            print_goals(checks)
            result["compare"] = {
                n: {**asdict(r.metrics), "load": r.load, "window": r.window}
                for n, r in rows.items()
            }
            result["goals"] = [list(c) for c in checks]
        if "growth" in parts:
            g = growth(tmp, args.growth_window)
            print_growth(g)
            result["growth"] = g
        if "scale" in parts:
            levels = [int(x) for x in args.sessions.split(",")]
            points = scale(tmp, levels, args.scale_window)
            print_scale(points)
            result["scale"] = [asdict(p) for p in points]
        if "profile" in parts:
            result["profile"] = profile(tmp, args.profile_seconds, args.profile_dir)
    result["load_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at the end: {result['load_at_end']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
