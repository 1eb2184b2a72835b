"""What every screen of the app shares: typed access to the app (what it shows, never a rule),
and the size classes that let a screen other than the session fit a small window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual.screen import Screen

from trainer.ui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from trainer.ui.app import TrainerApp

ResultT = TypeVar("ResultT")

#: Below this many columns a screen is "-narrow"; below this many rows, "-short".
NARROW = 60
SHORT = 20


class TrainerScreen(Screen[ResultT]):
    """A screen of trainer's app, returning a ``ResultT`` with :meth:`dismiss`."""

    @property
    def trainer(self) -> TrainerApp:
        return cast("TrainerApp", self.app)


class SizeClasses:
    """Mixed into a screen (before its Screen class): the screen gets the class ``-narrow``
    below :data:`NARROW` columns and ``-short`` below :data:`SHORT` rows (its ``.tcss`` and
    ``app.tcss`` make it compact there: buttons of one row, less padding), and its footer
    takes less room when narrow (so that fewer of its last keys are cut)."""

    # Typed as Screen types them (mypy reads its ``ClassVar[...] | None`` as an instance
    # variable's type).
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [(0, "-narrow"), (NARROW, "-wide")]
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = [(0, "-short"), (SHORT, "-tall")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The size classes of the window as it is now, before the screen is styled: when
        Textual's first Resize sets them only after, the whole screen is styled twice (a
        tenth of a second for the settings screen when it had 160 widgets, on every visit)."""
        super().__init__(*args, **kwargs)
        assert isinstance(self, Screen)
        try:
            width, height = self.app.size
        except RuntimeError:  # no running app (NoActiveAppError): Textual sets them on Resize
            return
        for size, breakpoints in (
            (width, self.HORIZONTAL_BREAKPOINTS),
            (height, self.VERTICAL_BREAKPOINTS),
        ):
            reached = [name for least, name in breakpoints or [] if size >= least]
            if reached:
                self.add_class(reached[-1], update=False)

    def on_resize(self, event: events.Resize) -> None:
        assert isinstance(self, Screen)
        for footer in self.query(KeyFooter):
            footer.compact = event.size.width < NARROW
