"""The settings screen: edits reach the file (and only the edited line), bad values can't be
saved, unsaved changes are never lost silently, and a failed save leaves the file intact."""

from __future__ import annotations

import difflib
import errno
import os
from pathlib import Path

from textual.widgets import Button, Input

from trainer.ui.dialogs.confirm import ConfirmScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.settings import SettingsScreen

from .snapshot_apps import bridges_input

REPS = bridges_input("reps")
HOLD = bridges_input("hold")


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a unified diff marks as removed or added."""
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


async def open_settings(ui) -> None:
    await ui.press("e")
    assert isinstance(ui.screen, SettingsScreen)


def save_button(ui) -> Button:
    return ui.screen.query_one("#save", Button)


async def test_settings_show_the_file_and_its_numbers(start_ui, routines_path):
    async with start_ui() as ui:
        await open_settings(ui)
        # The file it saves to; "Saved" is said only once a save has succeeded.
        assert ui.text("#settings-path") == f"File: {routines_path}"
        assert ui.screen.query_one(REPS, Input).value == "15"
        assert ui.screen.query_one(HOLD, Input).value == "10"
        assert ui.screen.query_one("#in--cat-stretch--hold", Input).disabled  # no hold there
        assert not save_button(ui).disabled
        assert ui.text("#save-status") == ""


#: Fields whose name (and the article's range) is the longest of their grid.
LONGEST_FIELDS = [
    (HOLD, "Hold s", "article 10-15"),
    ("#in--cat-stretch--reps", "Reps", "article 3-5"),
    ("#in--bridges--rest_between_reps", "Rest/rep s", ""),
    ("#in--timing--rest_between_exercises", "Rest between exercises s", ""),
]


async def test_each_number_shows_its_name_and_the_articles_range_whole_at_every_size(start_ui):
    """A number's name is on its box's top edge and the article's range on its bottom edge:
    both whole (never cut to "…"), and the box inside the form, at 80x24, 60x20 and 40x12."""
    async with start_ui() as ui:
        await open_settings(ui)
        for size in [(80, 24), (60, 20), (40, 12)]:
            await ui.pilot.resize_terminal(*size)
            await ui.pilot.pause()
            form = ui.screen.query_one("#settings").scrollable_content_region
            for selector, name, note in LONGEST_FIELDS:
                field = ui.screen.query_one(selector, Input)
                field.scroll_visible(animate=False, immediate=True)
                await ui.pilot.pause()
                box = field.region
                assert form.contains_region(box), (size, selector, box, form)
                lines = ui.screen_lines()
                top, bottom = (lines[y][box.x : box.right] for y in (box.y, box.bottom - 1))
                assert f" {name} " in top and "…" not in top, (size, top)
                assert note in bottom and "…" not in bottom, (size, bottom)


async def test_the_first_field_has_the_focus_and_stray_keys_change_nothing(start_ui, routines_path):
    """Focus is on the first field (the bell), never on the form itself; a stray letter or
    digit there changes no value; Tab goes on to the next field."""
    before = routines_path.read_text(encoding="utf-8")
    async with start_ui() as ui:
        await open_settings(ui)
        assert ui.screen.focused is not None
        assert ui.screen.focused.id == "bell"
        await ui.press("q", "5", "x")
        assert ui.text("#save-status") == ""
        assert ui.screen.query_one(REPS, Input).value == "15"
        await ui.press("tab")
        assert ui.screen.focused.id == "voice"
    assert routines_path.read_text(encoding="utf-8") == before


async def test_saving_new_reps_changes_that_one_line_and_every_screen(start_ui, routines_path):
    before = routines_path.read_text(encoding="utf-8")
    async with start_ui() as ui:
        await open_settings(ui)
        await ui.type_into(REPS, "12")
        assert ui.text("#save-status") == "Unsaved changes"
        await ui.press("ctrl+s")
        assert ui.text("#save-status") == "Saved"
        after = routines_path.read_text(encoding="utf-8")
        assert changed_lines(before, after) == ["-reps = 15", "+reps = 12"]
        bridges = after.split("[[exercises]]")[1]
        assert 'id = "bridges"' in bridges
        assert "reps = 12" in bridges

        await ui.press("escape")  # nothing unsaved: straight back
        assert isinstance(ui.screen, PickerScreen)
        assert "1. Bridges\n   3 sets of 12, hold 10 s" in ui.text("#details")
        await ui.press("enter")
        assert isinstance(ui.screen, SessionScreen)
        assert ui.bar("Rep") == "Rep 1 of 12"


async def test_an_invalid_value_disables_save_and_says_why(start_ui, routines_path):
    before = routines_path.read_bytes()
    async with start_ui() as ui:
        await open_settings(ui)
        for typed, reason in [
            ("0", "Reps: must be at least 1 (got 0)"),
            ("", "Reps: must be a whole number"),
        ]:
            await ui.type_into(REPS, typed)
            assert save_button(ui).disabled
            assert ui.text("#problems--bridges") == reason
            assert ui.screen.query_one(REPS, Input).has_class("-invalid")
            assert ui.text("#save-status") == "Fix the values in red to save"
        await ui.press("ctrl+s")  # the key does not get round the disabled button
        assert "Some values can't be saved: they are shown in red" in ui.toasts()
        await ui.type_into(REPS, "15")
        assert not save_button(ui).disabled
        assert ui.text("#problems--bridges") == ""
        assert not ui.screen.query_one(REPS, Input).has_class("-invalid")
    assert routines_path.read_bytes() == before


async def test_a_hold_outside_the_articles_range_is_allowed_with_a_note(start_ui, routines_path):
    async with start_ui() as ui:
        await open_settings(ui)
        await ui.type_into(HOLD, "20")
        assert not save_button(ui).disabled
        assert ui.text("#problems--bridges") == (
            "Note: hold 20 s is outside the article's 10-15 s (allowed)"
        )
        await ui.click("#save")  # the mouse way
        assert ui.text("#save-status") == "Saved"
    assert "hold = 20" in routines_path.read_text(encoding="utf-8")


async def escape_with_unsaved_reps(ui) -> None:
    await open_settings(ui)
    await ui.type_into(REPS, "12")
    await ui.press("escape")
    assert isinstance(ui.screen, ConfirmScreen)
    assert ui.text("#question") == "You have unsaved changes."
    assert [str(b.label) for b in ui.screen.query(Button)] == ["Save", "Discard", "Keep editing"]


async def test_escape_with_unsaved_changes_then_save(start_ui, routines_path):
    async with start_ui() as ui:
        await escape_with_unsaved_reps(ui)
        await ui.click("#choice--save")
        assert isinstance(ui.screen, PickerScreen)
        assert "3 sets of 12" in ui.text("#details")
    assert "reps = 12" in routines_path.read_text(encoding="utf-8")


async def test_escape_with_unsaved_changes_then_keep_editing_then_discard(start_ui, routines_path):
    before = routines_path.read_bytes()
    async with start_ui() as ui:
        await escape_with_unsaved_reps(ui)
        await ui.click("#choice--cancel")
        assert isinstance(ui.screen, SettingsScreen)
        assert ui.screen.query_one(REPS, Input).value == "12"
        assert ui.text("#save-status") == "Unsaved changes"
        await ui.press("escape")
        assert isinstance(ui.screen, ConfirmScreen)
        await ui.click("#choice--discard")
        assert isinstance(ui.screen, PickerScreen)
        assert "3 sets of 15" in ui.text("#details")
        await open_settings(ui)
        assert ui.screen.query_one(REPS, Input).value == "15"
    assert routines_path.read_bytes() == before


async def test_a_failed_save_says_why_and_leaves_the_file_intact(
    start_ui, routines_path, monkeypatch
):
    # We run as root, so a read-only folder would not stop the write: fail the rename instead.
    real_replace = os.replace
    failure = {"code": errno.EACCES}

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == routines_path:
            raise OSError(failure["code"], os.strerror(failure["code"]))
        real_replace(src, dst)

    monkeypatch.setattr("trainer.storage.files.os.replace", failing_replace)
    before = routines_path.read_bytes()
    files_before = sorted(routines_path.parent.iterdir())
    async with start_ui() as ui:
        await open_settings(ui)
        await ui.type_into(REPS, "12")
        for code, reason in [
            (errno.EACCES, f"no permission to write in {routines_path.parent}"),
            (errno.ENOSPC, "the disk is full"),
        ]:
            failure["code"] = code
            await ui.press("ctrl+s")
            message = f"could not save ({reason}); the file on disk is unchanged"
            assert ui.text("#save-status") == f"Not saved: {message}"
            assert f"{routines_path}: {message}" in ui.toasts()
            assert routines_path.read_bytes() == before
            assert sorted(routines_path.parent.iterdir()) == files_before  # no temp file left
        await ui.press("escape")  # still unsaved: the prompt, not a silent loss
        assert isinstance(ui.screen, ConfirmScreen)


# --------------------------------------------------------------------------- drafts


def settings_draft() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "trainer" / "settings-draft.json"


async def test_quitting_with_unsaved_settings_keeps_them_and_offers_them_next_time(
    start_ui, routines_path
):
    before = routines_path.read_text(encoding="utf-8")
    async with start_ui() as ui:
        await open_settings(ui)
        await ui.type_into(REPS, "12")
        await ui.press("ctrl+c")  # quit from settings, nothing saved
    assert routines_path.read_text(encoding="utf-8") == before, "nothing saved to the file"
    assert settings_draft().exists(), "the unsaved settings were dropped"
    assert oct(settings_draft().stat().st_mode & 0o777) == "0o600"

    async with start_ui() as ui:
        await ui.press("e")  # settings
        assert isinstance(ui.screen, ConfirmScreen)
        assert "were not saved" in ui.screen_text()
        await ui.click_text("Put them back")
        assert isinstance(ui.screen, SettingsScreen)
        assert ui.screen.query_one(REPS, Input).value == "12"
        assert ui.text("#save-status") == "Unsaved changes"
        assert not settings_draft().exists()
        await ui.press("ctrl+s")
        assert ui.text("#save-status") == "Saved"
    assert "reps = 12" in routines_path.read_text(encoding="utf-8")

    async with start_ui() as ui:
        await open_settings(ui)  # saved: nothing offered
        assert isinstance(ui.screen, SettingsScreen)


async def test_a_draft_can_be_discarded(start_ui, routines_path):
    async with start_ui() as ui:
        await open_settings(ui)
        await ui.type_into(REPS, "12")
        await ui.press("ctrl+c")
    async with start_ui() as ui:
        await ui.press("e")  # settings
        assert isinstance(ui.screen, ConfirmScreen)
        await ui.click_text("Discard")
        assert isinstance(ui.screen, SettingsScreen)
        assert ui.screen.query_one(REPS, Input).value == "15"
        assert ui.text("#save-status") == ""
    assert not settings_draft().exists()


async def test_leaving_settings_on_purpose_keeps_no_draft(start_ui, routines_path):
    async with start_ui() as ui:
        await open_settings(ui)
        await ui.type_into(REPS, "12")
        await ui.press("escape")  # "You have unsaved changes": Discard
        await ui.click_text("Discard")
        assert isinstance(ui.screen, PickerScreen)
        await ui.press("q")
    assert not settings_draft().exists()
