"""The routine list: what it shows, and each way out of it (keys and the mouse)."""

from __future__ import annotations

from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.settings import SettingsScreen

# The shipped routines.toml: 2332 s for all five exercises (38 min 52 s), shown rounded.
LISTED = [
    "Full lower-back routine\n  39 min, 5 exercises",
    "Quick core\n  11 min, 2 exercises",
    "Gentle mobility\n  19 min, 3 exercises",
]


async def test_lists_the_three_routines_with_their_lengths(start_ui):
    async with start_ui() as ui:
        assert isinstance(ui.screen, PickerScreen)
        assert ui.options() == LISTED
        shown = ui.screen_text()
        for entry in LISTED:
            name, length = entry.split("\n")
            assert name in shown
            assert length.strip() in shown
        footer = ui.screen_lines()[-1]
        assert "Settings" in footer
        assert "Quit" in footer


async def test_the_highlighted_routine_has_its_details_beside_the_list(start_ui):
    async with start_ui() as ui:
        assert ui.text("#details-name") == "Full lower-back routine"
        details = ui.text("#details")
        assert "About 39 min, 5 exercises" in details
        assert "1. Bridges\n   3 sets of 15, hold 10 s" in details
        assert "3. Lying lateral leg lifts\n   3 sets of 10 each side, hold 2 s" in details

        await ui.press("down")
        assert ui.text("#details-name") == "Quick core"
        details = ui.text("#details")
        assert "About 11 min, 2 exercises" in details
        assert "1. Draw-in maneuvers\n   5 reps, hold 5 s" in details
        assert "2. Partial curls\n   3 sets of 10, hold 5 s" in details
        assert "Bridges" not in details

        await ui.press("down")
        assert ui.text("#details-name") == "Gentle mobility"
        details = ui.text("#details")
        assert "1. Cat stretch\n   3 reps\n" in details  # no hold: none mentioned


async def test_enter_starts_the_highlighted_routine(start_ui):
    async with start_ui() as ui:
        await ui.press("down", "enter")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.text("#exercise") == "Draw-in maneuvers  (1 of 2)"
        assert ui.text("#where") == "Quick core"
        assert ui.text("#cue") == "Get into position"


async def test_a_click_on_a_routine_starts_it(start_ui):
    async with start_ui() as ui:
        await ui.click_text("Gentle mobility")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.text("#exercise") == "Cat stretch  (1 of 3)"
        assert ui.text("#where") == "Gentle mobility"


async def test_e_opens_the_settings_and_escape_comes_back(start_ui):
    async with start_ui() as ui:
        await ui.press("e")
        assert isinstance(ui.screen, SettingsScreen)
        assert ui.text("#settings-title") == "Settings"
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)
        assert ui.options() == LISTED


async def test_q_quits(start_ui):
    async with start_ui() as ui:
        await ui.press("q")
        assert not ui.app.is_running
        assert ui.app.return_code == 0
