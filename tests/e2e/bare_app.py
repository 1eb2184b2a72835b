"""A bare Textual app (Header + Label): the baseline for the terminal harness and benchmark.

Run as a script: ``python tests/e2e/bare_app.py [--probe] [--pid-file PATH]``.

Without flags it is as bare as a Textual app gets (no timers, no key handling of its own beyond
``q`` to quit), so the benchmark can use it as the floor every other app is compared with.
``--probe`` adds two labels for the harness tests: the last key the app received, and the
terminal variables it sees (TERM, COLORTERM), so a test can prove keys and environment cross
tmux and ssh intact. ``--pid-file`` writes the app's pid once it is mounted, so a test can find
the process on the far side of an ssh connection.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Label

READY_TEXT = "Bare app ready"
"""Shown from the first frame on: what a test or the benchmark waits for."""

KEY_PREFIX = "last key: "
ENV_PREFIX = "env: "


class BareApp(App[int]):
    """Header + Label; ``q`` quits with exit status 0."""

    TITLE = "Bare app"
    BINDINGS = [Binding("q", "quit_app", "Quit")]

    def __init__(self, *, probe: bool = False, pid_file: Path | None = None) -> None:
        super().__init__()
        self._probe = probe
        self._pid_file = pid_file

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(READY_TEXT, id="ready")
        if self._probe:
            yield Label(f"{KEY_PREFIX}(none)", id="last-key")
            term = os.environ.get("TERM", "(unset)")
            colorterm = os.environ.get("COLORTERM", "(unset)")
            yield Label(f"{ENV_PREFIX}TERM={term} COLORTERM={colorterm}", id="env")

    def on_mount(self) -> None:
        if self._pid_file is not None:
            self._pid_file.write_text(f"{os.getpid()}\n", encoding="utf-8")

    def on_key(self, event: events.Key) -> None:
        if self._probe:
            self.query_one("#last-key", Label).update(f"{KEY_PREFIX}{event.key}")

    def action_quit_app(self) -> None:
        self.exit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe", action="store_true", help="show the last key and TERM")
    parser.add_argument("--pid-file", type=Path, help="write the app's pid here once mounted")
    args = parser.parse_args(argv)
    result = BareApp(probe=args.probe, pid_file=args.pid_file).run()
    return result or 0


if __name__ == "__main__":
    sys.exit(main())
