"""Every stylesheet of the app parses: a broken ``.tcss`` (an unclosed block after a merge)
shows a person an error page instead of the screen, so it is caught here, by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet, StylesheetParseError

import trainer

SHEETS = sorted(Path(trainer.__file__).parent.rglob("*.tcss"))


def test_there_are_stylesheets() -> None:
    assert len(SHEETS) >= 5


@pytest.mark.parametrize("path", SHEETS, ids=lambda path: path.name)
def test_the_stylesheet_parses(path: Path) -> None:
    sheet = Stylesheet(variables=App().get_css_variables())  # the theme's $primary and others
    sheet.read(path)
    try:
        sheet.parse()
    except StylesheetParseError as error:
        pytest.fail(f"{path}: {error.errors}")


def test_the_suite_parses_each_stylesheet_once_as_textual_would() -> None:
    """tests/conftest.py shares Textual's parsed rules between the apps of a test process.
    It wraps ``Stylesheet._parse_rules`` (private): if Textual changes it, this fails here,
    not as odd styles in other tests."""
    import inspect

    import conftest

    assert Stylesheet._parse_rules is conftest._parse_rules_once
    original = inspect.signature(conftest._textual_parse_rules)
    assert list(original.parameters) == [
        "self",
        "css",
        "read_from",
        "is_default_rules",
        "tie_breaker",
        "scope",
    ]
    assert "self._parse_cache[cache_key] = rules" in inspect.getsource(
        conftest._textual_parse_rules
    ), "Textual's parse cache changed: check that parsed rules are still only read"
    # Different variables (another theme) are parsed again, never taken from the cache.
    css = "Label { color: $primary; }"
    dark = Stylesheet(variables={"primary": "#ff0000"})
    light = Stylesheet(variables={"primary": "#0000ff"})
    for sheet in (dark, light):
        sheet.add_source(css, read_from=("test", "Label"))
        sheet.parse()
    assert dark.rules[0].css != light.rules[0].css
