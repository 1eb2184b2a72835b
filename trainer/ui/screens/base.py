"""What every screen of the app shares: typed access to the app (its routines, clock, session)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from trainer.ui.app import TrainerApp


class TrainerScreen(Screen[None]):
    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)
