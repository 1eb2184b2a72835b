"""Headless Chromium for tests and scripts: load a local page, print it, screenshot it, and
collect what the page wrote to its console (every CSP violation and script error is there).

Chromium logs each console message to stderr as ``...:INFO:CONSOLE:<line>] "<text>", source:
<url> (<line>)`` when run with ``--enable-logging=stderr --v=0``; :func:`console` returns those
lines. The flags turn off everything that would reach the network on its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)
CONSOLE = re.compile(r":CONSOLE(?::\d+)?\]\s*(.*)")
TIMEOUT = 120


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@dataclass
class Run:
    stdout: str
    console: list[str]


def run(page: Path, *args: str) -> Run:
    """Run Chromium on ``page`` with ``args`` (e.g. ``--dump-dom``) in a fresh profile."""
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="trainer-chromium-") as profile:
        done = subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    console = [m.group(1) for line in done.stderr.splitlines() if (m := CONSOLE.search(line))]
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return Run(stdout=done.stdout, console=console)


def dump_dom(page: Path) -> Run:
    return run(page, "--dump-dom")


def print_pdf(page: Path, out: Path) -> Run:
    return run(page, "--no-pdf-header-footer", f"--print-to-pdf={out}")


def screenshot(page: Path, out: Path, size: tuple[int, int] = (900, 1700)) -> Run:
    return run(page, f"--window-size={size[0]},{size[1]}", f"--screenshot={out}")
