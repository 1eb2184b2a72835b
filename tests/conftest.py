"""Shared fixtures: a hand-driven clock, the shipped routines, private XDG folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from trainer.engine import ManualClock as FakeClock
from trainer.programme.loading import load_routines
from trainer.programme.schema import RoutinesFile

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clock() -> FakeClock:
    """A fresh clock at 1000.0 (not 0, as a monotonic clock rarely is)."""
    return FakeClock()


@pytest.fixture(scope="session")
def make_clock() -> type[FakeClock]:
    """The FakeClock class, for tests that need several clocks or one per hypothesis example."""
    return FakeClock


@pytest.fixture
def routines() -> RoutinesFile:
    """The shipped ``routines.toml``, loaded afresh for each test (models are mutable)."""
    return load_routines(ROOT / "routines.toml")


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own XDG_CACHE_HOME (the routine list's catalog cache): no test reads
    or writes the cache of the person running the tests, nor another test's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@dataclass(frozen=True)
class IsolatedDirs:
    config: Path
    state: Path
    data: Path


@pytest.fixture
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> IsolatedDirs:
    """XDG_CONFIG_HOME, XDG_STATE_HOME and XDG_DATA_HOME pointed at empty folders in tmp_path."""
    dirs = IsolatedDirs(
        config=tmp_path / "xdg-config", state=tmp_path / "xdg-state", data=tmp_path / "xdg-data"
    )
    for var, folder in (
        ("XDG_CONFIG_HOME", dirs.config),
        ("XDG_STATE_HOME", dirs.state),
        ("XDG_DATA_HOME", dirs.data),
    ):
        folder.mkdir()
        monkeypatch.setenv(var, str(folder))
    return dirs
