"""Paths shown to a person: their home folder as ``~`` (shorter, the same on every machine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.text.wording import home_path


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("{home}/.config/trainer/preferences.toml", "~/.config/trainer/preferences.toml"),
        ("{home}", "~"),
        ("{home}x/routines.toml", "{home}x/routines.toml"),  # a neighbour, not inside
        ("/etc/routines.toml", "/etc/routines.toml"),
        ("routines.toml", "routines.toml"),
    ],
)
def test_home_is_shown_as_a_tilde(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: str, expected: str
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert home_path(shown.format(home=tmp_path)) == expected.format(home=tmp_path)


def test_a_root_home_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/")
    assert home_path("/etc/x") == "/etc/x"
