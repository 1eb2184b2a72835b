"""The key bar at the bottom of every screen: the screen's keys, readable, clickable.

It shows what Textual's compact or regular :class:`~textual.widgets.Footer` shows (the first
shown binding of each action, in the screen's order, a disabled one dimmed; a click presses the
key, or rings the bell if it is dimmed), built on Textual's public API only:
``Screen.active_bindings``, ``Screen.bindings_updated_signal``, ``App.get_key_display`` and
``App.simulate_key``. Two differences:

- Textual's footer removes and mounts a widget per key, then lays out the screen, whenever the
  bindings may have changed; the session screen changes them at every rest (``+/-`` is dimmed
  outside rests) and pause (``Pause`` becomes ``Resume``): in leg lifts, every few seconds.
  This footer keeps the keys that stay, renames them in place (laid out again only if a width
  changed), and mounts or removes only the keys that came or went.
- A key that does not fit whole is hidden, with every key after it (Textual's footer cuts the
  last one mid-word: "esc Li" at 40 columns). Screens list their keys in the order of
  importance, so the least important go first.

Binding groups and the command palette's key are not drawn (trainer has neither).
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from trainer.ui.plain import plain

#: How a disabled key is drawn (as Textual's footer draws it).
DIM = Style(dim=True)


class Shown(NamedTuple):
    """One key as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


def shown_keys(screen: Screen[object]) -> list[Shown]:
    """The keys of ``screen``'s footer, in its order: the first shown binding of each action."""
    keys: dict[str, Shown] = {}
    for _node, binding, enabled, tooltip in screen.active_bindings.values():
        if binding.show and binding.action not in keys:
            display = screen.app.get_key_display(binding)
            keys[binding.action] = Shown(
                binding.key, display, binding.description, binding.action, enabled, tooltip
            )
    return list(keys.values())


class FooterKey(Widget):
    """One key and what it does ("space Pause"): pressed by a click, dimmed when disabled."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    # Textual's own footer key's look, so that every screen looks as it did with Textual's.
    DEFAULT_CSS = """
    FooterKey {
        width: auto;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
            padding: 0 1;
        }
        .footer-key--description {
            padding: 0 1 0 0;
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        &:hover {
            pointer: pointer;
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        &.-compact {
            .footer-key--key {
                padding: 0;
            }
            .footer-key--description {
                padding: 0 0 0 1;
            }
        }
    }
    """

    def __init__(self, shown: Shown, *, compact: bool) -> None:
        super().__init__(classes="-compact" if compact else None)
        self.set_reactive(Widget.shrink, False)  # as wide as its text, never squeezed
        self.shown = shown
        self.tooltip = plain(shown.tooltip) if shown.tooltip else None

    def show(self, shown: Shown) -> None:
        """Show ``shown`` instead: repainted if anything changed, laid out if its width did."""
        if shown == self.shown:
            return
        resized = (cell_len(shown.display), cell_len(shown.description)) != (
            cell_len(self.shown.display),
            cell_len(self.shown.description),
        )
        self.shown = shown
        self.tooltip = plain(shown.tooltip) if shown.tooltip else None
        self.refresh(layout=resized)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        key_padding = self.get_component_styles("footer-key--key").padding
        description_padding = self.get_component_styles("footer-key--description").padding
        display, description = self.shown.display, self.shown.description
        if description:
            text = Text.assemble(
                (" " * key_padding.left + display + " " * key_padding.right, key_style),
                (
                    " " * description_padding.left + description + " " * description_padding.right,
                    description_style,
                ),
            )
        else:
            text = Text.assemble((display, key_style))
        text.stylize_before(self.rich_style)
        if not self.shown.enabled:
            # Dimmed here, not by a CSS class: a class change restyles the key after the frame
            # that changed the bindings, which then costs a second frame.
            text.stylize(DIM)
        return text

    def on_mouse_down(self) -> None:
        if self.shown.enabled:
            self.app.simulate_key(self.shown.key)
        else:
            self.app.bell()


class KeyFooter(Widget, can_focus=False, can_focus_children=False):
    """The screen's keys on its last line (``compact``: less room between them)."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyFooter {
        layout: horizontal;
        width: 1fr;
        height: 1;
        dock: bottom;
        overflow: hidden hidden;
        color: $footer-foreground;
        background: $footer-background;
        &.-compact > FooterKey {
            margin-right: 1;
        }
    }
    """

    compact: reactive[bool] = reactive(False)

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(KeyFooter.compact, compact)
        self.set_class(compact, "-compact")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed, immediate=True)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        for key in self.query_children(FooterKey):
            key.set_class(compact, "-compact")
        self.call_after_refresh(self.fit_keys)

    def on_resize(self) -> None:
        self.fit_keys()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """The screen's bindings may have changed: show them now, in the frame that shows
        what changed them (Textual's footer waits for the next one: a second frame, and its
        wakeups, at every rest of leg lifts). Not while the app is out of focus (the terminal's
        window is in the background), as Textual's footer: its focused widget is gone then."""
        if self.app.app_focus and screen is self.screen and self.is_attached:
            self.update_keys()

    def update_keys(self) -> None:
        """Rename the keys that stay, remove those that went, mount those that came."""
        wanted = shown_keys(self.screen)
        keys = {key.shown.key: key for key in self.query_children(FooterKey)}
        # By key, not action: space's Pause and Resume are two bindings, one key on screen.
        pressed = {want.key for want in wanted}
        for name, gone in keys.items():
            if name not in pressed:
                gone.remove()
        before: FooterKey | None = None
        for want in wanted:
            key = keys.get(want.key)
            if key is None:
                key = FooterKey(want, compact=self.compact)
                if before is None:
                    self.mount(key, before=0)
                else:
                    self.mount(key, after=before)
            else:
                key.show(want)
            before = key
        self.call_after_refresh(self.fit_keys)

    def fit_keys(self) -> None:
        """Show the keys that fit whole, from the first; hide the one that would be cut and
        every key after it."""
        room = self.size.width
        used = 0
        fits = True
        for key in self.query_children(FooterKey):
            width = (
                key.get_content_width(self.size, self.app.size)
                + key.styles.gutter.width
                + key.styles.margin.left
            )
            fits = fits and used + width <= room
            used += width + key.styles.margin.right
            if key.display != fits:
                key.display = fits
