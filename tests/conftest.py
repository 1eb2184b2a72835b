"""Shared fixtures: a hand-driven clock, the shipped routines, private XDG folders; the
Hypothesis profiles of the whole suite; and what keeps each test process cheap (its garbage
collector's thresholds, one parse of each stylesheet) and the order the tests are handed out."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

from trainer.engine import ManualClock as FakeClock
from trainer.programme.loading import load_routines
from trainer.programme.schema import RoutinesFile

ROOT = Path(__file__).resolve().parent.parent

# Hypothesis: how many examples every property test tries is chosen HERE, for the whole suite,
# not per test. "quick" (the default) keeps ``python -m pytest`` within five minutes on two
# cores (25 examples: 40 cost 12 s more of CPU, mostly the render fuzz); "thorough"
# (TRAINER_HYPOTHESIS_PROFILE=thorough) tries 400, at least as many as any test did on its own
# before the profiles (150 to 300), for a nightly run or before a release.
# A test keeps only what it needs whatever the profile (``deadline=None``, a health check);
# the render fuzz, whose examples cost seconds each, takes a tenth of the profile's number.
HYPOTHESIS_PROFILES = {"quick": 25, "thorough": 400}
for _name, _examples in HYPOTHESIS_PROFILES.items():
    settings.register_profile(_name, max_examples=_examples, print_blob=True)
HYPOTHESIS_PROFILE = os.environ.get("TRAINER_HYPOTHESIS_PROFILE", "quick")
if HYPOTHESIS_PROFILE not in HYPOTHESIS_PROFILES:
    raise pytest.UsageError(
        f"TRAINER_HYPOTHESIS_PROFILE={HYPOTHESIS_PROFILE!r}: use one of "
        + ", ".join(HYPOTHESIS_PROFILES)
    )
settings.load_profile(HYPOTHESIS_PROFILE)


# The garbage collector, in each test process: a Pilot test builds and drops a whole app (about
# 100,000 objects) in a second, and with Python's default thresholds (700, 10, 10) that ran a
# full collection of the process's 200,000-300,000 long-lived objects (modules, caches) every
# second or so: 15 % of the UI tests' CPU (7.4 of 48 s for test_session, test_side and
# test_long_names, measured with gc.callbacks). A young collection every 50,000 allocations
# instead of every 700 lets most of an app die young: 1.7 s, 42 s in all. Garbage is still
# collected, in bigger batches; the app itself (a `trainer` process) keeps Python's defaults.
gc.set_threshold(50_000, 20, 10)


# Textual parses every stylesheet again for each App it builds (its parse cache belongs to the
# app), and the suite builds about 900 apps in a few processes: an eighth of a Pilot test's CPU.
# The same CSS with the same variables always parses to the same rules, which Textual only
# reads (its own cache hands the same lists out again), so each test process parses each
# stylesheet once per set of variables (a theme). tests/ui/test_stylesheets.py checks that
# Textual's method still has the signature this wraps.
_PARSED: dict[tuple[object, ...], list[RuleSet]] = {}
_textual_parse_rules = Stylesheet._parse_rules


def _parse_rules_once(
    self: Stylesheet,
    css: str,
    read_from: tuple[str, str],
    is_default_rules: bool = False,
    tie_breaker: int = 0,
    scope: str = "",
) -> list[RuleSet]:
    variables = tuple(sorted(self._variables.items()))
    key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
    rules = _PARSED.get(key)
    if rules is None:
        rules = _PARSED[key] = _textual_parse_rules(
            self, css, read_from, is_default_rules, tie_breaker, scope
        )
    return rules


Stylesheet._parse_rules = _parse_rules_once  # type: ignore[method-assign]


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
    """``--snapshot-update`` runs in one process, whatever ``-n`` says (addopts has ``-n 4``):
    syrupy deletes the snapshots of the tests a process did not run, and under pytest-xdist each
    worker runs only some of them. (Runs before xdist's own ``pytest_configure``, which is
    ``trylast``, so no worker is started.)"""
    if config.getoption("update_snapshots", default=False):
        config.option.numprocesses = 0
        config.option.dist = "no"
        config.option.tx = []


#: The few tests that take tens of seconds each (each is a long walk, many trials or many
#: examples), with their seconds of wall clock in a whole run (measured with a per-test timer,
#: 2-core VM, -n 3). Each goes first in its queue (see below): one of them started last keeps
#: the suite running while the other workers have nothing left to do.
LONG_TESTS = {
    "test_kill_9_at_random_moments_loses_at_most_the_current_step": 25.0,
    "test_any_loadable_text_renders_as_typed_on_every_screen": 12.0,
    "test_a_stopped_process_pauses_where_it_was_and_counts_nothing_in_the_gap": 17.0,
    "test_three_calm_sessions_lead_to_a_suggestion_that_changes_one_line": 7.0,
    "test_quitting_with_unsaved_settings_keeps_them_and_offers_them_next_time": 7.0,
    "test_any_saved_session_text_renders_escaped_at_the_resume_prompt": 4.0,
}
#: Mean seconds of the other tests, by kind (measured as above): only used to spread them.
WAITING_SECONDS = 3.0  # tests/e2e: a real trainer in tmux or over ssh
APP_SECONDS = 1.2  # tests/ui: the app under Pilot
OTHER_SECONDS = 0.09
#: The e2e tests are all handed out by the time this share of the others is: the last
#: minutes belong to short tests that fill every core, not to a trainer waited on.
WAITING_DONE_BY = 0.85


def _seconds(item: pytest.Item) -> float:
    name = getattr(item, "originalname", item.name)
    if name in LONG_TESTS:
        return LONG_TESTS[name]
    if _waits(item):
        return WAITING_SECONDS
    return APP_SECONDS if "/ui/" in item.nodeid else OTHER_SECONDS


def _waits(item: pytest.Item) -> bool:
    """Mostly waiting (on a real trainer in a terminal), not computing."""
    return item.nodeid.startswith("tests/e2e/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the tests for pytest-xdist, which hands them out in the order collected (the same
    order in every worker, as xdist requires: this depends on the items only).

    The e2e tests mostly wait on a real trainer; the others keep a core busy. Run one after
    another, the e2e tests left the two cores half idle for the first two minutes and then
    every worker computing for the rest. So the two kinds are merged by their estimated time,
    each in the same share all along (about one worker waiting while the others compute), the
    long tests first in each, and the waiting ones done before the last of the others."""
    waiting = sorted((item for item in items if _waits(item)), key=_long_first)
    busy = sorted((item for item in items if not _waits(item)), key=_long_first)
    waiting_total = sum(map(_seconds, waiting)) or 1.0
    busy_total = WAITING_DONE_BY * sum(map(_seconds, busy)) or 1.0
    merged: list[pytest.Item] = []
    waited = computed = 0.0
    while waiting or busy:
        if waiting and (not busy or waited / waiting_total <= computed / busy_total):
            item = waiting.pop(0)
            waited += _seconds(item)
        else:
            item = busy.pop(0)
            computed += _seconds(item)
        merged.append(item)
    items[:] = merged


def _long_first(item: pytest.Item) -> bool:
    return getattr(item, "originalname", item.name) not in LONG_TESTS
