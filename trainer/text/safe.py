"""Which characters of a file's text may reach a terminal, and how the others are shown.

Pure and tiny (only ``re``): the models, the engine's snapshot, the errors, the CLI and the UI
all use it, so it sits below all of them.
"""

from __future__ import annotations

import re

# Characters a terminal must never receive from data, because they are not text but commands or
# tricks:
# - C0 controls (U+0000-U+001F) and DEL: ESC starts every escape sequence (clear the screen,
#   leave the alternate screen, set the title, OSC 52 writes the clipboard, OSC 8 hides a link);
#   BEL, BS, CR, tab and newline move the cursor or break the one-line promise.
# - C1 controls (U+0080-U+009F): U+009B is a one-character CSI and U+009D an OSC on terminals
#   that honour 8-bit controls.
# - Line and paragraph separators (U+2028, U+2029): some terminals and parsers break lines there.
# - Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): invisible,
#   they reorder what follows on the line ("Trojan Source"), so a name could show text other
#   than what it holds, and the reordering can spill past the name into our own words.
#   Right-to-left letters themselves are text and are kept; so are the implicit marks LRM/RLM
#   (U+200E, U+200F) and ZWJ/ZWNJ (U+200C, U+200D), which scripts and emoji need and which
#   reorder or hide nothing.
# - Lone surrogates (U+D800-U+DFFF): JSON can hold them, but they cannot be encoded for any
#   terminal (writing one would crash the app).
#: The characters above (see :func:`printable`).
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def unsafe_chars(text: str, *, keep: str = "") -> list[str]:
    """The characters of ``text`` that :func:`printable` would escape (``keep`` excepted)."""
    return [c for c in UNSAFE.findall(text) if c not in keep]


def escape_char(char: str) -> str:
    """One character as an escape, always ASCII: ``"\\x1b"``, ``"\\u202e"``, ``"\\n"`` as Python
    writes them, and by its code a character Python would print as it is (a combining mark
    shown raw would join the text around it): ``"\\u0301"``."""
    shown = repr(char)[1:-1]
    if shown != char:
        return shown
    code = ord(char)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code <= 0xFFFF
        else f"\\U{code:08x}"
    )


def printable(text: str, *, keep: str = "") -> str:
    """``text`` safe to show on a terminal: every character listed above becomes its visible
    escape (ESC shows as ``\\x1b``); ``keep`` names characters to leave alone (e.g. ``"\\n"``).

    Idempotent: an escape is plain text and is left as it is.
    """
    if not UNSAFE.search(text):
        return text
    return UNSAFE.sub(lambda m: m.group() if m.group() in keep else escape_char(m.group()), text)


def replace_unsafe(text: str, *, keep: str = "") -> str:
    """Like :func:`printable` but one character for one (U+FFFD), so styled ranges of a rich
    text built around ``text`` keep their places."""
    if not UNSAFE.search(text):
        return text
    return UNSAFE.sub(lambda m: m.group() if m.group() in keep else "\ufffd", text)
