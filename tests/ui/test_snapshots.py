"""Snapshot tests: each scene of ``snapshot_apps.SCENES`` at 80x24, compared with the SVG in
``__snapshots__/``. After an intended change of the UI, look at the report, then regenerate:

    pytest tests/ui/test_snapshots.py --snapshot-update

The scenes pin everything that could vary (clock, ``now``, XDG folders, the routines path), so a
difference is a change in what a person sees.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.engine import ManualClock

from .snapshot_apps import CLOCK_START, SCENES, make_app

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local days (the history's calendar) as on CI, whatever the developer's time zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("name", sorted(SCENES))
def test_scene(name: str, ui_home: Path, snap_compare) -> None:
    scene = SCENES[name]
    app = make_app(ManualClock(CLOCK_START), **scene.prepare())
    assert snap_compare(app, terminal_size=SIZE, run_before=scene.play), scene.description
