"""Another trainer holds the session: say who, and optionally follow it read-only."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Label

from trainer import saved_session, storage
from trainer.errors import TrainerError
from trainer.ui.plain import plain
from trainer.ui.screens.base import TrainerScreen
from trainer.ui.screens.resume import describe_position

#: How often the read-only view re-reads session.json (it changes at most once a step).
WATCH_EVERY = 2.0


class WatchScreen(TrainerScreen[None]):
    CSS_PATH = "watch.tcss"
    BINDINGS = [
        Binding("v", "watch", "View read-only"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, holder: saved_session.LockHolder) -> None:
        super().__init__()
        self.holder = holder

    def compose(self) -> ComposeResult:
        with Vertical(id="watch"):
            yield Label(plain(self.holder.describe() + "."), id="watch-title")
            yield Label(
                "Only one trainer can run a session at a time. You can follow it here, "
                "read-only, or quit.",
                id="watch-text",
            )
            with Horizontal(id="watch-buttons"):
                yield Button("View read-only", id="watch-view", variant="primary")
                yield Button("Quit", id="watch-quit")
            yield Label("", id="watch-routine")
            yield Label("", id="watch-where")
            yield Label("", id="watch-when", classes="hint")
        yield Footer()

    @on(Button.Pressed, "#watch-view")
    def action_watch(self) -> None:
        if self.query_one("#watch-view", Button).disabled:
            return  # already following
        self.refresh_position()
        self.set_interval(WATCH_EVERY, self.refresh_position)
        self.query_one("#watch-view", Button).disabled = True

    @on(Button.Pressed, "#watch-quit")
    def _quit(self) -> None:
        self.app.exit()

    def refresh_position(self) -> None:
        """Read the other process's saved position (read only: a bad file is not moved)."""
        try:
            raw = storage.read_file(saved_session.session_path())
        except TrainerError:
            self.query_one("#watch-where", Label).update("No session in progress right now.")
            return
        saved, _problem = saved_session.parse_session(raw)
        if saved is None:
            return
        routine, where, when = describe_position(saved, self.trainer.now())
        self.query_one("#watch-routine", Label).update(plain(routine))
        self.query_one("#watch-where", Label).update(plain(where))
        self.query_one("#watch-when", Label).update(plain(when.replace("Stopped", "Last change")))
