"""Another trainer holds the session: say who, follow it read-only, take over when it quits.

The rule (when the writer has gone, taking its lock) is
:class:`trainer.coaching.follow.Follower`'s; this
screen shows what each poll found and returns the person's choice: the
:class:`~trainer.coaching.follow.Takeover` to continue here as the writer, or None (quit).
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label

from trainer.coaching.display import describe_position
from trainer.coaching.follow import POLL_EVERY, Follow, Follower, Takeover
from trainer.records import saved_session
from trainer.storage import files
from trainer.text.errors import TrainerError
from trainer.ui.plain import plain
from trainer.ui.screens.base import SizeClasses, TrainerScreen
from trainer.ui.widgets.footer import KeyFooter

#: How often the read-only view re-reads session.json (it changes at most once a step).
WATCH_EVERY = POLL_EVERY


class WatchScreen(SizeClasses, TrainerScreen[Takeover | None]):
    """Who holds the session, the buttons, then the position followed (a line each); the
    explanation scrolls below, so nothing pushes the buttons out of a small window."""

    CSS_PATH = "watch.tcss"
    BINDINGS = [
        Binding("v", "watch", "View read-only"),
        Binding("t", "take_over", "Take over", show=False),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, holder: saved_session.LockHolder, routines_path: Path) -> None:
        super().__init__()
        self.holder = holder
        self.follower = Follower(holder, routines_path)
        self.__watching = False

    def compose(self) -> ComposeResult:
        with Vertical(id="watch"):
            yield Label(plain(self.holder.describe() + "."), id="watch-title")
            with Horizontal(id="watch-buttons"):
                yield Button("View read-only", id="watch-view", variant="primary")
                yield Button("Take over", id="watch-take-over", variant="primary")
                yield Button("Quit", id="watch-quit")
            yield Label("", id="watch-routine", classes="one-line")
            yield Label("", id="watch-where", classes="one-line")
            yield Label("", id="watch-when", classes="hint one-line")
            with VerticalScroll(id="watch-body"):
                yield Label(plain(self.holder.choices()), id="watch-text")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#watch-take-over", Button).display = False
        self.set_interval(POLL_EVERY, self.poll)

    def on_unmount(self) -> None:
        self.follower.close()  # a lock taken and not handed over is let go

    def poll(self) -> None:
        follow = self.follower.poll()
        if follow.writer_gone:
            self.show_writer_gone(follow)
            return
        if follow.holder is not None and follow.holder != self.holder:
            # It started or ended a session (or another trainer holds it now): say what is
            # true now.
            self.holder = follow.holder
            self.query_one("#watch-title", Label).update(plain(self.holder.describe() + "."))
            self.query_one("#watch-text", Label).update(plain(self.holder.choices()))
        if self.__watching:
            self.refresh_position()

    def show_writer_gone(self, follow: Follow) -> None:
        if self.query_one("#watch-take-over", Button).display:
            return
        self.query_one("#watch-title", Label).update("The other trainer has quit.")
        saved = follow.takeover.loaded.saved if follow.takeover else None
        self.query_one("#watch-text", Label).update(
            "You can take over here: its session is offered to you to resume."
            if saved is not None
            else "You can take over here and start a session."
        )
        self.query_one("#watch-view", Button).display = False
        take_over = self.query_one("#watch-take-over", Button)
        take_over.display = True
        take_over.focus()
        self.refresh_position()

    @on(Button.Pressed, "#watch-view")
    def action_watch(self) -> None:
        if self.__watching:
            return
        self.__watching = True
        self.refresh_position()
        self.query_one("#watch-view", Button).disabled = True

    @on(Button.Pressed, "#watch-take-over")
    def action_take_over(self) -> None:
        takeover = self.follower.hand_over()
        if takeover is not None:
            self.dismiss(takeover)

    @on(Button.Pressed, "#watch-quit")
    def action_quit(self) -> None:
        self.app.exit()

    def refresh_position(self) -> None:
        """Read the other process's saved position (read only: a bad file is not moved)."""
        try:
            raw = files.read_file(saved_session.session_path())
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
