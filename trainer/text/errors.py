"""The project's one error type for anything a person can fix: a file, a value, a lock."""

from __future__ import annotations

from pathlib import Path

from trainer.text.safe import printable


class TrainerError(Exception):
    """A problem a person can fix, rendered as one line: ``file:line:col: what; how to fix``."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.col = col
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.col is not None:
                    where += f":{self.col}"
            where += ": "
        # One line, always: newlines in a parser's message would break the promise, and so
        # would \r, \v, \f, \x1c-\x1e, \x85, \u2028, \u2029 in a key quoted from the file.
        # Then every other control character (a key, a value, a path from argv may hold ESC)
        # shows as its escape: this line goes to a terminal as it is.
        return printable(" ".join((where + self.message).splitlines()))
