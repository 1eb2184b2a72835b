"""The core never imports Textual: the engine, storage, models and CLI stay light and testable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORE = [
    "trainer.engine",
    "trainer.storage.files",
    "trainer.programme.schema",
    "trainer.cli",
    "trainer.text.errors",
    "trainer.coaching.coach",
    "trainer.coaching.display",
    "trainer.records.saved_session",
    "trainer.records.history",
    "trainer.programme.editing",
    "trainer.coaching.lifecycle",
    "trainer.coaching.audible",
    "trainer.outputs.speech",
    "trainer.outputs.hooks",
    "trainer.coaching.follow",
    "trainer.records.drafts",
    "trainer.text.wording",
    "trainer.coaching.dose",
    "trainer.outputs.report",
    "trainer.outputs.remind",
    "trainer.programme.catalog",
    "trainer.programme.constants",
    "trainer.records.session_lock",
]

# Imports the modules named on the command line (and, after "--check FILE", runs
# `trainer check FILE` in-process), then prints which textual modules got loaded.
PROBE = """
import contextlib, importlib, io, json, sys
args = sys.argv[1:]
check = args[args.index("--check") + 1] if "--check" in args else None
for name in args:
    if name.startswith("trainer") or name.startswith("textual"):
        importlib.import_module(name)
if check:
    from trainer.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["check", check]) == 0
print(json.dumps(sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))))
"""


def imported_textual(*args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_engine_alone_does_not_import_textual() -> None:
    assert imported_textual("trainer.engine") == []


def test_core_modules_and_trainer_check_do_not_import_textual() -> None:
    assert imported_textual(*CORE, "--check", str(ROOT / "routines.toml")) == []


def test_the_probe_would_notice_textual() -> None:
    # The checks above can fail: importing the UI does pull Textual in.
    assert "textual" in imported_textual("textual.app")


def test_the_first_screen_does_not_import_the_others() -> None:
    """Start-up imports only what the routine list needs (checked with -X importtime too)."""
    later = [
        "trainer.ui.screens.session",
        "trainer.ui.screens.settings",
        "trainer.ui.screens.summary",
        "trainer.ui.screens.history",
        "trainer.ui.screens.resume",
    ]
    code = (
        "import json, sys, trainer.ui.app; "
        f"print(json.dumps([m for m in {later!r} if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "trainer.ui.screens.picker" in imported
    assert not imported & set(later)


# Runs `trainer ARGS` in-process up to the routine list (the real cli.cmd_app and run_app; the
# App runs headless), then prints what was loaded: the models, pydantic, a plan.
FIRST_FRAME = """
import asyncio, json, sys
from trainer import cli
from trainer.ui import app as app_module

seen = {}

def run(self, *args, **kwargs):
    async def show_list():
        async with self.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            seen["screen"] = type(self.screen).__name__
            seen["routines"] = self.screen.query_one("#routines").option_count
            seen["validated"] = self.workout.validated
    asyncio.run(show_list())

app_module.TrainerApp.run = run
assert cli.main(sys.argv[1:]) == 0
heavy = ("pydantic", "pydantic_core", "annotated_types", "email", "tomli_w")
seen["loaded"] = sorted(
    m for m in sys.modules
    if m.split(".")[0] in heavy
    or m in (
        "trainer.programme.schema",
        "trainer.engine.plan",
        "trainer.records.saved_session",
        "trainer.records.history",
    )
)
print(json.dumps(seen))
"""


def first_frame(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_list_from_a_warm_cache_loads_no_pydantic_and_builds_no_plan(
    isolated_dirs, tmp_path: Path
) -> None:
    """Issue 14: a file validated before and unchanged since opens the routine list without
    pydantic, the models or a plan (the cache of trainer.programme.catalog); the first run, and any
    change, validates first."""
    routines = tmp_path / "routines.toml"
    routines.write_bytes((ROOT / "routines.toml").read_bytes())
    marker = isolated_dirs.state / "trainer" / "advice-seen"  # the advice was read before
    marker.parent.mkdir()
    marker.write_text("2026-01-01T00:00:00+00:00")
    cold = first_frame("--routines", str(routines))
    assert cold["screen"] == "PickerScreen" and cold["routines"] == 3
    assert cold["validated"] is True
    assert "pydantic" in cold["loaded"]  # the probe notices pydantic
    warm = first_frame("--routines", str(routines))
    assert warm["screen"] == "PickerScreen" and warm["routines"] == 3
    assert warm["validated"] is False
    assert warm["loaded"] == []
    routines.write_bytes(routines.read_bytes() + b"\n")  # changed: validated again
    assert first_frame("--routines", str(routines))["validated"] is True
