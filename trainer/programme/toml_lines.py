"""Where each key, table and array item of a TOML document starts: its line, for error messages.

``tomllib`` gives values but no positions, so a validation error found after parsing (a
duplicate id, an unknown key, a number out of range) would have no line. This scanner walks the
document's own syntax (table headers, arrays of tables, dotted and quoted keys, inline tables,
arrays, every string form, comments) and records the line of each place, named the way pydantic
names it: ``("exercises", 2, "cues", 1, "text")``. It follows the layout actually in the file,
whatever tool or hand wrote it.

It is only ever run on text that ``tomllib`` has already accepted, and it is best effort: if it
meets something it does not understand it stops and returns what it found so far.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import tomllib

Loc = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?"
)
_SCALAR = re.compile(r"[^\s,\]\}#]+")


def key_lines(text: str) -> dict[Loc, int]:
    """Every place in ``text`` -> the 1-based line where it starts (the first time it does)."""
    scanner = _Scanner(text)
    # Best effort: keep what was found before a part the scanner could not follow.
    with contextlib.suppress(IndexError, AttributeError, ValueError, RecursionError):
        scanner.document()
    return scanner.found


def line_of(text: str, loc: Loc) -> int | None:
    """The line of ``loc``, or of the nearest enclosing place the file names (a missing key is
    reported at its table's header); None when not even the first part is in the file."""
    found = key_lines(text)
    for end in range(len(loc), 0, -1):
        line = found.get(tuple(loc[:end]))
        if line is not None:
            return line
    return None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.n = len(text)
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self.found: dict[Loc, int] = {}
        #: An array of tables (its place, without an index) -> the index of its last element.
        self._arrays: dict[Loc, int] = {}

    # ------------------------------------------------------------------ helpers

    def _line(self, pos: int) -> int:
        return bisect.bisect_left(self._newlines, pos) + 1

    def _mark(self, loc: Loc, pos: int) -> None:
        self.found.setdefault(loc, self._line(pos))

    def _spaces(self) -> None:
        while self.i < self.n and self.s[self.i] in " \t":
            self.i += 1

    def _blank(self) -> None:
        """Spaces, newlines and comments."""
        while self.i < self.n:
            c = self.s[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif c == "#":
                end = self.s.find("\n", self.i)
                self.i = self.n if end < 0 else end
            else:
                return

    def _expect(self, token: str) -> None:
        if not self.s.startswith(token, self.i):
            raise ValueError(f"expected {token!r} at {self.i}")
        self.i += len(token)

    # ------------------------------------------------------------------ grammar

    def document(self) -> None:
        table: Loc = ()
        while True:
            self._blank()
            if self.i >= self.n:
                return
            start = self.i
            if self.s.startswith("[[", self.i):
                self.i += 2
                parts = self._key()
                self._spaces()
                self._expect("]]")
                table = self._resolve(parts, new_element=True)
                self._mark(table[:-1], start)  # the array itself, at its first element
                self._mark(table, start)
            elif self.s[self.i] == "[":
                self.i += 1
                parts = self._key()
                self._spaces()
                self._expect("]")
                table = self._resolve(parts, new_element=False)
                self._mark(table, start)
            else:
                self._key_value(table)

    def _resolve(self, parts: list[str], *, new_element: bool) -> Loc:
        """A header's key -> its place, with the current index of every array of tables on the
        way (``[routines.meta]`` after the third ``[[routines]]`` is ``routines[2].meta``)."""
        loc: Loc = ()
        for k, part in enumerate(parts):
            loc = (*loc, part)
            if new_element and k == len(parts) - 1:
                index = self._arrays.get(loc, -1) + 1
                self._arrays[loc] = index
                loc = (*loc, index)
            elif loc in self._arrays:
                loc = (*loc, self._arrays[loc])
        return loc

    def _key(self) -> list[str]:
        """A (dotted) key: ``a``, ``"a b"``, ``'a'``, ``a.b . "c"``."""
        parts: list[str] = []
        while True:
            self._spaces()
            c = self.s[self.i]
            if c in "\"'":
                start = self.i
                self._string()
                raw = self.s[start : self.i]
                parts.append(str(tomllib.loads(f"k = {raw}")["k"]))
            else:
                match = _BARE_KEY.match(self.s, self.i)
                if match is None:
                    raise ValueError(f"no key at {self.i}")
                parts.append(match.group())
                self.i = match.end()
            self._spaces()
            if self.i < self.n and self.s[self.i] == ".":
                self.i += 1
                continue
            return parts

    def _key_value(self, table: Loc) -> None:
        start = self.i
        parts = self._key()
        for end in range(1, len(parts) + 1):  # a dotted key names its tables too
            self._mark((*table, *parts[:end]), start)
        self._spaces()
        self._expect("=")
        self._spaces()
        self._value((*table, *parts))

    def _value(self, loc: Loc) -> None:
        c = self.s[self.i]
        if c == "[":
            self._array(loc)
        elif c == "{":
            self._inline_table(loc)
        elif c in "\"'":
            self._string()
        else:
            match = _DATETIME.match(self.s, self.i) or _SCALAR.match(self.s, self.i)
            if match is None:
                raise ValueError(f"no value at {self.i}")
            self.i = match.end()

    def _array(self, loc: Loc) -> None:
        self.i += 1
        index = 0
        while True:
            self._blank()
            if self.s[self.i] == "]":
                self.i += 1
                return
            self._mark((*loc, index), self.i)
            self._value((*loc, index))
            index += 1
            self._blank()
            if self.s[self.i] == ",":
                self.i += 1

    def _inline_table(self, loc: Loc) -> None:
        self.i += 1
        while True:
            self._blank()
            if self.s[self.i] == "}":
                self.i += 1
                return
            self._key_value(loc)
            self._blank()
            if self.s[self.i] == ",":
                self.i += 1

    def _string(self) -> None:
        s = self.s
        quote = s[self.i]
        escapes = quote == '"'
        if s.startswith(quote * 3, self.i):
            self.i += 3
            while True:
                if s.startswith(quote * 3, self.i):
                    self.i += 3
                    extra = 0  # up to two quotes may end the content: """a"""""
                    while extra < 2 and self.i < self.n and s[self.i] == quote:
                        self.i += 1
                        extra += 1
                    return
                if escapes and s[self.i] == "\\":
                    self.i += 2
                elif self.i >= self.n:
                    raise ValueError("unterminated string")
                else:
                    self.i += 1
        self.i += 1
        while s[self.i] != quote:
            if s[self.i] == "\n":
                raise ValueError("newline in a string")
            self.i += 2 if escapes and s[self.i] == "\\" else 1
        self.i += 1
