"""The rule that keeps file data from being read as markup (or reaching the terminal raw):
under trainer/ui, every text handed to a widget is a literal written in the code or goes through
``plain()``. Textual reads any other ``str`` as content markup and passes ESC through.

The walk is over the source, so a new screen that forgets the rule fails here before anyone
names a routine ``Bridges [/]``.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "trainer" / "ui"

#: Constructors whose positional arguments are shown as text.
SHOWN_BY = {"Label", "Static", "Button", "Option", "Text", "Content", "Tooltip"}
#: Methods whose positional arguments are shown as text.
SHOWN_BY_METHOD = {
    "update",
    "add_row",
    "add_column",
    "add_columns",
    "with_tooltip",
    "set_tooltip",
}
TABLE_METHODS = {"add_row", "add_column", "add_columns"}
#: Keywords and attributes that are shown as text wherever they appear.
SHOWN_KEYWORDS = {"tooltip", "label", "prompt", "border_title", "border_subtitle"}
#: Shown as literal text (never markup), but still written to the terminal: a literal, or a
#: ``printable()`` (controls escaped) call.
LITERAL_KEYWORDS = {"placeholder", "title", "sub_title"}
#: Files the rule does not apply to, and why.
EXEMPT = {
    "plain.py": "it defines plain()",
    "widgets/bigtext.py": "it draws the rows of its own font; any other character is a space",
}


def _is_literal(node: ast.expr) -> bool:
    """Text written in the code (no data in it)."""
    return isinstance(node, ast.Constant)


def _is_call_of(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == name)
        or (isinstance(node.func, ast.Attribute) and node.func.attr == name)
    )


def _is_plain(node: ast.AST) -> bool:
    return _is_call_of(node, "plain") or _is_call_of(node, "plain_cell")


def _ok(node: ast.expr, helper: str = "plain") -> bool:
    if isinstance(node, ast.IfExp):
        return _ok(node.body, helper) and _ok(node.orelse, helper)
    if helper == "plain" and _is_plain(node):
        return True
    return _is_literal(node) or _is_call_of(node, helper)


def _name(call: ast.Call) -> tuple[str, bool]:
    if isinstance(call.func, ast.Name):
        return call.func.id, False
    if isinstance(call.func, ast.Attribute):
        return call.func.attr, True
    return "", False


def violations(source: str, filename: str) -> list[str]:
    tree = ast.parse(source, filename)
    found: list[str] = []

    def flag(node: ast.AST, what: str) -> None:
        found.append(f"{filename}:{getattr(node, 'lineno', '?')}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name, is_method = _name(node)
            # Inside plain(...) a rich Text may be built from data: plain cleans it.
            if name in ("plain", "plain_cell"):
                continue
            shown = (name in SHOWN_BY and not is_method) or (name in SHOWN_BY_METHOD and is_method)
            if name in SHOWN_BY and is_method and name not in {"Text", "Content"}:
                shown = True  # widgets.Label(...)
            # A DataTable cuts a Content cell to one character: cells take plain_cell().
            helper = "plain_cell" if name in TABLE_METHODS else "plain"
            if shown:
                for arg in node.args:
                    if not _ok(arg, helper) and not _inside_plain(tree, node):
                        flag(arg, f"{name}(...) shows {ast.unparse(arg)!r}: wrap it in plain()")
            for keyword in node.keywords:
                if (
                    keyword.arg in SHOWN_KEYWORDS
                    and not _ok(keyword.value)
                    and not _inside_plain(tree, node)
                ):
                    flag(
                        keyword.value,
                        f"{keyword.arg}= shows {ast.unparse(keyword.value)!r}: wrap it in plain()",
                    )
                if keyword.arg in LITERAL_KEYWORDS and not _ok(keyword.value, "printable"):
                    flag(
                        keyword.value,
                        f"{keyword.arg}= shows {ast.unparse(keyword.value)!r}: "
                        "wrap it in printable()",
                    )
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in SHOWN_KEYWORDS
                    and not _ok(node.value)
                ):
                    flag(node, f".{target.attr} = {ast.unparse(node.value)!r}: wrap it in plain()")
    return found


def _inside_plain(tree: ast.AST, target: ast.AST) -> bool:
    """``target`` is (part of) an argument of a ``plain(...)`` call."""
    for node in ast.walk(tree):
        if _is_plain(node) and node is not target:  # type: ignore[arg-type]
            assert isinstance(node, ast.Call)
            for arg in node.args:
                if any(child is target for child in ast.walk(arg)):
                    return True
    return False


def test_every_text_under_trainer_ui_is_a_literal_or_plain() -> None:
    problems: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        name = str(path.relative_to(UI))
        if name not in EXEMPT:
            problems += violations(path.read_text(encoding="utf-8"), name)
    assert not problems, "\n".join(problems)


def test_the_rule_catches_what_it_must() -> None:
    # A check that can't fail proves nothing: feed it the mistakes it exists for.
    bad = """
Label(routine.name)
Label(f"It ran on {path}")
Static(heat_map(rows), id="x")
self.query_one("#x", Label).update(problem)
table.add_row(result.name, "literal")
table.add_row(plain(result.name))
Button(label, id="y")
Option(Text.assemble((routine.name, "bold")), id=routine.id)
Input(placeholder=name)
widget.tooltip = hint(ex, name)
Input(tooltip=plain(x) if x else x)
field.border_title = label
field.border_subtitle = hint(ex, name)
"""
    assert len(violations(bad, "bad.py")) == 13, violations(bad, "bad.py")
    good = """
Label("Settings", id="settings-title")
Label(plain(routine.name))
Label("a" if x else "b")
Static(plain(heat_map(rows)), id="x")
self.query_one("#x", Label).update(plain(problem))
table.add_row(plain_cell(result.name), "literal")
Option(plain(Text.assemble((routine.name, "bold"))), id=routine.id)
widget.tooltip = plain(hint(ex, name))
Input(tooltip=plain(x) if x else None, placeholder=printable(f"{a}-{b}"))
field.border_title = plain(label)
field.border_subtitle = plain(note)
"""
    assert violations(good, "good.py") == []
