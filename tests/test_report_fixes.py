"""Issue 22, point 4: the report a physiotherapist trusts, on a crafted history.

Each fix is checked on the page's markup (where the marks are) and, in headless Chromium, on
what the page looks like once laid out: a probe script (test-only: the shipped page runs none
and its policy forbids any) measures the drawn labels and points and writes what it found into
the page, which ``--dump-dom`` returns.
"""

from __future__ import annotations

import html
import json
import re
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import headless as browser
import pytest

from trainer.outputs import report
from trainer.programme.schema import RoutinesFile
from trainer.records.history import DoseChange, ExerciseLog, HistoryEntry, HurtAt, Outcome

TODAY = date(2026, 3, 20)  # a Friday


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def at(day: int, hour: int = 7, minute: int = 30) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def session(
    day: int,
    hold: int,
    *,
    hour: int = 7,
    done: int = 45,
    outcome: Outcome = Outcome.FINISHED,
    flare: bool = False,
    active: float = 600,
    after: int = 2,
) -> HistoryEntry:
    start = at(day, hour)
    return HistoryEntry(
        started_at=start,
        ended_at=start + timedelta(seconds=active),
        routine_id="gentle",
        routine_name="Gentle mobility",
        active_seconds=active,
        outcome=outcome,
        exercises=[
            ExerciseLog(
                id="bridges",
                name="Bridges",
                sets_done=done // 15,
                sets=3,
                reps_done=done,
                reps=45,
                hold=hold,
                set_reps=15,
            )
        ],
        checkin_before=3,
        checkin=after,
        hurt_at=HurtAt(exercise_id="bridges", set=1, rep=1, step="hold")
        if outcome is Outcome.HURT
        else None,
        flare=flare,
    )


def change(when: datetime, old: int, new: int, rule: str = "progress") -> DoseChange:
    return DoseChange.model_validate(
        {
            "at": when,
            "exercise_id": "bridges",
            "exercise_name": "Bridges",
            "change": "hold",
            "old": old,
            "new": new,
            "routine_id": "gentle",
            "rule": rule,
        }
    )


def crafted() -> list[HistoryEntry | DoseChange]:
    """Mon 2 and Wed 4 Mar at 10 s; two changes on Wed 4 (10 to 11, 11 to 12); Fri 6 the new
    12 s hurts before the first rep, eased to 11; the week of 9 Mar missed; Mon 16 Mar twice
    (a full session, then 50 seconds of one); Wed 18 Mar a flare day at 10 s."""
    return [
        session(2, 10),
        session(4, 10),
        change(at(4, 8, 0), 10, 11),
        change(at(4, 8, 1), 11, 12),
        session(6, 12, done=0, outcome=Outcome.HURT, active=40, after=5),
        change(at(6, 8, 0), 12, 11, "ease_off"),
        session(16, 11),
        session(16, 11, hour=18, done=2, outcome=Outcome.STOPPED, active=50),
        session(18, 10, flare=True),
    ]


def planned(routines: RoutinesFile) -> RoutinesFile:
    settings = routines.settings.model_copy(
        update={"plan_days": ["mon", "wed", "fri"], "plan_at": "07:30"}
    )
    return routines.model_copy(update={"settings": settings})


def render(routines: RoutinesFile, recs: list | None = None) -> str:
    return report.render(crafted() if recs is None else recs, planned(routines), today=TODAY)


def chart(page: str, label_start: str) -> str:
    """The <svg> whose aria-label starts with ``label_start``."""
    found = re.search(
        rf'<svg class="chart"[^>]*aria-label="{re.escape(label_start)}.*?</svg>', page
    )
    assert found is not None, f"no chart {label_start!r}"
    return found.group(0)


HOLD = "Bridges hold: dose per session"
PAIN = "Back pain before and after each session"
WEEKS = "Sessions per week"


# --------------------------------------------------------------------------- the markup


def test_two_changes_on_one_day_are_spread_apart_with_their_own_labels(routines) -> None:
    svg = chart(render(routines), HOLD)
    lines = re.findall(r'<line class="change mark" x1="([\d.]+)"', svg)
    labels = re.findall(r'<text class="change-label" x="([\d.]+)" y="([\d.]+)">([^<]*)<', svg)
    assert len(lines) == 3 and len(labels) == 3
    first, second = float(lines[0]), float(lines[1])
    assert second - first >= report.CHANGE_GAP  # Wed 4 Mar 08:00 and 08:01: apart
    assert [text for _, _, text in labels] == ["11 s", "12 s", "11 s"]
    assert labels[0][1] != labels[1][1], "the same day's labels are on rows of their own"


def test_a_one_second_change_is_a_clear_step_on_an_axis_scaled_to_the_doses(routines) -> None:
    svg = chart(render(routines), HOLD)
    ticks = re.findall(r'text-anchor="end">([^<]*)<', svg)
    assert ticks[0] != "0" and ticks[0].endswith(" s") and ticks[-1] == "13 s", ticks
    ys = {
        title: float(y)
        for y, title in re.findall(r'cy="([\d.]+)" r="[\d.]+"><title>([^<]*)</title>', svg)
    }
    ten, eleven = ys["Mon 02 Mar: 10 s"], ys["Mon 16 Mar: 11 s"]
    assert ten - eleven >= 20, "one second is at least 20 of the chart's 106 units high"
    assert report.dose_scale([10, 11]) == (9, 13, 1)
    assert report.dose_scale([1]) == (0, 4, 1)  # never below 0
    assert report.dose_scale([0, 30]) == (0, 31, 8)


def test_a_session_that_hurt_before_the_first_rep_is_on_the_dose_chart(routines) -> None:
    svg = chart(render(routines), HOLD)
    assert re.search(
        r'class="hurt-point mark"[^>]*><title>Fri 06 Mar: 12 s, stopped, it hurt<', svg
    )
    # Before the fix, a session with no rep done of the exercise was left out.
    assert svg.count("<title>Fri 06 Mar") == 1


def test_the_pain_chart_is_placed_by_date_with_each_date_once(routines) -> None:
    svg = chart(render(routines), PAIN)
    xs = [
        (title.split(":")[0], float(x))
        for x, title in re.findall(r'class="after mark" cx="([\d.]+)"[^>]*><title>([^<]*)<', svg)
    ]
    x = dict(xs)
    two_days = x["Wed 04 Mar 07"] - x["Mon 02 Mar 07"]
    ten_days = x["Mon 16 Mar 07"] - x["Fri 06 Mar 07"]
    assert ten_days == pytest.approx(5 * two_days, rel=0.01), "the missed week is a gap"
    assert 0 < x["Mon 16 Mar 18"] - x["Mon 16 Mar 07"] < two_days / 2, "one date, side by side"
    dates = re.findall(r'text-anchor="middle">(\d\d [A-Z][a-z]{2})<', svg)
    assert dates and len(dates) == len(set(dates)), dates
    # The line breaks over the missed week.
    assert svg.count('<polyline class="line-after"') == 2


def test_sessions_per_week_count_by_the_share_done(routines) -> None:
    svg = chart(render(routines), WEEKS)
    tips = [html.unescape(t) for t in re.findall(r'class="bar mark"[^>]*><title>([^<]*)<', svg)]
    assert "week of 16 Mar: 2.0 sessions' worth (3 sessions), 1 flare day" in tips
    assert "week of 02 Mar: 2.0 sessions' worth (3 sessions)" in tips
    full, fifty = session(16, 11), session(23, 11, done=2, outcome=Outcome.STOPPED, active=50)
    heights = [
        float(h)
        for h in re.findall(
            r'class="bar mark"[^>]*height="([\d.]+)"',
            report.weeks_chart([full, fifty], date(2026, 3, 16), date(2026, 3, 27), 0),
        )
    ]
    assert len(heights) == 2 and heights[1] < heights[0] * 0.1, heights


def test_the_sessions_list_the_completion_rate_and_the_date_range(routines) -> None:
    page = render(routines)
    listed = page.split("<h2>Sessions</h2>", 1)[1].split("</table>", 1)[0]
    rows = listed.split("<tr>")[2:]
    assert len(rows) == 6
    assert "Mon 16 Mar 2026 18:30" in rows[4] and "4% (2 of 45 reps)" in rows[4]
    assert "0% (0 of 45 reps)" in rows[2] and "stopped, it hurt" in rows[2]
    assert "flare day" in rows[5] and "flare day" not in "".join(rows[:5])
    assert ">100%<" in rows[0]
    # Mon, Wed, Fri from 2 Mar to Thu 19 Mar (today, Friday, has no session yet): 8 planned.
    assert (
        "Done against the plan from 02 Mar 2026 to 19 Mar 2026: 4.0 sessions' worth of "
        "8 planned sessions, 51% (each session counted by the share of it done)."
    ) in html.unescape(page)
    rate = report.completion(
        [e for e in crafted() if isinstance(e, HistoryEntry)], ["fri"], date(2026, 3, 2), TODAY
    )
    assert rate is not None and (rate.planned, rate.last) == (2, date(2026, 3, 19))
    done_today = report.completion([session(20, 10)], ["fri"], date(2026, 3, 2), TODAY)
    assert done_today is not None and (done_today.planned, done_today.done) == (3, 1.0)
    assert "Sessions from Mon 02 Mar 2026 to Wed 18 Mar 2026 (17 days)." in page
    unplanned = report.render(crafted(), routines, today=TODAY)
    assert "No plan set, so no completion rate" in unplanned


def test_flare_days_are_marked_on_the_charts_dates(routines) -> None:
    page = render(routines)
    assert re.search(r'class="flare mark"[^>]*>F<title>Wed 18 Mar 07:30: flare day', page)
    hold = chart(page, HOLD)
    assert re.search(r'class="flare-point mark"[^>]*><title>Wed 18 Mar: 10 s, flare day', hold)
    assert "F</i>: flare day" in page  # the legend


# --------------------------------------------------------------------------- in Chromium

PROBE = """<script>
const found = [...document.querySelectorAll('svg.chart')].map(svg => {
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.firstChild ? t.firstChild.textContent : '', l: r.left, r: r.right,
            t: r.top, b: r.bottom};
  }).filter(t => t.text.trim());
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i], b = texts[j];
    if (a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5)
      overlaps.push([a.text, b.text]);
  }
  const points = [...svg.querySelectorAll('circle')].map(c => {
    const r = c.getBoundingClientRect();
    const title = c.querySelector('title');
    return {title: title ? title.textContent : '', x: (r.left + r.right) / 2,
            y: (r.top + r.bottom) / 2, w: r.width};
  });
  return {label: svg.getAttribute('aria-label'), overlaps, points,
          labels: texts.map(t => t.text)};
});
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = JSON.stringify(found);
document.body.appendChild(pre);
</script>"""


@pytest.fixture
def chromium() -> str:
    found = browser.chromium()
    if found is None:
        pytest.skip("chromium not found: install it (apt-get install chromium)")
    return found


def test_in_chromium_labels_never_overlap_and_each_fix_shows(
    chromium, routines, tmp_path: Path
) -> None:
    page = render(routines)
    shipped = tmp_path / "report.html"
    shipped.write_text(page, encoding="utf-8")
    assert browser.dump_dom(shipped).console == [], "the page itself logs nothing"
    probed = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    target = tmp_path / "probed.html"
    target.write_text(probed.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = browser.run(target, "--window-size=900,1700", "--dump-dom").stdout
    found = json.loads(
        re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    )
    charts = {c["label"].split(":")[0]: c for c in found}
    for name, c in charts.items():
        assert c["overlaps"] == [], f"{name}: labels drawn over each other: {c['overlaps']}"
    hold = charts["Bridges hold"]
    assert hold["labels"].count("11 s") >= 2 and "12 s" in hold["labels"]  # ticks and changes
    points = {p["title"]: p for p in hold["points"]}
    assert points["Mon 02 Mar: 10 s"]["y"] - points["Mon 16 Mar: 11 s"]["y"] >= 15  # pixels
    assert "Fri 06 Mar: 12 s, stopped, it hurt" in points
    pain = next(c for n, c in charts.items() if n.startswith("Back pain"))
    xs = {p["title"].split(":")[0]: p["x"] for p in pain["points"] if "after" in p["title"]}
    assert xs["Mon 16 Mar 07"] - xs["Fri 06 Mar 07"] > 4 * (
        xs["Wed 04 Mar 07"] - xs["Mon 02 Mar 07"]
    )
    assert len([t for t in pain["labels"] if re.fullmatch(r"\d\d [A-Z][a-z]{2}", t)]) == len(
        {t for t in pain["labels"] if re.fullmatch(r"\d\d [A-Z][a-z]{2}", t)}
    )
