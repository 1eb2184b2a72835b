"""The voice: engines found and run as processes, the right rate flag each, and every phrase of
the shipped routines short enough for its step when espeak-ng really says it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from sound_run import listen

from trainer import announce
from trainer.models import Settings, VoiceMode
from trainer.speech import (
    Engine,
    NullSpeaker,
    ProcessSpeaker,
    SpeechContext,
    clean,
    detect_engines,
    install_hint,
)

ESPEAK = shutil.which("espeak-ng")
REQUIRED = os.environ.get("TRAINER_REQUIRE_TERMINAL") == "1"


def which_only(*names: str):
    return lambda program: f"/usr/bin/{program}" if program in names else None


# ----------------------------------------------------------------------------- finding engines


def test_linux_prefers_espeak_ng_then_espeak_then_spd_say():
    found = detect_engines(which_only("spd-say", "espeak", "espeak-ng"), "linux")
    assert [e.name for e in found] == ["espeak-ng", "espeak", "spd-say"]
    assert detect_engines(which_only("spd-say"), "linux") == (
        Engine("spd-say", "/usr/bin/spd-say"),
    )


def test_macos_uses_say_and_windows_powershell():
    assert [e.name for e in detect_engines(which_only("say"), "darwin")] == ["say"]
    found = detect_engines(which_only("pwsh"), "win32")
    assert found == (Engine("powershell", "/usr/bin/pwsh"),)


def test_each_engine_gets_its_own_rate_flag_and_the_text_as_one_argument():
    text = "Rest, one minute"
    assert Engine("espeak-ng", "e").command(text, 200) == (["e", "-s", "200", text], {})
    assert Engine("say", "s").command(text, 200) == (["s", "-r", "200", text], {})
    args, env = Engine("spd-say", "p").command(text, 350)
    assert args == ["p", "--wait", "-r", "100", text] and env == {}
    args, env = Engine("powershell", "w").command(text, 175)
    assert "System.Speech" in args[-1] and text not in args[-1]  # the text is never code
    assert env == {"TRAINER_SAY": text, "TRAINER_SAY_RATE": "0"}


def test_text_from_a_file_cannot_become_an_option_or_a_control_sequence():
    assert clean("--help\x1b]2;x\x07 me") == "help ]2;x  me"
    assert Engine("espeak-ng", "e").command("-w /tmp/x")[0][-1] == "w /tmp/x"


def test_voice_is_on_locally_off_over_ssh_and_says_why():
    engines = (Engine("espeak-ng", "/usr/bin/espeak-ng"),)
    local = SpeechContext(engines, over_ssh=False, platform="linux")
    assert local.choose(Settings()).on
    ssh = SpeechContext.detect(
        env={"SSH_CONNECTION": "10.0.0.2 5555 10.0.0.1 22"},
        which=which_only("espeak-ng"),
        platform="linux",
    )
    choice = ssh.choose(Settings())
    assert not choice.on
    assert "SSH" in choice.why and "server" in choice.why
    assert ssh.choose(Settings(voice=VoiceMode.ON)).on  # speakers on the server: allowed
    assert not local.choose(Settings(voice=VoiceMode.OFF)).on


def test_no_engine_names_the_package_to_install():
    none = SpeechContext((), platform="linux")
    choice = none.choose(Settings(voice=VoiceMode.ON))
    assert not choice.on
    assert "espeak-ng" in choice.why and "apt install" in choice.why
    assert "say" in install_hint("darwin")
    assert "PowerShell" in install_hint("win32")


def test_a_chosen_engine_that_is_missing_falls_back_and_says_so():
    ctx = SpeechContext((Engine("espeak", "/usr/bin/espeak"),), platform="linux")
    choice = ctx.choose(Settings(voice=VoiceMode.ON, voice_engine="spd-say"))
    assert choice.engine == Engine("espeak", "/usr/bin/espeak")
    assert "spd-say not found" in choice.why


# ----------------------------------------------------------------------------- processes


def sleeper(tmp_path: Path) -> Engine:
    """An "engine" that takes its time: a script that sleeps for as long as it is let."""
    script = tmp_path / "slow-engine"
    script.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(30)\n", encoding="utf-8")
    script.chmod(0o755)
    return Engine("espeak-ng", str(script))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX script as the engine")
def test_a_phrase_never_waits_and_a_new_one_kills_the_last(tmp_path):
    speaker = ProcessSpeaker(sleeper(tmp_path))
    started = time.monotonic()
    speaker.say("Hold, squeeze your buttocks")
    first = speaker._current
    assert first is not None and time.monotonic() - started < 5  # not the 30 s it takes
    speaker.say("three")
    assert first.wait(timeout=10) != 0  # killed, not waited for
    assert speaker.speaking
    speaker.stop()
    assert not speaker.speaking
    speaker.close()


def test_an_engine_that_cannot_start_is_reported_once(tmp_path):
    speaker = ProcessSpeaker(Engine("espeak-ng", str(tmp_path / "gone")))
    speaker.say("one")
    speaker.say("two")
    problem = speaker.take_problem()
    assert problem is not None and "could not run" in problem
    assert speaker.take_problem() is None
    NullSpeaker().say("nothing")  # voice off: nothing to run


# ----------------------------------------------------------------------------- real lengths


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        return wav.getnframes() / wav.getframerate()


@pytest.fixture(scope="module")
def espeak() -> Engine:
    if ESPEAK is None:
        if REQUIRED:
            pytest.fail("espeak-ng is missing (CI installs it: see .ci/run)")
        pytest.skip("espeak-ng is not installed")
    return Engine("espeak-ng", ESPEAK)


@pytest.fixture(scope="module")
def shipped():
    from conftest import ROOT

    from trainer.storage import load_routines

    return load_routines(ROOT / "routines.toml")


@pytest.mark.parametrize("routine_id", ["full", "quick-core", "gentle"])
def test_every_phrase_fits_before_the_next_one_at_the_default_rate(
    espeak, shipped, routine_id, tmp_path
):
    """Each phrase is rendered by espeak-ng to a WAV and measured: it ends before the next
    phrase starts (which would cut it), and the estimate that shortens phrases is never below
    the real length."""
    run = listen(shipped, routine_id)
    phrases = run.phrases
    lengths: dict[str, float] = {}
    longest = (0.0, "", "")
    for n, heard in enumerate(phrases):
        text = heard.say or ""
        if text not in lengths:
            wav = tmp_path / f"{len(lengths)}.wav"
            command = espeak.render_command(text, str(wav))
            assert command is not None
            subprocess.run(command, check=True, capture_output=True, timeout=30)
            lengths[text] = wav_seconds(wav)
            assert announce.estimate(text) >= lengths[text], text
        room = phrases[n + 1].t - heard.t if n + 1 < len(phrases) else float("inf")
        assert lengths[text] <= room + 1e-6, (text, lengths[text], room)
        if lengths[text] > longest[0]:
            step = heard.step
            longest = (lengths[text], text, f"{step.kind.value} of {step.duration} s")
    print(
        f"\n{routine_id}: {len(lengths)} distinct phrases; longest {longest[0]:.2f} s: "
        f"{longest[1]!r} ({longest[2]})"
    )


@pytest.mark.skipif(shutil.which("true") is None, reason="needs the 'true' program")
def test_a_finished_phrase_is_reaped_at_the_next_tick():
    speaker = ProcessSpeaker(Engine("espeak-ng", shutil.which("true") or "true"))
    speaker.say("one")
    process = speaker._current
    assert process is not None
    process.wait(timeout=10)
    speaker.poll()
    assert speaker._current is None and not speaker.speaking
    assert process.returncode == 0
