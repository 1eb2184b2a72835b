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
