"""The command line: --version, --help, `trainer check`, and one line (never a traceback) for
bad input; in-process, plus the installed console script in a real subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trainer import __version__, cli

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "routines.toml"
SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")

ROUTINE_LINES = [
    "  full: Full lower-back routine - 5 exercises, about 39 min",
    "  quick-core: Quick core - 2 exercises, about 11 min",
    "  gentle: Gentle mobility - 3 exercises, about 19 min",
]

#: name -> (file content, or None for "no such file", or "DIR" for a folder; words in the error)
BAD_FILES: dict[str, tuple[str | bytes | None, str]] = {
    "reps-0": (
        SHIPPED_TEXT.replace("reps = 15", "reps = 0", 1),
        ": exercises[0].reps: must be at least 1, got 0",
    ),
    "unknown-key": (
        SHIPPED_TEXT.replace("reps = 15", "rep = 15", 1),
        "did you mean 'reps'?",
    ),
    "duplicate-id": (
        SHIPPED_TEXT.replace('id = "draw-in"', 'id = "bridges"', 1),
        "exercises[1].id: 'bridges' is used twice; ids must be unique",
    ),
    "unknown-exercise": (
        SHIPPED_TEXT.replace(
            '    "cat-stretch",\n    "draw-in",', '    "cat-stretch",\n    "draw",'
        ),
        "routines[2].exercises[1]: no exercise has id 'draw'",
    ),
    "sides-3": (SHIPPED_TEXT.replace("sides = 2", "sides = 3", 1), "must be at most 2, got 3"),
    "hold-without-cue": (
        SHIPPED_TEXT.replace('    { text = "Hold", kind = "hold" },\n', "", 1),
        'exercises[2].hold: is 2 but no cue has kind = "hold"',
    ),
    "hold-cue-with-seconds": (
        SHIPPED_TEXT.replace('kind = "hold" }', 'kind = "hold", seconds = 4 }', 1),
        "a hold cue takes its length from the exercise's 'hold'",
    ),
    "not-toml": (SHIPPED_TEXT.replace("sets = 3", "sets = [3", 1), "not valid TOML"),
    "not-utf8": (b"schema_version = 1\n# caf\xe9\n", "not UTF-8 text"),
    "newer-schema": (
        SHIPPED_TEXT.replace("schema_version = 1", "schema_version = 9", 1),
        ":1: schema_version: 9 is newer than this trainer understands",
    ),
    "missing": (None, "routines file not found"),
    "folder": ("DIR", "is a folder, not a routines file"),
}


def bad_file(tmp_path: Path, name: str) -> tuple[Path, str]:
    content, words = BAD_FILES[name]
    path = tmp_path / f"{name}.toml"
    if content == "DIR":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    return path, words


# --------------------------------------------------------------------------- in-process


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"trainer {__version__}\n"


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: trainer")
    for words in ("check", "--routines PATH", "--resume", "--version", "space pause/resume"):
        assert words in out


def test_check_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    assert "usage: trainer check [-h] [path]" in capsys.readouterr().out


def test_check_shipped_file(capsys: pytest.CaptureFixture[str], isolated_dirs) -> None:
    assert cli.main(["check", str(SHIPPED)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"{SHIPPED}: OK, 5 exercises, 3 routines",
        *ROUTINE_LINES,
    ]
    assert captured.err == ""
    # Checking a given file does not create the user's own.
    assert not (isolated_dirs.config / "trainer").exists()


def test_check_with_routines_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(SHIPPED_TEXT.replace("get_ready = 15", "get_ready = 75", 1))
    assert cli.main(["--routines", str(mine), "check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{mine}: OK, 5 exercises, 3 routines"
    assert lines[1] == "  full: Full lower-back routine - 5 exercises, about 40 min"


def test_check_defaults_to_the_users_file(
    capsys: pytest.CaptureFixture[str], isolated_dirs
) -> None:
    assert cli.main(["check"]) == 0
    mine = isolated_dirs.config / "trainer" / "routines.toml"
    assert capsys.readouterr().out.splitlines() == [
        f"{mine}: OK, 5 exercises, 3 routines",
        *ROUTINE_LINES,
        f"{mine.parent / 'preferences.toml'}: none, defaults",
    ]
    assert mine.read_bytes() == SHIPPED.read_bytes()


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_check_bad_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_dirs, name: str
) -> None:
    path, words = bad_file(tmp_path, name)
    assert cli.main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert captured.err == line + "\n"
    assert line.startswith(f"trainer: {path}")
    assert words in line
    assert "Traceback" not in captured.err


def test_a_bad_file_never_starts_the_app(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_dirs
) -> None:
    path, _ = bad_file(tmp_path, "reps-0")
    assert cli.main(["--routines", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"trainer: {path}:")
    assert err.count("\n") == 1


#: Every path the command line takes, given as '' -> (the one line it gets).
EMPTY_PATHS = {
    "handout --out": (
        ["handout", "--out", ""],
        "--out: the path is empty; give a file name, e.g. --out trainer-handout.html",
    ),
    "report --out": (
        ["report", "--out", ""],
        "--out: the path is empty; give a file name, e.g. --out trainer-report.html",
    ),
    "remind --out": (
        ["remind", "--days", "mon", "--at", "07:30", "--out", ""],
        "--out: the path is empty; give a file name, e.g. --out trainer.ics",
    ),
    "check PATH": (
        ["check", ""],
        "check: the path is empty; give a routines file, e.g. trainer check routines.toml, "
        "or leave it out for your own",
    ),
    "migrate-settings PATH": (
        ["migrate-settings", "", "--yes"],
        "migrate-settings: the path is empty; give a routines file, e.g. trainer "
        "migrate-settings routines.toml, or leave it out for your own",
    ),
    **{
        f"--routines {' '.join(command) or '(the app)'}": (
            ["--routines", "", *command],
            "--routines: the path is empty; give a routines file, e.g. --routines routines.toml",
        )
        for command in ([], ["check"], ["handout"], ["migrate-settings", "--yes"])
    },
}


@pytest.mark.parametrize("name", list(EMPTY_PATHS))
def test_an_empty_path_is_one_line_naming_its_option(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    isolated_dirs,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    """``Path("")`` is ``.``: the error named "." (the folder here), never what was typed."""
    args, expected = EMPTY_PATHS[name]
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert cli.main(args) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"trainer: {expected}\n")
    assert list(here.iterdir()) == []  # nothing written
    assert not (isolated_dirs.config / "trainer").exists()  # nor the user's file made


def test_ctrl_c_exits_quietly(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(path: Path | None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_check", interrupted)
    assert cli.main(["check"]) == 130
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- the real thing


def trainer_command() -> list[str]:
    """The installed console script (beside this Python, or on PATH), else ``python -m``."""
    beside = Path(sys.executable).parent / "trainer"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("trainer")
    return [found] if found else [sys.executable, "-m", "trainer"]


def run_trainer(*args: str, env_dirs) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        XDG_CONFIG_HOME=str(env_dirs.config),
        XDG_STATE_HOME=str(env_dirs.state),
        XDG_DATA_HOME=str(env_dirs.data),
    )
    return subprocess.run(
        [*trainer_command(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_installed_script(tmp_path: Path, isolated_dirs) -> None:
    version = run_trainer("--version", env_dirs=isolated_dirs)
    assert (version.returncode, version.stdout, version.stderr) == (
        0,
        f"trainer {__version__}\n",
        "",
    )

    ok = run_trainer("check", str(SHIPPED), env_dirs=isolated_dirs)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines() == [f"{SHIPPED}: OK, 5 exercises, 3 routines", *ROUTINE_LINES]

    for name in ("reps-0", "not-toml", "not-utf8", "missing", "folder"):
        path, words = bad_file(tmp_path, name)
        bad = run_trainer("check", str(path), env_dirs=isolated_dirs)
        assert bad.returncode == 2, name
        assert bad.stdout == ""
        [line] = bad.stderr.splitlines()
        assert line.startswith(f"trainer: {path}")
        assert words in line
        assert "Traceback" not in bad.stdout + bad.stderr

    first = run_trainer("check", env_dirs=isolated_dirs)
    assert first.returncode == 0, first.stderr
    assert (isolated_dirs.config / "trainer" / "routines.toml").read_bytes() == SHIPPED.read_bytes()
