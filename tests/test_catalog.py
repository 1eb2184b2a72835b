"""The routine list's catalog and its cache (trainer.programme.catalog): hit, miss, damage,
hostility.

No Textual here: what the list shows is plain data, and the cache is a file like any other.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytest

from trainer import cli
from trainer.coaching.lifecycle import FileStore, Workout
from trainer.engine import plan_for
from trainer.programme import catalog, loading
from trainer.programme.catalog import CachedSettings, Catalog, catalog_of, read_cache, write_cache
from trainer.programme.preferences import Ignored
from trainer.programme.schema import RoutinesFile
from trainer.storage import files
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "routines.toml"


def catalog_for(routines: RoutinesFile, ignored: Sequence[Ignored] = ()) -> Catalog:
    return catalog_of(routines, lambda rid: plan_for(routines, rid).total, ignored)


@pytest.fixture
def routines_file(tmp_path: Path) -> Path:
    path = tmp_path / "routines.toml"
    path.write_bytes(SHIPPED.read_bytes())
    return path


def cached_document(path: Path) -> dict:
    return json.loads(catalog.cache_path(path).read_bytes())


def rewrite_cache(path: Path, document: object) -> None:
    catalog.cache_path(path).write_text(json.dumps(document))


# --------------------------------------------------------------------------- what it holds


def test_the_catalog_holds_what_the_list_shows(routines: RoutinesFile) -> None:
    found = catalog_for(routines)
    assert found.ids == [r.id for r in routines.routines]
    full = found.routine("full")
    assert full.name == routines.routine("full").name
    assert full.seconds == plan_for(routines, "full").total
    assert [e.name for e in full.exercises] == [
        ex.name for ex in routines.exercises_of(routines.routine("full"))
    ]
    assert found.settings.checkin_before == routines.settings.checkin_before
    assert found.settings.plan_days is None and found.ignored == ()
    with pytest.raises(KeyError):
        found.routine("nope")


def test_an_old_files_ignored_keys_are_cached_by_name_never_by_value(
    routines: RoutinesFile,
) -> None:
    """The list names the old [settings] keys (and their lines) without validating; the hook
    command itself is never in the cache (a command is never read from a routines file)."""
    ignored = [Ignored("on_event", "notify-send trainer", 9, True)]
    found = catalog_for(routines, ignored)
    assert "notify-send" not in json.dumps(catalog.to_json(found))
    again = catalog.from_json(json.loads(json.dumps(catalog.to_json(found))))
    assert again is not None and again.ignored == (catalog.IgnoredKey("on_event", 9, True),)


# --------------------------------------------------------------------------- hit and miss


def test_a_written_catalog_is_read_back_for_the_same_bytes(
    routines_file: Path, routines: RoutinesFile
) -> None:
    raw = routines_file.read_bytes()
    found = catalog_for(routines)
    assert write_cache(routines_file, raw, found)
    assert read_cache(routines_file, raw) == found
    # It lives in $XDG_CACHE_HOME/trainer, private.
    where = catalog.cache_path(routines_file)
    assert where.parent == Path(os.environ["XDG_CACHE_HOME"]) / "trainer"
    assert stat.S_IMODE(where.stat().st_mode) == 0o600


def test_no_cache_is_a_miss(routines_file: Path) -> None:
    assert read_cache(routines_file, routines_file.read_bytes()) is None


def test_a_changed_file_is_a_miss(routines_file: Path, routines: RoutinesFile) -> None:
    raw = routines_file.read_bytes()
    write_cache(routines_file, raw, catalog_for(routines))
    assert read_cache(routines_file, raw + b"\n") is None
    assert read_cache(routines_file, raw.replace(b"sets = 3", b"sets = 4", 1)) is None


def test_another_version_or_other_code_is_a_miss(
    routines_file: Path, routines: RoutinesFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = routines_file.read_bytes()
    write_cache(routines_file, raw, catalog_for(routines))
    with monkeypatch.context() as patch:
        patch.setattr(catalog, "__version__", "999.0")
        assert read_cache(routines_file, raw) is None
    assert read_cache(routines_file, raw) is not None
    with monkeypatch.context() as patch:
        patch.setattr(catalog, "fingerprint", lambda: "other code")
        assert read_cache(routines_file, raw) is None


def test_each_routines_file_has_its_own_cache(tmp_path: Path, routines: RoutinesFile) -> None:
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    assert catalog.cache_path(one) != catalog.cache_path(two)
    raw = SHIPPED.read_bytes()
    write_cache(one, raw, catalog_for(routines))
    assert read_cache(two, raw) is None


# --------------------------------------------------------------------------- damaged and hostile


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{",
        b"\xff\xfe not utf-8",
        b"[]",
        b"null",
        b'{"format": 1}',
        b"[" * 100_000,  # deeper than the JSON parser's recursion limit
        b'{"format": NaN}',
    ],
    ids=["empty", "truncated", "binary", "list", "null", "no-key", "deep", "nan"],
)
def test_a_damaged_cache_is_a_miss(routines_file: Path, content: bytes) -> None:
    where = catalog.cache_path(routines_file)
    files.ensure_dir(where.parent)
    where.write_bytes(content)
    assert read_cache(routines_file, routines_file.read_bytes()) is None


def test_a_truncated_cache_is_a_miss(routines_file: Path, routines: RoutinesFile) -> None:
    raw = routines_file.read_bytes()
    write_cache(routines_file, raw, catalog_for(routines))
    where = catalog.cache_path(routines_file)
    whole = where.read_bytes()
    for cut in (1, len(whole) // 2, len(whole) - 1):
        where.write_bytes(whole[:cut])
        assert read_cache(routines_file, raw) is None


def test_a_cache_that_is_not_a_file_is_a_miss(routines_file: Path) -> None:
    where = catalog.cache_path(routines_file)
    files.ensure_dir(where.parent)
    os.mkfifo(where)  # opening it for reading would block: it is never opened
    assert read_cache(routines_file, routines_file.read_bytes()) is None
    where.unlink()
    where.mkdir()
    assert read_cache(routines_file, routines_file.read_bytes()) is None


def test_a_huge_cache_is_not_read(routines_file: Path, routines: RoutinesFile) -> None:
    raw = routines_file.read_bytes()
    write_cache(routines_file, raw, catalog_for(routines))
    document = cached_document(routines_file)
    document["padding"] = "x" * (catalog.MAX_BYTES + 1)
    rewrite_cache(routines_file, document)
    assert read_cache(routines_file, raw) is None


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("routines", 0, "seconds"), True),
        (("routines", 0, "seconds"), -1),
        (("routines", 0, "seconds"), 1.5),
        (("routines", 0, "seconds"), "2332"),
        (("routines", 0, "name"), ""),
        (("routines", 0, "name"), 7),
        (("routines", 0, "exercises"), []),
        (("routines", 0, "exercises", 0), ["Bridges", 3, 15, 3, 10]),
        (("routines", 0, "exercises", 0), ["Bridges", 3, 15]),
        (("routines", 0, "id"), "quick-core"),  # two routines with one id
        (("routines",), []),
        (("routines",), {"full": 1}),
        (("settings", "checkin_before"), "\x1b[2J"),
        (("settings", "checkin_before"), 1),
        (("ignored",), [["on_event", 0, True]]),
        (("ignored",), [["on_event", 3, "yes"]]),
        (("settings", "plan_at"), "25:99"),
        (("settings", "plan_at"), "aa:bb"),
        (("settings", "plan_days"), ["someday"]),
        (("settings", "plan_days"), "mon"),
        (("settings",), None),
    ],
)
def test_a_cache_of_another_shape_is_a_miss(
    routines_file: Path, routines: RoutinesFile, where: tuple, value: object
) -> None:
    """Written by someone else (or an older trainer's bug): checked field by field, and any
    doubt is a miss, so the file is validated instead."""
    raw = routines_file.read_bytes()
    write_cache(routines_file, raw, catalog_for(routines))
    document = cached_document(routines_file)
    target = document["catalog"]
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    rewrite_cache(routines_file, document)
    assert read_cache(routines_file, raw) is None


def test_hostile_text_in_the_cache_stays_text(routines_file: Path, routines: RoutinesFile) -> None:
    """A name with escape sequences is only text: the list draws it through plain(), as it
    draws the routines file's own text (tests/ui/test_picker.py shows it on screen)."""
    raw = routines_file.read_bytes()
    write_cache(routines_file, raw, catalog_for(routines))
    document = cached_document(routines_file)
    hostile = "\x1b]2;owned\x07[bold]x[/]\x1b[2J"
    document["catalog"]["routines"][0]["name"] = hostile
    rewrite_cache(routines_file, document)
    found = read_cache(routines_file, raw)
    assert found is not None and found.routines[0].name == hostile


# --------------------------------------------------------------------------- writing


def test_a_read_only_cache_folder_is_no_error(
    routines_file: Path, routines: RoutinesFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise TrainerError("could not save (no permission to write in /x)", path=tmp_path)

    monkeypatch.setattr(files, "atomic_write", refuse)
    raw = routines_file.read_bytes()
    assert write_cache(routines_file, raw, catalog_for(routines)) is False
    assert read_cache(routines_file, raw) is None


def test_a_cache_folder_that_cannot_be_made_is_no_error(
    routines_file: Path, routines: RoutinesFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache folder can't exist there
    assert write_cache(routines_file, routines_file.read_bytes(), catalog_for(routines)) is False


# --------------------------------------------------------------------------- the command line


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """What ``trainer`` hands to the app, instead of running it."""
    from trainer.ui import app as app_module

    calls: list[dict] = []

    def fake_run_app(path: Path, routines: RoutinesFile | None, **kwargs: object) -> int:
        calls.append({"path": path, "routines": routines, **kwargs})
        return 0

    monkeypatch.setattr(app_module, "run_app", fake_run_app)
    return calls


def test_trainer_validates_then_caches_then_uses_the_cache(
    routines_file: Path, launched: list[dict], isolated_dirs
) -> None:
    assert cli.main(["--routines", str(routines_file)]) == 0
    first = launched[-1]
    assert isinstance(first["routines"], RoutinesFile)  # a miss: validated before the app
    assert cli.main(["--routines", str(routines_file)]) == 0
    second = launched[-1]
    assert second["routines"] is None  # a hit: the models are not needed for the list
    assert second["catalog"] == first["catalog"]
    assert second["raw"] == routines_file.read_bytes()


def test_a_session_asked_for_at_start_always_validates_first(
    routines_file: Path, launched: list[dict], isolated_dirs
) -> None:
    assert cli.main(["--routines", str(routines_file)]) == 0
    assert cli.main(["--routines", str(routines_file), "--start", "full"]) == 0
    assert isinstance(launched[-1]["routines"], RoutinesFile)
    assert cli.main(["--routines", str(routines_file), "--start", "nope"]) == 2


def test_a_bad_file_never_starts_the_app_even_after_a_good_one_was_cached(
    routines_file: Path,
    launched: list[dict],
    isolated_dirs,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["--routines", str(routines_file)]) == 0
    routines_file.write_bytes(routines_file.read_bytes().replace(b"sets = 3", b"sets = 300", 1))
    capsys.readouterr()
    assert cli.main(["--routines", str(routines_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"trainer: {routines_file}:") and "sets: must be at most" in err
    assert err.count("\n") == 1
    assert len(launched) == 1


def test_an_unwritable_cache_still_starts_the_app(
    routines_file: Path, launched: list[dict], isolated_dirs, tmp_path: Path, monkeypatch
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_bytes(b"")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cli.main(["--routines", str(routines_file)]) == 0
    assert cli.main(["--routines", str(routines_file)]) == 0
    assert all(isinstance(call["routines"], RoutinesFile) for call in launched)


# --------------------------------------------------------------------------- validation later


def lazy_workout(path: Path, clock) -> Workout:
    raw = path.read_bytes()
    routines = loading.parse_routines(raw, path)
    return Workout(
        path,
        None,
        catalog=catalog_for(routines),
        raw=raw,
        clock=clock,
        now=lambda: datetime(2026, 1, 5, 9, 0).astimezone(),
        store=FileStore(),
    )


def test_the_file_is_validated_on_first_need(routines_file: Path, clock, isolated_dirs) -> None:
    workout = lazy_workout(routines_file, clock)
    assert not workout.validated
    assert workout.has_routine("full")  # the list's questions need no validation
    assert workout.validate() is False  # unchanged: the list stays as it is
    assert workout.validated
    assert workout.start("full").plan.routine_id == "full"


def test_a_file_changed_since_the_list_is_validated_and_used(
    routines_file: Path, clock, isolated_dirs
) -> None:
    workout = lazy_workout(routines_file, clock)
    before = workout.catalog.routine("full").seconds
    routines_file.write_bytes(routines_file.read_bytes().replace(b"sets = 3", b"sets = 2", 1))
    assert workout.validate() is True  # the list must be redrawn
    assert workout.catalog.routine("full").seconds < before
    # And the cache now holds the new content.
    assert read_cache(routines_file, routines_file.read_bytes()) == workout.catalog


def test_a_file_changed_since_the_list_plans_each_routine_once(
    routines_file: Path, clock, isolated_dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validating a changed file plans every routine for the list; the session that starts
    next uses that plan, not a second one."""
    from trainer.engine import plan as plan_module

    built: list[str] = []
    build_plan = plan_module.build_plan

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = build_plan(*args, **kwargs)
        built.append(found.routine_id)
        return found

    workout = lazy_workout(routines_file, clock)
    monkeypatch.setattr(plan_module, "build_plan", counted)
    routines_file.write_bytes(routines_file.read_bytes().replace(b"sets = 3", b"sets = 2", 1))
    assert workout.validate() is True
    assert sorted(built) == sorted(workout.catalog.ids)
    assert workout.start("full").plan.routine_id == "full"
    assert sorted(built) == sorted(workout.catalog.ids)  # no plan built again


def test_a_file_broken_since_the_list_gives_its_one_line_and_nothing_starts(
    routines_file: Path, clock, isolated_dirs
) -> None:
    workout = lazy_workout(routines_file, clock)
    good = routines_file.read_bytes()
    routines_file.write_bytes(good.replace(b"sets = 3", b"sets = 300", 1))
    with pytest.raises(TrainerError) as caught:
        workout.start("full")
    assert str(caught.value).startswith(f"{routines_file}:")
    assert "sets: must be at most" in str(caught.value) and "\n" not in str(caught.value)
    assert not workout.validated and workout.coach is None
    routines_file.write_bytes(good)  # fixed: the next try validates again
    assert workout.validate() is False
    assert workout.start("full") is not None


def test_saving_settings_refreshes_the_cache(routines_file: Path, clock, isolated_dirs) -> None:
    workout = lazy_workout(routines_file, clock)
    routines = workout.routines
    changed = routines.model_copy(
        update={"settings": routines.settings.model_copy(update={"checkin_before": True})}
    )
    workout.save_routines(changed)
    found = read_cache(routines_file, routines_file.read_bytes())
    assert found is not None and found.settings.checkin_before is True


def test_cached_settings_default_to_the_models_defaults() -> None:
    from trainer.programme.schema import Settings

    model, cached = Settings(), CachedSettings()
    for name in ("checkin_before", "plan_days", "plan_at"):
        assert getattr(cached, name) == getattr(model, name), name


def test_trainer_check_remembers_a_valid_file(
    routines_file: Path, launched: list[dict], isolated_dirs, capsys: pytest.CaptureFixture[str]
) -> None:
    """After `trainer check`, the app's next start draws the list from the cache."""
    assert cli.main(["check", str(routines_file)]) == 0
    assert read_cache(routines_file, routines_file.read_bytes()) is not None
    assert cli.main(["--routines", str(routines_file)]) == 0
    assert launched[-1]["routines"] is None
