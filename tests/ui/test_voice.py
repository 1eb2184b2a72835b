"""The voice and the hook in the running app, with a recording engine in place of a real one:
pausing and Escape stop speech, `x` says the article's advice, a failing hook is shown once."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select

from trainer.outputs.speech import SpeechContext
from trainer.programme import preferences as prefs
from trainer.programme.constants import BellMode
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.session import SessionScreen
from trainer.ui.screens.summary import SummaryScreen

from .snapshot_apps import BRIDGE_RAISE, GET_READY, RecordingSpeaker


def write_preferences(text: str) -> None:
    path = prefs.preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def speaker(ui) -> RecordingSpeaker:
    found = ui.app.outlets.speaker
    assert isinstance(found, RecordingSpeaker)
    return found


async def test_the_session_speaks_pausing_stops_it_and_resuming_says_the_cue_again(start_ui):
    async with start_ui() as ui:
        await ui.press("enter")
        voice = speaker(ui)
        assert voice.said == ["Bridges. Three sets of fifteen, hold ten seconds."]
        await ui.advance(GET_READY + BRIDGE_RAISE + 2)
        assert voice.said[-1] == "Hold, squeeze your buttocks"
        assert voice.speaking
        await ui.press("space")
        assert voice.log[-1] == "<stop>"
        assert not voice.speaking
        await ui.advance(30)
        assert voice.log[-1] == "<stop>"  # nothing said while paused
        await ui.press("space")  # the interrupted hold starts again whole, after a lead-in
        assert voice.said[-1] == "Get back into position."
        await ui.advance(5)
        assert voice.said[-1] == "Hold, squeeze your buttocks"


async def test_escape_stops_the_voice_and_x_says_the_articles_advice(start_ui):
    async with start_ui() as ui:
        await ui.press("enter")
        voice = speaker(ui)
        await ui.advance(GET_READY)
        assert voice.said[-1] == "Raise your hips"
        await ui.press("escape")
        assert isinstance(ui.screen, PickerScreen)
        assert voice.log[-1] == "<stop>"
        await ui.press("enter")  # back to the waiting session
        assert isinstance(ui.screen, SessionScreen)
        await ui.press("x")
        assert isinstance(ui.screen, SummaryScreen)
        advice = ui.app.routines.advice
        assert voice.said[-1] == f"Stopped. {advice.stop_if_worse} {advice.see_doctor}"


async def test_bell_patterns_follow_the_bell_setting(start_ui, routines_path: Path):
    write_preferences('bell = "holds"\n')  # the person's preferences
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(GET_READY)
        await ui.advance(BRIDGE_RAISE)
        # Raising the hips does not ring (the get-ready's count may, as the screen ticks).
        assert [b for b in ui.sent("bell") if b != "count"] == ["next", "hold"]


async def test_a_failing_hook_is_reported_once_and_the_session_goes_on(
    start_ui, routines_path: Path
):
    write_preferences('on_event = "exit 7"\n')
    async with start_ui() as ui:
        await ui.press("enter")
        hooks = ui.app.outlets.hooks
        assert hooks is not None and hooks.command == "exit 7"
        for seconds in (5, 5, 5, 3):
            assert hooks.wait(60)
            await ui.advance(seconds)
        assert ui.text("#cue") == "Hold, squeeze your buttocks"
        assert hooks.runs >= 4
        shown = [t for t in ui.toasts() if "on_event" in t]
        assert len(shown) == 1 and "exit status 7" in shown[0]


async def test_settings_say_why_the_voice_is_off_over_ssh(start_ui):
    ssh = SpeechContext.detect(
        env={"SSH_CONNECTION": "1 2 3 4"}, which=lambda p: "/usr/bin/espeak-ng", platform="linux"
    )
    async with start_ui(speech=ssh) as ui:
        await ui.press("e")
        assert "off over SSH" in ui.text("#voice-status")
        ui.screen.query_one("#voice", Select).value = "on"
        await ui.pilot.pause()
        assert ui.text("#voice-status").startswith("Voice on: espeak-ng")


async def test_settings_without_an_engine_name_the_package(start_ui):
    async with start_ui(speech=SpeechContext((), platform="linux")) as ui:
        await ui.press("e")
        assert "install espeak-ng" in ui.text("#voice-status")


async def test_settings_save_the_bell_mode_and_refuse_a_rate_out_of_range(
    start_ui, routines_path: Path
):
    async with start_ui() as ui:
        await ui.press("e")
        ui.screen.query_one("#bell", Select).value = "holds"
        await ui.pilot.pause()
        await ui.type_into("#voice-rate", "1000")
        assert ui.screen.query_one("#voice-rate", Input).has_class("-invalid")
        assert "Words/min: must be 80-400 words a minute" in ui.text("#problems--settings")
        await ui.type_into("#voice-rate", "150")
        await ui.press("ctrl+s")
        saved = prefs.load().preferences  # into preferences.toml, not the routines file
        assert saved.bell is BellMode.HOLDS and saved.voice_rate == 150
        assert "bell =" not in routines_path.read_text()
        assert ui.app.outlets.choice.why == "Voice on: espeak-ng, 150 words a minute."
