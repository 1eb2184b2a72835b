"""``trainer handout`` (and the figures in ``trainer report``): what the page holds, its
escaping, and the page printed by headless Chromium (no console message: nothing loaded)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import headless as browser
import pytest
from test_report import charts_of, png_pixels

from trainer import cli
from trainer.outputs import handout, report
from trainer.programme import figures, loading
from trainer.programme.schema import RoutinesFile

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped() -> RoutinesFile:
    return loading.load_routines(ROOT / "routines.toml")


def pres(page: str) -> list[str]:
    """The text of every <pre> (the figures), unescaped, without the newline after <pre>."""
    return [html.unescape(m) for m in re.findall(r"<pre>\n(.*?)</pre>", page, flags=re.S)]


def test_every_routine_has_its_page_with_figures_steps_doses_and_advice(shipped) -> None:
    page = handout.render(shipped)
    assert page.count('<section class="routine">') == len(shipped.routines)
    assert "break-before: page" in page and "@page { size: A4" in page
    for routine in shipped.routines:
        assert f"<h1>{html.escape(routine.name)}</h1>" in page
    bridges = shipped.exercise("bridges")
    assert "3 sets of 15 reps, hold 10 s; rest 3 s between reps, 60 s between sets" in page
    assert "3 sets of 10 reps on each side, hold 2 s" in page
    assert "First side: Lie on left side, lift right leg." in page
    for step in bridges.steps:
        assert f"<li>{html.escape(step)}</li>" in page
    assert html.escape(shipped.advice.stop_if_worse) in page
    # Two figures (start, end) per exercise per routine: 5 + 2 + 3 exercises.
    drawn = pres(page)
    assert len(drawn) == 2 * (5 + 2 + 3)
    assert bridges.figure is not None
    start = "\n".join(figures.lines_of(bridges.figure.start))
    assert drawn[0].splitlines()[-len(figures.lines_of(bridges.figure.start)) :] == (
        start.splitlines()
    )


def test_one_routine_only(shipped) -> None:
    page = handout.render(shipped, [shipped.routine("quick-core")])
    assert page.count('<section class="routine">') == 1 and "Partial curls" in page
    assert "Bridges" not in page


def test_frames_keep_their_blank_first_line(shipped) -> None:
    """A shorter start frame sits on the floor like the end frame (the figures' common box)."""
    leg = shipped.exercise("leg-lifts")
    shown = pres(report.figure_html(leg))
    assert len(shown) == 2 and len(shown[0].splitlines()) == len(shown[1].splitlines()) == 5
    assert shown[0].splitlines()[0] == ""


def test_text_from_the_file_is_escaped(shipped) -> None:
    data = shipped.model_dump(mode="json", exclude_none=True)
    data["exercises"][0]["name"] = "<script>alert(1)</script>"
    data["exercises"][0]["figure"]["start"] = "<b>&</b>\n▔▔▔▔▔▔▔▔▔"
    hostile = RoutinesFile.model_validate(data)
    page = handout.render(hostile) + report.render([], hostile, today=report.date(2026, 3, 1))
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in page
    assert charts_of(page).scripts == 0 and charts_of(page).external == []


def test_an_exercise_without_a_figure_has_none(shipped) -> None:
    data = shipped.model_dump(mode="json", exclude_none=True)
    for ex in data["exercises"]:
        ex.pop("figure")
        for cue in ex["cues"]:
            cue.pop("pose", None)
    bare = RoutinesFile.model_validate(data)
    assert "<pre>" not in handout.render(bare)
    assert "How each exercise looks" not in report.render([], bare, today=report.date(2026, 3, 1))


def test_the_report_shows_each_exercise_once(shipped) -> None:
    page = report.render([], shipped, today=report.date(2026, 3, 1))
    assert "How each exercise looks" in page and len(pres(page)) == 2 * len(shipped.exercises)


def test_cli_handout_writes_the_file_like_the_report(isolated_dirs, tmp_path, capsys) -> None:
    out = tmp_path / "h.html"
    assert cli.main(["handout", "--out", str(out)]) == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert cli.main(["handout", "--routine", "gentle", "--out", "-"]) == 0
    shown = capsys.readouterr().out
    assert shown.count('<section class="routine">') == 1 and "Gentle mobility" in shown
    assert cli.main(["handout", "--routine", "nope", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no routine has id 'nope' (known: full, quick-core, gentle)" in err


@pytest.fixture
def chromium() -> str:
    found = browser.chromium()
    if found is None:
        reason = "chromium not found: install it (apt-get install chromium) to test the handout"
        if os.environ.get("TRAINER_REQUIRE_TERMINAL") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return found


def test_the_handout_prints_on_a4_with_no_console_message(chromium, shipped, tmp_path) -> None:
    target = tmp_path / "handout.html"
    target.write_text(handout.render(shipped), encoding="utf-8")
    pdf = tmp_path / "handout.pdf"
    assert browser.print_pdf(target, pdf).console == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/MediaBox [0 0 594.9" in data  # A4
    pages = data.count(b"/Type /Page\n") + data.count(b"/Type /Page ")
    assert pages >= len(shipped.routines)  # each routine starts a page
    shot = tmp_path / "handout.png"
    assert browser.screenshot(target, shot).console == []
    _, _, pixels = png_pixels(shot)
    assert len(set(pixels)) > 50, "the screenshot is not a blank page"
