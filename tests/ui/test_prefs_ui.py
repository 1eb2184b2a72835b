"""Issue 18 in the app: a shared programme runs no command, the old keys are moved only when
the person says so, and a settings save never overwrites a change made to a file meanwhile."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from trainer.programme import loading
from trainer.programme import preferences as prefs
from trainer.programme.constants import BellMode
from trainer.ui.dialogs.confirm import ConfirmScreen
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.settings import SettingsScreen

from .conftest import UI, StartUI

OLD = '[settings]\nbell = "holds"  # quiet\non_event = "touch {marker}"\ncheckin_before = false'


def old_routines(routines_path: Path, marker: Path) -> None:
    text = routines_path.read_text(encoding="utf-8")
    new = text.replace("[settings]\ncheckin_before = false", OLD.replace("{marker}", str(marker)))
    assert new != text
    routines_path.write_text(new, encoding="utf-8")


async def test_an_old_file_names_its_line_asks_and_runs_nothing_until_moved(
    start_ui: StartUI, routines_path: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "PWNED"
    old_routines(routines_path, marker)
    bell_line = 1 + routines_path.read_text().splitlines().index('bell = "holds"  # quiet')
    async with start_ui() as ui:
        assert isinstance(ui.screen, ConfirmScreen)
        question = ui.text("#question")
        assert question.startswith(f"{routines_path}:{bell_line} still has your preferences")
        assert f"on_event = 'touch {marker}' (a command: it runs at every cue)" in question
        assert ui.app.outlets.hooks is None  # never run from the routines file
        await ui.press("enter")  # the focused answer is "Not now": no consent by accident
        assert isinstance(ui.screen, PickerScreen)
        assert "on_event" in routines_path.read_text()
        assert not prefs.preferences_path().exists()
        await ui.press("enter")  # a session: still no hook, the person's own bell
        assert ui.app.outlets.hooks is None
        assert ui.app.workout.coach is not None
        assert ui.app.workout.coach.preferences.bell is BellMode.ALL
    assert not marker.exists()


async def test_a_shared_file_started_at_once_says_what_it_ignored(
    start_ui: StartUI, routines_path: Path, tmp_path: Path
) -> None:
    """`trainer --routines shared.toml --start quick-core`: a one-line warning, no command."""
    marker = tmp_path / "PWNED"
    old_routines(routines_path, marker)
    async with start_ui(start="quick-core") as ui:
        shown = " ".join(ui.toasts())
        assert f"{routines_path}:" in shown and "[settings] bell, on_event ignored" in shown
        assert ui.app.outlets.hooks is None
        await ui.advance(30)
    assert not marker.exists()


async def test_moving_the_old_keys_takes_the_explicit_button(
    start_ui: StartUI, routines_path: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "PWNED"
    old_routines(routines_path, marker)
    async with start_ui() as ui:
        assert isinstance(ui.screen, ConfirmScreen)
        await ui.click("#choice--true")  # not the focused answer: on purpose
        assert isinstance(ui.screen, PickerScreen)
        assert any("Moved bell, on_event" in toast for toast in ui.toasts())
        assert ui.app.workout.preferences.bell is BellMode.HOLDS
        assert ui.app.outlets.hooks is not None  # the person agreed: now it is theirs
    text = prefs.preferences_path().read_text()
    assert 'bell = "holds" # quiet (moved from routines.toml)' in text
    assert "on_event" not in routines_path.read_text()
    assert "bell =" not in routines_path.read_text()
    ui.app.outlets.close()


async def test_settings_save_over_a_change_made_meanwhile_shows_both_and_asks(
    start_ui: StartUI, routines_path: Path
) -> None:
    async with start_ui() as ui:
        await ui.press("e")
        assert isinstance(ui.screen, SettingsScreen)
        await ui.type_into("#in--bridges--hold", "12")
        # Meanwhile an editor changes the same value, and another one.
        text = routines_path.read_text()
        routines_path.write_text(
            text.replace("hold = 10\n", "hold = 14\n", 1).replace(
                "rest_between_exercises = 30", "rest_between_exercises = 40  # mine"
            )
        )
        await ui.press("ctrl+s")
        assert isinstance(ui.screen, ConfirmScreen)
        assert "exercises[bridges].hold: yours 12, in the file now 14" in ui.text("#question")
        assert "hold = 14" in routines_path.read_text()  # nothing written yet
        await ui.press("escape")  # cancel: nothing saved
        assert isinstance(ui.screen, SettingsScreen)
        assert "hold = 14" in routines_path.read_text()
        await ui.press("ctrl+s")
        await ui.click("#choice--mine")
        assert isinstance(ui.screen, SettingsScreen)
        saved = loading.load_routines(routines_path)
        assert saved.exercise("bridges").hold == 12
        assert saved.timing.rest_between_exercises == 40  # their other change kept
        assert "rest_between_exercises = 40  # mine" in routines_path.read_text()
        field = ui.screen.query_one("#in--timing--rest_between_exercises", Input)
        assert field.value == "40"  # the screen shows what was saved
        assert ui.text("#save-status") == "Saved"


async def test_the_save_notice_names_only_the_files_written(
    start_ui: StartUI, routines_path: Path
) -> None:
    """It named routines.toml and preferences.toml whatever had changed."""
    pref_path = prefs.preferences_path()

    async def save(ui: UI) -> list[str]:
        before = ui.toasts()
        await ui.press("ctrl+s")
        # The new toasts (an earlier one may time out meanwhile on a slow machine).
        return [" ".join(toast.split()) for toast in ui.toasts() if toast not in before]

    async with start_ui() as ui:
        await ui.press("e")
        assert isinstance(ui.screen, SettingsScreen)
        routines_before = routines_path.read_bytes()
        await ui.click("#light")  # a preference only
        assert await save(ui) == [f"Saved to {pref_path}"]
        assert ui.text("#save-status") == "Saved"
        assert routines_path.read_bytes() == routines_before
        prefs_before = pref_path.read_bytes()

        await ui.type_into("#in--bridges--reps", "12")  # the routines file only
        assert await save(ui) == [f"Saved to {routines_path}"]
        assert pref_path.read_bytes() == prefs_before

        assert await save(ui) == ["Nothing was written: the files already hold these settings"]
        assert ui.text("#save-status") == "Nothing to save"
