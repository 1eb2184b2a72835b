"""Shared fixtures: a hand-driven clock, the shipped routines, private XDG folders; and the
Hypothesis profiles of the whole suite."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from trainer.engine import ManualClock as FakeClock
from trainer.programme.loading import load_routines
from trainer.programme.schema import RoutinesFile

ROOT = Path(__file__).resolve().parent.parent

# Hypothesis: how many examples every property test tries is chosen HERE, for the whole suite,
# not per test. "quick" (the default) keeps ``python -m pytest`` within minutes; "thorough"
# (TRAINER_HYPOTHESIS_PROFILE=thorough) tries ten times as many, at least as many as any test
# did on its own before the profiles (150 to 300), for a nightly run or before a release.
# A test keeps only what it needs whatever the profile (``deadline=None``, a health check);
# the render fuzz, whose examples cost seconds each, takes a tenth of the profile's number.
HYPOTHESIS_PROFILES = {"quick": 40, "thorough": 400}
for _name, _examples in HYPOTHESIS_PROFILES.items():
    settings.register_profile(_name, max_examples=_examples, print_blob=True)
HYPOTHESIS_PROFILE = os.environ.get("TRAINER_HYPOTHESIS_PROFILE", "quick")
if HYPOTHESIS_PROFILE not in HYPOTHESIS_PROFILES:
    raise pytest.UsageError(
        f"TRAINER_HYPOTHESIS_PROFILE={HYPOTHESIS_PROFILE!r}: use one of "
        + ", ".join(HYPOTHESIS_PROFILES)
    )
settings.load_profile(HYPOTHESIS_PROFILE)


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


def pytest_configure(config: pytest.Config) -> None:
    """``--snapshot-update`` runs in one process, whatever ``-n`` says (addopts has ``-n 3``):
    syrupy deletes the snapshots of the tests a process did not run, and under pytest-xdist each
    worker runs only some of them. (Runs before xdist's own ``pytest_configure``, which is
    ``trylast``, so no worker is started.)"""
    if config.getoption("update_snapshots", default=False):
        config.option.numprocesses = 0
        config.option.dist = "no"
        config.option.tx = []


#: The few tests that take tens of seconds each (measured with ``--durations``; each is a long
#: walk, many trials or many examples). They run first: pytest-xdist hands tests out in the
#: order collected, and one of these started last keeps the suite running while the other
#: workers have nothing left to do.
LONG_TESTS = (
    "test_kill_9_at_random_moments_loses_at_most_the_current_step",
    "test_any_loadable_text_renders_as_typed_on_every_screen",
    "test_any_saved_session_text_renders_escaped_at_the_resume_prompt",
    "test_a_stopped_process_pauses_where_it_was_and_counts_nothing_in_the_gap",
    "test_three_calm_sessions_lead_to_a_suggestion_that_changes_one_line",
    "test_quitting_with_unsaved_settings_keeps_them_and_offers_them_next_time",
    "test_random_toml_documents",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The :data:`LONG_TESTS` first, the rest in their usual order (the sort is stable, and
    the same in every xdist worker, as xdist requires)."""
    items.sort(key=lambda item: getattr(item, "originalname", item.name) not in LONG_TESTS)
