"""Issue 18 item 4 on screen: a damaged time in the history costs only its line, and a reading
that fails for any reason says so instead of "Reading the history..." for ever."""

from __future__ import annotations

import json

import pytest

from trainer.records import history
from trainer.ui.screens.history import HistoryScreen

from .conftest import StartUI

GOOD = {
    "started_at": "2026-03-01T08:00:00+01:00",
    "ended_at": "2026-03-01T08:10:00+01:00",
    "routine_id": "quick-core",
    "routine_name": "Quick core",
    "active_seconds": 600,
    "outcome": "finished",
    "exercises": [
        {"id": "bridges", "name": "Bridges", "sets_done": 3, "sets": 3, "reps_done": 45, "reps": 45}
    ],
}


def visible_text(screen: HistoryScreen) -> str:
    return "\n".join(str(label.render()) for label in screen.query("Label"))


async def test_a_line_dated_in_the_year_1_costs_only_itself_on_screen(start_ui: StartUI) -> None:
    path = history.history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    bad = [{**GOOD, "started_at": "0001-01-01T00:00:00+14:00"} for _ in range(5)]
    path.write_text("".join(json.dumps(x) + "\n" for x in [GOOD, *bad, GOOD]), encoding="utf-8")
    async with start_ui() as ui:
        await ui.press("h")
        screen = ui.screen
        assert isinstance(screen, HistoryScreen)
        text = visible_text(screen)
        assert "Reading the history" not in text
        assert "All sessions: 2" in text
        assert "history.jsonl:2: skipped a damaged line" in text
        assert "and 2 more damaged lines skipped" in text


async def test_a_reading_that_fails_shows_an_error_not_reading_for_ever(
    start_ui: StartUI, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> int:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(history, "streak", broken)  # any failure in the worker
    async with start_ui() as ui:
        await ui.press("h")
        screen = ui.screen
        assert isinstance(screen, HistoryScreen)
        text = visible_text(screen)
        assert "Reading the history" not in text
        assert "History not read: date value out of range" in text
        await ui.press("escape")  # and the app goes on
        assert not isinstance(ui.screen, HistoryScreen)
