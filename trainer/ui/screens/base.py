"""What every screen of the app shares: typed access to the app (what it shows, never a rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from trainer.ui.app import TrainerApp

ResultT = TypeVar("ResultT")


class TrainerScreen(Screen[ResultT]):
    """A screen of trainer's app, returning a ``ResultT`` with :meth:`dismiss`."""

    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)
