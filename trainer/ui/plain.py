"""Data on screen is text, never markup and never terminal controls.

Textual reads a ``str`` given to ``Label``, ``Static``, ``Button``, ``DataTable`` cells,
``notify`` and tooltips as content markup (``[/]`` raises ``MarkupError``, ``[slowly]`` vanishes,
``[@click=app.quit]`` is an action), and passes ESC through to the terminal. So every text under
``trainer/ui`` that is not a literal written here goes through :func:`plain` (a test walks the
source and enforces it), and the app's toasts never read markup (:class:`PlainTextApp`).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.notifications import SeverityLevel

from trainer.text.safe import printable, replace_unsafe


def plain(value: str | Text) -> Content:
    """``value`` as literal text: no markup is read and control characters show as escapes
    (``\\x1b``). Line breaks are kept (the caller's own, or a paragraph's). A rich ``Text``
    keeps its styles; its control characters, if any, become U+FFFD (one for one, so the
    styled ranges stay in place)."""
    if isinstance(value, Text):
        clean = replace_unsafe(value.plain, keep="\n")
        if clean != value.plain:
            value = value.copy()
            value.plain = clean
        return Content.from_rich_text(value)
    return Content(printable(value, keep="\n"))


def plain_cell(value: str) -> Text:
    """:func:`plain` for a ``DataTable`` cell, which measures a rich ``Text`` (a ``Content``
    there is cut to its first character)."""
    return Text(printable(value), end="")


class PlainTextApp(App[None]):
    """An app whose every toast (its screens' too) is text: a message often quotes a file."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Never markup (``markup`` is ignored), control characters shown as escapes."""
        super().notify(
            printable(message, keep="\n"),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )
