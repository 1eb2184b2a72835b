"""Issue 18 item 3: ``--out`` never replaces what is not a regular file, never creates folders,
and the standard output (a pipe whose reader leaves, /dev/full, closed) is one line, never a
traceback. Every write goes through :mod:`trainer.storage.files`."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from trainer.cli import main
from trainer.storage import files
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    monkeypatch.chdir(tmp_path)
    return tmp_path


COMMANDS = [
    ["report", "--out"],
    ["remind", "--days", "mon,thu", "--at", "07:30", "--out"],
]


def run(args: list[str], shell_redirect: str = "") -> subprocess.CompletedProcess[str]:
    """``trainer ARGS`` in a new process, its standard output redirected by a shell."""
    command = f'exec "$@" {shell_redirect}'
    return subprocess.run(
        ["bash", "-c", command, "bash", sys.executable, "-m", "trainer", *args],
        capture_output=not shell_redirect.startswith("|"),
        text=True,
        timeout=60,
        check=False,
    )


def one_line_error(stderr: str, words: str) -> None:
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert words in lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=["report", "remind"])
def test_a_fifo_is_written_into_and_stays_a_fifo(home: Path, command: list[str]) -> None:
    fifo = home / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    try:
        assert main([*command, str(fifo)]) == 0
    finally:
        reader.join(10)
        if reader.is_alive():  # nothing was written: unblock the reader
            with contextlib.suppress(OSError):  # ENXIO: it stopped reading meanwhile
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(10)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and got[0].startswith((b"<!DOCTYPE", b"BEGIN:VCALENDAR"))


def test_a_fifo_nobody_reads_is_refused_at_once(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = home / "pipe"
    os.mkfifo(fifo)
    assert main(["report", "--out", str(fifo)]) == 2
    one_line_error(capsys.readouterr().err, "named pipe (FIFO) that nothing reads from")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
@pytest.mark.parametrize("command", COMMANDS, ids=["report", "remind"])
@pytest.mark.parametrize("through_link", [False, True], ids=["node", "link"])
def test_a_device_node_is_written_in_place_never_replaced(
    home: Path, command: list[str], through_link: bool
) -> None:
    """As root a rename onto a device node replaces it; our own null device, not /dev/null."""
    node = home / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    target = node
    if through_link:
        target = home / "link"
        target.symlink_to(node)
    assert main([*command, str(target)]) == 0
    info = os.lstat(node)
    assert stat.S_ISCHR(info.st_mode) and info.st_rdev == os.makedev(1, 3)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_an_atomic_write_never_replaces_a_device(home: Path) -> None:
    """The root of the class: the one atomic writer refuses a device, even for our files.
    (Never tried on the real /dev/null: on a trainer without the fix, as root, it would go.)"""
    node = home / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    with pytest.raises(TrainerError, match="is a device, not a file"):
        files.atomic_write(node, b"x")
    with pytest.raises(TrainerError, match="is a device, not a file"):
        files.atomic_write(node, b"x", private=True)
    assert stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.parametrize("command", COMMANDS, ids=["report", "remind"])
def test_a_missing_folder_is_an_error_never_created(
    home: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    out = home / "no" / "such" / "x.out"
    assert main([*command, str(out)]) == 2
    one_line_error(capsys.readouterr().err, f"the folder {home / 'no' / 'such'} does not exist")
    assert not (home / "no").exists()


def test_a_regular_file_is_replaced_whole_and_keeps_its_mode(home: Path) -> None:
    out = home / "report.html"
    out.write_text("old")
    out.chmod(0o640)
    assert main(["report", "--out", str(out)]) == 0
    assert out.read_text().startswith("<!DOCTYPE")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in home.iterdir() if p.name.endswith(".tmp")] == []


def test_a_folder_is_refused(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--out", str(home)]) == 2
    one_line_error(capsys.readouterr().err, "is a folder")


STDOUT_COMMANDS = [
    ["report", "--out", "-"],
    ["remind", "--days", "mon", "--at", "07:30", "--out", "-"],
    ["report", "--out", "/dev/stdout"],
    ["history"],
    ["history", "--csv"],
    ["check"],
]
IDS = ["report", "remind", "report-dev-stdout", "history", "csv", "check"]


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=IDS)
def test_standard_output_into_a_pipe_that_closes_early_is_quiet(
    home: Path, args: list[str]
) -> None:
    subprocess.run(
        [
            "bash",
            "-c",
            'set -o pipefail; "$@" 2>err | head -c 10 >/dev/null',
            "bash",
            sys.executable,
            "-m",
            "trainer",
            *args,
        ],
        cwd=home,
        timeout=60,
        check=False,
        env={**os.environ, "HOME": str(home)},
    )
    err = (home / "err").read_text()
    assert "Traceback" not in err and "Exception ignored" not in err and "Error" not in err


@pytest.fixture
def full_device(home: Path) -> Path:
    """A "disk full" device: as root our own node (a trainer without the fix, as root, replaces
    the device that ``--out /dev/stdout`` leads to: never risk the machine's /dev/full)."""
    if os.geteuid() != 0:
        return Path("/dev/full")
    node = home / "full"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    return node


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=IDS)
def test_a_full_disk_on_standard_output_is_one_line(
    home: Path, args: list[str], full_device: Path
) -> None:
    done = run(args, f"> {full_device}")
    assert stat.S_ISCHR(os.lstat(full_device).st_mode)
    assert done.returncode != 0
    one_line_error(done.stderr, "the disk is full")


@pytest.mark.parametrize("args", STDOUT_COMMANDS, ids=IDS)
def test_a_closed_standard_output_is_one_line(home: Path, args: list[str]) -> None:
    done = run(args, ">&-")
    assert done.returncode != 0
    one_line_error(done.stderr, "it is closed")
