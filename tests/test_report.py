"""``trainer report``: the page's content, its escaping, and the page in a real browser.

The browser tests load the page in headless Chromium, print it to PDF and screenshot it, and
read what the page wrote to its console: the page's Content-Security-Policy turns any attempt to
load something from outside (or to run a script) into a console message, so "no console
messages" also proves the page is self-contained.
"""

from __future__ import annotations

import os
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import headless as browser
import pytest
from report_sample import TODAY, planned, records

from trainer import cli
from trainer.outputs import report
from trainer.programme.schema import RoutinesFile
from trainer.records import history
from trainer.records.history import DoseChange, HistoryEntry


class Charts(HTMLParser):
    """The <svg class="chart"> elements of a page and how many data marks each holds."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: list[int] = []
        self._depth = 0
        self.scripts = 0
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            if a.get(name):
                self.external.append(a[name] or "")
        if tag == "svg" and "chart" in classes:
            self.charts.append(0)
            self._depth += 1
        elif tag == "svg":
            self._depth += 1
        elif self._depth and "mark" in classes:
            self.charts[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._depth -= 1


def charts_of(page: str) -> Charts:
    parser = Charts()
    parser.feed(page)
    return parser


def page(routines: RoutinesFile, recs=None, **kw) -> str:
    return report.render(records() if recs is None else recs, planned(routines), today=TODAY, **kw)


# --------------------------------------------------------------------------- content


def test_the_page_has_every_section_with_data(routines) -> None:
    text = page(routines)
    found = charts_of(text)
    # Sessions per week, pain, bridges' hold and cat stretch's reps (the flat doses are text).
    assert len(found.charts) == 4 and all(n > 0 for n in found.charts), found.charts
    assert found.scripts == 0 and found.external == []
    assert "Plan: Mon, Wed, Fri at 07:30" in text
    assert "hold 12 to 10" in text and "ease off" in text
    assert "set 2, rep 7" in text and "during the hold" in text
    assert "Hold: 5 s throughout." in text  # draw-in's dose never changed
    assert "@page { size: A4" in text and "@media print" in text


def test_declined_suggestions_are_listed_and_change_no_chart(routines) -> None:
    recs = records()
    last = max((r for r in recs if isinstance(r, HistoryEntry)), key=lambda e: e.started_at)
    declined = DoseChange(
        kind="dose-declined",
        at=last.ended_at,
        exercise_id="draw-in",
        exercise_name="Draw-in",
        change="hold",
        old=5,
        new=6,
        routine_id="gentle",
        rule="progress",
    )
    text = page(routines, [*recs, declined])
    assert charts_of(text).charts == charts_of(page(routines)).charts, "no change drawn"
    assert "Hold: 5 s throughout." in text, "a 'no' does not change the dose"
    tables = text.split("<h3>Declined suggestions (nothing changed)</h3>", 1)[1]
    row = tables.split("<tr>")[2]
    assert "Draw-in" in row and "hold 5 to 6" in row and "progress" in row
    assert "Declined" not in page(routines)


def test_the_next_morning_answers_are_listed_with_their_session(routines) -> None:
    from datetime import timedelta

    from trainer.coaching import morning

    sessions = sorted(
        (r for r in records() if isinstance(r, HistoryEntry)), key=lambda e: e.started_at
    )
    first, last = sessions[-2], sessions[-1]
    answers = [
        morning.record(first, first.ended_at + timedelta(hours=14), morning.Answer("worse", 5)),
        morning.record(last, last.ended_at + timedelta(hours=14), None),
    ]
    text = page(routines, [*records(), *answers])
    part = text.split("The next morning (24-hour response)", 1)[1].split("</section>", 1)[0]
    rows = part.split("<tr>")[2:]
    assert len(rows) == 2
    assert f"{first.started_at:%a %d %b %Y %H:%M}" in rows[0] and "worse" in rows[0]
    assert "5/10" in rows[0]
    assert "skipped" in rows[1]
    assert "1 morning worse than before the session." in part
    assert "No next-morning answers in this period." in page(routines)


def test_sessions_per_week_has_one_bar_per_week_with_a_session_and_the_plan_line(routines):
    text = page(routines)
    weeks = text.split("Sessions per week", 1)[1].split("</svg>", 1)[0]
    assert weeks.count('class="bar mark"') == 8
    assert 'class="plan mark"' in weeks
    assert "week of 16 Mar: 1 session" in weeks


def test_since_limits_the_sessions_and_changes(routines) -> None:
    from datetime import date

    text = page(routines, since=date(2026, 3, 10))
    assert "6 sessions" in text.split("</p>", 1)[0]
    assert "hold 10 to 11" not in text and "Stopped because it hurt" in text
    assert "No session was stopped because it hurt." in text


def test_an_empty_history_is_a_page_that_says_so(routines) -> None:
    text = report.render([], routines, today=TODAY)
    assert "0 sessions" in text and "No check-ins in this period." in text
    assert "No sessions in this period." in text and "no plan set" in text


def test_every_piece_of_data_is_escaped(routines) -> None:
    evil = '<script>alert("x")</script>&<b onmouseover="y">'
    routines.routine("gentle").name = evil
    routines.exercise("bridges").name = evil + " bridges"
    recs = [
        r.model_copy(
            update={
                "routine_name": evil,
                "exercises": [x.model_copy(update={"name": evil}) for x in r.exercises],
            }
        )
        if isinstance(r, HistoryEntry)
        else r.model_copy(update={"exercise_name": evil, "routine_id": evil})
        for r in records()
    ]
    text = report.render(recs, planned(routines), today=TODAY)
    assert "<script" not in text and "<b " not in text and 'onmouseover="' not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in text
    assert charts_of(text).scripts == 0


def test_the_doctor_advice_is_at_the_top_when_the_rule_holds(routines) -> None:
    recs = records()
    entries = [r for r in recs if isinstance(r, HistoryEntry)]
    rising = [
        e.model_copy(update={"checkin_before": None, "checkin": p})
        for e, p in zip(entries[-4:], [3, 4, 5, 6], strict=True)
    ]
    text = report.render([*entries[:-4], *rising], planned(routines), today=TODAY)
    alert = text.index('class="alert"')
    assert alert < text.index("Sessions per week")
    assert "See a doctor." in text and routines.advice.see_doctor in text
    assert "See a doctor." not in page(routines)


def test_cli_report_writes_the_file_and_reads_since(isolated_dirs, tmp_path, capsys) -> None:
    for rec in records():
        history.append_entry(rec)
    out = tmp_path / "r.html"
    assert cli.main(["report", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("<!DOCTYPE html>") and "Lower-back exercise report" in text
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert cli.main(["report", "--since", "2026-03-23", "--out", "-"]) == 0
    shown = capsys.readouterr().out
    assert "3 sessions, 23 Mar 2026" in shown
    with pytest.raises(SystemExit) as stop:
        cli.main(["report", "--since", "March"])
    assert stop.value.code == 2
    assert "must be a date like 2026-03-01, got 'March'" in capsys.readouterr().err


def test_dose_changes_and_sessions_share_the_history_file(isolated_dirs) -> None:
    for rec in records():
        history.append_entry(rec)
    recs, warnings = history.read_history()
    assert warnings == [] and sum(isinstance(r, DoseChange) for r in recs) == 4
    entries, _ = history.read_entries()
    assert len(entries) == 20


# --------------------------------------------------------------------------- in a browser


@pytest.fixture
def chromium() -> str:
    found = browser.chromium()
    if found is None:
        reason = "chromium not found: install it (apt-get install chromium) to test the report"
        if os.environ.get("TRAINER_REQUIRE_TERMINAL") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return found


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of a PNG: enough to see it is not blank."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    width = height = 0
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + size]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + size
    return width, height, zlib.decompress(idat)


def test_the_report_in_chromium_has_no_console_message_and_non_empty_charts(
    chromium, routines, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    target.write_text(page(routines), encoding="utf-8")
    dom = browser.dump_dom(target)
    assert dom.console == []
    found = charts_of(dom.stdout)
    assert len(found.charts) == 4 and all(n > 0 for n in found.charts)
    pdf = tmp_path / "report.pdf"
    printed = browser.print_pdf(target, pdf)
    assert printed.console == []
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/MediaBox [0 0 594.9" in data  # A4 pages
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 2
    shot = tmp_path / "report.png"
    assert browser.screenshot(target, shot).console == []
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (900, 1700)
    assert len(set(pixels)) > 50, "the screenshot is not a blank page"


def test_the_console_check_can_fail(chromium, tmp_path: Path) -> None:
    # The same page with one external image: the policy blocks it and says so on the console.
    target = tmp_path / "leaky.html"
    text = report.render([], RoutinesFile.model_validate(_shipped()), today=TODAY)
    target.write_text(text.replace("<h1>", '<img src="https://example.invalid/x.png"><h1>'))
    assert any("Content Security Policy" in line for line in browser.dump_dom(target).console)


def _shipped() -> dict[str, object]:
    import tomllib

    return tomllib.loads((Path(__file__).parent.parent / "routines.toml").read_text())
