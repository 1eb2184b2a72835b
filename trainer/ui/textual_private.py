"""Every private Textual name trainer uses, each for something a person would otherwise see.

The rest of ``trainer/ui`` uses Textual's public API only. Each touch point here is listed in
:data:`TOUCH_POINTS` with what it fixes; ``tests/ui/test_textual_private.py`` checks that
Textual 8.2.8 still has each one (it fails loudly on an upgrade that changes them) and that no
other file in ``trainer/ui`` reaches for a private Textual name. The fixes that belong in
Textual are written up, with a patch and a reproduction, in ``docs/upstream/``.
"""

from __future__ import annotations

from typing import IO, Any

from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

#: (Textual's private name, what a person would see without it).
TOUCH_POINTS: dict[str, str] = {
    "LinuxDriver._file": (
        "the file Textual's writer thread writes to. trainer wraps it in one that never "
        "raises: without it, a closed terminal (SSH dropped, tmux killed) kills the writer "
        "thread, the next 30 writes fill its queue and the app hangs for ever, holding the "
        "session lock (docs/textual-writer-thread-hang.md, docs/upstream/writer-thread.md)"
    ),
    "App._driver": (
        "the only way to write to the terminal: the window title that carries the countdown, "
        "the xterm title stack (the person's own title comes back at exit) and the desktop "
        "notifications (Textual has App.bell but no title or notification call)"
    ),
}


def writer_file(driver: LinuxDriver) -> IO[str]:
    """The file Textual's writer thread will write to (``sys.__stderr__`` in 8.2.8)."""
    # Private: Textual offers no way to give the writer thread another file, and without one
    # that never raises a closed terminal hangs the app (TOUCH_POINTS["LinuxDriver._file"]).
    file = driver._file
    if file is None:  # no stderr at all (pythonw): nothing to draw on
        raise RuntimeError("no terminal to write to")
    return file


def set_writer_file(driver: LinuxDriver, file: IO[str]) -> None:
    """Make the writer thread, built in ``start_application_mode``, write to ``file``."""
    # Private, for the same reason as writer_file(): read by start_application_mode().
    driver._file = file  # type: ignore[assignment]


def write_to_terminal(app: App[Any], data: str) -> None:
    """Write ``data`` to the terminal (nothing in a headless app or before the driver runs)."""
    # Private: Textual has App.bell() but no call for a window title or a notification, and
    # App.bell() itself writes through this attribute (TOUCH_POINTS["App._driver"]).
    driver = app._driver
    if driver is not None and not app.is_headless:
        driver.write(data)
