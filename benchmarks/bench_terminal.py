#!/usr/bin/env python3
"""Terminal benchmark: what an app costs in a real terminal, next to a bare Textual app.

Runs a target command in tmux at 80x24 and, in the same run, the bare app (Header + Label,
``tests/e2e/bare_app.py``), alternating them, and prints medians over N runs of:

- first frame: seconds from starting tmux to capture-pane showing the target's ready text;
- CPU: percent of one core over a steady window (utime+stime of the app's process tree);
- bytes/s written to the terminal over that window (tmux pipe-pane);
- wakeups/s: voluntary + involuntary context switches, summed over every thread of the tree;
- peak RSS (VmHWM) of the largest process of the tree;
- and each as a ratio to the bare app.

Then the same through ``ssh -tt`` to a loopback sshd when one can be started. Over ssh the
measured tree is the remote app (the processes under the test sshd, the sshd processes
themselves left out): the cost of the app, not of the encryption.

``countdown_accuracy`` samples a countdown on screen every 0.1 s and reports how far its changes
stray from the wall clock. Not part of the test suite: run it by hand (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from e2e.terminal import (  # noqa: E402
    LoopbackSshd,
    TmuxTerminal,
    process_alive,
    terminal_env,
)

BARE_APP = ROOT / "tests" / "e2e" / "bare_app.py"
BARE_READY_TEXT = "Bare app ready"  # e2e.bare_app.READY_TEXT, without importing Textual here
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- /proc


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants that exist now."""
    children = _children_map()
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _cpu_ticks(pid: int) -> int | None:
    """CPU ticks of ``pid`` and of its ended, reaped children (a speech engine, a sound player).

    utime + stime + cutime + cstime (fields 14-17): a child that ends within the window moves
    its time into its parent's cutime/cstime, so summing this over the tree before and after a
    window counts every process that ran in it.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields_ = stat[stat.rindex(")") + 2 :].split()
    return sum(int(value) for value in fields_[11:15])


def _child_ticks(pid: int) -> int | None:
    """cutime + cstime of ``pid``: its ended, reaped children's CPU ticks."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields_ = stat[stat.rindex(")") + 2 :].split()
    return int(fields_[13]) + int(fields_[14])


def _status_field(path: Path, name: str) -> int | None:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _context_switches(pid: int) -> int | None:
    """Voluntary + involuntary switches of every thread of ``pid``."""
    total, seen = 0, False
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return None
    for task in tasks:
        status = task / "status"
        for name in ("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"):
            value = _status_field(status, name)
            if value is not None:
                total += value
                seen = True
    return total if seen else None


@dataclass(frozen=True)
class _Counters:
    ticks: dict[int, int]
    switches: dict[int, int]
    child_ticks: dict[int, int]


def _read_counters(pids: Sequence[int]) -> _Counters:
    ticks: dict[int, int] = {}
    switches: dict[int, int] = {}
    child_ticks: dict[int, int] = {}
    for pid in pids:
        if (c := _child_ticks(pid)) is not None:
            child_ticks[pid] = c
        if (t := _cpu_ticks(pid)) is not None:
            ticks[pid] = t
        if (s := _context_switches(pid)) is not None:
            switches[pid] = s
    return _Counters(ticks, switches, child_ticks)


def _delta(before: Mapping[int, int], after: Mapping[int, int]) -> int:
    # A process that appeared during the window counts from zero; one that ended is lost.
    return sum(value - before.get(pid, 0) for pid, value in after.items())


def _tick_delta(before: Mapping[int, int], after: Mapping[int, int]) -> int:
    # Ticks include reaped children (``_cpu_ticks``): a child that ended in the window left
    # its whole time in its parent's count, so the difference of the sums is exact.
    return sum(after.values()) - sum(before.values())


# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Metrics:
    first_frame_s: float
    cpu_percent: float
    bytes_per_s: float
    wakeups_per_s: float
    peak_rss_mib: float
    first_frame_bytes: float
    #: The part of ``cpu_percent`` spent in child processes that ended (a speech engine, say).
    ended_children_cpu_percent: float = 0.0

    @staticmethod
    def median(runs: Sequence[Metrics]) -> Metrics:
        return Metrics(
            **{
                f.name: statistics.median(getattr(run, f.name) for run in runs)
                for f in fields(Metrics)
            }
        )


AppPids = Callable[[TmuxTerminal], list[int]]


def local_app_pids(terminal: TmuxTerminal) -> list[int]:
    """The command in the pane and its descendants."""
    return process_tree(terminal.pane_pid())


def remote_app_pids(sshd: LoopbackSshd) -> AppPids:
    """Processes under the test sshd, less the sshd processes: the remote app's tree."""

    def pids(_terminal: TmuxTerminal) -> list[int]:
        return [pid for pid in process_tree(sshd.pid)[1:] if _comm(pid) != "sshd"]

    return pids


def _wait_app_pids(terminal: TmuxTerminal, app_pids: AppPids, timeout: float = 10.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while not (pids := app_pids(terminal)):
        if time.monotonic() >= deadline:
            raise RuntimeError("the app's processes could not be found")
        time.sleep(0.05)
    return pids


def measure_once(
    cmd: Sequence[str],
    ready_text: str | re.Pattern[str],
    env: Mapping[str, str],
    *,
    window: float = 10.0,
    settle: float = 1.0,
    width: int = 80,
    height: int = 24,
    sshd: LoopbackSshd | None = None,
) -> Metrics:
    """One launch of ``cmd`` (through ``sshd`` when given): first frame, then a steady window."""
    with tempfile.TemporaryDirectory(prefix="bench-terminal-") as tmp:
        recording = Path(tmp) / "terminal.out"
        command = sshd.ssh_command(cmd, env) if sshd is not None else list(cmd)
        app_pids = remote_app_pids(sshd) if sshd is not None else local_app_pids
        terminal = TmuxTerminal(
            command, env=env, width=width, height=height, cwd=Path(tmp), record=recording
        )
        with terminal:
            terminal.wait_for(ready_text, timeout=60, interval=0.01)
            first_frame = time.monotonic() - terminal.started_at
            time.sleep(settle)
            first_frame_bytes = terminal.recorded_bytes()
            pids = _wait_app_pids(terminal, app_pids)

            bytes_before = terminal.recorded_bytes()
            before = _read_counters(pids)
            started = time.monotonic()
            time.sleep(window)
            pids = app_pids(terminal)
            after = _read_counters(pids)
            elapsed = time.monotonic() - started
            bytes_after = terminal.recorded_bytes()
            peak = max(
                (_status_field(Path(f"/proc/{pid}/status"), "VmHWM") or 0 for pid in pids),
                default=0,
            )
            if terminal.pane_dead():
                raise RuntimeError(f"{shlex.join(cmd)} exited during the window")
        for pid in pids:  # the tmux server is gone: wait for the app to go too
            deadline = time.monotonic() + 10
            while process_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
    return Metrics(
        first_frame_s=first_frame,
        cpu_percent=100.0 * _tick_delta(before.ticks, after.ticks) / CLK_TCK / elapsed,
        bytes_per_s=(bytes_after - bytes_before) / elapsed,
        wakeups_per_s=_delta(before.switches, after.switches) / elapsed,
        peak_rss_mib=peak / 1024,
        first_frame_bytes=first_frame_bytes,
        ended_children_cpu_percent=100.0
        * _tick_delta(before.child_ticks, after.child_ticks)
        / CLK_TCK
        / elapsed,
    )


def measure(
    cmd: Sequence[str],
    ready_text: str | re.Pattern[str],
    env: Mapping[str, str],
    *,
    runs: int = 3,
    window: float = 10.0,
    settle: float = 1.0,
    width: int = 80,
    height: int = 24,
    sshd: LoopbackSshd | None = None,
) -> Metrics:
    """Median ``Metrics`` of ``runs`` launches of ``cmd`` in tmux (through ``sshd`` if given)."""
    return Metrics.median(
        [
            measure_once(
                cmd,
                ready_text,
                env,
                window=window,
                settle=settle,
                width=width,
                height=height,
                sshd=sshd,
            )
            for _ in range(runs)
        ]
    )


# --------------------------------------------------------------------------- countdown


@dataclass(frozen=True)
class CountdownReport:
    samples: int
    unreadable: int
    changes: int
    skipped: int
    max_error_s: float
    resolution_s: float

    def __str__(self) -> str:
        return (
            f"countdown: max error {self.max_error_s:.2f} s vs the wall clock "
            f"(±{self.resolution_s:.2f} s sampling), {self.changes} changes, "
            f"{self.skipped} skipped seconds, {self.unreadable}/{self.samples} unreadable samples"
        )


def parse_seconds(text: str) -> float:
    """``'42'`` -> 42, ``'1:05'`` -> 65, ``'1:02:03'`` -> 3723."""
    total = 0.0
    for part in text.strip().split(":"):
        total = total * 60 + float(part)
    return total


def regex_reader(regex: str | re.Pattern[str]) -> Callable[[str], float | None]:
    """Read the seconds from a screen: group ``seconds`` or group 1 of ``regex``."""
    pattern = re.compile(regex)

    def read(screen: str) -> float | None:
        match = pattern.search(screen)
        if match is None:
            return None
        text = match.group("seconds") if "seconds" in pattern.groupindex else match.group(1)
        try:
            return parse_seconds(text)
        except ValueError:
            return None

    return read


def countdown_accuracy(
    terminal: TmuxTerminal,
    regex: str | re.Pattern[str],
    *,
    duration: float = 60.0,
    interval: float = 0.1,
    reader: Callable[[str], float | None] | None = None,
) -> CountdownReport:
    """Sample the countdown on ``terminal`` every ``interval`` s for ``duration`` s.

    Each time the shown value changes to ``v`` at time ``t``, a countdown true to the wall clock
    ends at ``t + v``; the report gives the largest distance of those end times from the first
    one, i.e. how late (or early) the display ran against the wall clock. A value that goes up
    (a new step) starts a new reference. ``reader`` replaces the regex for big-glyph numbers.
    """
    read = reader or regex_reader(regex)
    samples = unreadable = changes = skipped = 0
    previous: float | None = None
    anchor: float | None = None
    max_error = 0.0
    start = time.monotonic()
    next_at = start
    while (now := time.monotonic()) - start < duration:
        screen = terminal.screen()
        seen_at = (now + time.monotonic()) / 2
        samples += 1
        value = read(screen)
        if value is None:
            unreadable += 1
        elif previous is None or value > previous:
            anchor = None  # start (or a new step): wait for its first change
            previous = value
        elif value < previous:
            changes += 1
            skipped += max(0, round(previous - value) - 1)
            end = seen_at + value
            if anchor is None:
                anchor = end
            max_error = max(max_error, abs(end - anchor))
            previous = value
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    return CountdownReport(
        samples=samples,
        unreadable=unreadable,
        changes=changes,
        skipped=skipped,
        max_error_s=max_error,
        resolution_s=interval,
    )


# --------------------------------------------------------------------------- report


def _fmt(name: str, value: float) -> str:
    if name == "first_frame_s":
        return f"{value:.3f}"
    if name in ("cpu_percent", "ended_children_cpu_percent"):
        return f"{value:.2f}"
    if name == "peak_rss_mib":
        return f"{value:.1f}"
    return f"{value:,.0f}"


LABELS = {
    "first_frame_s": "first frame (s)",
    "cpu_percent": "CPU (% of one core)",
    "bytes_per_s": "bytes/s to terminal",
    "wakeups_per_s": "wakeups/s",
    "peak_rss_mib": "peak RSS (MiB)",
    "first_frame_bytes": "first frame (bytes)",
    "ended_children_cpu_percent": "of which ended children",
}


def format_table(title: str, target: Metrics, bare: Metrics, *, target_name: str) -> str:
    """A plain-text table: metric, target, bare app, target / bare."""
    rows = [("metric", target_name, "bare app", "ratio")]
    for f in fields(Metrics):
        a, b = getattr(target, f.name), getattr(bare, f.name)
        ratio = f"{a / b:.2f}x" if b else ("-" if not a else "inf")
        rows.append((LABELS[f.name], _fmt(f.name, a), _fmt(f.name, b), ratio))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [title, ""]
    for n, row in enumerate(rows):
        cells = [
            row[0].ljust(widths[0]),
            *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)),
        ]
        lines.append("  ".join(cells))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_table(title: str, target: Metrics, bare: Metrics, *, target_name: str) -> None:
    print(format_table(title, target, bare, target_name=target_name), flush=True)
    print(flush=True)


def compare(
    target_cmd: Sequence[str],
    target_ready: str,
    env: Mapping[str, str],
    *,
    runs: int,
    window: float,
    settle: float,
    sshd: LoopbackSshd | None = None,
) -> tuple[Metrics, Metrics]:
    """Median metrics of the target and of the bare app, launched alternately."""
    bare_cmd = [sys.executable, str(BARE_APP)]
    targets: list[Metrics] = []
    bares: list[Metrics] = []
    for n in range(runs):
        for cmd, ready, into in (
            (target_cmd, target_ready, targets),
            (bare_cmd, BARE_READY_TEXT, bares),
        ):
            into.append(measure_once(cmd, ready, env, window=window, settle=settle, sshd=sshd))
        print(f"  run {n + 1}/{runs} done", file=sys.stderr, flush=True)
    return Metrics.median(targets), Metrics.median(bares)


@contextlib.contextmanager
def loopback_sshd(workdir: Path) -> Iterator[LoopbackSshd | None]:
    """A started loopback sshd, or None (with the reason on stderr) when it can't be had."""
    if not (Path("/usr/sbin/sshd").exists() and shutil.which("ssh") and shutil.which("ssh-keygen")):
        print("ssh: skipped (openssh-server/openssh-client not installed)", file=sys.stderr)
        yield None
        return
    try:
        server = LoopbackSshd(workdir).start()
    except (OSError, RuntimeError) as error:
        print(f"ssh: skipped ({error})", file=sys.stderr)
        yield None
        return
    try:
        yield server
    finally:
        server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target-cmd",
        help="command to measure, as one shell-quoted string "
        "(default: the bare app itself, so the ratios show the noise)",
    )
    parser.add_argument(
        "--target-ready-text",
        help="text the target shows in its first frame (required with --target-cmd)",
    )
    parser.add_argument("--target-name", default="target", help="column title for the target")
    parser.add_argument("--runs", type=int, default=3, help="launches of each app (default 3)")
    parser.add_argument("--window", type=float, default=10.0, help="steady window, s (10)")
    parser.add_argument(
        "--settle", type=float, default=1.0, help="wait after the first frame, s (1)"
    )
    parser.add_argument("--no-ssh", action="store_true", help="skip the ssh measurements")
    parser.add_argument("--no-color", action="store_true", help="run with NO_COLOR=1")
    parser.add_argument(
        "--countdown-regex",
        help="also sample the target's countdown: regex whose group 1 (or group 'seconds') "
        "is the number shown (42, 1:05)",
    )
    parser.add_argument(
        "--countdown-seconds", type=float, default=60.0, help="countdown sampling time, s (60)"
    )
    args = parser.parse_args(argv)
    if args.target_cmd and not args.target_ready_text:
        parser.error("--target-cmd needs --target-ready-text")
    if not shutil.which("tmux"):
        parser.error("tmux is not installed")

    if args.target_cmd:
        target_cmd = shlex.split(args.target_cmd)
        target_ready = args.target_ready_text
        target_name = args.target_name
    else:
        target_cmd = [sys.executable, str(BARE_APP)]
        target_ready = BARE_READY_TEXT
        target_name = "bare app (target)"

    with tempfile.TemporaryDirectory(prefix="bench-terminal-") as tmp:
        env = terminal_env(Path(tmp) / "home", no_color=args.no_color)
        print(
            f"{args.runs} runs, {args.window:g} s window, 80x24, TERM={env['TERM']}, "
            f"COLORTERM unset{', NO_COLOR=1' if args.no_color else ''}\n",
            flush=True,
        )
        target, bare = compare(
            target_cmd,
            target_ready,
            env,
            runs=args.runs,
            window=args.window,
            settle=args.settle,
        )
        print_table("tmux (local)", target, bare, target_name=target_name)

        if not args.no_ssh:
            with loopback_sshd(Path(tmp) / "sshd") as sshd:
                if sshd is not None:
                    target, bare = compare(
                        target_cmd,
                        target_ready,
                        env,
                        runs=args.runs,
                        window=args.window,
                        settle=args.settle,
                        sshd=sshd,
                    )
                    print_table("ssh -tt to a loopback sshd", target, bare, target_name=target_name)

        if args.countdown_regex:
            with TmuxTerminal(target_cmd, env=env, cwd=Path(tmp)) as terminal:
                terminal.wait_for(target_ready, timeout=60)
                report = countdown_accuracy(
                    terminal, args.countdown_regex, duration=args.countdown_seconds
                )
            print(report, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
