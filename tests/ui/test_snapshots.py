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

from .snapshot_apps import CLOCK_START, SCENES, SESSION_STATES, light_theme, make_app

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


#: The layouts of the session screen (see trainer/ui/screens/session.py).
SESSION_SIZES = {"80x24": (80, 24), "60x20": (60, 20), "40x12": (40, 12)}
THEMES = ("dark", "light", "no-color")
#: Every layout in the dark theme; the light theme and NO_COLOR (its own frames) at 80x24 and
#: 40x12, the layouts where each widget of the screen is shown: 60x20 only hides some of
#: 80x24's (session.tcss), and no rule of a theme depends on the size.
SESSION_PICTURES = [
    (size, theme)
    for size in sorted(SESSION_SIZES)
    for theme in THEMES
    if theme == "dark" or size != "60x20"
]


def test_every_layout_and_theme_is_pictured() -> None:
    assert {size for size, _theme in SESSION_PICTURES} == set(SESSION_SIZES)
    assert {theme for _size, theme in SESSION_PICTURES} == set(THEMES)


@pytest.mark.parametrize(("size", "theme"), SESSION_PICTURES)
@pytest.mark.parametrize("state", sorted(SESSION_STATES))
def test_session_state(
    state: str,
    size: str,
    theme: str,
    ui_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    snap_compare,
) -> None:
    """Move, hold, rest, switch and paused, each at 80x24, 60x20 and 40x12, in the dark and
    light themes and with NO_COLOR: the big word, the frame or fill, nothing cut or overlapping."""
    scene = SCENES[SESSION_STATES[state]]
    if theme == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(ManualClock(CLOCK_START), **scene.prepare())

    async def play(pilot) -> None:  # type: ignore[no-untyped-def]
        if theme == "light":
            await light_theme(pilot)
        await scene.play(pilot)

    assert snap_compare(app, terminal_size=SESSION_SIZES[size], run_before=play), (
        f"{scene.description} at {size}, {theme}"
    )
