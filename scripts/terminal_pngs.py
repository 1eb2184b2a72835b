"""PNG pictures of trainer in a real terminal (tmux), at 80x24, 60x20 and 40x12.

    python scripts/terminal_pngs.py              # screenshots/terminal-*.png
    python scripts/terminal_pngs.py --out /tmp/shots

Runs the installed ``trainer`` in a private tmux server (its own socket, private XDG folders,
COLORTERM unset as over SSH), starts the full routine, and at moments of the first bridge
(hips rising, then the hold), then of the leg lifts alone (the side and the figure), captures
the pane with its colours (``tmux capture-pane -e``) at each size (the window is resized in
between: the same session, as a person resizing would).
Each capture is turned into a page (rich's ANSI parser, DejaVu Sans Mono, lines touching so the
block characters join) and photographed by headless Chromium (tests/headless.py). Real time:
about 50 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import headless  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.text import Text  # noqa: E402

from tests.ui.snapshot_apps import LEGS_ROUTINE  # noqa: E402

SIZES = ((80, 24), (60, 20), (40, 12))
#: The routines started, and the moments captured in each: seconds after tmux starts trainer
#: (about 1 s to its first frame). The full routine: about 1.5 s into "Raise your hips" (get
#: ready is 15 s), then about 4 s into the hold. The leg lifts alone (a routine added to the
#: copy): the first rep on the left side, the side in big letters beside the figure.
RUNS: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    ("full", (("move", 17.8), ("hold", 23.0))),
    ("legs", (("side", 17.0),)),
)
CELL = (8.45, 17)  # pixels of one cell at 14 px DejaVu Sans Mono, line-height 17 px
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; background: #0c0c0c; }}
pre {{ margin: 8px; font: 14px/17px "DejaVu Sans Mono", monospace; color: #e0e0e0; }}
</style></head><body><pre>{body}</pre></body></html>"""


def tmux(socket: str, *args: str) -> str:
    return subprocess.run(
        ["tmux", "-L", socket, *args], capture_output=True, text=True, check=True
    ).stdout


def to_html(ansi: str, width: int) -> str:
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=width, color_system="truecolor", file=sink)
        for line in ansi.rstrip("\n").split("\n"):
            console.print(Text.from_ansi(line), no_wrap=True, crop=True, overflow="crop")
    body = console.export_html(inline_styles=True, code_format="{code}")
    return PAGE.format(body=body)


def capture(
    socket: str, command: str, moments: tuple[tuple[str, float], ...]
) -> list[tuple[str, int, str]]:
    """Run ``command`` in a private tmux server and capture the pane (with its colours) at each
    moment, at each size (the same session resized, as a person resizing would)."""
    captures: list[tuple[str, int, str]] = []
    tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "80", "-y", "24")
    tmux(socket, "set-option", "-t", "t", "remain-on-exit", "on")
    tmux(socket, "respawn-pane", "-k", "-t", "t", f"exec env -i {command}")
    started = time.monotonic()
    try:
        for name, at in moments:
            time.sleep(max(0.0, started + at - time.monotonic()))
            if tmux(socket, "display-message", "-p", "-t", "t", "#{pane_dead}").strip() == "1":
                raise RuntimeError(tmux(socket, "capture-pane", "-p", "-t", "t"))
            for width, height in SIZES:
                tmux(socket, "resize-window", "-t", "t", "-x", str(width), "-y", str(height))
                time.sleep(0.4)
                ansi = tmux(socket, "capture-pane", "-e", "-p", "-t", "t")
                captures.append((f"terminal-{name}-{width}x{height}", width, ansi))
            tmux(socket, "resize-window", "-t", "t", "-x", "80", "-y", "24")
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], check=False)
    return captures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    trainer = shutil.which("trainer")
    if trainer is None or shutil.which("tmux") is None or headless.chromium() is None:
        print("needs trainer (pip install -e .), tmux and chromium", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    socket = f"trainer-pngs-{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="trainer-pngs-") as tmp:
        root = Path(tmp)
        routines = root / "routines.toml"
        routines.write_text((ROOT / "routines.toml").read_text(encoding="utf-8") + LEGS_ROUTINE)
        captures: list[tuple[str, int, str]] = []
        for routine, moments in RUNS:
            home = root / routine  # a home of its own: no saved session from the run before
            env = {
                "PATH": os.environ.get("PATH", ""),
                "HOME": str(home),
                "TERM": "xterm-256color",
                "LANG": "C.UTF-8",
                "XDG_CONFIG_HOME": str(home / "config"),
                "XDG_DATA_HOME": str(home / "data"),
                "XDG_STATE_HOME": str(home / "state"),
                "XDG_CACHE_HOME": str(home / "cache"),
            }
            (home / "state" / "trainer").mkdir(parents=True)
            (home / "state" / "trainer" / "advice-seen").write_text("2026-01-01T00:00:00+00:00")
            command = " ".join(
                [f"{k}={v!r}" for k, v in env.items()]
                + [trainer, "--routines", str(routines), "--start", routine]
            )
            captures += capture(f"{socket}-{routine}", command, moments)
        for stem, width, ansi in captures:
            page = root / f"{stem}.html"
            page.write_text(to_html(ansi, width), encoding="utf-8")
            height = ansi.rstrip("\n").count("\n") + 1
            size = (int(width * CELL[0]) + 16, int(height * CELL[1]) + 16)
            headless.screenshot(page, args.out / f"{stem}.png", size)
            print(args.out / f"{stem}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
