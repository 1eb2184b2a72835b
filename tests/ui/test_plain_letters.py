"""The plain-letters preference (issue 19, point 5): for a terminal font without block
characters, the big word, the countdown and the side are drawn in plain spaced capitals, and the
figures (drawn in block characters) stay away. Set in preferences.toml or the settings' switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Switch

from trainer.programme import preferences as prefs
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.settings import SettingsScreen

from .conftest import StartUI
from .snapshot_apps import GET_READY, add_legs_routine

BLOCKS = set("█▀▄▌▐▁▂▃▅▆▇")


async def big_rows(ui) -> list[str]:  # type: ignore[no-untyped-def]
    """The rows of the big word's frame and the countdown's row, as the screen shows them."""
    screen = ui.screen
    ui.app.clear_notifications()  # a toast may cover the row
    await ui.settle()
    rows = ui.screen_lines()
    top = screen.query_one("#frame").region.y
    big = screen.query_one("#big").region
    return rows[top : big.y + big.height]


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (40, 12)])
async def test_plain_letters_draw_no_block_and_still_say_what_and_which_side(
    start_ui: StartUI, routines_path: Path, size: tuple[int, int]
) -> None:
    prefs.preferences_path().parent.mkdir(parents=True, exist_ok=True)
    prefs.preferences_path().write_text("plain_letters = true\n", encoding="utf-8")
    add_legs_routine(routines_path)
    async with start_ui(size=size, preferences=prefs.load()) as ui:
        await ui.press("down", "down", "down", "enter")
        assert isinstance(ui.screen, SessionScreen)
        await ui.advance(GET_READY + 0.5)  # into the first raise
        shown = "\n".join(await big_rows(ui))
        assert not BLOCKS & set(shown), shown
        assert "L I F T" in shown  # the big word, in spaced capitals
        assert "L E F T" in shown and "L   E" not in shown  # the side, spaced once
        assert not ui.visible("#figure-box")


async def test_the_settings_switch_saves_plain_letters_and_the_session_uses_them(
    start_ui: StartUI, routines_path: Path
) -> None:
    async with start_ui() as ui:
        await ui.press("e")
        assert isinstance(ui.screen, SettingsScreen)
        switch = ui.screen.query_one("#plain-letters", Switch)
        assert switch.value is False
        switch.value = True
        await ui.settle()
        await ui.press("ctrl+s")
        assert ui.text("#save-status") == "Saved"
        assert "plain_letters = true" in prefs.preferences_path().read_text(encoding="utf-8")
        await ui.press("escape")
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        shown = "\n".join(await big_rows(ui))
        assert not BLOCKS & set(shown) and "G E T" in shown, shown
