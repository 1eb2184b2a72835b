"""Fuzz the two readers of user files: whatever is in them, a person gets one line, not a trace.

``loading.parse_routines`` may only raise :class:`TrainerError`, rendered as one line that starts
with the file's path. ``saved_session.load_session`` never raises at all.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hostile_inputs import CONTROL, LEGIT, MARKUP, assert_no_raw_control
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from trainer.programme import loading
from trainer.records import saved_session
from trainer.storage import files
from trainer.text.errors import TrainerError

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_BYTES = (ROOT / "routines.toml").read_bytes()
SHIPPED = tomllib.loads(SHIPPED_BYTES.decode("utf-8"))
PATH = Path("/home/someone/.config/trainer/routines.toml")

FUZZ = settings(deadline=None)


def check_routines(raw: bytes) -> None:
    """Parse ``raw``; the only failure allowed is a one-line TrainerError naming the file."""
    try:
        loading.parse_routines(raw, PATH)
    except TrainerError as err:
        text = str(err)
        assert text.startswith(f"{PATH}:"), text
        # One line as a terminal shows it: no \n, and no \r or other line breaks either.
        assert len(text.splitlines()) == 1, repr(text)
        # ...and nothing a terminal would act on: a key or value quoted from the file, or the
        # path, shows its control characters as escapes.
        assert_no_raw_control(text, "error line")


# --------------------------------------------------------------------------- strategies

KNOWN_KEYS = sorted(
    {
        *SHIPPED,
        *SHIPPED["exercises"][0],
        *SHIPPED["routines"][0],
        *SHIPPED["timing"],
        *SHIPPED["settings"],
        "text",
        "kind",
        "seconds",
    }
)
#: Characters that are dangerous on a terminal or special to Textual, drawn more often than a
#: uniform draw from all of Unicode ever would.
HOSTILE_CHARS = "".join(sorted(set("".join(CONTROL.values())))) + "[]/@=$\\\u200e\u200f\u05d0"


def hostile_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Text as a crafted file holds it: any characters, hostile ones and whole payloads (escape
    sequences, markup, bidi overrides) mixed into ordinary words."""
    pieces = st.one_of(
        st.text(max_size=8),
        st.text(st.sampled_from(HOSTILE_CHARS), min_size=1, max_size=4),
        st.sampled_from(sorted({*CONTROL.values(), *MARKUP.values(), *LEGIT.values()})),
    )
    return st.lists(pieces, max_size=4).map("".join).map(lambda text: text[:max_size] or "x")


keys = st.sampled_from(KNOWN_KEYS) | hostile_text(12)

scalars = st.one_of(
    st.integers(),
    st.integers(min_value=-5, max_value=700),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=30),
    hostile_text(),
    st.sampled_from(["move", "hold", "", "bridges", "full", "left"]),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.dates(),
    st.times(),
)

toml_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=25,
)

random_documents = st.dictionaries(keys, toml_values, max_size=8)


@st.composite
def edited_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The shipped file as data, with a few values replaced, keys removed or keys added."""
    doc = copy.deepcopy(SHIPPED)
    for _ in range(draw(st.integers(1, 3))):
        node: Any = doc
        # Walk down a random path, then change what is there.
        for _depth in range(draw(st.integers(0, 4))):
            if isinstance(node, dict) and node:
                child = node[draw(st.sampled_from(sorted(node)))]
            elif isinstance(node, list) and node:
                child = node[draw(st.integers(0, len(node) - 1))]
            else:
                break
            if not isinstance(child, dict | list):
                break
            node = child
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node)))
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[key] = draw(toml_values)
            elif action == "delete":
                del node[key]
            else:
                node[draw(keys)] = draw(toml_values)
        elif isinstance(node, list) and node:
            index = draw(st.integers(0, len(node) - 1))
            if draw(st.booleans()):
                node[index] = draw(toml_values)
            else:
                del node[index]
    return doc


NUMBER = re.compile(rb"(?<![\w.-])\d+(?![\w.])")


def _replacement_number(draw: st.DrawFn) -> bytes:
    value = draw(
        st.one_of(
            st.integers(-1000, 1000),
            st.integers(max_value=-1),
            st.integers(min_value=10**6, max_value=10**40),
            st.just(b"9" * 5000),  # more digits than Python converts to int by default
            st.floats(allow_nan=True, allow_infinity=True),
            st.text(max_size=10),
            hostile_text(10),
            st.just(""),
        )
    )
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return json.dumps(value).encode("utf-8")  # a quoted string, as a person might type
    if isinstance(value, float):
        return tomli_w.dumps({"x": value})[4:].strip().encode()
    return str(value).encode()


@st.composite
def mutated_shipped(draw: st.DrawFn) -> bytes:
    """The shipped routines.toml with a few edits of the kinds a person (or a disk) makes."""
    raw = SHIPPED_BYTES
    for _ in range(draw(st.integers(1, 3))):
        lines = raw.splitlines(keepends=True)
        kind = draw(st.sampled_from(["delete", "duplicate", "number", "flip", "truncate"]))
        if kind == "delete" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            raw = b"".join(lines[:i] + lines[i + 1 :])
        elif kind == "duplicate" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            raw = b"".join(lines[: i + 1] + lines[i:])
        elif kind == "number":
            spots = list(NUMBER.finditer(raw))
            if spots:
                spot = draw(st.sampled_from(spots))
                raw = raw[: spot.start()] + _replacement_number(draw) + raw[spot.end() :]
        elif kind == "flip" and raw:
            i = draw(st.integers(0, len(raw) - 1))
            bit = 1 << draw(st.integers(0, 7))
            raw = raw[:i] + bytes([raw[i] ^ bit]) + raw[i + 1 :]
        elif kind == "truncate":
            raw = raw[: draw(st.integers(0, len(raw)))]
    return raw


# --------------------------------------------------------------------------- routines loader


def test_shipped_file_parses() -> None:
    # The mutations below start from a valid file, so a failure there is the mutation's doing.
    assert loading.parse_routines(SHIPPED_BYTES, PATH).routines


@FUZZ
@given(st.binary(max_size=2000))
@example(b"\xff\xfe")
@example(b"x = " + b"[" * 5000 + b"]" * 5000)
@example(b"x = " + b"{a = " * 3000 + b"1" + b"}" * 3000)
@example(b"schema_version = " + b"9" * 5000)
@example(b"a\rb = 1")
@example(b'"a\\rb" = 1')
@example(b'"a\\u2028b" = 1')
def test_random_bytes(raw: bytes) -> None:
    check_routines(raw)


@FUZZ
@given(random_documents)
def test_random_toml_documents(doc: dict[str, Any]) -> None:
    check_routines(tomli_w.dumps(doc).encode("utf-8"))


@FUZZ
@given(edited_documents())
def test_shipped_document_with_edited_values(doc: dict[str, Any]) -> None:
    check_routines(tomli_w.dumps(doc, indent=4).encode("utf-8"))


@FUZZ
@given(mutated_shipped())
def test_mutations_of_the_shipped_file(raw: bytes) -> None:
    check_routines(raw)


# --------------------------------------------------------------------------- saved session


@pytest.fixture
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return files.ensure_dir(tmp_path / "state" / "trainer")


def _valid_session_json() -> bytes:
    from trainer.engine import Session, plan_for

    routines = loading.parse_routines(SHIPPED_BYTES, PATH)
    plan = plan_for(routines, routines.routines[0].id)
    session = Session(plan, lambda: 50.0)
    session.start()
    now = dt.datetime(2024, 3, 5, 14, 2).astimezone()
    saved = saved_session.SavedSession.of(session, PATH, now, saved_at=now)
    return saved.model_dump_json(indent=2).encode("utf-8")


VALID_SESSION = _valid_session_json()


def check_load(folder: Path, raw: bytes) -> None:
    """load_session never raises; a file it cannot use is kept aside, byte for byte."""
    for leftover in folder.iterdir():
        leftover.unlink()
    saved_session.session_path().write_bytes(raw)

    result = saved_session.load_session()

    if result.saved is not None:
        assert result.warning is None
        snap = result.saved.snapshot
        for text in (snap.routine_name, snap.exercise_name, result.saved.routines_path):
            assert_no_raw_control(text, "a loaded session's text")
        return
    assert result.warning is not None
    assert len(result.warning.splitlines()) == 1, repr(result.warning)
    assert_no_raw_control(result.warning, "the warning")
    bad = [p for p in folder.iterdir() if p.name.startswith("session.json.bad-")]
    assert len(bad) == 1
    assert str(bad[0]) in result.warning
    assert bad[0].read_bytes() == raw


SESSION_FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SESSION_FUZZ
@given(raw=st.binary(max_size=2000))
@example(raw=b"")
@example(raw=b"null")
@example(raw=b"[" * 100_000)
def test_load_session_random_bytes(state_home: Path, raw: bytes) -> None:
    check_load(state_home, raw)


@st.composite
def damaged_sessions(draw: st.DrawFn) -> bytes:
    raw = VALID_SESSION
    kind = draw(st.sampled_from(["flip", "truncate", "value"]))
    if kind == "flip":
        i = draw(st.integers(0, len(raw) - 1))
        raw = raw[:i] + bytes([raw[i] ^ (1 << draw(st.integers(0, 7)))]) + raw[i + 1 :]
    elif kind == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    else:
        data = json.loads(raw)
        node = data if draw(st.booleans()) else data["snapshot"]
        key = draw(st.sampled_from(sorted(node)))
        node[key] = draw(
            st.recursive(
                st.none()
                | st.booleans()
                | st.integers()
                | st.floats()
                | st.text(max_size=20)
                | hostile_text(20),
                lambda c: st.lists(c, max_size=3) | st.dictionaries(hostile_text(5), c),
                max_leaves=8,
            )
        )
        raw = json.dumps(data).encode("utf-8")
    return raw


@SESSION_FUZZ
@given(raw=damaged_sessions())
def test_load_session_damaged_files(state_home: Path, raw: bytes) -> None:
    check_load(state_home, raw)


def test_valid_session_fixture_loads(state_home: Path) -> None:
    # The damaged files above start from a good one: make sure it is good.
    saved_session.session_path().write_bytes(VALID_SESSION)
    result = saved_session.load_session()
    assert result.warning is None and result.saved is not None
    assert os.listdir(state_home) == ["session.json"]
