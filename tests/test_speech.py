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

from trainer.coaching import audible
from trainer.outputs.speech import (
    MAX_RESTARTS,
    Engine,
    LineSpeaker,
    NullSpeaker,
    ProcessSpeaker,
    SpeechContext,
    clean,
    detect_engines,
    install_hint,
    open_speaker,
)
from trainer.programme.constants import VoiceMode
from trainer.programme.preferences import Preferences as Settings

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


def test_macos_uses_say_and_powershell_is_no_engine():
    assert [e.name for e in detect_engines(which_only("say"), "darwin")] == ["say"]
    # trainer runs on POSIX systems only: PowerShell (even on Linux) is not looked for.
    assert detect_engines(which_only("pwsh"), "linux") == ()
    assert detect_engines(which_only("powershell"), "win32") == ()


def test_each_engine_gets_its_own_rate_flag_and_the_text_as_one_argument():
    text = "Rest, one minute"
    assert Engine("espeak-ng", "e").command(text, 200) == (["e", "-s", "200", text], {})
    assert Engine("say", "s").command(text, 200) == (["s", "-r", "200", text], {})
    args, env = Engine("spd-say", "p").command(text, 350)
    assert args == ["p", "--wait", "-r", "100", text] and env == {}
    with pytest.raises(ValueError, match="powershell"):
        Engine("powershell", "w").command(text, 175)


def test_text_from_a_file_cannot_become_an_option_or_a_control_sequence():
    assert clean("--help\x1b]2;x\x07 me") == "help ]2;x  me"
    assert Engine("espeak-ng", "e").command("-w /tmp/x")[0][-1] == "w /tmp/x"


def test_espeak_never_reads_phoneme_input_from_the_text():
    """espeak reads ``[[...]]`` as phoneme mnemonics, whether the text is an argument or a line."""
    engine = Engine("espeak-ng", "e")
    assert engine.command("say [[h@l'oU]] now")[0][-1] == "say [ [h@l'oU]] now"
    assert engine.render_command("[[[a", "x.wav")[-1] == "[ [ [a"
    assert engine.line("[[x]]\n[[y") == b"[ [x]] [ [y\n"


def test_a_line_is_one_line_that_espeaks_reader_takes_whole():
    engine = Engine("espeak-ng", "e")
    line = engine.line("é" * 600)  # 1200 bytes of UTF-8: more than espeak's 999-byte reader
    assert len(line) <= 999 and line.endswith(b"\n") and line.count(b"\n") == 1
    assert line.decode("utf-8") == "é" * 499 + "\n"  # cut between characters, not inside one
    assert engine.line(" \x1b\n ") == b""
    assert engine.line_command(200) == ["e", "-s", "200"]  # no -m: <speak> is not markup


def test_espeak_speaks_from_one_process_and_the_others_one_per_phrase():
    assert isinstance(open_speaker(Engine("espeak-ng", "e")), LineSpeaker)
    assert isinstance(open_speaker(Engine("espeak", "e")), LineSpeaker)
    for name in ("spd-say", "say"):
        assert isinstance(open_speaker(Engine(name, "x")), ProcessSpeaker)


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


# ----------------------------------------------------------------------------- one process


posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX script as the engine")


def fake_engine(tmp_path: Path, body: str = "") -> tuple[Engine, Path]:
    """An "engine" that writes each line it reads to a log, with its process id; ``body`` runs
    after each line (for example to crash)."""
    log = tmp_path / "heard.log"
    script = tmp_path / "line-engine"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        "n = 0\n"
        "while line := sys.stdin.buffer.readline():\n"
        "    n += 1\n"
        f"    with open({str(log)!r}, 'ab') as f:\n"
        "        f.write(str(os.getpid()).encode() + b' ' + line)\n"
        f"{body}",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return Engine("espeak-ng", str(script)), log


def heard(log: Path, count: int) -> list[tuple[int, str]]:
    """The first ``count`` lines the engine logged (waits for them, at most 30 s)."""
    deadline = time.monotonic() + 30
    while True:
        lines = log.read_bytes().splitlines(keepends=True) if log.exists() else []
        if len(lines) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert len(lines) >= count, lines
    assert all(line.endswith(b"\n") for line in lines)
    return [
        (int(pid), text.decode().rstrip("\n")) for pid, text in (x.split(b" ", 1) for x in lines)
    ]


def line_speaker(engine: Engine, clock) -> LineSpeaker:
    """Every phrase lasts one second on ``clock``."""
    return LineSpeaker(engine, clock=clock, estimate=lambda text, rate: 1.0)


def running(pid: int) -> bool:
    """The process exists and has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def gone(process: subprocess.Popen[bytes]) -> bool:
    """Ended and reaped: no zombie left."""
    return process.returncode is not None and not Path(f"/proc/{process.pid}").exists()


@posix_only
def test_phrases_reach_one_engine_process_in_order(tmp_path, clock):
    engine, log = fake_engine(tmp_path)
    speaker = line_speaker(engine, clock)
    for text in ("Raise your hips", "Hold, squeeze your buttocks", "three", "two", "one"):
        speaker.say(text)
        clock.advance(2)  # each one said before the next
    lines = heard(log, 5)
    assert [t for _, t in lines] == [
        "Raise your hips",
        "Hold, squeeze your buttocks",
        "three",
        "two",
        "one",
    ]
    assert len({pid for pid, _ in lines}) == 1 and speaker.started == 1
    process = speaker._process
    assert process is not None and process.poll() is None  # waiting for the next phrase
    speaker.close()
    assert gone(process)


@posix_only
@pytest.mark.parametrize("routine_id", ["full", "quick-core", "gentle"])
def test_one_engine_says_a_whole_routine_in_order(tmp_path, clock, shipped, routine_id):
    """The coach fits each phrase before the next, by the same estimate: no phrase of a routine
    cuts the one before, so one engine process says them all, every one of them."""
    engine, log = fake_engine(tmp_path)
    speaker = LineSpeaker(engine, clock=clock)  # the real estimate
    start = clock.now
    phrases = listen(shipped, routine_id).phrases
    for h in phrases:
        clock.now = start + h.t
        speaker.poll()
        speaker.say(h.say or "")
    lines = heard(log, len(phrases))
    speaker.close()
    assert speaker.started == 1
    assert [t for _, t in lines] == [h.say for h in phrases]


@posix_only
def test_a_phrase_while_one_is_still_said_cuts_it(tmp_path, clock):
    """A late phrase is wrong: the engine saying the last one is killed, a new one says it."""
    engine, log = fake_engine(tmp_path)
    speaker = line_speaker(engine, clock)
    speaker.say("Rest, one minute")
    first = speaker._process
    heard(log, 1)
    clock.advance(0.5)
    assert speaker.speaking
    speaker.say("Paused")
    assert first is not None and first.wait(timeout=30) != 0  # killed
    lines = heard(log, 2)
    assert lines[1][1] == "Paused" and lines[1][0] != lines[0][0]
    clock.advance(1.0)
    assert not speaker.speaking
    speaker.close()


@posix_only
def test_stop_silences_at_once_and_the_next_phrase_starts_a_new_engine(tmp_path, clock):
    engine, log = fake_engine(tmp_path)
    speaker = line_speaker(engine, clock)
    speaker.say("Hold")
    process = speaker._process
    heard(log, 1)
    clock.advance(5)  # even a phrase thought done may still be queued or buffered
    speaker.stop()
    assert process is not None and process.wait(timeout=30) != 0
    assert not speaker.alive
    speaker.say("Resumed")
    lines = heard(log, 2)
    assert [t for _, t in lines] == ["Hold", "Resumed"] and lines[0][0] != lines[1][0]
    speaker.close()
    speaker.poll()
    assert gone(process)
    assert speaker._dying == []


@posix_only
def test_close_leaves_no_zombie_and_nothing_to_reap(tmp_path, clock):
    engine, _ = fake_engine(tmp_path)
    speaker = line_speaker(engine, clock)
    processes = []
    for text in ("one", "two", "three"):
        speaker.say(text)
        processes.append(speaker._process)
        speaker.stop()
    speaker.say("four")
    processes.append(speaker._process)
    speaker.close()
    assert all(p is not None and gone(p) for p in processes)
    assert speaker._dying == [] and not speaker.alive


@posix_only
def test_hostile_text_reaches_the_engine_as_one_harmless_line(tmp_path, clock):
    engine, log = fake_engine(tmp_path)
    speaker = line_speaker(engine, clock)
    speaker.say("-w /tmp/x\nsecond line\r\x1b]2;title\x07 [[h@l'oU]] <speak>hi</speak>\x00end")
    clock.advance(2)
    speaker.say("\n\n")  # nothing to say: nothing written
    speaker.say("after")
    lines = heard(log, 2)
    speaker.close()
    assert [t for _, t in lines] == [
        "w /tmp/x second line ]2;title  [ [h@l'oU]] <speak>hi</speak> end",
        "after",
    ]


@posix_only
def test_an_engine_that_crashes_is_reported_once_and_restarted_a_bounded_number_of_times(
    tmp_path, clock
):
    engine, log = fake_engine(tmp_path, "    sys.exit(3)\n")
    speaker = line_speaker(engine, clock)
    problems = []
    for n in range(MAX_RESTARTS + 5):
        speaker.say(f"phrase {n}")
        if speaker._process is not None:
            speaker._process.wait(timeout=30)
        speaker.poll()
        problems.append(speaker.take_problem())
        clock.advance(2)
    said = [t for _, t in heard(log, MAX_RESTARTS + 1)]
    assert said == [f"phrase {n}" for n in range(MAX_RESTARTS + 1)]
    assert speaker.started == MAX_RESTARTS + 1  # then no more engines: no spawn loop
    reported = [p for p in problems if p]
    assert len(reported) == 1 and "exit code 3" in reported[0], problems
    speaker.close()


@posix_only
def test_an_engine_that_closes_its_input_breaks_the_pipe_without_a_loop(tmp_path, clock):
    script = tmp_path / "deaf-engine"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, time\n"
        "os.close(0)\n"
        f"open(os.path.join({str(tmp_path)!r}, f'closed-{{os.getpid()}}'), 'w').close()\n"
        "time.sleep(30)\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    speaker = line_speaker(Engine("espeak-ng", str(script)), clock)
    problems = []
    for _ in range(MAX_RESTARTS + 5):
        speaker.say("hello")  # the pipe of the last engine is broken: a new one gets it
        problems.append(speaker.take_problem())
        if speaker.pid is not None:  # wait until this engine has closed its input
            marker = tmp_path / f"closed-{speaker.pid}"
            deadline = time.monotonic() + 30
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        clock.advance(2)
    reported = [p for p in problems if p]
    assert len(reported) == 1 and "Broken pipe" in reported[0], problems
    assert speaker.started == MAX_RESTARTS + 1
    speaker.close()
    assert speaker._dying == []


@posix_only
def test_an_engine_that_reads_nothing_never_blocks_a_phrase(tmp_path, clock):
    """The pipe is not blocking: once it is full the stuck engine is replaced."""
    script = tmp_path / "stuck-engine"
    script.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n", encoding="utf-8")
    script.chmod(0o755)
    speaker = line_speaker(Engine("espeak-ng", str(script)), clock)
    for _ in range(200):  # 200 kB: more than a pipe holds
        speaker.say("x" * 998)
        clock.advance(2)
    assert speaker.started >= 2
    speaker.close()


def test_an_engine_that_cannot_start_is_reported_once_and_not_retried_forever(tmp_path):
    calls = []

    def popen(*args, **kwargs):
        calls.append(args)
        raise FileNotFoundError(2, "No such file or directory")

    speaker = LineSpeaker(Engine("espeak-ng", str(tmp_path / "gone")), popen=popen)
    for _ in range(20):
        speaker.say("one")
    problem = speaker.take_problem()
    assert problem is not None and "could not run" in problem
    assert speaker.take_problem() is None
    assert len(calls) == MAX_RESTARTS + 1


@pytest.mark.skipif(os.name != "posix", reason="espeak-ng reads lines on POSIX")
def test_real_espeak_ng_stays_up_across_phrases_and_dies_on_close(espeak):
    speaker = open_speaker(espeak)
    assert isinstance(speaker, LineSpeaker)
    pids = []
    for text in ("Raise your hips", "three", "Done. Well done."):
        speaker.say(text)
        pids.append(speaker.pid)
        time.sleep(0.2)  # not a timing assertion: lets the engine read the line
        speaker.poll()
        speaker._busy_until = float("-inf")  # said (no sound device needed to read the line)
    assert len(set(pids)) == 1 and speaker.alive and speaker.take_problem() is None
    process = speaker._process
    speaker.close()
    assert process is not None and gone(process)


@pytest.mark.skipif(os.name != "posix", reason="espeak-ng reads lines on POSIX")
def test_real_espeak_ng_ends_when_trainer_is_killed(espeak):
    """Killed with no chance to close its speaker (SIGKILL), trainer leaves no engine running:
    the engine reads the end of its input and exits."""
    code = (
        "import os, signal, sys\n"
        "from trainer.outputs.speech import Engine, LineSpeaker\n"
        f"speaker = LineSpeaker(Engine('espeak-ng', {espeak.path!r}))\n"
        "speaker.say('Hold')\n"
        "print(speaker.pid, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    app = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert app.returncode == -9, app.stderr
    pid = int(app.stdout)
    deadline = time.monotonic() + 30
    while running(pid):
        assert time.monotonic() < deadline, "the engine outlived trainer"
        time.sleep(0.05)


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

    from trainer.programme.loading import load_routines

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
            assert audible.estimate(text) >= lengths[text], text
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
