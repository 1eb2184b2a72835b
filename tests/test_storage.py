"""Storage: round trips, byte-identical saves, atomic writes, XDG folders, the first-run copy."""

from __future__ import annotations

import difflib
import errno
import os
import stat
from pathlib import Path

import platformdirs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.programme import loading
from trainer.programme.schema import RoutinesFile
from trainer.storage import files
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "routines.toml"


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, list[str], list[str]]]:
    """The differing line blocks between two files, as (op, old lines, new lines)."""
    a = before.decode().splitlines()
    b = after.decode().splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [
        (op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"
    ]


# --------------------------------------------------------------------------- round trips


class TestRoundTrip:
    def test_shipped_file_is_byte_identical_after_a_no_change_save(self) -> None:
        raw = SHIPPED.read_bytes()
        assert loading.dump_routines(loading.load_routines(SHIPPED)) == raw

    def test_load_save_load_is_equal(self, tmp_path: Path, routines: RoutinesFile) -> None:
        target = tmp_path / "routines.toml"
        loading.save_routines(target, routines)
        again = loading.load_routines(target)
        assert again == routines
        assert target.read_bytes() == SHIPPED.read_bytes()

    @pytest.mark.parametrize(
        ("change", "old", "new"),
        [
            (lambda r: setattr(r.exercises[0], "reps", 12), "reps = 15", "reps = 12"),
            (lambda r: setattr(r.timing, "get_ready", 20), "get_ready = 15", "get_ready = 20"),
            (
                lambda r: setattr(r.settings, "checkin_before", True),
                "checkin_before = false",
                "checkin_before = true",
            ),
            (
                lambda r: setattr(r.exercises[2].cues[1], "text", "Hold it"),
                '    { text = "Hold", kind = "hold" },',
                '    { text = "Hold it", kind = "hold" },',
            ),
            (
                lambda r: setattr(r.exercises[3], "reps_range", (3, 6)),
                "    5,",
                "    6,",
            ),
        ],
        ids=["reps", "timing", "checkin", "cue-text", "range"],
    )
    def test_one_value_change_touches_only_that_line(
        self, tmp_path: Path, routines: RoutinesFile, change, old: str, new: str
    ) -> None:
        change(routines)
        target = tmp_path / "routines.toml"
        loading.save_routines(target, routines)
        assert changed_lines(SHIPPED.read_bytes(), target.read_bytes()) == [
            ("replace", [old], [new])
        ]
        assert loading.load_routines(target) == routines


@st.composite
def edited_routines(draw: st.DrawFn) -> RoutinesFile:
    """The shipped file with a few numbers changed, within the model's limits."""
    model = loading.load_routines(SHIPPED)
    for ex in model.exercises:
        ex.sets = draw(st.integers(1, 20))
        ex.reps = draw(st.integers(1, 100))
        ex.rest_between_reps = draw(st.integers(0, 600))
        if ex.hold:
            ex.hold = draw(st.integers(1, 600))
    model.timing.switch_sides = draw(st.integers(0, 600))
    model.settings.checkin_before = draw(st.booleans())
    # Any text a name may hold: every character but controls, line breaks and bidi overrides.
    letters = st.characters(
        codec="utf-8",
        exclude_categories=["Cs", "Cc", "Zl", "Zp"],
        exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
    model.routines[0].name = draw(st.text(letters, min_size=1, max_size=40))
    return model


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(model=edited_routines())
def test_any_valid_model_round_trips(model: RoutinesFile) -> None:
    raw = loading.dump_routines(model)
    assert loading.parse_routines(raw, Path("x.toml")) == model
    assert loading.dump_routines(loading.parse_routines(raw, Path("x.toml"))) == raw


# --------------------------------------------------------------------------- atomic write


class TestAtomicWrite:
    def test_new_file_is_private(self, tmp_path: Path) -> None:
        target = tmp_path / "new.toml"
        old_umask = os.umask(0)  # even with a permissive umask
        try:
            files.atomic_write(target, b"hello\n")
        finally:
            os.umask(old_umask)
        assert target.read_bytes() == b"hello\n"
        assert mode_of(target) == 0o600

    def test_new_file_with_an_explicit_mode(self, tmp_path: Path) -> None:
        target = tmp_path / "new.txt"
        files.atomic_write(target, b"x", mode=0o644)
        assert mode_of(target) == 0o644

    @pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
    def test_existing_file_keeps_its_permissions(self, tmp_path: Path, mode: int) -> None:
        target = tmp_path / "routines.toml"
        target.write_bytes(b"old")
        target.chmod(mode)
        files.atomic_write(target, b"new")
        assert target.read_bytes() == b"new"
        assert mode_of(target) == mode

    def test_creates_missing_folders_privately(self, tmp_path: Path) -> None:
        target = tmp_path / "a" / "b" / "file"
        files.atomic_write(target, b"x")
        assert target.read_bytes() == b"x"
        assert mode_of(tmp_path / "a" / "b") == 0o700

    def test_leaves_no_temp_files(self, tmp_path: Path) -> None:
        target = tmp_path / "routines.toml"
        for i in range(3):
            files.atomic_write(target, f"v{i}".encode())
        assert sorted(p.name for p in tmp_path.iterdir()) == ["routines.toml"]
        assert target.read_bytes() == b"v2"

    @pytest.mark.parametrize("failing", ["replace", "fsync"])
    def test_disk_full_keeps_the_original(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
    ) -> None:
        target = tmp_path / "routines.toml"
        target.write_bytes(b"original")
        target.chmod(0o640)

        def no_space(*args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, failing, no_space)
        with pytest.raises(TrainerError) as caught:
            files.atomic_write(target, b"new content")
        monkeypatch.undo()
        assert str(caught.value) == (
            f"{target}: could not save (the disk is full); the file on disk is unchanged"
        )
        assert target.read_bytes() == b"original"
        assert mode_of(target) == 0o640
        assert sorted(p.name for p in tmp_path.iterdir()) == ["routines.toml"]

    def test_no_permission_is_named(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        target = tmp_path / "routines.toml"
        target.write_bytes(b"original")

        def denied(*args: object, **kwargs: object) -> None:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

        monkeypatch.setattr(os, "replace", denied)
        with pytest.raises(TrainerError) as caught:
            files.atomic_write(target, b"new")
        monkeypatch.undo()
        assert str(caught.value) == (
            f"{target}: could not save (no permission to write in {tmp_path}); "
            "the file on disk is unchanged"
        )
        assert target.read_bytes() == b"original"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["routines.toml"]

    def test_save_failure_keeps_the_routines_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, routines: RoutinesFile
    ) -> None:
        target = tmp_path / "routines.toml"
        loading.save_routines(target, routines)
        routines.exercises[0].reps = 5

        def no_space(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", no_space)
        with pytest.raises(TrainerError, match="the disk is full"):
            loading.save_routines(target, routines)
        monkeypatch.undo()
        assert target.read_bytes() == SHIPPED.read_bytes()


# --------------------------------------------------------------------------- locations


class TestPaths:
    def test_xdg_variables_are_honoured(self, isolated_dirs) -> None:
        assert files.config_dir() == isolated_dirs.config / "trainer"
        assert files.state_dir() == isolated_dirs.state / "trainer"
        assert files.data_dir() == isolated_dirs.data / "trainer"
        assert files.user_routines_path() == isolated_dirs.config / "trainer" / "routines.toml"

    @pytest.mark.parametrize(
        ("var", "function", "fallback"),
        [
            ("XDG_CONFIG_HOME", files.config_dir, platformdirs.user_config_path),
            ("XDG_STATE_HOME", files.state_dir, platformdirs.user_state_path),
            ("XDG_DATA_HOME", files.data_dir, platformdirs.user_data_path),
        ],
    )
    @pytest.mark.parametrize("value", ["", "relative/path"])
    def test_empty_or_relative_values_are_ignored(
        self, monkeypatch: pytest.MonkeyPatch, var, function, fallback, value: str
    ) -> None:
        monkeypatch.setenv(var, value)
        assert function() == fallback("trainer")


class TestUserRoutines:
    def test_created_from_the_default_once(self, isolated_dirs) -> None:
        path = loading.ensure_user_routines()
        assert path == isolated_dirs.config / "trainer" / "routines.toml"
        assert path.read_bytes() == SHIPPED.read_bytes()
        assert mode_of(path) == 0o600
        assert mode_of(path.parent) == 0o700
        assert loading.load_routines(path) == loading.load_routines(SHIPPED)

    def test_never_overwrites_the_users_file(self, isolated_dirs) -> None:
        path = loading.ensure_user_routines()
        mine = path.read_bytes().replace(b"reps = 15", b"reps = 8")
        path.write_bytes(mine)
        assert loading.ensure_user_routines() == path
        assert path.read_bytes() == mine

    def test_never_overwrites_even_a_broken_file(self, isolated_dirs) -> None:
        path = isolated_dirs.config / "trainer" / "routines.toml"
        path.parent.mkdir()
        path.write_bytes(b"this is [not toml")
        assert loading.ensure_user_routines() == path
        assert path.read_bytes() == b"this is [not toml"

    def test_default_is_the_shipped_file(self) -> None:
        assert loading.default_routines_bytes() == SHIPPED.read_bytes()
