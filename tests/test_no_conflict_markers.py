"""No file of the project holds a merge's conflict markers: twice a merge left them behind (an
open block in session.tcss, whose screen then showed a stylesheet error; lines of both sides in
docs/architecture.md), and neither ruff nor mypy reads a .tcss, .md, .toml or .svg."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".py", ".tcss", ".md", ".toml", ".txt", ".svg", ".json", ".yml", ".yaml", ".cfg"}
SKIP = {".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache"}
SKIP |= {".pytest_cache", ".hypothesis", "build", "dist"}
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)


def project_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        skipped = parts & SKIP or any(part.endswith(".egg-info") for part in parts)
        if path.suffix in SUFFIXES and not skipped and path.is_file():
            found.append(path)
    return found


def test_there_are_files_to_check() -> None:
    names = {path.name for path in project_files()}
    assert {"README.md", "routines.toml", "session.tcss", "pyproject.toml"} <= names


def test_no_file_holds_conflict_markers() -> None:
    marked = []
    for path in project_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in MARKER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            marked.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
    assert not marked, "merge conflict markers left in:\n" + "\n".join(marked)
