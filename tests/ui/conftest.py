"""Fixtures for the UI tests: the real TrainerApp on a private copy of routines.toml.

``start_ui()`` runs the app headless at 80x24 with the hand-driven ``clock`` of
``tests/conftest.py`` and a fixed ``now``; XDG_CONFIG/STATE/DATA_HOME point into tmp_path and
tmp_path is the working directory, so nothing reaches the real home. The yielded :class:`UI`
drives it the way a person does (keys, clicks, time passing) and reads what a person sees.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets._toast import Toast

from trainer.engine import ManualClock
from trainer.ui.app import TrainerApp
from trainer.ui.widgets.bigtext import BigText, BigWord
from trainer.ui.widgets.footer import FooterKey
from trainer.ui.widgets.meter import Bars

from .snapshot_apps import (
    ROUTINES_NAME,
    advance,
    make_app,
    prepare_folder,
    settled,
    type_into,
)

SIZE = (80, 24)


class UI:
    """A running app, driven through its pilot and read through its widgets."""

    def __init__(self, app: TrainerApp, pilot: Pilot[Any], clock: ManualClock) -> None:
        self.app = app
        self.pilot = pilot
        self.clock = clock

    # ---------------------------------------------------------------- doing

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.settle()

    async def settle(self) -> None:
        """Let the screens' worker threads (the history is read off the UI thread) finish."""
        await settled(self.pilot)

    async def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass on the clock and let the session screen notice."""
        await advance(seconds)(self.pilot)

    async def type_into(self, selector: str, text: str) -> None:
        """Empty the input ``selector`` and type ``text`` into it, key by key."""
        await type_into(selector, text)(self.pilot)

    async def click(self, selector: str) -> None:
        """Scroll the widget ``selector`` into view (as a person would) and click it."""
        self.screen.query_one(selector, Widget).scroll_visible(animate=False, immediate=True)
        await self.pilot.pause()
        await self.pilot.click(selector)
        await self.pilot.pause()

    async def click_text(self, text: str) -> None:
        """Click the first cell of the first place ``text`` is shown on the screen."""
        for y, line in enumerate(self.screen_lines()):
            x = line.find(text)
            if x >= 0:
                await self.pilot.click(offset=(x, y))
                await self.pilot.pause()
                return
        raise AssertionError(f"{text!r} is not on the screen:\n{self.screen_text()}")

    # ---------------------------------------------------------------- seeing

    @property
    def screen(self) -> Screen[Any]:
        return self.app.screen

    def text(self, selector: str) -> str:
        """The plain text a Label, Static or Button shows (without styles)."""
        widget = self.screen.query_one(selector, Widget)
        return str(widget.render())

    def bar(self, name: str) -> str:
        """The text of the session's progress row ``name`` ("Set", "Rep", "Hold", "All")."""
        return self.screen.query_one(Bars).row_text(name)

    def meter(self, name: str) -> str:
        """The meter of the session's progress row ``name``, as drawn."""
        return self.screen.query_one(Bars).meter_text(name)

    async def decline_suggestions(self, exercise: str) -> None:
        """After the summary, the dose suggestions (one screen each) before the list: each shows
        the exercise's name as text, with no raw control character on screen; n declines it."""
        from hostile_inputs import assert_no_raw_control

        from trainer.ui.screens.suggest import SuggestScreen

        for _ in range(10):
            if not isinstance(self.screen, SuggestScreen):
                return
            assert self.text("#suggest-text").startswith(exercise + ":")
            assert_no_raw_control(self.screen_text().replace("\n", " "), "SuggestScreen")
            await self.press("n")

    def footer_key(self, display: str) -> FooterKey:
        """The footer's key shown as ``display`` ("+/-", "space")."""
        return next(k for k in self.screen.query(FooterKey) if k.shown.display == display)

    def footer_dimmed(self, display: str) -> bool:
        """Whether the footer's key ``display`` is drawn dimmed (every cell of it)."""
        line = self.footer_key(display).render_line(0)
        return all(segment.style is not None and segment.style.dim for segment in line)

    def visible(self, selector: str) -> bool:
        return self.screen.query_one(selector, Widget).display

    @property
    def countdown(self) -> str:
        """The value drawn in big block letters (``"15"``, ``"1:00"``)."""
        return self.screen.query_one("#countdown", BigText).value

    @property
    def word(self) -> str:
        """The big word of the session ("LIFT", "HOLD", "PAUSED")."""
        return self.screen.query_one("#word", BigWord).word

    def options(self, selector: str = "#routines") -> list[str]:
        """The entries of an option list, as shown (lines joined by newlines)."""
        return [
            str(option.prompt) for option in self.screen.query_one(selector, OptionList).options
        ]

    def toasts(self) -> list[str]:
        """Notifications shown in the corner of the screen right now."""
        return [str(toast.render()) for toast in self.screen.query(Toast)]

    def sent(self, kind: str) -> list[str]:
        """What was sent to the terminal of this kind: "bell", "title" or "notify"."""
        return [text for what, text in self.app.signals.sent if what == kind]

    def screen_lines(self) -> list[str]:
        """The whole screen as plain text, one string per row (what a screen reader would get)."""
        width, height = self.app.size
        console = Console(
            width=width,
            height=height,
            file=io.StringIO(),
            force_terminal=True,
            color_system="truecolor",
            record=True,
            legacy_windows=False,
            safe_box=False,
        )
        console.print(
            self.screen._compositor.render_update(
                full=True, screen_stack=self.app._background_screens
            )
        )
        return console.export_text(styles=False).splitlines()

    def screen_text(self) -> str:
        return "\n".join(self.screen_lines())


StartUI = Callable[..., AbstractAsyncContextManager[UI]]


@pytest.fixture
def ui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path holding a copy of routines.toml and empty XDG folders, as the working dir."""
    for var, value in prepare_folder(tmp_path).items():
        monkeypatch.setenv(var, value)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


@pytest.fixture
def routines_path(ui_home: Path) -> Path:
    """The app's routines file (a copy of the shipped one, which tests may change)."""
    return ui_home / ROUTINES_NAME


@pytest.fixture
def start_ui(routines_path: Path, clock: ManualClock) -> StartUI:
    """``async with start_ui() as ui:`` the app on ``routines_path`` (or ``path=...``); other
    keywords go to TrainerApp (``saved=...``, ``show_advice=None`` for a first launch)."""

    @asynccontextmanager
    async def start(
        path: Path | None = None, size: tuple[int, int] = SIZE, **options: Any
    ) -> AsyncIterator[UI]:
        app = make_app(clock, path or routines_path, **options)
        async with app.run_test(size=size, notifications=True) as pilot:
            await settled(pilot)
            yield UI(app, pilot, clock)

    return start
