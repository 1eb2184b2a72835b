"""The routine list: what it shows, and each way out of it (keys and the mouse)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import replace

from trainer.engine import plan_for
from trainer.programme import loading
from trainer.programme.catalog import catalog_of
from trainer.ui.app import TrainerApp
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.settings import SettingsScreen

from .conftest import SIZE, UI
from .snapshot_apps import FIXED_NOW, FIXED_SPEECH, RecordingSpeaker, settled

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


# --------------------------------------------------------------------------- from the cache


@asynccontextmanager
async def cached_ui(routines_path, clock, edit=None):
    """The app as ``trainer`` starts it on a warm cache: the list from the catalog, the file
    not validated yet. ``edit`` changes the catalog first (as a hostile cache file could)."""
    raw = routines_path.read_bytes()
    routines = loading.parse_routines(raw, routines_path)
    found = catalog_of(routines, lambda rid: plan_for(routines, rid).total)
    if edit is not None:
        found = edit(found)
    app = TrainerApp(
        routines_path,
        None,
        catalog=found,
        raw=raw,
        clock=clock,
        show_advice=False,
        speech=FIXED_SPEECH,
        speaker_factory=lambda engine, rate: RecordingSpeaker(),
        now=lambda: FIXED_NOW,
    )
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settled(pilot)
        yield UI(app, pilot, clock)


async def test_the_list_from_the_cache_is_the_same_list(routines_path, clock):
    async with cached_ui(routines_path, clock) as ui:
        assert isinstance(ui.screen, PickerScreen)
        assert not ui.app.workout.validated
        assert ui.options() == LISTED
        assert "About 39 min, 5 exercises" in ui.text("#details")
        await ui.press("down", "enter")  # validated now, then the session starts
        assert isinstance(ui.screen, SessionScreen)
        assert ui.app.workout.validated
        assert ui.text("#where") == "Quick core"


async def test_hostile_text_from_the_cache_is_shown_as_text(routines_path, clock):
    hostile = "Bad\x1b]2;owned\x07 [bold]x[/] \x1b[2J"

    def edit(found):
        first = replace(found.routines[0], name=hostile, description="\x1b[31mred")
        return replace(found, routines=(first, *found.routines[1:]))

    async with cached_ui(routines_path, clock, edit) as ui:
        shown = ui.options()[0] + ui.text("#details") + ui.screen_text()
        assert "\x1b" not in shown and "\x07" not in shown
        # As the routines file's own text: control characters replaced, brackets not markup.
        assert ui.options()[0].startswith("Bad\ufffd]2;owned [bold]x[/] \ufffd[2J\n")


async def test_a_file_broken_since_the_list_shows_its_line_and_nothing_starts(routines_path, clock):
    good = routines_path.read_bytes()
    async with cached_ui(routines_path, clock) as ui:
        routines_path.write_bytes(good.replace(b"sets = 3", b"sets = 300", 1))
        await ui.press("enter")
        assert isinstance(ui.screen, PickerScreen)
        toasts = " ".join(" ".join(t.split()) for t in ui.toasts())
        assert "sets: must be at most 20, got 300" in toasts
        await ui.press("e")  # the settings need the file too
        assert isinstance(ui.screen, PickerScreen)
        routines_path.write_bytes(good.replace(b"sets = 3", b"sets = 2", 1))  # fixed
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)


async def test_f_starts_the_gentle_version_with_a_slower_voice_and_the_key_is_shown(start_ui):
    """Issue 22: the flare key, in the footer and the list's hint; the session it starts is the
    highlighted routine's gentle version, spoken slower, and the list speaks as before."""
    rates: list[int] = []

    def speaker(engine, rate):
        rates.append(rate)
        return RecordingSpeaker()

    async with start_ui(speaker_factory=speaker) as ui:
        assert "f Flare day" in ui.screen_lines()[-1]
        assert "f: a flare day (gentler)" in ui.text("#list-hint")
        opened = len(rates)
        await ui.press("down", "down", "f")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.text("#where") == "Gentle mobility (flare day)"
        assert ui.text("#exercise") == "Cat stretch  (1 of 2)"  # bridges left out
        assert rates[opened:] == [149]  # 175 words a minute, 15 % slower
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)
        assert rates[-1] == 175
