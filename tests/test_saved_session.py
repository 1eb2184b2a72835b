"""The saved session file (session.json) and the single-writer lock (session.lock)."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lock_helpers import SessionLocked, holding, is_held, take_lock
from pydantic import ValidationError

from trainer.engine import ManualClock as FakeClock
from trainer.engine import Session, State, StepKind, plan_for
from trainer.programme import loading
from trainer.records import saved_session
from trainer.records.saved_session import (
    LoadResult,
    LockHolder,
    SavedSession,
    discard_session,
    load_session,
    lock_path,
    save_session,
    session_path,
)
from trainer.storage import files
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "routines.toml"
BAD_NAME = re.compile(r"^session\.json\.bad-\d{8}-\d{6}(-\d+)?$")


def _permissions_bypassed() -> bool:
    """True for root (or CAP_DAC_OVERRIDE): file modes do not stop reads then."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe"
        probe.write_bytes(b"x")
        probe.chmod(0)
        try:
            probe.read_bytes()
        except PermissionError:
            return False
        return True


BYPASS = _permissions_bypassed()


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated XDG_STATE_HOME (not created yet); returns trainer's state folder in it."""
    home = tmp_path / "xdg-state"
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    return home / "trainer"


def _session_midway() -> tuple[Session, FakeClock]:
    routines = loading.load_routines(SHIPPED)
    plan = plan_for(routines, routines.routines[0].id)
    clock = FakeClock(1000.0)
    session = Session(plan, clock)
    session.start()
    clock.now += 100.5  # somewhere inside the first exercise
    return session, clock


def _saved(**changes: object) -> SavedSession:
    session, _ = _session_midway()
    started = datetime(2024, 3, 5, 14, 2, tzinfo=timezone(timedelta(hours=1)))
    saved = SavedSession.of(session, SHIPPED, started, saved_at=started + timedelta(seconds=100))
    return saved.model_copy(update=changes) if changes else saved


def _bad_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("session.json.bad-"))


def _leftover_temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------- locations


def test_paths_follow_xdg_state_home(state_home: Path) -> None:
    assert session_path() == state_home / "session.json"
    assert lock_path() == state_home / "session.lock"


# --------------------------------------------------------------------------- round trip


def test_missing_file_is_a_fresh_start_and_creates_nothing(state_home: Path) -> None:
    assert load_session() == LoadResult(saved=None, warning=None)
    assert not state_home.exists()


def test_round_trip_keeps_everything_the_resume_prompt_needs(state_home: Path) -> None:
    saved = _saved()
    save_session(saved)

    result = load_session()

    assert result.warning is None
    assert result.saved == saved
    assert result.saved is not None
    assert result.saved.routines_path == str(SHIPPED)
    assert result.saved.pid == os.getpid()
    assert result.saved.saved_at.utcoffset() == timedelta(hours=1)
    assert result.saved.started_at == datetime(2024, 3, 5, 13, 2, tzinfo=UTC)
    assert result.saved.snapshot.elapsed == saved.snapshot.elapsed


def test_restored_session_continues_at_the_saved_step(state_home: Path) -> None:
    session, clock = _session_midway()
    clock.now += 10  # out of the hold (an interrupted hold starts again whole), into "Raise"
    assert session.step.kind is StepKind.MOVE
    save_session(SavedSession.of(session, SHIPPED, datetime.now().astimezone()))

    loaded = load_session().saved
    assert loaded is not None
    clock = FakeClock(1000.0)
    restored, note = Session.restore(session.plan, loaded.snapshot, clock)

    assert note is None
    assert restored.index == session.index
    assert restored.view().remaining == pytest.approx(session.view().remaining)
    assert restored.state is State.RUNNING


def test_saved_at_defaults_to_now_in_local_time(state_home: Path) -> None:
    session, _ = _session_midway()
    before = datetime.now().astimezone()
    saved = SavedSession.of(session, "routines.toml", before)
    assert saved.saved_at.tzinfo is not None
    assert saved.saved_at >= before
    # A relative routines path is stored absolute: the resume prompt runs from anywhere.
    assert saved.routines_path == str(Path.cwd() / "routines.toml")


def test_naive_times_are_refused() -> None:
    saved = _saved()
    with pytest.raises(ValidationError):
        SavedSession.model_validate({**saved.model_dump(), "saved_at": datetime(2024, 3, 5, 14, 2)})


def test_saved_file_is_readable_json_with_a_format_number(state_home: Path) -> None:
    save_session(_saved())
    data = json.loads(session_path().read_text("utf-8"))
    assert data["format"] == 1
    assert data["snapshot"]["routine_id"]
    assert data["saved_at"].endswith("+01:00")


def test_saving_again_replaces_the_file(state_home: Path) -> None:
    save_session(_saved(pid=111))
    save_session(_saved(pid=222))
    result = load_session()
    assert result.saved is not None and result.saved.pid == 222
    assert _leftover_temps(state_home) == []


# --------------------------------------------------------------------------- atomic + modes


def test_failed_rename_leaves_the_old_file_and_no_temp(
    state_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_session(_saved(pid=111))
    before = session_path().read_bytes()

    def fail(src: str, dst: str) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(TrainerError) as info:
        patch.setattr(os, "replace", fail)
        save_session(_saved(pid=222))

    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(session_path()))
    assert "disk is full" in message
    assert session_path().read_bytes() == before
    assert _leftover_temps(state_home) == []
    result = load_session()
    assert result.saved is not None and result.saved.pid == 111


def test_no_permission_to_write_is_one_line(
    state_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files.ensure_dir(state_home)

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(TrainerError) as info:
        save_session(_saved())
    assert "\n" not in str(info.value)
    assert "no permission to write" in str(info.value)
    assert not session_path().exists()


@pytest.mark.skipif(BYPASS, reason="this user writes into read-only folders (root)")
def test_read_only_folder_gives_trainer_error(state_home: Path) -> None:
    save_session(_saved(pid=111))
    state_home.chmod(0o500)
    try:
        with pytest.raises(TrainerError):
            save_session(_saved(pid=222))
    finally:
        state_home.chmod(0o700)
    result = load_session()
    assert result.saved is not None and result.saved.pid == 111


def test_file_is_0600_and_folder_0700(state_home: Path) -> None:
    old = os.umask(0o022)
    try:
        save_session(_saved())
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(session_path()).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(state_home).st_mode) == 0o700


# --------------------------------------------------------------------------- bad files


def _truncated() -> bytes:
    good = _saved().model_dump_json(indent=2).encode()
    return good[: len(good) // 2]


def _wrong_schema() -> bytes:
    data = json.loads(_saved().model_dump_json())
    del data["snapshot"]["step_index"]
    return json.dumps(data).encode()


def _naive_time() -> bytes:
    data = json.loads(_saved().model_dump_json())
    data["saved_at"] = "2024-03-05T14:02:00"
    return json.dumps(data).encode()


def _nan_elapsed() -> bytes:
    text = _saved().model_dump_json()
    return re.sub(rb'"elapsed":[0-9.]+', b'"elapsed":NaN', text.encode())


CORRUPT = {
    "empty": (b"", "is empty"),
    "blank": (b"  \n\n", "is empty"),
    "not json": (b"this is not json\n", "not valid JSON"),
    "truncated": (_truncated(), "cut short"),
    "binary": (bytes(range(256)) * 4, "not text"),
    "wrong schema": (_wrong_schema(), "snapshot.step_index"),
    "json list": (b"[1, 2, 3]", "not a JSON object"),
    "json string": (b'"session"', "not a JSON object"),
    "naive time": (_naive_time(), "saved_at"),
    "NaN": (_nan_elapsed(), "NaN"),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "huge int": (b'{"format": ' + b"9" * 5000 + b"}", "not valid JSON"),
}


@pytest.mark.parametrize("case", list(CORRUPT))
def test_corrupt_file_is_set_aside_with_a_warning(state_home: Path, case: str) -> None:
    raw, why = CORRUPT[case]
    files.ensure_dir(state_home)
    session_path().write_bytes(raw)

    result = load_session()

    assert result.saved is None
    assert result.warning is not None
    assert "\n" not in result.warning and "\r" not in result.warning
    assert why in result.warning
    bad = _bad_files(state_home)
    assert len(bad) == 1
    assert BAD_NAME.match(bad[0].name)
    assert str(bad[0]) in result.warning
    assert bad[0].read_bytes() == raw  # the user's data is kept, byte for byte
    assert not session_path().exists()
    # The app then starts normally: nothing left to warn about, and saving works.
    assert load_session() == LoadResult()
    save_session(_saved())
    assert load_session().saved == _saved()


def test_newer_format_is_set_aside(state_home: Path) -> None:
    data = json.loads(_saved().model_dump_json())
    data["format"] = 2
    data["hologram"] = {"something": "new"}
    files.ensure_dir(state_home)
    session_path().write_text(json.dumps(data))

    result = load_session()

    assert result.saved is None
    assert result.warning is not None
    assert "newer trainer" in result.warning
    assert "format 2" in result.warning
    assert len(_bad_files(state_home)) == 1


def test_newer_snapshot_version_is_set_aside(state_home: Path) -> None:
    data = json.loads(_saved().model_dump_json())
    data["snapshot"]["version"] = 99
    files.ensure_dir(state_home)
    session_path().write_text(json.dumps(data))

    result = load_session()

    assert result.saved is None
    assert result.warning is not None
    assert "newer trainer" in result.warning and "snapshot version 99" in result.warning
    assert len(_bad_files(state_home)) == 1


def test_two_bad_files_in_the_same_second_are_both_kept(
    state_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fixed = datetime(2024, 3, 5, 14, 2, 33).astimezone()
    monkeypatch.setattr(saved_session, "local_now", lambda: fixed)
    files.ensure_dir(state_home)

    session_path().write_bytes(b"first")
    first = load_session().warning
    session_path().write_bytes(b"second")
    second = load_session().warning

    bad = _bad_files(state_home)
    assert [p.name for p in bad] == [
        "session.json.bad-20240305-140233",
        "session.json.bad-20240305-140233-2",
    ]
    assert [p.read_bytes() for p in bad] == [b"first", b"second"]
    assert first is not None and str(bad[0]) in first
    assert second is not None and str(bad[1]) in second


def test_unreadable_file_warns_and_is_set_aside(
    state_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_session(_saved())
    real = os.open

    def deny(name: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.fspath(name) == str(session_path()):  # type: ignore[call-overload]
            raise PermissionError(errno.EACCES, "Permission denied", str(name))
        return real(name, flags, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(os, "open", deny)
        result = load_session()

    assert result.saved is None
    assert result.warning is not None and "permission denied" in result.warning
    assert len(_bad_files(state_home)) == 1
    assert not session_path().exists()


@pytest.mark.skipif(BYPASS, reason="this user reads files whatever their mode (root)")
def test_unreadable_file_for_real(state_home: Path) -> None:
    save_session(_saved())
    session_path().chmod(0)
    result = load_session()
    assert result.saved is None
    assert result.warning is not None and "permission denied" in result.warning


def test_a_folder_where_the_file_should_be_is_set_aside(state_home: Path) -> None:
    session_path().mkdir(parents=True)
    result = load_session()
    assert result.saved is None
    assert result.warning is not None and "folder" in result.warning
    assert len(_bad_files(state_home)) == 1
    save_session(_saved())
    assert load_session().saved is not None


def test_when_moving_aside_fails_the_warning_still_comes(
    state_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files.ensure_dir(state_home)
    session_path().write_bytes(b"{")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    result = load_session()

    assert result.saved is None
    assert result.warning is not None
    assert "could not be moved aside" in result.warning
    assert str(session_path()) in result.warning
    assert session_path().read_bytes() == b"{"


def test_discard_removes_the_file_and_missing_is_fine(state_home: Path) -> None:
    discard_session()  # nothing saved yet
    save_session(_saved())
    discard_session()
    assert not session_path().exists()
    assert load_session() == LoadResult()


# --------------------------------------------------------------------------- the lock

TRY_LOCK = """
import json
from trainer.records.saved_session import LockHolder, SessionLock
got = SessionLock.try_acquire()
if isinstance(got, LockHolder):
    print(json.dumps({"locked": False, "pid": got.pid, "message": got.describe()}))
else:
    print(json.dumps({"locked": True}))
"""

HOLD_LOCK = """
import time
from trainer.records.saved_session import SessionLock
lock = SessionLock.try_acquire()
assert isinstance(lock, SessionLock)
print("held", flush=True)
time.sleep(120)
"""


def _try_in_other_process() -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", TRY_LOCK], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(out.stdout)


def test_second_process_is_refused_and_sees_the_holder(state_home: Path) -> None:
    """Only open (its list): "already open"; with a session in progress: "running a
    session". It was told "running a session" in both cases."""
    with holding() as lock:
        assert is_held(lock)
        only_open = _try_in_other_process()
        lock.mark(session=True)
        in_session = _try_in_other_process()
        lock.mark(session=False)  # the session ended: the list again
        open_again = _try_in_other_process()
    since = f"since {lock.since.astimezone():%H:%M}"
    for other in (only_open, in_session, open_again):
        assert other["locked"] is False
        assert other["pid"] == os.getpid()
    assert only_open["message"] == (
        f"trainer is already open (pid {os.getpid()}, {since}) in another terminal"
    )
    assert in_session["message"] == (
        f"trainer is already running a session (pid {os.getpid()}, {since})"
    )
    assert open_again["message"] == only_open["message"]


def test_marking_the_lock_keeps_it_held_and_the_file_never_empty(state_home: Path) -> None:
    with holding() as lock:
        for session in (True, False, True):
            lock.mark(session=session)
            assert is_held(lock)
            info = json.loads(lock_path().read_text())
            assert info["session"] is session and info["pid"] == os.getpid()
        lock.release()
        lock.mark(session=True)  # after release: nothing written, nothing raised
        assert lock_path().read_text() == ""


def test_what_a_second_trainer_is_told_to_do() -> None:
    assert "follow it here, read-only, or quit" in LockHolder(pid=7, session=True).choices()
    only_open = LockHolder(pid=7, session=False).choices()
    assert "Quit it there and this one takes over" in only_open
    assert "two never write the same files" in only_open
    assert LockHolder(pid=7).choices() == only_open  # an older trainer says nothing: open


def test_released_lock_can_be_taken_by_another_process(state_home: Path) -> None:
    lock = take_lock()
    lock.release()
    assert not is_held(lock)
    lock.release()  # twice is harmless
    assert _try_in_other_process() == {"locked": True}
    assert lock_path().exists()  # never deleted


def test_lock_file_names_the_holder(state_home: Path) -> None:
    with holding():
        info = json.loads(lock_path().read_text())
        assert info["pid"] == os.getpid()
        assert datetime.fromisoformat(info["since"]).tzinfo is not None
        assert stat.S_IMODE(os.stat(lock_path()).st_mode) == 0o600


def test_lock_is_refused_within_the_same_process_too(state_home: Path) -> None:
    with holding(), pytest.raises(SessionLocked) as info:
        take_lock()
    assert info.value.holder.pid == os.getpid()
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("trainer is already open (pid ")


def test_killed_holder_does_not_block(state_home: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"held\n"

        with pytest.raises(SessionLocked) as info:
            take_lock()
        assert info.value.holder.pid == child.pid
        assert f"pid {child.pid}" in str(info.value)

        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        # The dead holder's details are still in the file, but the kernel dropped its lock.
        assert json.loads(lock_path().read_text())["pid"] == child.pid

        with holding() as lock:
            assert is_held(lock)
            assert json.loads(lock_path().read_text())["pid"] == os.getpid()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
        if child.stderr is not None:
            child.stderr.close()


def test_holder_with_unreadable_details_is_still_refused(state_home: Path) -> None:
    with holding():
        # A holder caught between taking the lock and writing its details.
        with open(lock_path(), "w") as handle:
            handle.write("{not json")
        with pytest.raises(SessionLocked) as info:
            take_lock()
    assert info.value.holder == LockHolder()
    assert str(info.value) == (
        "trainer is already open in another terminal; finish or quit it first"
    )


def test_holder_description_from_another_day_and_host() -> None:
    since = datetime(2020, 1, 6, 9, 5).astimezone()
    text = LockHolder(pid=7, since=since, host="other-box-name", session=True).describe()
    assert text == (
        "trainer is already running a session (pid 7, on other-box-name, since Mon 06 Jan 09:05)"
    )
    text = LockHolder(pid=7, since=since, host="other-box-name").describe()
    assert text == (
        "trainer is already open (pid 7, on other-box-name, since Mon 06 Jan 09:05) in another "
        "terminal"
    )


def test_lock_folder_that_cannot_be_created_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    with pytest.raises(TrainerError) as info:
        take_lock()
    assert "\n" not in str(info.value)
    assert str(info.value).startswith(str(blocker / "trainer"))
