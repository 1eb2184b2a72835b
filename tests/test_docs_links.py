"""The README and docs/ hold together: every relative link reaches a file, every ``#anchor`` a
heading of its target (GitHub's slug rules), and the README stays short.

The checker is tested on crafted pages first, so a checker that finds nothing cannot pass
silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README_MAX_LINES = 220

#: ``[text](target)`` and ``![alt](target)``; the target ends at the first space or ``)``
#: (a title after a space is allowed and ignored).
_LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
#: ``[label]: target`` reference definitions.
_REF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


def _prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines outside fenced code blocks, numbered from 1, with inline code blanked out."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), line)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading's text (before de-duplication): the rendered text
    lower-cased, every character that is not a letter, mark, digit, space, ``-`` or ``_`` dropped,
    spaces turned into ``-``."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = text.strip().lower()
    text = "".join(ch for ch in text if ch in " -_" or unicodedata.category(ch)[0] in "LMN")
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor of a Markdown page: its headings' slugs, a repeated slug numbered ``-1``,
    ``-2``... as GitHub does, and any explicit ``<a name=...>`` / ``id=...``."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = _HEADING.match(line)
        if heading:
            slug = github_slug(heading.group(2))
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            found.add(slug if count == 0 else f"{slug}-{count}")
        found.update(re.findall(r"""<a\s+(?:name|id)=["']([^"']+)["']""", line))
    return found


def broken_links(page: Path, root: Path) -> list[str]:
    """One line per relative link or anchor in ``page`` that does not resolve (empty if all do).
    Links to the web (``http:``, ``https:``, ``mailto:``) are not followed."""
    problems: list[str] = []
    text = page.read_text(encoding="utf-8")
    targets: list[tuple[int, str]] = []
    for number, line in _prose_lines(text):
        targets += [(number, m.group(1)) for m in _LINK.finditer(line)]
        targets += [(number, m.group(1)) for m in _REF.finditer(line)]
    for number, target in targets:
        where = f"{page.relative_to(root)}:{number}: {target}"
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.exists():
            problems.append(f"{where}: no such file")
            continue
        if not dest.is_relative_to(root):
            problems.append(f"{where}: outside the repository")
            continue
        if anchor:
            if dest.suffix != ".md":
                problems.append(f"{where}: an anchor into a file that is not Markdown")
            elif anchor not in anchors(dest.read_text(encoding="utf-8")):
                problems.append(f"{where}: no heading with the anchor #{anchor}")
    return problems


def _pages(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


# --------------------------------------------------------------------------- the checker itself


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Quick start", "quick-start"),
        (
            "Adapting the dose (our rules, not the article's)",
            "adapting-the-dose-our-rules-not-the-articles",
        ),
        ("Hooks: `on_event`", "hooks-on_event"),
        ("Two `trainer`s at once", "two-trainers-at-once"),
        ("A crash, a full disk, a closed terminal", "a-crash-a-full-disk-a-closed-terminal"),
        ("Ranges → defaults", "ranges--defaults"),
        ("See [the docs](docs/x.md) *now*", "see-the-docs-now"),
    ],
)
def test_slugs_follow_github(heading: str, slug: str) -> None:
    assert github_slug(heading) == slug


def test_repeated_headings_are_numbered() -> None:
    assert anchors("# Notes\n\n## Notes\n\n### Notes\n") == {"notes", "notes-1", "notes-2"}


def test_a_broken_link_or_anchor_is_reported(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\n## Sound and voice\n\ntext\n")
    (tmp_path / "README.md").write_text(
        "# Title\n\n"
        "[fine](docs/guide.md) and [fine too](docs/guide.md#sound-and-voice) and [here](#title)\n"
        "[a missing page](docs/missing.md)\n"
        "[a missing anchor](docs/guide.md#sound-and-voices)\n"
        "![a missing picture](screenshots/nothing.svg)\n"
        "[a missing local anchor](#no-such-heading)\n"
        "[the web](https://example.com/#anything) is not followed\n"
        "```\n[inside code](nowhere.md) is not a link\n```\n"
        "`[inline code](nowhere.md)` is not a link either\n"
    )
    problems = broken_links(tmp_path / "README.md", tmp_path)
    assert problems == [
        "README.md:4: docs/missing.md: no such file",
        "README.md:5: docs/guide.md#sound-and-voices: no heading with the anchor #sound-and-voices",
        "README.md:6: screenshots/nothing.svg: no such file",
        "README.md:7: #no-such-heading: no heading with the anchor #no-such-heading",
    ]
    assert broken_links(tmp_path / "docs" / "guide.md", tmp_path) == []


# --------------------------------------------------------------------------- the real pages


def test_docs_exist() -> None:
    assert (ROOT / "README.md").is_file()
    assert len(_pages(ROOT)) > 1, "docs/*.md is missing"


@pytest.mark.parametrize("page", _pages(ROOT), ids=lambda p: p.name)
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    assert broken_links(page, ROOT) == []


def test_every_docs_page_is_linked_from_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {m.group(1).partition("#")[0] for m in _LINK.finditer(readme)}
    pages = sorted((ROOT / "docs").glob("*.md"))
    unlinked = [p.name for p in pages if f"docs/{p.name}" not in linked]
    assert unlinked == []


def test_the_readme_stays_short() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines (at most {README_MAX_LINES}): move the details to docs/"
    )
