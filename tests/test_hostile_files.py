"""Hostile and unlucky files: FIFOs, devices, symlinks, loose permissions, a full disk, orphaned
temp files. Each must end in one clear line (or a warning) and never in a hang, a half-written
file, lost data, or a change to a file outside our folders.

Whatever could hang runs in a subprocess with a timeout, so a regression fails instead of
hanging the suite.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lock_helpers import holding

from trainer.programme import loading
from trainer.records import history, saved_session
from trainer.records.history import ExerciseLog, HistoryEntry, Outcome
from trainer.storage import files
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "routines.toml"
#: Long enough for a slow, shared machine to start Python; a hang waits forever.
TIMEOUT = 60


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def entry(day: int = 2) -> HistoryEntry:
    start = datetime(2026, 3, day, 8, 0, tzinfo=UTC)
    return HistoryEntry(
        started_at=start,
        ended_at=start.replace(minute=20),
        routine_id="full",
        routine_name="Full lower-back routine",
        active_seconds=1200,
        outcome=Outcome.FINISHED,
        # Reps done: a session without any is never "last done".
        exercises=[
            ExerciseLog(id="bridges", name="Bridges", sets_done=1, sets=1, reps_done=5, reps=5)
        ],
    )


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``args`` in a fresh Python; a hang is a test failure, not a stuck suite."""
    try:
        return subprocess.run(
            [sys.executable, *args],
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"hung: {' '.join(args)} did not end within {TIMEOUT} s")


@pytest.fixture
def env(isolated_dirs) -> dict[str, str]:
    return {
        "XDG_CONFIG_HOME": str(isolated_dirs.config),
        "XDG_STATE_HOME": str(isolated_dirs.state),
        "XDG_DATA_HOME": str(isolated_dirs.data),
    }


def fifo(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.mkfifo(path)
    return path


# --------------------------------------------------------------------------- item 4: FIFOs


class TestFifos:
    """A named pipe where a data file belongs: one line or a warning, at once."""

    def test_routines_fifo_via_check(self, tmp_path: Path, env) -> None:
        path = fifo(tmp_path / "routines.toml")
        done = run(["-m", "trainer", "check", str(path)], env, tmp_path)
        assert done.returncode == 2
        assert done.stderr == (
            f"trainer: {path}: is a named pipe (FIFO), not a routines file; "
            "give the path of a .toml file\n"
        )

    def test_user_routines_fifo_at_app_start(self, tmp_path: Path, env, isolated_dirs) -> None:
        path = fifo(isolated_dirs.config / "trainer" / "routines.toml")
        done = run(["-m", "trainer"], env, tmp_path)  # a bad file never starts the UI
        assert done.returncode == 2
        assert done.stderr.startswith(f"trainer: {path}: is a named pipe (FIFO)")
        done = run(["-m", "trainer", "--routines", str(path)], env, tmp_path)
        assert done.returncode == 2 and "named pipe (FIFO)" in done.stderr

    @pytest.mark.parametrize(
        "device", ["/dev/zero", "/dev/null", "/dev/tty"], ids=["zero", "null", "tty"]
    )
    def test_a_device_as_routines_is_never_opened(self, tmp_path: Path, env, device) -> None:
        if not os.path.exists(device):
            pytest.skip(f"no {device} here")
        link = tmp_path / "routines.toml"
        link.symlink_to(device)
        done = run(["-m", "trainer", "check", str(link)], env, tmp_path)
        assert done.returncode == 2
        assert done.stderr == (
            f"trainer: {link}: is a device, not a routines file; give the path of a .toml file\n"
        )

    def test_a_socket_as_routines(self, tmp_path: Path) -> None:
        import socket

        path = tmp_path / "routines.toml"
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))
            with pytest.raises(TrainerError, match=r"is a socket, not a routines file"):
                loading.load_routines(path)

    def test_session_json_fifo_is_set_aside(self, tmp_path: Path, env, isolated_dirs) -> None:
        path = fifo(isolated_dirs.state / "trainer" / "session.json")
        script = (
            "from trainer.records import saved_session as s; r = s.load_session(); print(r.warning)"
        )
        done = run(["-c", script], env, tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(
            "saved session could not be read (it is a named pipe (FIFO), not a file); moved it "
            f"to {path}.bad-"
        )
        assert not os.path.lexists(path)
        [aside] = path.parent.glob("session.json.bad-*")
        assert stat.S_ISFIFO(os.lstat(aside).st_mode)  # kept (not deleted), out of the way

    @pytest.mark.parametrize("csv", [False, True], ids=["summary", "csv"])
    def test_history_fifo_via_cli(self, tmp_path: Path, env, isolated_dirs, csv) -> None:
        path = fifo(isolated_dirs.data / "trainer" / "history.jsonl")
        done = run(["-m", "trainer", "history", *(["--csv"] if csv else [])], env, tmp_path)
        assert done.returncode == 2
        assert done.stderr == (
            f"trainer: {path}: cannot read the history: it is a named pipe (FIFO), not a file\n"
        )

    def test_history_fifo_on_the_list_and_the_history_screen(
        self, tmp_path: Path, env, isolated_dirs
    ) -> None:
        path = fifo(isolated_dirs.data / "trainer" / "history.jsonl")
        script = textwrap.dedent(
            f"""
            import asyncio
            from pathlib import Path
            from trainer.programme.loading import load_routines
            from trainer.ui.app import TrainerApp
            from textual.widgets import Label

            async def main():
                path = Path({str(SHIPPED)!r})
                app = TrainerApp(path, load_routines(path), show_advice=False)
                async with app.run_test(size=(80, 24), notifications=True) as pilot:
                    for _ in range(2):
                        await pilot.pause()
                        await app.workers.wait_for_complete()
                    print("SCREEN", type(app.screen).__name__)
                    for note in app._notifications:
                        print("NOTE", note.message)
                    await pilot.press("h")
                    for _ in range(2):
                        await pilot.pause()
                        await app.workers.wait_for_complete()
                    print("SCREEN", type(app.screen).__name__)
                    for label in app.screen.query(".warning").results(Label):
                        print("WARNING", label.render())
                    await pilot.press("q")

            asyncio.run(main())
            """
        )
        done = run(["-c", script], env, tmp_path)
        assert done.returncode == 0, done.stderr
        problem = f"{path}: cannot read the history: it is a named pipe (FIFO), not a file"
        assert done.stdout.splitlines() == [
            "SCREEN PickerScreen",
            f"NOTE History not read: {problem}",
            "SCREEN HistoryScreen",
            f"WARNING History not read: {problem}",
        ]

    def test_lock_fifo_and_lock_symlink(self, state_dir: Path, tmp_path: Path) -> None:
        lock = fifo(state_dir / "session.lock")
        with pytest.raises(TrainerError) as caught:
            saved_session.SessionLock.try_acquire()
        assert str(caught.value) == (
            f"{lock}: cannot open the session lock (it is a named pipe (FIFO), not a file); "
            "remove it, or check the folder's permissions"
        )
        lock.unlink()
        precious = tmp_path / "precious.txt"
        precious.write_text("keep me\n")
        lock.symlink_to(precious)
        with pytest.raises(TrainerError, match=r"symbolic link, not a file"):
            saved_session.SessionLock.try_acquire()
        assert precious.read_text() == "keep me\n"  # never truncated through the link

    def test_pending_fifo(self, tmp_path: Path, env, isolated_dirs) -> None:
        path = fifo(isolated_dirs.state / "trainer" / history.PENDING_FILENAME)
        script = "from trainer.records import history; print(history.flush_pending())"
        done = run(["-c", script], env, tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout == (
            f"{path}: sessions waiting for the history could not be read "
            "(it is a named pipe (FIFO), not a file)\n"
        )

    def test_advice_marker_fifo_is_not_a_marker_and_is_replaced(self, state_dir: Path) -> None:
        marker = fifo(state_dir / "advice-seen")
        assert not files.is_file(marker)
        files.atomic_write(marker, b"seen", private=True)
        assert files.is_file(marker) and mode_of(marker) == 0o600

    def test_a_folder_in_place_of_the_pending_file(self, state_dir: Path) -> None:
        (state_dir / history.PENDING_FILENAME).mkdir()
        note = history.flush_pending()
        assert note is not None and "it is a folder, not a file" in note


@pytest.fixture
def state_dir(isolated_dirs) -> Path:
    folder = isolated_dirs.state / "trainer"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def data_dir(isolated_dirs) -> Path:
    folder = isolated_dirs.data / "trainer"
    folder.mkdir(mode=0o700)
    return folder


# --------------------------------------------------------------------------- item 5: full disk


def failing_write(monkeypatch: pytest.MonkeyPatch, part: int = 17) -> list[int]:
    """os.write writes ``part`` bytes of the first call, then the disk is full."""
    real = os.write
    calls: list[int] = []

    def write(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) == 1:
            return real(fd, bytes(data)[:part])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", write)
    return calls


class TestFullDisk:
    def test_a_failed_append_leaves_the_file_exactly_as_it_was_and_keeps_the_session(
        self, data_dir: Path, state_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        history.append_entry(entry(1))
        path = history.history_path()
        before = path.read_bytes()
        with monkeypatch.context() as patch:
            calls = failing_write(patch)
            with pytest.raises(TrainerError) as caught:
                history.append_entry(entry(2))
        assert len(calls) == 2  # part of the line went in before the disk was full
        assert path.read_bytes() == before
        pending = state_dir / history.PENDING_FILENAME
        assert str(caught.value) == (
            f"{path}: could not add the session to the history (the disk is full); kept it in "
            f"{pending}; it is added to the history at the next start"
        )
        assert mode_of(pending) == 0o600
        assert history.read_entries() == ([entry(1)], [])

        # The next start adds it, says so, and removes the pending file.
        note = history.flush_pending()
        assert note == "added 1 session that could not be saved earlier to the history"
        assert history.read_entries() == ([entry(1), entry(2)], [])
        assert not pending.exists()
        assert history.flush_pending() is None

    def test_a_cut_last_line_is_restored_too(
        self, data_dir: Path, state_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = history.history_path()
        path.write_bytes(entry(1).model_dump_json().encode() + b"\n" + b'{"version": 1, "sta')
        before = path.read_bytes()
        with monkeypatch.context() as patch:
            failing_write(patch, part=3)
            with pytest.raises(TrainerError):
                history.append_entry(entry(2))
        assert path.read_bytes() == before

    def test_two_failures_keep_both_sessions_in_order(
        self, data_dir: Path, state_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        for day in (2, 3):
            with monkeypatch.context() as patch:
                failing_write(patch)
                with pytest.raises(TrainerError):
                    history.append_entry(entry(day))
        with monkeypatch.context() as patch:  # still full at the next start: kept again
            failing_write(patch)
            note = history.flush_pending()
        assert note == (
            "2 sessions still waiting to be added to the history (the disk is full); "
            f"kept in {state_dir / history.PENDING_FILENAME}"
        )
        assert history.read_entries() == ([], [])
        assert history.flush_pending() == (
            "added 2 sessions that could not be saved earlier to the history"
        )
        assert history.read_entries() == ([entry(2), entry(3)], [])

    def test_a_crash_between_adding_and_removing_the_pending_file_adds_once(
        self, data_dir: Path, state_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        with monkeypatch.context() as patch:
            failing_write(patch)
            with pytest.raises(TrainerError):
                history.append_entry(entry(2))
        pending = state_dir / history.PENDING_FILENAME
        history.history_path().write_bytes(pending.read_bytes())  # added, then a crash
        history.flush_pending()
        assert history.read_entries() == ([entry(2)], [])
        assert not pending.exists()

    def test_when_the_session_cannot_be_kept_either_the_message_says_so(
        self, data_dir: Path, state_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def full(*args: object, **kwargs: object) -> None:
            raise TrainerError("could not save (the disk is full); the file on disk is unchanged")

        monkeypatch.setattr(files, "atomic_write", full)
        failing_write(monkeypatch)
        with pytest.raises(TrainerError) as caught:
            history.append_entry(entry(2))
        assert "it could not be kept for later either (could not save (the disk is full)" in str(
            caught.value
        )

    def test_damaged_pending_lines_are_set_aside_not_added(
        self, data_dir: Path, state_dir: Path
    ) -> None:
        pending = state_dir / history.PENDING_FILENAME
        pending.write_bytes(entry(2).model_dump_json().encode() + b"\nnot json\n")
        note = history.flush_pending()
        assert note == (
            "added 1 session that could not be saved earlier to the history; 1 damaged line "
            f"kept in {pending}.bad"
        )
        assert history.read_entries() == ([entry(2)], [])

    def test_a_real_full_file_system(
        self, tmp_path: Path, isolated_dirs, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A 64 KiB tmpfs filled up: the append fails part-way for real (root only)."""
        disk = tmp_path / "disk"
        disk.mkdir()
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(disk)],
            capture_output=True,
            check=False,
        )
        if mounted.returncode != 0:
            pytest.skip("cannot mount a small tmpfs here (needs root)")
        try:
            path = disk / "history.jsonl"
            history.append_entry(entry(1), path)
            before = path.read_bytes()
            filler = disk / "filler"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
            try:  # every free page, so the next page cannot be had
                while True:
                    os.write(fd, b"x" * 512)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
            finally:
                os.close(fd)
            line = entry(2).model_copy(update={"routine_name": "x" * 5000})
            with pytest.raises(TrainerError, match=r"\(the disk is full\)"):
                history.append_entry(line, path)
            assert path.read_bytes() == before
            assert history.read_entries(path) == ([entry(1)], [])
        finally:
            subprocess.run(["umount", str(disk)], check=False)


# --------------------------------------------------------------------------- item 6: links, modes


class TestSymlinksAndModes:
    def test_a_symlinked_routines_file_is_saved_through_the_link(self, tmp_path: Path) -> None:
        dotfiles = tmp_path / "dotfiles"
        dotfiles.mkdir()
        real = dotfiles / "routines.toml"
        real.write_bytes(SHIPPED.read_bytes())
        real.chmod(0o640)
        config = tmp_path / "config"
        config.mkdir()
        link = config / "routines.toml"
        link.symlink_to(real)

        model = loading.load_routines(link)
        model.exercises[0].reps = 12
        loading.save_routines(link, model)

        assert link.is_symlink() and os.readlink(link) == str(real)
        assert loading.load_routines(real).exercises[0].reps == 12
        assert mode_of(real) == 0o640  # the person's file keeps its mode
        assert sorted(p.name for p in dotfiles.iterdir()) == ["routines.toml"]
        assert sorted(p.name for p in config.iterdir()) == ["routines.toml"]

    def test_a_relative_symlink_chain(self, tmp_path: Path) -> None:
        (tmp_path / "a").mkdir()
        real = tmp_path / "a" / "real.toml"
        real.write_bytes(SHIPPED.read_bytes())
        (tmp_path / "a" / "middle.toml").symlink_to("real.toml")
        link = tmp_path / "routines.toml"
        link.symlink_to("a/middle.toml")
        model = loading.load_routines(link)
        model.settings.checkin_before = True
        loading.save_routines(link, model)
        assert link.is_symlink() and (tmp_path / "a" / "middle.toml").is_symlink()
        assert loading.load_routines(real).settings.checkin_before is True

    def test_a_session_json_symlink_to_a_0666_file_becomes_a_private_file(
        self, state_dir: Path, tmp_path: Path, routines
    ) -> None:
        elsewhere = tmp_path / "shared.json"
        elsewhere.write_text("{}")
        elsewhere.chmod(0o666)
        path = saved_session.session_path()
        path.symlink_to(elsewhere)
        saved_session.save_session(_saved(routines))
        assert not path.is_symlink() and stat.S_ISREG(os.lstat(path).st_mode)
        assert mode_of(path) == 0o600
        assert elsewhere.read_text() == "{}" and mode_of(elsewhere) == 0o666  # untouched
        assert saved_session.load_session().saved is not None

    def test_state_and_history_files_are_0600_whatever_they_were(
        self, state_dir: Path, data_dir: Path, routines
    ) -> None:
        session = saved_session.session_path()
        session.write_text("{}")
        session.chmod(0o666)
        saved_session.save_session(_saved(routines))
        assert mode_of(session) == 0o600

        hist = history.history_path()
        hist.write_bytes(b"")
        hist.chmod(0o644)
        history.append_entry(entry())
        assert mode_of(hist) == 0o600

        lock = saved_session.lock_path()
        lock.write_bytes(b"")
        lock.chmod(0o666)
        with holding():
            assert mode_of(lock) == 0o600

        marker = state_dir / "advice-seen"
        marker.write_bytes(b"")
        marker.chmod(0o644)
        files.atomic_write(marker, b"x", private=True)
        assert mode_of(marker) == 0o600

    def test_a_symlinked_history_is_appended_through_and_its_mode_left(
        self, data_dir: Path, tmp_path: Path
    ) -> None:
        elsewhere = tmp_path / "synced-history.jsonl"
        elsewhere.write_bytes(b"")
        elsewhere.chmod(0o644)
        history.history_path().symlink_to(elsewhere)
        history.append_entry(entry())
        assert history.history_path().is_symlink()
        assert mode_of(elsewhere) == 0o644
        assert history.read_entries() == ([entry()], [])

    @pytest.mark.parametrize("loose", [0o777, 0o770, 0o702, 0o720], ids=oct)
    def test_a_folder_others_can_write_to_is_tightened_with_one_warning(
        self, isolated_dirs, loose: int
    ) -> None:
        folder = isolated_dirs.state / "trainer"
        folder.mkdir()
        folder.chmod(loose)
        warnings = files.tidy_folders()
        assert warnings == [
            f"{folder}: others could change your data here (mode {loose:04o}); made the "
            "folder private (0700)"
        ]
        assert mode_of(folder) == 0o700
        assert files.tidy_folders() == []  # once

    def test_a_loose_folder_that_is_not_ours_is_only_reported(
        self, isolated_dirs, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        folder = isolated_dirs.data / "trainer"
        folder.mkdir()
        folder.chmod(0o777)
        monkeypatch.setattr(os, "getuid", lambda: os.lstat(folder).st_uid + 1)
        [warning] = files.tidy_folders()
        assert "is not yours" in warning
        assert mode_of(folder) == 0o777

    def test_orphaned_temp_files_are_removed_and_nothing_else(
        self, isolated_dirs, tmp_path: Path
    ) -> None:
        config = isolated_dirs.config / "trainer"
        state = isolated_dirs.state / "trainer"
        dotfiles = tmp_path / "dotfiles"
        for folder in (config, state, dotfiles):
            folder.mkdir(mode=0o700)
        orphans = [
            config / ".routines.toml.k2j_x9q1.tmp",
            state / ".session.json.abcdefgh.tmp",
            state / ".advice-seen.12345678.tmp",
            dotfiles / ".routines.toml.zzzzzzzz.tmp",
        ]
        kept = [
            config / "routines.tmp",  # not our pattern
            config / ".routines.toml.short.tmp",
            state / "session.json",
            dotfiles / ".other.toml.zzzzzzzz.tmp",  # not our file's, not our folder
        ]
        for path in orphans + kept:
            path.write_bytes(b"x")
        looks_like_ours = state / ".dir.aaaaaaaa.tmp"
        looks_like_ours.mkdir()
        (dotfiles / "routines.toml").write_bytes(SHIPPED.read_bytes())
        (config / "routines.toml").symlink_to(dotfiles / "routines.toml")

        files.tidy_folders((config / "routines.toml",))

        assert [p for p in orphans if os.path.lexists(p)] == []
        assert all(p.exists() for p in kept)
        assert looks_like_ours.is_dir()


def _saved(routines) -> saved_session.SavedSession:
    from trainer.engine import Session, plan_for

    session = Session(plan_for(routines, "full"), lambda: 1000.0)
    session.start()
    now = datetime(2026, 3, 5, 14, 3, tzinfo=UTC)
    return saved_session.SavedSession.of(session, SHIPPED, now, saved_at=now)


def test_the_app_start_tidies_flushes_and_warns_through_the_startup_warning(
    isolated_dirs, monkeypatch: pytest.MonkeyPatch, routines
) -> None:
    """run_app (the lock held): folder tightened, orphan removed, pending session added, and
    all of it said in the start-up notification."""
    from trainer.ui import app as app_module

    state = isolated_dirs.state / "trainer"
    state.mkdir()
    state.chmod(0o777)
    orphan = state / ".session.json.abcdefgh.tmp"
    orphan.write_bytes(b"{")
    (state / history.PENDING_FILENAME).write_bytes(entry().model_dump_json().encode() + b"\n")
    seen: dict[str, object] = {}

    def fake_run(self: app_module.TrainerApp) -> None:
        seen["warning"] = self.flow.options.warning

    monkeypatch.setattr(app_module.TrainerApp, "run", fake_run)
    app_module.run_app(SHIPPED, routines)
    assert seen["warning"] == (
        f"{state}: others could change your data here (mode 0777); made the folder private "
        "(0700)\nadded 1 session that could not be saved earlier to the history"
    )
    assert mode_of(state) == 0o700
    assert not orphan.exists()
    assert history.read_entries() == ([entry()], [])


# --------------------------------------------------------------------------- item 7: files


class TestByteOrderMark:
    def test_a_file_with_a_bom_loads_and_a_no_change_save_is_byte_identical(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "routines.toml"
        raw = files.BOM + SHIPPED.read_bytes()
        path.write_bytes(raw)
        model = loading.load_routines(path)
        loading.save_routines(path, model)
        assert path.read_bytes() == raw

    def test_a_change_keeps_the_bom(self, tmp_path: Path) -> None:
        path = tmp_path / "routines.toml"
        path.write_bytes(files.BOM + SHIPPED.read_bytes())
        model = loading.load_routines(path)
        model.exercises[0].reps = 12
        loading.save_routines(path, model)
        assert path.read_bytes().startswith(files.BOM + b"schema_version = 1\n")
        assert loading.load_routines(path).exercises[0].reps == 12

    def test_errors_in_a_bom_file_keep_their_line(self, tmp_path: Path) -> None:
        path = tmp_path / "routines.toml"
        text = SHIPPED.read_text().replace("reps = 15", "reps = 0", 1)
        path.write_bytes(files.BOM + text.encode())
        line = text.splitlines().index("reps = 0") + 1
        with pytest.raises(TrainerError, match=rf"^{path}:{line}: exercises\[0\]\.reps"):
            loading.load_routines(path)


HUGE = "9" * 5000


class TestHugeNumbers:
    def test_routines(self, tmp_path: Path) -> None:
        path = tmp_path / "routines.toml"
        text = SHIPPED.read_text().replace("reps = 15", f"reps = {HUGE}", 1)
        path.write_text(text)
        line = text.splitlines().index(f"reps = {HUGE}") + 1
        with pytest.raises(TrainerError) as caught:
            loading.load_routines(path)
        assert str(caught.value) == (
            f"{path}:{line}: a number is too large; use a number of a few digits"
        )

    def test_routines_just_under_the_limit(self, tmp_path: Path) -> None:
        path = tmp_path / "routines.toml"
        path.write_text(SHIPPED.read_text().replace("reps = 15", f"reps = {'9' * 4000}", 1))
        with pytest.raises(TrainerError) as caught:
            loading.load_routines(path)
        assert str(caught.value).endswith(
            "exercises[0].reps: must be at most 100, got a number that is too large"
        )

    def test_session_json(self, state_dir: Path) -> None:
        saved_session.session_path().write_text(f'{{"format": {HUGE}}}')
        warning = saved_session.load_session().warning
        assert warning is not None
        assert warning.startswith("saved session is not valid JSON (a number is too large)")
        assert "set_int_max_str_digits" not in warning

    def test_history_line(self, data_dir: Path) -> None:
        path = history.history_path()
        good = entry().model_dump_json()
        path.write_text(good + "\n" + good.replace('"version":1', f'"version":{HUGE}') + "\n")
        assert history.read_entries() == (
            [entry()],
            [f"{path}:2: skipped a damaged line (a number is too large)"],
        )


ADVICE_INLINE = (
    'advice = { stop_if_worse = "a", see_doctor = "b", posture = "c", lifting = "d", '
    'why_core = "e" }'
)
EXERCISE_INLINE = (
    '{ id = "a", name = "A", muscle = "m", why = "w", steps = ["s"], sets = 1, reps = 1, '
    "hold = 0, sides = 1, rest_between_reps = 0, rest_between_sets = 0, "
    'cues = [{ text = "Up", seconds = 1 }] }'
)

# Several layouts of the same mistakes: the line is that of the key or value at fault, found in
# the file as written (the marker comment "# <-" is on the expected line).
LAYOUTS = {
    "duplicate-id-dotted-keys": (
        """
        schema_version = 1
        source.title = "t"
        source.note = "n"
        ADVICE_INLINE
        [[exercises]]
          id = "a"
          name = "A"
          muscle = "m"
          why = "w"
          steps = ["s"]
          sets = 1
          reps = 1
          hold = 0
          sides = 1
          rest_between_reps = 0
          rest_between_sets = 0
          cues = [{ text = "Up", seconds = 1 }]
        [[exercises]]
          name = "B"
          id = "a"  # <-
          muscle = "m"
          why = "w"
          steps = ["s"]
          sets = 1
          reps = 1
          hold = 0
          sides = 1
          rest_between_reps = 0
          rest_between_sets = 0
          cues = [{ text = "Up", seconds = 1 }]
        [[routines]]
        id = "r"
        name = "R"
        description = "d"
        exercises = ["a"]
        """,
        "exercises[1].id: 'a' is used twice; ids must be unique",
    ),
    "unknown-exercise-one-line-list": (
        """
        schema_version = 1
        [source]
        title = "t"
        note = '''
        a [[note]] with
        brackets and = signs
        '''
        [advice]
        stop_if_worse = "a"
        see_doctor = "b"
        posture = "c"
        lifting = "d"
        why_core = "e"
        [[exercises]]
        id = "a"
        name = "A"
        muscle = "m"
        why = "w"
        steps = ["s"]
        sets = 1
        reps = 1
        hold = 0
        sides = 1
        rest_between_reps = 0
        rest_between_sets = 0
        cues = [{ text = "Up", seconds = 1 }]
        [[routines]]
        id = "r"
        name = "R"
        description = "d"
        exercises = [
          "a",
          # a comment with "quotes" and [brackets]
          "nope",  # <-
        ]
        """,
        "routines[0].exercises[1]: no exercise has id 'nope' (known: a)",
    ),
    "unknown-key-in-an-inline-table": (
        """
        schema_version = 1
        source = { title = "t", note = "n" }
        settings = { bell = true, colour = "red" }  # <-
        ADVICE_INLINE
        exercises = [
          EXERCISE_INLINE,
        ]
        routines = [{ id = "r", name = "R", description = "d", exercises = ["a"] }]
        """,
        "settings.colour: is not a known key; remove it or check its spelling",
    ),
    "unknown-key-dotted-in-an-array-table": (
        """
        schema_version = 1
        [source]
        title = "t"
        note = "n"
        [advice]
        stop_if_worse = "a"
        see_doctor = "b"
        posture = "c"
        lifting = "d"
        why_core = "e"
        [[exercises]]
        id = "a"
        name = "A"
        muscle = "m"
        why = "w"
        steps = ["s"]
        sets = 1
        reps = 1
        hold = 0
        sides = 1
        rest_between_reps = 0
        rest_between_sets = 0
        [[exercises.cues]]
        text = "Up"
        seconds = 1
        [[exercises.cues]]
        text = "Down"
        "seconds" = 1
        zzz.deep = 2  # <-
        [[routines]]
        id = "r"
        name = "R"
        description = "d"
        exercises = ["a"]
        """,
        "exercises[0].cues[1].zzz: is not a known key; remove it or check its spelling",
    ),
    "hold-without-a-hold-cue-indented": (
        """
        schema_version = 1
        [source]
            title = "t"
            note = "n"
        [advice]
            stop_if_worse = "a"
            see_doctor = "b"
            posture = "c"
            lifting = "d"
            why_core = "e"
        [[exercises]]
            id = "a"
            name = "A"
            muscle = "m"
            why = "w"
            steps = ["s"]
            sets = 1
            reps = 1
            hold   =   5  # <-
            sides = 1
            rest_between_reps = 0
            rest_between_sets = 0
            cues = [
                { text = "Up", seconds = 1 },
            ]
        [[routines]]
            id = "r"
            name = "R"
            description = "d"
            exercises = ["a"]
        """,
        'exercises[0].hold: is 5 but no cue has kind = "hold"; add one or set hold = 0',
    ),
    "schema-version-late": (
        """
        # a comment first
        [source]
        title = "t"
        note = "n"
        """,
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_errors_across_the_file_name_the_line_in_any_layout(tmp_path: Path, name: str) -> None:
    text, message = LAYOUTS[name]
    text = textwrap.dedent(text).lstrip("\n")
    text = text.replace("ADVICE_INLINE", ADVICE_INLINE).replace("EXERCISE_INLINE", EXERCISE_INLINE)
    if message is None:  # schema_version, placed after the tables in a dotted form
        text = text.replace("[source]", "schema_version = 7  # <-\n[source]")
        message = "schema_version: 7 is newer than this trainer understands (1); upgrade trainer"
    path = tmp_path / "routines.toml"
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "# <-" in row)
    with pytest.raises(TrainerError) as caught:
        loading.load_routines(path)
    assert str(caught.value) == f"{path}:{line}: {message}"


# --------------------------------------------------------------------------- the cached reader


class TestHistoryReader:
    def test_reads_only_what_was_appended(
        self, data_dir: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        reader = history.HistoryReader()
        for day in (1, 2, 3):
            history.append_entry(entry(day))
        assert reader.summary().entries == (entry(1), entry(2), entry(3))
        starts: list[int] = []
        real = files.read_fd

        def spy(fd: int, start: int = 0) -> bytes:
            starts.append(start)
            return real(fd, start)

        monkeypatch.setattr(files, "read_fd", spy)
        size = history.history_path().stat().st_size
        history.append_entry(entry(4))
        summary = reader.summary()
        assert starts == [size]
        assert summary.entries == (entry(1), entry(2), entry(3), entry(4))
        assert summary.last_done == {"full": entry(4).ended_at}
        assert history.read_entries() == (list(summary.entries), [])

    def test_a_replaced_or_shortened_file_is_read_again(self, data_dir: Path) -> None:
        reader = history.HistoryReader()
        path = history.history_path()
        for day in (1, 2):
            history.append_entry(entry(day))
        assert len(reader.summary().entries) == 2
        path.write_bytes(entry(5).model_dump_json().encode() + b"\n")  # same size class
        assert reader.summary().entries == (entry(5),)
        tmp = path.with_name("new")
        tmp.write_bytes(b"".join(entry(d).model_dump_json().encode() + b"\n" for d in (6, 7)))
        os.replace(tmp, path)
        assert reader.summary().entries == (entry(6), entry(7))
        path.unlink()
        assert reader.summary().entries == ()

    def test_a_line_being_written_is_read_again_once_complete(self, data_dir: Path) -> None:
        reader = history.HistoryReader()
        path = history.history_path()
        line = entry(1).model_dump_json().encode()
        path.write_bytes(line[:30])
        first = reader.summary()
        assert first.entries == () and len(first.warnings) == 1
        with path.open("ab") as out:
            out.write(line[30:] + b"\n")
        assert reader.summary() == history.HistorySummary(
            records=(entry(1),),
            entries=(entry(1),),
            warnings=(),
            last_done={"full": entry(1).ended_at},
        )

    def test_warnings_keep_their_line_numbers_across_reads(self, data_dir: Path) -> None:
        reader = history.HistoryReader()
        path = history.history_path()
        history.append_entry(entry(1))
        reader.summary()
        with path.open("ab") as out:
            out.write(b"garbage\n")
        history.append_entry(entry(2))
        summary = reader.summary()
        assert summary.entries == (entry(1), entry(2))
        assert [w.split(": skipped")[0] for w in summary.warnings] == [f"{path}:2"]


def test_the_readers_promise_holds_for_json_written_by_hand(data_dir: Path) -> None:
    """Same answer as a full read whatever the file holds (hand edits, odd spacing)."""
    path = history.history_path()
    rows = [json.loads(entry(d).model_dump_json()) for d in (1, 2, 3)]
    path.write_text("\n\n".join(json.dumps(r, indent=None, separators=(" ,", " : ")) for r in rows))
    summary = history.HistoryReader().summary()
    assert list(summary.entries) == history.read_entries()[0] == [entry(1), entry(2), entry(3)]
