"""What the figure costs a running session: trainer --start full with and without figures,
side by side in two tmux servers at 80x24 (same machine, same load), CPU and bytes written.

    python benchmarks/bench_figures.py [--window 40] [--runs 2]

Each run: fresh XDG folders, the advice marker set, the shipped routines file (figures) or the
same file with every [exercises.figure] and cue pose removed (none). After ``--settle`` seconds
(the start-up), CPU time (utime + stime of the trainer process, /proc) and the bytes it wrote to
its terminal (``tmux pipe-pane``) are measured over ``--window`` seconds: get ready, then bridges
(the figure changes at every pose).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def without_figures(text: str) -> str:
    text = re.sub(r"\n\[exercises\.figure\].*?(?=\n\[\[|\Z)", "\n", text, flags=re.S)
    text = re.sub(r', pose = "[a-z-]+"', "", text)
    return re.sub(r'\npose = "[a-z-]+"', "", text)


def cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def start(name: str, folder: Path, routines_text: str, trainer: str) -> tuple[str, Path]:
    for sub in ("config", "data", "cache", "state/trainer"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "state/trainer/advice-seen").write_text("2026-01-01T00:00:00+00:00")
    routines = folder / "routines.toml"
    routines.write_text(routines_text, encoding="utf-8")
    env = (
        f"env -i PATH={os.environ['PATH']!r} HOME={str(folder)!r} TERM=xterm-256color "
        f"LANG=C.UTF-8 XDG_CONFIG_HOME={str(folder / 'config')!r} "
        f"XDG_DATA_HOME={str(folder / 'data')!r} XDG_CACHE_HOME={str(folder / 'cache')!r} "
        f"XDG_STATE_HOME={str(folder / 'state')!r}"
    )
    socket = f"bench-fig-{name}-{os.getpid()}"
    out = folder / "out.bin"
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
            f"exec {env} {trainer} --routines {routines} --start full",
        ],
        check=True,
    )
    subprocess.run(["tmux", "-L", socket, "pipe-pane", "-O", f"cat >> {out}"], check=True)
    return socket, out


def pane_pid(socket: str) -> int:
    done = subprocess.run(
        ["tmux", "-L", socket, "display-message", "-p", "#{pane_pid}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=40.0)
    parser.add_argument("--settle", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    trainer = shutil.which("trainer")
    if trainer is None:
        print("trainer is not installed (pip install -e .)", file=sys.stderr)
        return 1
    shipped = (ROOT / "routines.toml").read_text(encoding="utf-8")
    variants = {"figures": shipped, "none": without_figures(shipped)}
    assert "[exercises.figure]" not in variants["none"]
    print(f"load average before: {os.getloadavg()}")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="bench-fig-", ignore_cleanup_errors=True) as tmp:
            started = {
                name: start(name, Path(tmp) / name, text, trainer)
                for name, text in variants.items()
            }
            try:
                time.sleep(args.settle)
                pids = {name: pane_pid(socket) for name, (socket, _) in started.items()}
                before = {
                    name: (cpu_of(pid), out.stat().st_size if out.exists() else 0)
                    for (name, pid), (_, out) in zip(pids.items(), started.values(), strict=True)
                }
                time.sleep(args.window)
                for name, pid in pids.items():
                    out = started[name][1]
                    cpu = (cpu_of(pid) - before[name][0]) / args.window * 100
                    sent = (out.stat().st_size - before[name][1]) / args.window
                    print(f"run {run} {name:8} CPU {cpu:5.2f} % of a core, {sent:7.0f} B/s")
            finally:
                for socket, _ in started.values():
                    subprocess.run(["tmux", "-L", socket, "kill-server"], check=False)
                time.sleep(1)  # trainer saves its place as its terminal goes
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
