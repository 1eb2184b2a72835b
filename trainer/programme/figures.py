# ruff: noqa: RUF001, RUF002 - drawings are made of box characters that look like / \ < >
"""Exercise figures as text: the rules a drawing must follow, and the pure operations on one
(mirror it for the other side, put its frames in one box, fit it to a size).

A figure is a few lines of text drawn with box, line and block characters (``▄ █ ▀ ▔ ╱ ╲``);
a routines file gives each exercise's figure as ``[exercises.figure]`` (see docs/routines.md).
No Textual, no pydantic: the schema, the catalog, the coach, the report and the handout use it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from trainer.text.safe import escape_char, unsafe_chars

#: The pose names every figure has.
START, END = "start", "end"

#: The largest drawing a file may hold (columns, lines). The session shows up to
#: :data:`SESSION_SIZE`; the report and the handout show any size up to this.
MAX_WIDTH = 40
MAX_HEIGHT = 12

#: Characters swapped when a drawing is mirrored (left <-> right).
_PAIRS = (
    "/\\",
    "╱╲",
    "()",
    "<>",
    "[]",
    "{}",
    "▌▐",
    "▖▗",
    "▘▝",
    "▙▟",
    "▛▜",
    "◖◗",
    "◀▶",
    "◁▷",
    "←→",
    "↖↗",
    "↙↘",
    "⎛⎞",
    "⎝⎠",
    "┌┐",
    "└┘",
    "├┤",
    "┍┑",
    "┕┙",
    "┎┒",
    "┖┚",
    "┏┓",
    "┗┛",
    "┣┫",
    "╭╮",
    "╰╯",
    "╔╗",
    "╚╝",
    "╠╣",
    "╒╕",
    "╘╛",
    "╓╖",
    "╙╜",
    "╞╡",
    "╟╢",
    "╴╶",
    "╸╺",
    "▏▕",
    "◤◥",
    "◣◢",
    "⌐¬",
    "«»",
    "‹›",
    "bd",
    "pq",
)
MIRROR = str.maketrans(
    {pair[0]: pair[1] for pair in _PAIRS} | {pair[1]: pair[0] for pair in _PAIRS}
)


def problem(text: str) -> str | None:
    """What is wrong with ``text`` as a figure frame, with the fix; None if it is fine.

    Allowed: printable characters one cell wide (no control character, no tab, no wide or
    combining character: the columns must line up), at most :data:`MAX_WIDTH` columns and
    :data:`MAX_HEIGHT` lines, not blank."""
    bad = unsafe_chars(text, keep="\n")
    if bad:
        at = _where(text, text.index(bad[0]))
        if bad[0] == "\t":
            return f"{at} is a tab ({escape_char(bad[0])}); use spaces"
        return (
            f"{at} is the control character {escape_char(bad[0])}; delete it "
            "(a figure is plain text)"
        )
    for char in dict.fromkeys(text):  # each character once, in the order of its first use
        if char != "\n" and (problem := _column_problem(char)):
            return f"{_where(text, text.index(char))} ({escape_char(char)}) {problem}"
    lines = lines_of(text)
    if not lines:
        return "is blank; draw the figure or remove it"
    if len(lines) > MAX_HEIGHT:
        return f"has {len(lines)} lines; a figure has at most {MAX_HEIGHT}"
    widest = max(len(line) for line in lines)
    if widest > MAX_WIDTH:
        line_no = next(i for i, line in enumerate(lines, start=1) if len(line) == widest)
        return f"line {line_no} is {widest} columns wide; a figure is at most {MAX_WIDTH} columns"
    return None


#: Letters that terminals draw zero columns wide (Hangul medial vowels and final consonants,
#: which join the syllable before them), though Unicode does not class them as marks.
_ZERO_WIDTH_LETTERS = ((0x1160, 0x11FF), (0xD7B0, 0xD7FF))
#: Regional indicators: pairs of them are flags, drawn two columns wide by most terminals.
_REGIONAL_INDICATORS = (0x1F1E6, 0x1F1FF)


def _column_problem(char: str) -> str | None:
    """Why ``char`` cannot be one column of a figure (None: it can). The columns must line up
    in every terminal: one cell each, drawn left to right."""
    category = unicodedata.category(char)
    code = ord(char)
    if category == "Cn":
        return "is not an assigned character; delete it"
    if category == "Co":
        return "is a private-use character (its width depends on the font); delete it"
    zero = any(low <= code <= high for low, high in _ZERO_WIDTH_LETTERS)
    if unicodedata.combining(char) or category in ("Mn", "Me", "Mc", "Cf", "Cs") or zero:
        return "is a combining, invisible or zero-width mark; delete it (the columns must line up)"
    low, high = _REGIONAL_INDICATORS
    if unicodedata.east_asian_width(char) in ("W", "F") or low <= code <= high:
        return "is two columns wide; use one-column characters"
    if unicodedata.bidirectional(char) in ("R", "AL"):
        return "is a right-to-left letter (a terminal may reorder the line); use left-to-right ones"
    return None


def _where(text: str, index: int) -> str:
    """``index`` of ``text`` as a person finds it in the drawing: "line 3, column 5"."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column} of the drawing"


def lines_of(text: str) -> list[str]:
    """The drawing's lines: trailing spaces cut, blank lines at the top and bottom dropped
    (the first line of a TOML ``\"\"\"`` string starts after its newline)."""
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def mirror(lines: Sequence[str]) -> list[str]:
    """The drawing seen from the other side: each line reversed in a common width, and the
    characters with a direction (``/ \\ ( ) < > ▌ ▐ ╱ ╲ ┏ ┓`` ...) swapped."""
    width = max((len(line) for line in lines), default=0)
    return [line.ljust(width)[::-1].translate(MIRROR).rstrip() for line in lines]


def box(frames: Sequence[str]) -> tuple[list[list[str]], int, int]:
    """The frames of one figure in one box (so that the body does not jump between frames):
    every frame as ``height`` lines of ``width`` columns, aligned on their last line (the
    floor) and their left column. Returns (frames, width, height)."""
    split = [lines_of(frame) for frame in frames]
    width = max((len(line) for lines in split for line in lines), default=0)
    height = max((len(lines) for lines in split), default=0)
    boxed = [
        [""] * (height - len(lines)) + [line.ljust(width) for line in lines] for lines in split
    ]
    return [[line.ljust(width) for line in lines] for lines in boxed], width, height


def fit(lines: Sequence[str], width: int, height: int) -> list[str] | None:
    """``lines`` centred in ``width`` x ``height`` (bottom-aligned), or None if they do not fit
    (a figure is never cut: a part of a body would mislead)."""
    if not lines:
        return None
    wide = max(len(line) for line in lines)
    if wide > width or len(lines) > height:
        return None
    left = (width - wide) // 2
    body = [(" " * left + line.ljust(wide)).ljust(width) for line in lines]
    return [" " * width] * (height - len(lines)) + body
