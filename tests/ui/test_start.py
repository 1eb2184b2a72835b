"""``trainer --start ROUTINE``: straight into the session; the list is there when left."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer import cli
from trainer.ui.screens.advice import AdviceScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen

from .conftest import StartUI


async def test_start_opens_the_session_and_escape_shows_the_list(start_ui: StartUI) -> None:
    async with start_ui(start="quick-core") as ui:
        assert isinstance(ui.screen, SessionScreen)
        assert "Draw-in maneuvers" in ui.screen_text()
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)
        assert ui.options()[0].startswith("Continue: Quick core")
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)


async def test_start_then_finish_returns_to_the_list(start_ui: StartUI) -> None:
    async with start_ui(start="quick-core") as ui:
        await ui.advance(5000)
        assert isinstance(ui.screen, SummaryScreen)
        await ui.press("escape")  # skip the check-in
        assert isinstance(ui.screen, PickerScreen)


async def test_first_launch_shows_the_advice_before_the_started_routine(
    start_ui: StartUI,
) -> None:
    async with start_ui(start="quick-core", show_advice=None) as ui:
        assert isinstance(ui.screen, AdviceScreen)
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)


def test_an_unknown_routine_is_one_line_and_exit_2(
    routines_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--routines", str(routines_path), "--start", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no routine has id 'nope' (known: full, quick-core, gentle)" in err
