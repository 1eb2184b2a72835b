"""``trainer`` with one planted bug, for the crash-path hang-up test (tests/e2e/test_hangup.py).

The bug: the app's own hang-up handling raises instead of saving and leaving. So when the
terminal closes, the app goes down Textual's crash path (an exception in a callback: panic,
shutdown, traceback) with the terminal already gone. Whatever was saved then is saved by the
last line of defence (``run_app``'s ``finally``), and the process must still exit at once.
"""

from __future__ import annotations

import sys

from trainer import cli
from trainer.ui.app import TrainerApp


def _boom() -> None:
    raise RuntimeError("planted bug: crashing while the terminal closes")


def _crash_on_hangup(self: TrainerApp) -> None:
    self.call_later(_boom)


if __name__ == "__main__":
    TrainerApp._on_signal = _crash_on_hangup  # type: ignore[method-assign]
    sys.exit(cli.main(sys.argv[1:]))
