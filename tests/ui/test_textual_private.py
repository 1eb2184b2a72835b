"""Textual's public API only, but for the touch points listed in ``trainer.ui.textual_private``.

Two kinds of test: each listed private name still exists in the pinned Textual and is used as
trainer uses it (an upgrade that changes it fails here, loudly, not in front of a person); and
no other file under ``trainer/ui`` reaches for a private Textual name (the issue's
``grep -rn "textual\\._\\|\\._[a-z]" trainer/ui``, with trainer's own private names told apart).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import inspect
import re
from pathlib import Path

import textual
from textual.app import App
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver

from trainer.ui import textual_private

UI = Path(__file__).resolve().parents[2] / "trainer" / "ui"
PRIVATE_MODULE = UI / "textual_private.py"
#: The issue's grep: a private module of Textual, or any ``._name``.
GREP = re.compile(r"textual\._|\._[a-z]")


def test_the_pinned_textual_is_the_one_the_touch_points_were_checked_against() -> None:
    assert textual.__version__ == "8.2.8", (
        "Textual changed: check every touch point in trainer/ui/textual_private.py against "
        "the new source (and docs/upstream/: maybe a patch landed), then update this test"
    )


def test_linux_driver_still_writes_through_its_file_attribute() -> None:
    """``LinuxDriver._file``: set in ``__init__`` and handed to the writer thread when
    application mode starts. If either changes, trainer's never-raising file is not used and
    a closed terminal hangs the app again."""
    init = inspect.getsource(LinuxDriver.__init__)
    start = inspect.getsource(LinuxDriver.start_application_mode)
    assert "self._file = sys.__stderr__" in init
    assert "WriterThread(self._file)" in start


def test_app_still_keeps_its_driver_in_a_private_attribute() -> None:
    """``App._driver``: how the title and notification sequences reach the terminal (as
    ``App.bell`` itself does it)."""
    assert "self._driver: Driver | None = None" in inspect.getsource(App.__init__)
    assert "self._driver.write(" in inspect.getsource(App.bell)


def test_linux_driver_still_has_what_the_driver_overrides_and_calls() -> None:
    """The public methods TrainerDriver overrides or calls, with the signatures it expects."""
    for name in (
        "write",
        "flush",
        "close",
        "start_application_mode",
        "stop_application_mode",
        "suspend_application_mode",
        "resume_application_mode",
        "run_input_thread",
    ):
        method = getattr(LinuxDriver, name)
        assert next(iter(inspect.signature(method).parameters)) == "self", name
    assert list(inspect.signature(LinuxDriver.write).parameters) == ["self", "data"]
    # Ctrl+Z: Textual's SIGTSTP handler suspends through the (overridden) public method.
    assert "self.suspend_application_mode()" in inspect.getsource(LinuxDriver._sigtstp_application)
    # LinuxDriver registers a SIGCONT handler with signal.signal; trainer's replaces it.
    assert "signal.signal(signal.SIGCONT" in inspect.getsource(LinuxDriver.__init__)
    assert linux_driver.signal is __import__("signal")


def test_every_touch_point_is_described() -> None:
    assert set(textual_private.TOUCH_POINTS) == {"LinuxDriver._file", "App._driver"}
    for name, why in textual_private.TOUCH_POINTS.items():
        _owner, attribute = name.split(".")
        assert attribute.startswith("_")
        assert len(why) > 40, f"{name}: say what a person would see without it"


# ---------------------------------------------------------------------------- the AST check


def _is_private(name: str) -> bool:
    """``_x`` (not a dunder such as ``__init__``)."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_textual_module(module: str) -> bool:
    """``textual._x`` or ``textual.y._z`` (``textual.widgets`` is public)."""
    parts = module.split(".")
    return parts[0] == "textual" and any(part.startswith("_") for part in parts[1:])


def _defined_by(node: ast.ClassDef) -> set[str]:
    """Names a class defines itself: methods, class attributes and fields, and every
    ``self.x``/``cls.x`` its methods assign."""
    own: set[str] = set()
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            own.add(item.name)
        elif isinstance(item, ast.Assign):
            own.update(target.id for target in item.targets if isinstance(target, ast.Name))
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            own.add(item.target.id)
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Attribute)
            and isinstance(sub.ctx, ast.Store)
            and isinstance(sub.value, ast.Name)
            and sub.value.id in ("self", "cls")
        ):
            own.add(sub.attr)
    return own


@functools.cache
def _class_node(cls: type) -> ast.ClassDef | None:
    try:
        tree = ast.parse(inspect.getsource(cls))
    except (OSError, TypeError):
        return None
    node = tree.body[0] if tree.body else None
    return node if isinstance(node, ast.ClassDef) else None


@functools.cache
def _textual_names(base: type) -> frozenset[str]:
    """A Textual class's names: ``vars()`` and every ``self._x`` of its source. Once per class:
    ``inspect.getsource`` of a class parses its whole module (textual/widget.py is thousands
    of lines) and every trainer class asks about the same bases (22 s for this file before)."""
    names = set(vars(base))
    with contextlib.suppress(OSError, TypeError):  # no source: its vars() only
        names |= set(re.findall(r"\bself\.(_\w+)", inspect.getsource(base)))
    return frozenset(names)


def _names_of_bases(cls: type | None) -> tuple[set[str], dict[str, str]]:
    """What ``cls``'s trainer bases define (its own too), and every name its Textual bases
    have (class attributes, methods, ``self._x``), each with the base it comes from."""
    ours: set[str] = set()
    textuals: dict[str, str] = {}
    for base in cls.__mro__[1:] if cls is not None else ():
        root = base.__module__.split(".")[0]
        if root == "trainer":
            node = _class_node(base)
            if node is not None:
                ours |= _defined_by(node)
        elif root == "textual":
            for name in _textual_names(base):
                textuals.setdefault(name, f"{base.__module__}.{base.__qualname__}")
    return ours, textuals


def private_uses(source: str, classes: dict[str, type]) -> list[str]:
    """Every use of a private Textual name in ``source``: an import from a private module (or
    of a private name), and any ``x._name`` that is not ``self._name`` (``cls._name``,
    ``TheClass._name``) defined by the class it is used in (or a trainer class it builds on),
    or that is also a name of a Textual class it builds on (overriding Textual's private
    name). A private name
    given as a string to getattr, setattr, hasattr or delattr counts too. ``classes``: the
    module's classes by name (their bases are looked at)."""
    tree = ast.parse(source)
    hits: list[str] = []

    def hit(node: ast.AST, what: str) -> None:
        hits.append(f"line {getattr(node, 'lineno', '?')}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _private_textual_module(alias.name):
                    hit(node, f"imports the private module {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _private_textual_module(node.module):
                hit(node, f"imports from the private module {node.module}")
            elif node.module.split(".")[0] == "textual":
                for alias in node.names:
                    if _is_private(alias.name):
                        hit(node, f"imports the private {node.module}.{alias.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _is_private(node.args[1].value)
        ):
            hit(node, f"{node.func.id}(..., {node.args[1].value!r})")

    class Visitor(ast.NodeVisitor):
        def __init__(self) -> None:
            #: For each class we are in: its name, what it may use on self (or on itself), and
            #: its Textual bases' names.
            self.scopes: list[tuple[str, set[str], dict[str, str]]] = []

        def visit_ClassDef(self, node: ast.ClassDef) -> None:
            own = _defined_by(node)
            ours, textuals = _names_of_bases(classes.get(node.name))
            for name in sorted(own):
                if _is_private(name) and name in textuals:
                    hit(node, f"{node.name} redefines {name}, private to {textuals[name]}")
            self.scopes.append((node.name, own | ours, textuals))
            self.generic_visit(node)
            self.scopes.pop()

        def visit_Attribute(self, node: ast.Attribute) -> None:
            if _is_private(node.attr):
                name, own, _textuals = self.scopes[-1] if self.scopes else ("", set(), {})
                owners = ("self", "cls", name)
                on_self = isinstance(node.value, ast.Name) and node.value.id in owners
                if not on_self or not self.scopes:
                    hit(node, f".{node.attr} on something not our own ({ast.unparse(node)})")
                elif node.attr not in own:
                    hit(node, f"self.{node.attr} is not defined by trainer's class")
            self.generic_visit(node)

    Visitor().visit(tree)
    return hits


def _ui_modules() -> list[Path]:
    return sorted(path for path in UI.rglob("*.py") if "__pycache__" not in path.parts)


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(UI.parent.parent).with_suffix("").parts)


def _classes_of(module_name: str) -> dict[str, type]:
    module = importlib.import_module(module_name)
    return {name: cls for name, cls in vars(module).items() if inspect.isclass(cls)}


def test_no_private_textual_name_outside_the_one_module() -> None:
    """Under ``trainer/ui``, outside ``textual_private.py``: no private Textual module or name
    imported, and every ``_name`` used is ``self._name`` of trainer's own class, not
    Textual's."""
    modules = [path for path in _ui_modules() if path != PRIVATE_MODULE]
    assert len(modules) > 20  # the walk found the package
    hits = [
        f"{path.relative_to(UI.parent.parent)} {hit}"
        for path in modules
        for hit in private_uses(path.read_text(encoding="utf-8"), _classes_of(_module_name(path)))
    ]
    assert not hits, "private Textual names outside textual_private.py:\n" + "\n".join(hits)


FAKE = """\
from textual._compositor import ChopsUpdate
import textual._xterm_parser
from textual.widgets._footer import FooterKey
from textual import _compositor
from textual.widgets import Footer


class Keys(Footer):
    def compose(self):
        self._mine = 1
        if self._bindings_ready:
            yield self._mine

    def _on_click(self):
        return super()._refresh()


class Plain:
    def __init__(self):
        self._shown = {}

    def show(self, app, key, thread):
        app._driver.write("x")
        key._disabled = True
        getattr(thread, "_queue")
        return self._shown, self.__class__
"""


def test_the_check_catches_what_the_issue_listed() -> None:
    """Not vacuous: the touch points issue 20 found, as they were written, are caught; a
    class's own ``self._x`` (and dunders) are not."""
    from textual.widgets import Footer

    class Plain:
        pass

    hits = private_uses(FAKE, {"Keys": type("Keys", (Footer,), {}), "Plain": Plain})
    text = "\n".join(hits)
    for expected in (
        "line 1: imports from the private module textual._compositor",
        "line 2: imports the private module textual._xterm_parser",
        "line 3: imports from the private module textual.widgets._footer",
        "line 4: imports the private textual._compositor",
        "self._bindings_ready is not defined by trainer's class",
        "Keys redefines _on_click, private to textual.",
        "._refresh on something not our own (super()._refresh)",
        "._driver on something not our own (app._driver)",
        "._disabled on something not our own (key._disabled)",
        "getattr(..., '_queue')",
    ):
        assert expected in text, f"{expected!r} not in:\n{text}"
    assert "_mine" not in text and "_shown" not in text and "__class__" not in text
    assert len(hits) == 10, text


def test_a_class_that_assigns_a_textual_private_name_is_caught() -> None:
    """``self._bindings_ready = True`` in a Footer subclass is Textual's name, even though
    the class assigns it itself (the old footer did exactly that)."""
    from textual.widgets import Footer

    source = "class Keys(Footer):\n    def on_mount(self):\n        self._bindings_ready = True\n"
    hits = private_uses(source, {"Keys": type("Keys", (Footer,), {})})
    assert hits == [
        "line 1: Keys redefines _bindings_ready, private to textual.widgets._footer.Footer"
    ]


def test_the_grep_finds_the_touch_points_in_the_one_module() -> None:
    """The issue's own check: the grep's hits in textual_private.py are the listed names."""
    text = PRIVATE_MODULE.read_text(encoding="utf-8")
    found = {match for line in text.splitlines() for match in re.findall(r"\.(_[a-z]\w*)", line)}
    assert found == {"_file", "_driver"}
    assert GREP.search(text)
