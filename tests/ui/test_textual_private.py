"""Textual's public API only, but for the touch points listed in ``trainer.ui.textual_private``.

Three kinds of test: each listed private name still exists in the pinned Textual and is used
as trainer uses it (an upgrade that changes it fails here, loudly, not in front of a person);
no other file under ``trainer/ui`` reaches for a private Textual name (the issue's
``grep -rn "textual\\._\\|\\._[a-z]" trainer/ui`` as written, which finds only
textual_private.py since trainer's classes keep their own state in class-private ``__names``,
and an AST check that tells trainer's names from Textual's); and no trainer class defines or
assigns a name its Textual base class already has, but for the documented hooks.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import inspect
import pkgutil
import re
import textwrap
from pathlib import Path
from typing import TypeGuard

import textual
from textual.app import App
from textual.dom import DOMNode
from textual.driver import Driver
from textual.drivers import linux_driver
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import Screen
from textual.widget import Widget

import trainer.ui
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


def _mangled(name: str, class_name: str) -> str:
    """The attribute Python stores for ``name`` written in class ``class_name``: a class-private
    ``__x`` becomes ``_ClassName__x`` (so it never meets a base class's name), others stay."""
    if name.startswith("__") and not name.endswith("__"):
        return f"_{class_name.lstrip('_')}{name}"
    return name


def _private_textual_module(module: str) -> bool:
    """``textual._x`` or ``textual.y._z`` (``textual.widgets`` is public)."""
    parts = module.split(".")
    return parts[0] == "textual" and any(part.startswith("_") for part in parts[1:])


def _defined_by(node: ast.ClassDef) -> set[str]:
    """Names a class defines itself: methods, class attributes and fields, and every
    ``self.x``/``cls.x`` its methods assign."""
    return _body_names(node) | {sub.attr for sub in ast.walk(node) if _assigned_on_self(sub)}


def _body_names(node: ast.ClassDef) -> set[str]:
    """Methods, nested classes, class attributes and fields a class body defines."""
    names: set[str] = set()
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(item.name)
        elif isinstance(item, ast.Assign):
            names.update(target.id for target in item.targets if isinstance(target, ast.Name))
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            names.add(item.target.id)
    return names


def _assigned_on_self(sub: ast.AST) -> TypeGuard[ast.Attribute]:
    """``self.x = ...`` or ``cls.x = ...``."""
    return (
        isinstance(sub, ast.Attribute)
        and isinstance(sub.ctx, ast.Store)
        and isinstance(sub.value, ast.Name)
        and sub.value.id in ("self", "cls")
    )


@functools.cache
def _class_node(cls: type) -> ast.ClassDef | None:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))  # dedent: a nested class
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
        found = re.findall(r"\bself\.(_\w+)", inspect.getsource(base))
        names |= {_mangled(name, base.__name__) for name in found}
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
                stored = _mangled(name, node.name)
                if _is_private(name) and stored in textuals:
                    hit(node, f"{node.name} redefines {name}, private to {textuals[stored]}")
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


def grep_hits(path: Path) -> list[str]:
    """The issue's grep over one file: ``file:line: text`` for every line it matches."""
    where = path.relative_to(UI.parent.parent)
    return [
        f"{where}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if GREP.search(line)
    ]


def test_the_issues_grep_points_only_at_the_one_module() -> None:
    """Issue 20's check as written, ``grep -rn "textual\\._\\|\\._[a-z]" trainer/ui``: every line
    it prints is in textual_private.py. trainer's own per-class state and helpers are
    class-private (``self.__rows``, which Python stores as ``_BigText__rows``), so the grep
    no longer buries the two touch points under a hundred and seventy of ours."""
    modules = _ui_modules()
    assert PRIVATE_MODULE in modules and len(modules) > 20
    outside = [hit for path in modules if path != PRIVATE_MODULE for hit in grep_hits(path)]
    assert not outside, (
        "the issue's grep matches outside trainer/ui/textual_private.py (use a class-private "
        "__name for a class's own state, a public name for what others use, and say "
        "'the App's driver' rather than a Textual private name in prose):\n" + "\n".join(outside)
    )
    assert grep_hits(PRIVATE_MODULE)  # the touch points themselves are still found


# ------------------------------------------------- trainer's names over Textual's base classes

#: Names trainer's classes define over a Textual base class on purpose: each is a class
#: setting or a hook Textual documents for subclasses, given with the Textual class that
#: documents it (the override counts only in a subclass of that class) and why.
INTENDED_OVERRIDES: dict[str, tuple[type, str]] = {
    # Class settings Textual reads from each subclass.
    "DEFAULT_CSS": (DOMNode, "a widget's own default styles"),
    "CSS_PATH": (DOMNode, "a screen's or the app's .tcss file (one per screen)"),
    "BINDINGS": (DOMNode, "the keys of a screen or of the app"),
    "COMPONENT_CLASSES": (DOMNode, "the parts of a widget a .tcss may style"),
    "HORIZONTAL_BREAKPOINTS": (Screen, "size classes of a screen by its width"),
    "ALLOW_SELECT": (Widget, "whether a widget's text may be selected with the mouse"),
    "TITLE": (App, "the app's title"),
    "ENABLE_COMMAND_PALETTE": (App, "trainer has no command palette"),
    # Hooks Textual calls for a subclass to fill in.
    "compose": (Widget, "a screen's or a widget's children"),
    "render": (Widget, "what a simple widget shows"),
    "render_line": (Widget, "a line-API widget's lines"),
    "get_content_width": (Widget, "a widget's natural width (auto)"),
    "get_content_height": (Widget, "a widget's natural height (auto)"),
    "check_action": (DOMNode, "which keys of the footer apply now"),
    "check_consume_key": (Widget, "keys a score box lets through to the screen"),
    # A public method overridden with the same signature, calling super().
    "notify": (App, "PlainTextApp: every toast shown as text, never markup"),
    # The driver interface (textual.driver.Driver's methods, LinuxDriver's input loop):
    # TrainerDriver is a LinuxDriver that never hangs on a closed terminal, see
    # test_linux_driver_still_has_what_the_driver_overrides_and_calls.
    **dict.fromkeys(
        (
            "write",
            "flush",
            "close",
            "start_application_mode",
            "stop_application_mode",
            "suspend_application_mode",
            "resume_application_mode",
        ),
        (Driver, "TrainerDriver implements the driver interface"),
    ),
    "run_input_thread": (LinuxDriver, "TrainerDriver's input loop stops on a closed terminal"),
}
#: Handlers Textual finds by the name's prefix (messages, actions, reactives, keys).
HOOK_PREFIXES = ("on_", "action_", "watch_", "compute_", "validate_", "key_")


def _walk_class(node: ast.ClassDef) -> list[ast.AST]:
    """Every node of a class but those of the classes nested in it (their own ``self``)."""
    found: list[ast.AST] = []
    todo: list[ast.AST] = list(node.body)
    while todo:
        item = todo.pop()
        found.append(item)
        if not isinstance(item, ast.ClassDef):
            todo.extend(ast.iter_child_nodes(item))
    return found


def own_names(node: ast.ClassDef) -> tuple[set[str], set[str]]:
    """What a class defines in its body (methods, nested classes, class attributes) and what
    its methods assign on ``self``/``cls``, each as Python stores it (``__x`` mangled)."""
    body = _body_names(node)
    stored = {sub.attr for sub in _walk_class(node) if _assigned_on_self(sub)}
    return {_mangled(n, node.name) for n in body}, {_mangled(n, node.name) for n in stored}


@functools.cache
def _textual_attributes(base: type) -> dict[str, str]:
    """Every attribute a Textual class has: ``dir()`` (its class attributes, methods and
    properties, inherited ones too) and what its own methods assign on ``self`` (instance
    attributes such as ``Widget._nodes``), each with where it comes from. Once per class:
    reading a class's source parses its whole module."""
    where = f"{base.__module__}.{base.__qualname__}"
    names = dict.fromkeys(dir(base), where)
    node = _class_node(base)
    if node is not None:
        for name in own_names(node)[1]:
            names.setdefault(name, f"{where} (set on self)")
    return names


def _public_setter(cls: type, name: str) -> bool:
    """``name`` is a public property or reactive with a setter on ``cls``: assigning it is
    using Textual's API (``self.display = False``), not replacing Textual's attribute."""
    attribute = inspect.getattr_static(cls, name, None)
    if isinstance(attribute, property):
        return attribute.fset is not None and not name.startswith("_")
    return hasattr(type(attribute), "__set__") and not name.startswith("_")


def shadowed(cls: type, node: ast.ClassDef) -> list[str]:
    """Every name ``cls`` (written as ``node``) defines or assigns that its Textual bases
    already have, but for the intended overrides and the public setters."""
    textual_bases = [base for base in cls.__mro__[1:] if base.__module__.startswith("textual")]
    theirs: dict[str, str] = {}
    for base in textual_bases:
        for name, where in _textual_attributes(base).items():
            theirs.setdefault(name, where)
    body, stored = own_names(node)
    clashes = []
    for name in sorted(body | stored):
        if name not in theirs or (name.startswith("__") and name.endswith("__")):
            continue
        if name.startswith(HOOK_PREFIXES):
            continue
        documented = INTENDED_OVERRIDES.get(name)
        if name in body and documented is not None and issubclass(cls, documented[0]):
            continue
        if name not in body and _public_setter(cls, name):
            continue
        how = "defines " if name in body else "assigns self."
        clashes.append(f"{cls.__module__}.{cls.__qualname__} {how}{name}: {theirs[name]} has it")
    return clashes


def _ui_classes() -> list[type]:
    """Every class defined in a trainer.ui module that builds on a Textual class (nested
    classes, such as a screen's messages, too)."""
    modules = [
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(trainer.ui.__path__, "trainer.ui.")
    ]
    found: dict[type, None] = {}
    todo: list[object] = [value for module in modules for value in vars(module).values()]
    while todo:
        value = todo.pop()
        if not inspect.isclass(value) or value in found:
            continue
        if not value.__module__.startswith("trainer.ui"):
            continue
        found[value] = None
        todo.extend(vars(value).values())
    return [
        cls
        for cls in found
        if any(base.__module__.startswith("textual") for base in cls.__mro__[1:])
    ]


def test_no_trainer_ui_class_shadows_a_textual_attribute() -> None:
    """The risk behind the grep: a name a trainer widget, screen or app defines or assigns
    that its Textual base class already has (``self._nodes = ...`` on a Widget, a method
    ``refresh``) silently replaces Textual's, today or after an upgrade. Only the documented
    class settings and hooks (INTENDED_OVERRIDES, the ``on_``/``action_``/``watch_``...
    handlers) and Textual's public setters (``self.display = ...``) may meet Textual's names."""
    classes = _ui_classes()
    names = {cls.__name__ for cls in classes}
    assert {"TrainerApp", "SessionScreen", "BigText", "TrainerDriver", "Chosen"} <= names
    clashes = []
    for cls in classes:
        node = _class_node(cls)
        assert node is not None, f"no source for {cls.__qualname__}"
        clashes += shadowed(cls, node)
    assert not clashes, "trainer/ui names over Textual's:\n" + "\n".join(clashes)


PLANTED = """\
class Planted(Widget):
    DEFAULT_CSS = "Planted { height: 1; }"

    def __init__(self) -> None:
        super().__init__()
        self.size = 3
        self._nodes = []
        self.__rows = []
        self.display = False
        self.mine = 1

    def render(self):
        return ""

    def refresh(self, *regions, **options):
        return self

    def on_mount(self) -> None:
        self.__rows = [1]

    def _on_click(self) -> None:
        pass

    class Inner:
        def __init__(self) -> None:
            self.size = 4
"""


def test_the_shadow_check_catches_a_planted_clash() -> None:
    """Not vacuous: a property without a setter assigned (``self.size``), a private attribute
    of Widget's (``self._nodes``), a method Textual does not offer for overriding
    (``refresh``) and a private handler (``_on_click``) are caught; a class-private
    ``self.__rows``, a public setter, the documented hooks, a nested class's own ``self``
    and a new name are not."""
    namespace: dict[str, object] = {"Widget": Widget}
    exec(PLANTED, namespace)  # the fixed source above
    planted = namespace["Planted"]
    assert isinstance(planted, type)
    node = ast.parse(PLANTED).body[0]
    assert isinstance(node, ast.ClassDef)
    clashes = shadowed(planted, node)
    text = "\n".join(clashes)
    for expected in (
        "Planted assigns self.size: textual.widget.Widget has it",
        "Planted assigns self._nodes: textual.dom.DOMNode (set on self) has it",
        "Planted defines refresh: textual.widget.Widget has it",
        "Planted defines _on_click: textual.widget.Widget has it",
    ):
        assert any(expected in clash for clash in clashes), f"{expected!r} not in:\n{text}"
    assert len(clashes) == 4, text
