"""Textual's public API only, but for the touch points listed in ``trainer.ui.textual_private``.

Two kinds of test: each listed private name still exists in the pinned Textual and is used as
trainer uses it (an upgrade that changes it fails here, loudly, not in front of a person); and
no other file under ``trainer/ui`` reaches for a private Textual name (the issue's
``grep -rn "textual\\._\\|\\._[a-z]" trainer/ui``, with trainer's own private names told apart).
"""

from __future__ import annotations

import ast
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


# ---------------------------------------------------------------------------- the grep


@functools.cache
def _textual_private_names() -> frozenset[str]:
    """Every private name Textual defines: methods, class attributes, ``self._x`` attributes."""
    names: set[str] = set()
    root = Path(textual.__file__).parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"\bself\.(_[a-z]\w*)", text))
        names.update(re.findall(r"^\s*(?:async\s+)?def (_[a-z]\w*)", text, re.MULTILINE))
        names.update(re.findall(r"^\s+(_[a-z]\w*)\s*[:=]", text, re.MULTILINE))
    return frozenset(names)


def _own_names(tree: ast.AST) -> set[str]:
    """Private names a trainer module defines itself (functions, attributes, fields)."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            own.add(node.name)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "cls")
        ):
            own.add(node.attr)  # self._x = ...: not key._x = ... (that is someone else's)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            own.add(node.target.id)
    return {name for name in own if name.startswith("_")}


def _ui_modules() -> list[Path]:
    return sorted(path for path in UI.rglob("*.py") if "__pycache__" not in path.parts)


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(UI.parent.parent).with_suffix("").parts)


def private_uses(sources: dict[Path, str]) -> list[str]:
    """The grep's hits in ``sources`` that are Textual's private names, not trainer's own."""
    textual_names = _textual_private_names()
    trees = {path: ast.parse(text) for path, text in sources.items()}
    own = set().union(*(_own_names(tree) for path, tree in trees.items() if path != PRIVATE_MODULE))
    hits: list[str] = []
    for path, tree in trees.items():
        if path == PRIVATE_MODULE:
            continue
        where = path.name
        for number, line in enumerate(sources[path].splitlines(), 1):
            if re.search(r"textual\S*\._", line):
                hits.append(f"{where}:{number}: a private Textual module: {line.strip()}")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not re.fullmatch(r"_[a-z]\w*", node.attr):
                continue
            if node.attr not in own:
                hits.append(f"{where}:{node.lineno}: .{node.attr} is not trainer's own")
            elif node.attr in textual_names and _shadows_textual(path, node.attr):
                hits.append(f"{where}:{node.lineno}: {node.attr} is Textual's too")
    return hits


@__import__("pytest").mark.xfail(
    strict=True,
    reason="trainer/ui/widgets/footer.py (KeyFooter, renamed on main while the public-API change "
    "landed) still uses FooterKey, Footer._bindings_ready and Widget._disabled: the next step",
)
def test_no_private_textual_name_outside_the_one_module() -> None:
    """Every hit of the issue's grep outside ``textual_private.py`` is trainer's own name (a
    method or attribute trainer defines and Textual does not), never Textual's."""
    sources = {path: path.read_text(encoding="utf-8") for path in _ui_modules()}
    hits = private_uses(sources)
    assert not hits, "private Textual names outside textual_private.py:\n" + "\n".join(hits)


def test_the_check_catches_what_the_issue_listed() -> None:
    """Not vacuous: the touch points issue 20 found (as they were written) are caught."""
    fake = UI / "screens" / "fake_for_test.py"
    source = (
        "from textual._compositor import ChopsUpdate\n"
        "from textual.widgets._footer import FooterKey\n"
        "def f(app, key, thread, parser):\n"
        "    app._driver.write('x')\n"
        "    key._disabled = True\n"
        "    return thread._queue, parser._timeout_time\n"
    )
    hits = private_uses({fake: source})
    assert len([h for h in hits if "private Textual module" in h]) == 2
    for name in ("_driver", "_disabled", "_queue", "_timeout_time"):
        assert any(f".{name} is not trainer's own" in hit for hit in hits), name


@functools.cache
def _class_source(cls: type) -> str | None:
    """``inspect.getsource(cls)``, once per class: for a class it parses the whole module
    (textual/widget.py is thousands of lines), and the grep asks about the same bases for every
    hit (this cache took the file from about a minute to a second)."""
    try:
        return inspect.getsource(cls)
    except (OSError, TypeError):
        return None


@functools.cache
def _shadows_textual(path: Path, name: str) -> bool:
    """True if a class of ``path`` that builds on a Textual class has ``name`` from Textual
    (overriding or assigning it would be a private touch point)."""
    module = importlib.import_module(_module_name(path))
    for _, cls in inspect.getmembers(module, inspect.isclass):
        if cls.__module__ != module.__name__:
            continue
        for base in cls.__mro__[1:]:
            if not base.__module__.startswith("textual"):
                continue
            if name in vars(base):
                return True
            source = _class_source(base)
            if source is not None and re.search(rf"\bself\.{name}\b", source):
                return True
    return False


def test_the_grep_finds_the_touch_points_in_the_one_module() -> None:
    """The issue's own check: the grep's hits in textual_private.py are the listed names."""
    text = PRIVATE_MODULE.read_text(encoding="utf-8")
    found = {match for line in text.splitlines() for match in re.findall(r"\.(_[a-z]\w*)", line)}
    assert found == {"_file", "_driver"}
    assert GREP.search(text)
