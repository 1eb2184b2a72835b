"""Hostile text for every place a file's words reach a person: payloads, and what to check.

Imported by the loader, CLI, UI and terminal tests (``from hostile_inputs import ...``; pytest
puts ``tests/`` on the path). A payload is named, so a failure says which one got through.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

#: What no text on a terminal may hold raw, written out here (not imported from trainer.text.safe)
#: so that the check does not trust the code it checks: C0, DEL, C1, line and paragraph
#: separators, bidi embeddings/overrides/isolates, lone surrogates.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

#: Escape sequences and control characters a crafted file may hold. Each one, written to a
#: terminal raw, does something: clears, retitles, writes the clipboard, leaves the alternate
#: screen, or at least moves the cursor. The routines loader must refuse them all (one line);
#: text read back from state and history must show them escaped.
CONTROL: dict[str, str] = {
    "csi-clear-screen": "\x1b[2J",
    "csi-cursor-home": "\x1b[H",
    "osc0-title": "\x1b]0;PWNED\x07",
    "osc2-title-st": "\x1b]2;PWNED\x1b\\",
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4vCg==\x07",
    "osc8-hyperlink": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "leave-alt-screen": "\x1b[?1049l",
    "dcs": "\x1bP+q544e\x1b\\",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d2;PWNED\x9c",
    "c1-nel": "\x85",
    "bel": "\x07",
    "del": "\x7f",
    "nul": "\x00",
    "backspace": "\x08",
    "carriage-return": "\r",
    "newline": "\n",
    "tab": "\t",
    "vertical-tab": "\x0b",
    "form-feed": "\x0c",
    "bidi-rlo": "\u202egnp.exe",
    "bidi-lre": "\u202ax\u202c",
    "bidi-isolate": "\u2067x\u2069",
    "line-separator": "a\u2028b",
    "paragraph-separator": "a\u2029b",
}

#: Text that Textual would read as content markup if a widget were handed a str.
MARKUP: dict[str, str] = {
    "close-tag": "Bridges [/]",
    "bold": "[bold]x",
    "click-action": "[@click=app.quit]quit[/]",
    "link": "[link=https://evil.example]x[/link]",
    "ordinary-brackets": "Breathe in [slowly]",
    "unclosed": "[b",
    "escaped-bracket": "\\[b]",
    "variable": "$accent [on red]x",
}

#: Text that is legitimate and must load and show as it is.
LEGIT: dict[str, str] = {
    "rtl-hebrew-arabic": "גשר Bridges جسر",
    "zwj-emoji": "👩‍⚕️ physio",
    "lrm-rlm": "a\u200eb\u200fc",
    "combining": "Cafe\u0301",
    "wide": "橋のポーズ",
}

#: Too long for the routines file (at most 400 characters), fine in state and history.
LONG = "L" * 500


def assert_no_raw_control(text: str, where: str = "") -> None:
    """No character a terminal would act on (see ``trainer.text.safe.UNSAFE``) in ``text``."""
    found = UNSAFE.findall(text)
    assert not found, f"{where}: raw {found!r} in {text!r}"


# --------------------------------------------------------------------------- routines fields


#: Paths of every text field in the shipped routines file (ids and enums excluded), as
#: ``(path in the document, whether a line break is allowed)``.
def text_fields(doc: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], bool]]:
    yield ("source", "title"), False
    yield ("source", "note"), True
    for key in doc["advice"]:
        yield ("advice", key), True
    for i, ex in enumerate(doc["exercises"]):
        for key in ("name", "muscle"):
            yield ("exercises", i, key), False
        yield ("exercises", i, "why"), True
        for j in range(len(ex["steps"])):
            yield ("exercises", i, "steps", j), False
        for k in range(len(ex["cues"])):
            yield ("exercises", i, "cues", k, "text"), False
    for i in range(len(doc["routines"])):
        yield ("routines", i, "name"), False
        yield ("routines", i, "description"), True


def with_value(doc: dict[str, Any], path: tuple[str | int, ...], value: str) -> dict[str, Any]:
    """A deep copy of ``doc`` with ``value`` at ``path``."""
    out = copy.deepcopy(doc)
    node: Any = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


def loc_text(path: tuple[str | int, ...]) -> str:
    """``("exercises", 0, "name")`` -> ``exercises[0].name`` (as errors name a field)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out
