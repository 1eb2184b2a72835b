"""Textual's footer, changed in place when a key comes, goes or is renamed.

Textual's :class:`Footer` rebuilds every key (removes and mounts a widget per key, then lays out
the screen) whenever the screen's bindings may have changed. The session screen changes them at
every rest (``+/-`` comes and goes) and pause (``Pause`` becomes ``Resume``): in leg lifts, every
few seconds. This footer keeps the keys that stay, renames them in place, and mounts or removes
only the ones that changed. It shows the same keys as Textual's footer (ungrouped bindings, no
command palette key: what the session screen has); anything else falls back to Textual's way.

A key that does not fit whole in the footer's width is hidden, with the keys after it (Textual's
footer cuts the last one mid-word: "esc Li" at 40 columns). The keys are listed in the order of
importance, so the least important go first. Every screen uses this footer.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from trainer.ui.plain import plain


class _Key(NamedTuple):
    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str


class KeyFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        self.fit_keys()

    def on_resize(self) -> None:
        self.fit_keys()

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

    def _wanted(self, screen: Screen[object]) -> list[_Key] | None:
        """The keys Textual's footer would show, in its order (None: a case it groups)."""
        keys: dict[str, _Key] = {}
        for _node, binding, enabled, tooltip in screen.active_bindings.values():
            if not binding.show:
                continue
            if binding.group is not None:
                return None
            if binding.action not in keys:  # the first binding of an action, as Textual does
                display = self.app.get_key_display(binding)
                keys[binding.action] = _Key(
                    binding.key, display, binding.description, binding.action, enabled, tooltip
                )
        return list(keys.values())

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not (self.is_attached and screen is self.screen):
            return
        wanted = self._wanted(screen)
        shown = list(self.children)
        if (
            wanted is None
            or not shown
            or any(not isinstance(child, FooterKey) for child in shown)
            or (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE)
        ):
            super().bindings_changed(screen)
            return
        self.call_after_refresh(self._update, wanted)

    def _update(self, wanted: list[_Key]) -> None:
        # By key, not action: space's Pause and Resume are two bindings, one key on screen.
        keys = {key.key: key for key in self.query_children(FooterKey)}
        pressed = {want.key for want in wanted}
        for name, gone in keys.items():
            if name not in pressed:
                gone.remove()
        before: FooterKey | None = None
        for want in wanted:
            key = keys.get(want.key) or self._mount_key(want, before)
            _rename(key, want)
            before = key
        self.call_after_refresh(self.fit_keys)

    def _mount_key(self, want: _Key, before: FooterKey | None) -> FooterKey:
        key = FooterKey(
            want.key,
            want.display,
            want.description,
            want.action,
            disabled=not want.enabled,
        ).data_bind(compact=Footer.compact)
        key.tooltip = plain(want.tooltip) if want.tooltip else None
        if before is None:
            self.mount(key, before=0)
        else:
            self.mount(key, after=before)
        return key


def _rename(key: FooterKey, want: _Key) -> None:
    """``key`` as ``want`` says, repainted only if something changed (laid out if its width did)."""
    now = (key.action, key.key_display, key.description, key._disabled)
    if now == (want.action, want.display, want.description, not want.enabled):
        return
    resized = (len(key.key_display), len(key.description)) != (
        len(want.display),
        len(want.description),
    )
    key.action, key.key_display, key.description = want.action, want.display, want.description
    key._disabled = not want.enabled
    key.set_class(not want.enabled, "-disabled")
    key.tooltip = plain(want.tooltip) if want.tooltip else None
    key.refresh(layout=resized)
