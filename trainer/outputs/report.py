"""``trainer report``: one self-contained HTML page for a physiotherapist (pure, no I/O).

No external file, font or script: the charts are inline SVG, the style is inline CSS with a print
stylesheet for A4, and a Content-Security-Policy forbids loading anything else. Every piece of
data (names from the routines file, routine names kept in the history) goes through
:func:`html.escape`, in HTML text, attributes and SVG text alike.
"""

from __future__ import annotations

import bisect
import html
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.coaching import dose, figures
from trainer.coaching.dose import hurt_exercises
from trainer.engine import Side
from trainer.programme.figures import END, START
from trainer.programme.schema import WEEKDAYS, Exercise, RoutinesFile
from trainer.records.history.record import (
    DoseChange,
    HistoryEntry,
    MorningCheck,
    Outcome,
    is_counted,
)
from trainer.records.history.stats import done_share, in_order, week_start
from trainer.text import wording

#: Weeks shown in the sessions chart when no --since is given (and at most, with one).
MAX_WEEKS = 26
DEFAULT_WEEKS = 12

#: A chart draws each session up to this many; beyond, sessions are binned by week, month or
#: year (the smallest that fits, then runs of those) and each bin is drawn as its median with
#: a line from its lowest to its highest value: the page stays small for any history.
MAX_POINTS = 120
#: Rows listed in the "stopped because it hurt" and "accepted changes" tables (the latest).
MAX_ROWS = 60

#: Chart geometry (SVG user units; the page scales them to its width).
WIDTH = 680
HEIGHT = 200
LEFT = 40
RIGHT = 16
TOP = 14
BOTTOM = 30

STEP_WORDS = {
    "hold": "during the hold",
    "move": "during a movement",
    "rep_rest": "resting between reps",
    "set_rest": "resting between sets",
    "exercise_rest": "in the rest before this exercise",
    "switch": "switching sides",
    "ready": "getting into position",
}

CSS = """
:root { color-scheme: light; }
body { font: 11pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
  margin: 2em auto; max-width: 760px; padding: 0 1em; background: #fff; }
h1 { font-size: 18pt; margin: 0 0 .2em; }
h2 { font-size: 13pt; margin: 1.4em 0 .4em; border-bottom: 1px solid #bbb; }
h3 { font-size: 11pt; margin: 1em 0 .3em; }
p.meta { color: #444; margin: 0 0 1em; }
.alert { border: 3px solid #b00020; padding: .6em 1em; background: #fff3f3; }
.alert strong { color: #b00020; }
table { border-collapse: collapse; width: 100%; margin: .3em 0; }
th, td { text-align: left; padding: .2em .5em; border-bottom: 1px solid #ddd;
  vertical-align: top; }
th { background: #f2f2f2; }
td.n, th.n { text-align: right; }
table.sessions td:first-child { white-space: nowrap; }
svg.chart { width: 100%; height: auto; display: block; }
svg .axis { stroke: #888; stroke-width: 1; }
svg .grid { stroke: #e4e4e4; stroke-width: 1; }
svg text { font: 10px system-ui, sans-serif; fill: #333; }
svg .bar { fill: #4a78b5; }
svg .plan { stroke: #c25e00; stroke-width: 2; stroke-dasharray: 6 4; fill: none; }
svg .after { stroke: #b00020; fill: #b00020; }
svg .before { stroke: #1d6f42; fill: #fff; stroke-width: 2; }
svg .line-after { stroke: #b00020; stroke-width: 1.5; fill: none; }
svg .dose { stroke: #4a78b5; stroke-width: 2; fill: none; }
svg .dose-point { fill: #4a78b5; }
svg .range-after { stroke: #b00020; stroke-width: 1; opacity: .45; }
svg .range-dose { stroke: #4a78b5; stroke-width: 1; opacity: .45; }
svg .change { stroke: #c25e00; stroke-width: 1.5; }
svg .hurt { fill: #b00020; }
svg .hurt-point { fill: #b00020; stroke: #fff; stroke-width: 1; }
svg .flare { fill: #6a3d9a; font-weight: bold; }
svg .flare-point { fill: #fff; stroke: #6a3d9a; stroke-width: 2; }
svg .change-label { fill: #c25e00; }
.legend span { display: inline-block; margin-right: 1.2em; }
.sw { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em;
  margin-right: .3em; }
.flare-key { color: #6a3d9a; font-weight: bold; font-style: normal; }
.empty { color: #666; font-style: italic; }
.figures { display: flex; flex-wrap: wrap; gap: .4em 1.5em; margin: .3em 0 .6em; }
.figures figure { margin: 0; break-inside: avoid; }
.figures pre { font: 9pt/1.0 "DejaVu Sans Mono", Menlo, Consolas, monospace; margin: 0;
  padding: .3em .4em; border: 1px solid #ccc; background: #fafafa; }
.figures figcaption { font-size: 9pt; color: #444; }
footer { margin-top: 2em; color: #555; font-size: 9pt; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section, figure, tr, .alert { break-inside: avoid; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(value: object) -> str:
    """Text for HTML text, attributes and SVG <text> alike."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float


# --------------------------------------------------------------------------- SVG helpers


class _Frame:
    """A chart's plot area: maps data to SVG coordinates (``y_min`` at the bottom)."""

    def __init__(self, n: int, y_max: float, *, height: int = HEIGHT, y_min: float = 0) -> None:
        self.n = max(1, n)
        self.y_min = y_min
        self.y_max = max(y_min + 1.0, y_max)
        self.height = height

    @property
    def plot_w(self) -> float:
        return WIDTH - LEFT - RIGHT

    @property
    def plot_h(self) -> float:
        return self.height - TOP - BOTTOM

    def x(self, i: float) -> float:
        """The centre of slot ``i`` of ``n``."""
        return LEFT + (i + 0.5) * self.plot_w / self.n

    def y(self, value: float) -> float:
        return TOP + self.plot_h * (1 - (value - self.y_min) / (self.y_max - self.y_min))

    @property
    def bottom(self) -> float:
        return self.y(self.y_min)

    @property
    def slot(self) -> float:
        return self.plot_w / self.n


class _Dates:
    """A time axis: a moment is placed by its local date and time of day, from the start of
    ``first`` to the end of ``last`` (a missed week is a gap; two sessions on one date sit
    side by side, in the order of their times)."""

    def __init__(self, first: date, last: date) -> None:
        self.first = first
        self.days = (last - first).days + 1

    def x(self, moment: datetime) -> float:
        local = moment.astimezone()
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return self.x_day(local.date(), seconds / 86400)

    def x_day(self, day: date, part: float = 0.5) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * ((day - self.first).days + part) / self.days

    def labels(self, height: int) -> list[str]:
        """At most about 8 date labels, each date once (Mondays when a week or more apart)."""
        step = max(1, -(-self.days // 8))
        day = self.first
        if step >= 7:
            step = 7 * -(-step // 7)
            day += timedelta(days=(7 - day.weekday()) % 7)
        fmt = "%b %Y" if self.days > 366 else "%d %b"
        out = []
        last_text = ""
        while (day - self.first).days < self.days:
            text = f"{day:{fmt}}"
            if text != last_text:
                out.append(
                    f'<text x="{self.x_day(day):.1f}" y="{height - BOTTOM + 14}" '
                    f'text-anchor="middle">{esc(text)}</text>'
                )
            last_text = text
            day += timedelta(days=step)
        return out


def _svg(label: str, body: list[str], height: int = HEIGHT) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{esc(label)}</title>" + "".join(body) + "</svg>"
    )


def _y_axis(frame: _Frame, ticks: Sequence[int], unit: str = "") -> list[str]:
    out = []
    for t in ticks:
        y = frame.y(t)
        out.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{y + 3:.1f}" text-anchor="end">{esc(f"{t}{unit}")}</text>'
        )
    base = frame.bottom
    out.append(
        f'<line class="axis" x1="{LEFT}" y1="{base:.1f}" x2="{WIDTH - RIGHT}" y2="{base:.1f}"/>'
    )
    return out


def _x_labels(frame: _Frame, labels: Sequence[str]) -> list[str]:
    every = max(1, -(-len(labels) // 10))  # at most about 10 labels
    shown = [i for i in range(len(labels)) if i % every == 0]
    if shown and shown[-1] != len(labels) - 1 and len(labels) - 1 - shown[-1] >= every:
        shown.append(len(labels) - 1)
    out: list[str] = []
    for n, i in enumerate(shown):
        if n and labels[i] == labels[shown[n - 1]]:
            continue  # two sessions on one date: the date once
        out.append(
            f'<text x="{frame.x(i):.1f}" y="{frame.height - BOTTOM + 14}" '
            f'text-anchor="middle">{esc(labels[i])}</text>'
        )
    return out


def _polyline(points: Sequence[Point], cls: str) -> str:
    if len(points) < 2:
        return ""
    coords = " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points)
    return f'<polyline class="{cls}" points="{coords}"/>'


# --------------------------------------------------------------------------- binning


@dataclass(frozen=True, slots=True)
class Bin:
    """Sessions drawn as one mark: ``label`` under the axis, ``title`` in the tooltip."""

    label: str
    title: str
    #: When its first and last session started.
    first: datetime
    last: datetime
    #: The indices (in the chart's own sequence) of the sessions in it.
    members: range


def _period_key(day: date, level: int) -> int:
    """Which week (level 0), month (1) or year (2) ``day`` is in, as a number."""
    if level == 0:
        return day.toordinal() - day.weekday()
    if level == 1:
        return day.year * 12 + day.month
    return day.year


def _period_words(day: date, level: int) -> tuple[str, str]:
    """The axis label and the tooltip's name of ``day``'s week, month or year."""
    if level == 0:
        monday = week_start(day)
        return f"{monday:%d %b}", f"week of {monday:%d %b %Y}"
    if level == 1:
        return f"{day:%b %Y}", f"{day:%B %Y}"
    return f"{day:%Y}", f"{day:%Y}"


def bins(moments: Sequence[datetime], limit: int = MAX_POINTS) -> list[Bin] | None:
    """``moments`` (in time order) binned into at most ``limit`` bins: by week, month or year,
    the finest that fits, then runs of years; None when they fit as they are."""
    if len(moments) <= limit:
        return None
    days = [m.astimezone().date() for m in moments]
    level = 0
    runs: list[tuple[int, int]] = []  # (first index, end index) of each period
    for level in range(3):
        keys = [_period_key(day, level) for day in days]
        runs = []
        for i, key in enumerate(keys):
            if runs and keys[runs[-1][0]] == key:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        if len(runs) <= limit:
            break
    chunk = -(-len(runs) // limit)  # runs of years when even years are too many
    out: list[Bin] = []
    for n in range(0, len(runs), chunk):
        group = runs[n : n + chunk]
        start, end = group[0][0], group[-1][1]
        label, title = _period_words(days[start], level)
        if len(group) > 1:
            title += f" to {_period_words(days[end - 1], level)[1]}"
        out.append(Bin(label, title, moments[start], moments[end - 1], range(start, end)))
    return out


def _spread(values: Sequence[int]) -> tuple[int, int, int]:
    """Lowest, median (the lower of the middle two), highest."""
    return min(values), statistics.median_low(values), max(values)


def _range_line(frame: _Frame, x: float, low: int, high: int, cls: str) -> str:
    if low == high:
        return ""
    return (
        f'<line class="{cls}" x1="{x:.1f}" y1="{frame.y(low):.1f}" x2="{x:.1f}" '
        f'y2="{frame.y(high):.1f}"/>'
    )


def _binned_title(b: Bin, what: str, values: Sequence[int], unit: str) -> str:
    low, mid, high = _spread(values)
    n = wording.count(len(values), "session")
    if low == high:
        return f"{b.title}: {what}{mid}{unit} ({n})"
    return f"{b.title}: {what}{low}-{high}{unit}, median {mid}{unit} ({n})"


# --------------------------------------------------------------------------- the charts


def _sessions_worth(share: float, n: int) -> str:
    """``"1 session"`` when every one was done in full, else ``"2.4 sessions' worth (3
    sessions)"``."""
    if round(share, 1) == n:
        return wording.count(n, "session")
    return f"{share:.1f} sessions' worth ({wording.count(n, 'session')})"


def weeks_chart(entries: Sequence[HistoryEntry], first: date, today: date, planned: int) -> str:
    """Sessions per ISO week, each counted by the share of it done (:func:`done_share`: a
    50-second start is a sliver of a bar, not a session), from ``first``'s week to
    ``today``'s, and the plan."""
    monday = week_start(first)
    weeks: list[date] = []
    while monday <= today:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    per_week = {w: 0.0 for w in weeks}
    count = {w: 0 for w in weeks}
    flares = {w: 0 for w in weeks}
    for entry in entries:
        w = week_start(entry.day)
        if w in per_week and is_counted(entry):
            per_week[w] += done_share(entry)
            count[w] += 1
            flares[w] += entry.flare
    top = math.ceil(max([planned, *per_week.values(), 1])) + 1
    frame = _Frame(len(weeks), top)
    body = _y_axis(frame, range(0, top + 1, max(1, top // 5)))
    for i, w in enumerate(weeks):
        n = per_week[w]
        bar_w = frame.slot * 0.6
        if count[w]:
            y = frame.y(n)
            tip = f"week of {w:%d %b}: " + _sessions_worth(n, count[w])
            if flares[w]:
                tip += f", {wording.count(flares[w], 'flare day')}"
            body.append(
                f'<rect class="bar mark" x="{frame.x(i) - bar_w / 2:.1f}" y="{y:.1f}" '
                f'width="{bar_w:.1f}" height="{frame.bottom - y:.1f}">'
                f"<title>{esc(tip)}</title></rect>"
            )
    if planned:
        y = frame.y(planned)
        body.append(
            f'<line class="plan mark" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y:.1f}"><title>{esc(f"plan: {planned} a week")}</title></line>'
        )
    body += _x_labels(frame, [f"{w:%d %b}" for w in weeks])
    return _svg("Sessions per week (by the share of each done) against the plan", body)


#: Days between two sessions beyond which the pain line is broken (a gap, not a slope).
LINE_GAP_DAYS = 7


def _gapped_polylines(points: Sequence[tuple[datetime, Point]], cls: str) -> list[str]:
    """The line through ``points`` (in time order), broken where more than
    :data:`LINE_GAP_DAYS` days pass between two of them."""
    runs: list[list[Point]] = []
    last: datetime | None = None
    for when, p in points:
        if last is None or when - last > timedelta(days=LINE_GAP_DAYS):
            runs.append([])
        runs[-1].append(p)
        last = when
    return [_polyline(run, cls) for run in runs]


def _flare_mark(frame: _Frame, x: float, tip: str) -> str:
    return (
        f'<text class="flare mark" x="{x:.1f}" y="{frame.bottom - 4:.1f}" '
        f'text-anchor="middle">{esc("F")}<title>{esc(tip)}</title></text>'
    )


def pain_chart(entries: Sequence[HistoryEntry]) -> str:
    """Check-ins before and after each session on a fixed 0-10 scale, placed by date and
    time (a missed week is a gap; two sessions on one date sit side by side under one date);
    flare days marked F at the foot. Beyond :data:`MAX_POINTS` sessions, binned (see
    :func:`bins`), each bin at the middle of its sessions' dates."""
    rated = [e for e in entries if e.checkin is not None or e.checkin_before is not None]
    axis_days = _Dates(rated[0].day, rated[-1].day) if rated else _Dates(date.today(), date.today())
    grouped = bins([e.started_at for e in rated])
    if grouped is not None:
        return _binned_pain_chart(rated, grouped, axis_days)
    frame = _Frame(len(rated), 10)
    body = _y_axis(frame, range(0, 11, 2))
    axis = len(body)
    after_points: list[tuple[datetime, Point]] = []
    for e in rated:
        x = axis_days.x(e.started_at)
        when = f"{e.started_at.astimezone():%a %d %b %H:%M}"
        if e.checkin_before is not None:
            body.append(
                f'<circle class="before mark" cx="{x:.1f}" cy="{frame.y(e.checkin_before):.1f}" '
                f'r="4"><title>{esc(f"{when}: before {e.checkin_before}/10")}</title></circle>'
            )
        if e.checkin is not None:
            p = Point(x, frame.y(e.checkin))
            after_points.append((e.started_at, p))
            body.append(
                f'<circle class="after mark" cx="{p.x:.1f}" cy="{p.y:.1f}" r="3.5">'
                f"<title>{esc(f'{when}: after {e.checkin}/10')}</title></circle>"
            )
        if e.outcome is Outcome.HURT:
            body.append(
                f'<text class="hurt" x="{x:.1f}" y="{TOP + 8}" text-anchor="middle">'
                f"{esc('x')}<title>{esc(f'{when}: stopped, it hurt')}</title></text>"
            )
        if e.flare:
            body.append(_flare_mark(frame, x, f"{when}: flare day (the gentle version)"))
    body[axis:axis] = _gapped_polylines(after_points, "line-after")
    body += axis_days.labels(frame.height)
    return _svg("Back pain before and after each session, by date, 0 (none) to 10 (worst)", body)


def _binned_pain_chart(
    rated: Sequence[HistoryEntry], grouped: Sequence[Bin], axis_days: _Dates
) -> str:
    """:func:`pain_chart` for many sessions: per bin, the median check-in after (a line from
    the lowest to the highest) and before, and how many stopped because it hurt."""
    frame = _Frame(len(grouped), 10)
    body = _y_axis(frame, range(0, 11, 2))
    axis = len(body)
    after_points: list[tuple[datetime, Point]] = []
    for b in grouped:
        middle = b.first + (b.last - b.first) / 2
        x = axis_days.x(middle)
        members = [rated[j] for j in b.members]
        before = [e.checkin_before for e in members if e.checkin_before is not None]
        after = [e.checkin for e in members if e.checkin is not None]
        if before:
            tip = _binned_title(b, "before ", before, "/10")
            body.append(
                f'<circle class="before mark" cx="{x:.1f}" cy="{frame.y(_spread(before)[1]):.1f}"'
                f' r="4"><title>{esc(tip)}</title></circle>'
            )
        if after:
            low, mid, high = _spread(after)
            p = Point(x, frame.y(mid))
            after_points.append((b.last, p))
            body.append(_range_line(frame, x, low, high, "range-after"))
            body.append(
                f'<circle class="after mark" cx="{p.x:.1f}" cy="{p.y:.1f}" r="3.5">'
                f"<title>{esc(_binned_title(b, 'after ', after, '/10'))}</title></circle>"
            )
        hurt = sum(1 for e in members if e.outcome is Outcome.HURT)
        if hurt:
            tip = f"{b.title}: {wording.count(hurt, 'session')} stopped, it hurt"
            body.append(
                f'<text class="hurt" x="{x:.1f}" y="{TOP + 8}" text-anchor="middle">'
                f"{esc('x')}<title>{esc(tip)}</title></text>"
            )
        flares = sum(1 for e in members if e.flare)
        if flares:
            body.append(_flare_mark(frame, x, f"{b.title}: {wording.count(flares, 'flare day')}"))
    body.insert(axis, _polyline([p for _, p in after_points], "line-after"))
    body += axis_days.labels(frame.height)
    return _svg(
        "Back pain before and after the sessions, by date, 0 (none) to 10 (worst): the median "
        "of each period, with a line from its lowest to its highest",
        body,
    )


@dataclass(frozen=True, slots=True)
class DosePoint:
    """One session's dose of one exercise: when, the hold or the reps per set, and whether
    the session stopped there because it hurt (maybe before a single rep) or was a flare day."""

    when: datetime
    value: int
    hurt: bool = False
    flare: bool = False


#: The smallest span of a dose chart's axis (seconds or reps): a change of one shows as a
#: clear step, and a dose that never moved is not drawn as a cliff.
DOSE_MIN_SPAN = 4
#: Pixels between change lines that fall between the same two sessions (one day's changes).
CHANGE_GAP = 9
#: Pixels between their labels' rows.
LABEL_ROW = 13


def dose_scale(values: Sequence[int]) -> tuple[int, int, int]:
    """The dose axis for ``values``: its bottom, top and tick step. The data's range with one
    unit of room at each end, widened to :data:`DOSE_MIN_SPAN` (never below 0), so a 1-second
    change from 10 to 11 s fills a quarter of the chart instead of a sixteenth of 0-16."""
    low, high = min(values), max(values)
    bottom, top = max(0, low - 1), high + 1
    need = DOSE_MIN_SPAN - (top - bottom)
    if need > 0:
        down = min(bottom, need // 2)
        bottom -= down
        top += need - down
    step = max(1, math.ceil((top - bottom) / 4))
    return bottom, top, step


def dose_chart(
    name: str,
    points: Sequence[DosePoint],
    changes: Sequence[DoseChange],
    unit: str,
) -> str:
    """One exercise's dose (hold seconds or reps per set) per session, on an axis scaled to
    the doses drawn (:func:`dose_scale`); accepted changes marked, those between the same two
    sessions spread apart with their labels on rows of their own; a session stopped because it
    hurt is drawn (in red) even when not one rep was done; flare days are hollow and off the
    line (their dose is the gentle one, not the person's). Binned beyond :data:`MAX_POINTS`
    sessions: see :func:`bins`."""
    height = 150
    values = [pt.value for pt in points]
    for change in changes:
        values += [v for v in (change.old, change.new) if v is not None]
    bottom, top, step = dose_scale(values or [0])
    grouped = bins([pt.when for pt in points])
    slots = len(points) if grouped is None else len(grouped)
    frame = _Frame(slots, top, height=height, y_min=bottom)
    body = _y_axis(frame, range(bottom, top + 1, step), " s" if unit.strip() == "s" else "")
    axis = len(body)
    line: list[Point] = []
    if grouped is None:
        for i, pt in enumerate(points):
            p = Point(frame.x(i), frame.y(pt.value))
            tip = f"{pt.when.astimezone():%a %d %b}: {pt.value}{unit}"
            if pt.flare:
                body.append(
                    f'<circle class="flare-point mark" cx="{p.x:.1f}" cy="{p.y:.1f}" r="3.5">'
                    f"<title>{esc(tip + ', flare day (the gentle version)')}</title></circle>"
                )
                continue
            line.append(p)
            if pt.hurt:
                body.append(
                    f'<circle class="hurt-point mark" cx="{p.x:.1f}" cy="{p.y:.1f}" r="4">'
                    f"<title>{esc(tip + ', stopped, it hurt')}</title></circle>"
                )
            else:
                body.append(
                    f'<circle class="dose-point mark" cx="{p.x:.1f}" cy="{p.y:.1f}" r="3">'
                    f"<title>{esc(tip)}</title></circle>"
                )
        ends = [pt.when for pt in points]
        labels = [f"{pt.when.astimezone():%d %b}" for pt in points]
    else:
        for i, b in enumerate(grouped):
            values = [points[j].value for j in b.members]
            low, mid, high = _spread(values)
            p = Point(frame.x(i), frame.y(mid))
            line.append(p)
            body.append(_range_line(frame, p.x, low, high, "range-dose"))
            body.append(
                f'<circle class="dose-point mark" cx="{p.x:.1f}" cy="{p.y:.1f}" r="3">'
                f"<title>{esc(_binned_title(b, '', values, unit))}</title></circle>"
            )
        ends = [b.last for b in grouped]
        labels = [b.label for b in grouped]
    body.insert(axis, _polyline(line, "dose"))
    # The change sits between the last session (or bin) before it and the first after; the
    # changes that share a place are spread apart around it, their labels one row each.
    places: dict[int, list[DoseChange]] = {}
    for change in changes:
        places.setdefault(bisect.bisect_right(ends, change.at), []).append(change)
    for i, here in places.items():
        for k, change in enumerate(here):
            x = LEFT + i * frame.slot + (k - (len(here) - 1) / 2) * CHANGE_GAP
            when = f"{change.at.astimezone():%d %b %H:%M}"
            label = f"{when}: {change.old} to {change.new}{unit} ({change.rule})"
            body.append(
                f'<line class="change mark" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" '
                f'y2="{frame.bottom:.1f}"><title>{esc(label)}</title></line>'
                f'<text class="change-label" x="{x + 3:.1f}" y="{TOP + 8 + k * LABEL_ROW}">'
                f"{esc(f'{change.new}{unit}')}</text>"
            )
    body += _x_labels(frame, labels)
    what = "dose per session" if grouped is None else "dose per period (median, lowest-highest)"
    return _svg(f"{name}: {what}", body, height)


# --------------------------------------------------------------------------- the page


def _table(
    head: Sequence[str], rows: Sequence[Sequence[object]], numeric: set[int], css: str = ""
) -> str:
    def cls(i: int) -> str:
        return ' class="n"' if i in numeric else ""

    out = [f'<table class="{css}"><thead><tr>' if css else "<table><thead><tr>"]
    out += [f"<th{cls(i)}>{esc(h)}</th>" for i, h in enumerate(head)]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td{cls(i)}>{esc(v)}</td>" for i, v in enumerate(row)))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _hurt_rows(entries: Sequence[HistoryEntry], routines: RoutinesFile) -> list[list[object]]:
    names = {ex.id: ex.name for ex in routines.exercises}
    rows: list[list[object]] = []
    for e in entries:
        if e.outcome is not Outcome.HURT:
            continue
        when = f"{e.started_at.astimezone():%a %d %b %Y %H:%M}"
        place = e.hurt_at
        if place is None:
            rows.append([when, e.routine_name, "not recorded", "", "", "", _score(e.checkin)])
            continue
        logged = {x.id: x.name for x in e.exercises}
        name = logged.get(place.exercise_id) or names.get(place.exercise_id, place.exercise_id)
        rows.append(
            [
                when,
                e.routine_name,
                name,
                place.side or "-",
                f"set {place.set}, rep {place.rep}",
                STEP_WORDS.get(place.step, place.step),
                _score(e.checkin),
            ]
        )
    return rows


def _latest_note(total: int, what: str) -> list[str]:
    """A line saying only the latest :data:`MAX_ROWS` of ``total`` are listed (none if all are)."""
    if total <= MAX_ROWS:
        return []
    return [
        f'<p class="meta">{esc(f"The latest {MAX_ROWS} of {wording.count(total, what)}")}; '
        "trainer history --csv lists every session.</p>"
    ]


def _score(value: int | None) -> str:
    return "skipped" if value is None else f"{value}/10"


def _dose_section(
    entries: Sequence[HistoryEntry], answered: Sequence[DoseChange], routines: RoutinesFile
) -> list[str]:
    """The dose charts (accepted changes marked) and the tables of accepted and declined
    suggestions."""
    changes = [c for c in answered if c.accepted]
    out: list[str] = []
    ids: dict[str, str] = {}
    for e in entries:
        for x in e.exercises:
            ids[x.id] = x.name
    for c in changes:
        ids.setdefault(c.exercise_id, c.exercise_name)
    if not ids:
        return ['<p class="empty">No sessions in this period.</p>']
    current = {ex.id: ex for ex in routines.exercises}
    for ex_id, name in ids.items():
        ex = current.get(ex_id)
        mine = [c for c in changes if c.exercise_id == ex_id]
        out.append(f"<h3>{esc(name)}</h3>")
        for field, unit in (("hold", " s"), ("set_reps", " reps")):
            points = [
                DosePoint(
                    e.started_at,
                    getattr(x, field),
                    hurt=ex_id in hurt_exercises(e),
                    flare=e.flare,
                )
                for e in entries
                for x in e.exercises
                if x.id == ex_id
                and getattr(x, field) is not None
                # Done, or where it hurt (a new dose that hurt before the first rep counts).
                and (x.reps_done > 0 or ex_id in hurt_exercises(e))
            ]
            if field == "hold" and not any(pt.value for pt in points):
                continue  # an exercise without a hold
            change_field = "hold" if field == "hold" else "reps"
            marks = [c for c in mine if c.change == change_field]
            if not points and not marks:
                continue
            rng = None
            if ex is not None:
                rng = ex.hold_range if field == "hold" else ex.reps_range
            what = "Hold" if field == "hold" else "Reps per set"
            extra = f" (range {rng[0]}-{rng[1]}{unit})" if rng else ""
            values = {pt.value for pt in points}
            if len(values) == 1 and not marks:
                out.append(f"<p>{esc(what)}: {esc(f'{values.pop()}{unit}')} throughout.</p>")
                continue
            out.append(f"<p>{esc(what)}{esc(extra)}:</p>")
            if points:
                out.append(dose_chart(f"{name} {what.lower()}", points, marks, unit))
            else:
                out.append('<p class="empty">Not recorded in these sessions.</p>')
        left = [c for c in mine if c.change == "leave_out"]
        for c in left:
            out.append(
                f"<p>{esc(f'{c.at.astimezone():%d %b %Y}: left out of routine {c.routine_id}')}"
                f" ({esc(c.rule)})</p>"
            )
    for title, chosen in (
        ("Accepted changes", [c for c in answered if c.accepted]),
        ("Declined suggestions (nothing changed)", [c for c in answered if not c.accepted]),
    ):
        if not chosen:
            continue
        out.append(f"<h3>{esc(title)}</h3>")
        out += _latest_note(
            len(chosen), "accepted change" if chosen[0].accepted else "declined suggestion"
        )
        chosen = chosen[-MAX_ROWS:]
        out.append(
            _table(
                ["Date", "Exercise", "Suggested change", "Rule"],
                [
                    [
                        f"{c.at.astimezone():%d %b %Y %H:%M}",
                        c.exercise_name,
                        "leave out of " + (c.routine_id or "the routine")
                        if c.change == "leave_out"
                        else f"{c.change} {c.old} to {c.new}",
                        c.rule.replace("_", " "),
                    ]
                    for c in chosen
                ],
                set(),
            )
        )
    return out


def figure_html(exercise: Exercise) -> str:
    """The exercise's figure, start and end positions side by side, as preformatted text
    (escaped like every other text from the file); "" without a figure. A two-sided exercise
    is drawn on its first side (the left), as the session starts it."""
    if exercise.figure is None:
        return ""
    drawing = figures.drawn(exercise.figure)
    side = Side.LEFT if exercise.sides == 2 else Side.BOTH
    where = ", left side" if side is Side.LEFT else ""
    label = f"{exercise.name}: start and end positions{where}"
    out = [f'<div class="figures" role="img" aria-label="{esc(label)}">']
    for caption, pose in (("Start", START), ("End", END)):
        body = "\n".join(line.rstrip() for line in drawing.lines(pose, side))
        # The newline after <pre> is dropped by every HTML parser: a blank first line stays.
        out.append(
            f"<figure><pre>\n{esc(body)}</pre>"
            f"<figcaption>{caption}{esc(where)}</figcaption></figure>"
        )
    out.append("</div>")
    return "".join(out)


def _morning_section(records: Sequence[dose.Record], entries: Sequence[HistoryEntry]) -> list[str]:
    """The next-morning answers about the sessions of the period, skipped ones said so."""
    shown = {e.started_at: e for e in entries}
    rows = [
        [
            f"{shown[m.session_started_at].started_at:%a %d %b %Y %H:%M}",
            shown[m.session_started_at].routine_name,
            f"{m.at:%a %d %b %H:%M}",
            m.compared or "skipped",
            "-" if m.score is None else f"{m.score}/10",
        ]
        for m in sorted(
            (r for r in records if isinstance(r, MorningCheck)), key=lambda m: m.session_started_at
        )
        if m.session_started_at in shown
    ]
    if not rows:
        return ['<p class="empty">No next-morning answers in this period.</p>']
    worse = sum(1 for row in rows if row[3] == "worse")
    return [
        _table(
            ["Session", "Routine", "Asked", "Compared with before it", "Back pain then"],
            rows,
            {4},
        ),
        f"<p>{esc(wording.count(worse, 'morning'))} worse than before the session.</p>",
    ]


def _share_text(entry: HistoryEntry) -> str:
    """``"100%"``, or ``"41% (40 of 98 reps)"`` when not all of it was done."""
    share = done_share(entry)
    if entry.reps and entry.reps_done < entry.reps:
        return f"{share:.0%} ({entry.reps_done} of {entry.reps} reps)"
    return f"{share:.0%}"


def _sessions_list(entries: Sequence[HistoryEntry]) -> list[str]:
    """Every session of the period (the latest :data:`MAX_ROWS`), oldest first: when, routine,
    how it ended, the share done, pain before and after, and flare days marked."""
    if not entries:
        return ['<p class="empty">No sessions in this period.</p>']
    shown = entries[-MAX_ROWS:]
    rows = [
        [
            f"{e.started_at.astimezone():%a %d %b %Y %H:%M}",
            e.routine_name,
            e.outcome.label,
            _share_text(e),
            "-" if e.checkin_before is None else f"{e.checkin_before}/10",
            "-" if e.checkin is None else f"{e.checkin}/10",
            "flare day" if e.flare else "",
        ]
        for e in shown
    ]
    return [
        *_latest_note(len(entries), "session"),
        _table(
            ["When", "Routine", "How it ended", "Done", "Back before", "Back after", "Flare"],
            rows,
            {3, 4, 5},
            "sessions",
        ),
    ]


def planned_days(plan_days: Sequence[str], first: date, last: date) -> list[date]:
    """The dates from ``first`` to ``last`` (both included) on the plan's weekdays."""
    wanted = {WEEKDAYS.index(d) for d in plan_days if d in WEEKDAYS}
    out = []
    day = first
    while day <= last:
        if day.weekday() in wanted:
            out.append(day)
        day += timedelta(days=1)
    return out


@dataclass(frozen=True, slots=True)
class Completion:
    """Sessions planned from ``first`` to ``last`` and the sessions' worth done in them."""

    first: date
    last: date
    planned: int
    done: float

    @property
    def text(self) -> str:
        span = f"from {self.first:%d %b %Y} to {self.last:%d %b %Y}"
        if not self.planned:
            return f"No planned day {span}."
        return (
            f"Done against the plan {span}: {self.done:.1f} sessions' worth of "
            f"{wording.count(self.planned, 'planned session')}, {self.done / self.planned:.0%} "
            "(each session counted by the share of it done)."
        )


def completion(
    entries: Sequence[HistoryEntry], plan_days: Sequence[str], first: date, today: date
) -> Completion | None:
    """The plan's sessions from ``first`` to ``today`` against what was done in those days
    (each session counted by the share of it done, :func:`done_share`); None without a plan.
    Today counts only once a session was done today (the day is not over)."""
    if not plan_days:
        return None
    done_today = any(e.day == today and is_counted(e) for e in entries)
    last = today if done_today else today - timedelta(days=1)
    planned = len(planned_days(plan_days, first, last))
    done = sum(done_share(e) for e in entries if first <= e.day <= last and is_counted(e))
    return Completion(first, last, planned, done)


def _routines_section(routines: RoutinesFile) -> list[str]:
    out: list[str] = []
    for routine in routines.routines:
        out.append(f"<h3>{esc(routine.name)}</h3><p>{esc(routine.description)}</p>")
        rows = []
        for ex in routines.exercises_of(routine):
            ranges = []
            if ex.hold_range:
                ranges.append(f"hold {ex.hold_range[0]}-{ex.hold_range[1]} s")
            if ex.reps_range:
                ranges.append(f"reps {ex.reps_range[0]}-{ex.reps_range[1]}")
            rows.append(
                [
                    ex.name,
                    ex.sets,
                    ex.reps,
                    f"{ex.hold} s" if ex.hold else "-",
                    "each side" if ex.sides == 2 else "",
                    ", ".join(ranges) or "-",
                ]
            )
        out.append(_table(["Exercise", "Sets", "Reps", "Hold", "Sides", "Range"], rows, {1, 2, 3}))
    drawn = [ex for ex in routines.exercises if ex.figure is not None]
    if drawn:
        out.append("<h3>How each exercise looks</h3>")
        for ex in drawn:
            out.append(f"<p><strong>{esc(ex.name)}</strong></p>{figure_html(ex)}")
    return out


def render(
    records: Sequence[dose.Record],
    routines: RoutinesFile,
    *,
    today: date,
    since: date | None = None,
    generated: datetime | None = None,
) -> str:
    """The whole page. ``since``: only sessions from that local date on (the see-a-doctor
    state is always worked out over the whole history)."""
    everything = in_order(r for r in records if isinstance(r, HistoryEntry))
    changes = sorted((r for r in records if isinstance(r, DoseChange)), key=lambda c: c.at)
    if since is None:
        first = max(
            everything[0].day if everything else today,
            today - timedelta(weeks=DEFAULT_WEEKS - 1),
        )
    else:
        first = max(since, today - timedelta(weeks=MAX_WEEKS - 1))
    entries = [e for e in everything if (since is None or e.day >= since)]
    changes = [c for c in changes if since is None or c.day >= since]
    settings = routines.settings
    planned = len(settings.plan_days or [])
    alert = dose.doctor_alert(records)
    period = f"{since:%d %b %Y} to {today:%d %b %Y}" if since else f"up to {today:%d %b %Y}"
    if settings.plan_days:
        days = ", ".join(d.capitalize() for d in WEEKDAYS if d in settings.plan_days)
        plan_text = f"{days} at {settings.plan_at or '-'}"
    else:
        plan_text = "no plan set (trainer remind sets one)"
    body: list[str] = [
        "<h1>Lower-back exercise report</h1>",
        f'<p class="meta">{esc(wording.count(len(entries), "session"))}, {esc(period)}. '
        f"Plan: {esc(plan_text)}."
        + (f" Made {esc(f'{generated:%d %b %Y %H:%M}')}." if generated else "")
        + "</p>",
    ]
    if alert is not None:
        body.append(
            '<div class="alert"><strong>See a doctor.</strong> '
            f"{esc(alert.text)} {esc(routines.advice.see_doctor)}</div>"
        )
    if entries:
        covered = (
            f"Sessions from {entries[0].day:%a %d %b %Y} to {entries[-1].day:%a %d %b %Y}"
            f" ({wording.count((entries[-1].day - entries[0].day).days + 1, 'day')})."
        )
    else:
        covered = "No sessions in this period."
    body.append(f'<p class="meta" id="covered">{esc(covered)}</p>')
    body += ["<section><h2>Sessions per week</h2>", weeks_chart(entries, first, today, planned)]
    body.append(
        '<p class="legend"><span><i class="sw" style="background:#4a78b5"></i>sessions'
        "</span>"
        + (
            '<span><i class="sw" style="background:#c25e00"></i>'
            f"{esc(f'plan: {planned} a week')}</span>"
            if planned
            else ""
        )
        + "</p>"
    )
    rate = completion(entries, settings.plan_days or [], first, today)
    rate_text = (
        "No plan set, so no completion rate (trainer remind sets one)."
        if rate is None
        else rate.text
    )
    body.append(f'<p id="completion">{esc(rate_text)}</p></section>')
    body.append("<section><h2>Back pain, 0 (none) to 10 (worst)</h2>")
    if any(e.checkin is not None or e.checkin_before is not None for e in entries):
        body.append(pain_chart(entries))
        body.append(
            '<p class="legend"><span><i class="sw" style="background:#fff;border:2px solid '
            '#1d6f42"></i>before the session</span><span><i class="sw" '
            'style="background:#b00020"></i>after the session</span><span>x: stopped, it hurt'
            '</span><span><i class="flare-key">F</i>: flare day</span></p>'
        )
    else:
        body.append('<p class="empty">No check-ins in this period.</p>')
    body.append("</section>")
    body.append("<section><h2>Sessions</h2>")
    body += _sessions_list(entries)
    body.append("</section>")
    body.append("<section><h2>The next morning (24-hour response)</h2>")
    body += _morning_section(records, entries)
    body.append("</section>")
    body.append("<section><h2>Dose of each exercise</h2>")
    body += _dose_section(entries, changes, routines)
    body.append("</section>")
    body.append("<section><h2>Stopped because it hurt</h2>")
    hurt = _hurt_rows(entries, routines)
    if hurt:
        body += _latest_note(len(hurt), "stop")
        hurt = hurt[-MAX_ROWS:]
        body.append(
            _table(
                ["When", "Routine", "Exercise", "Side", "Where", "Doing", "Back after"], hurt, set()
            )
        )
    else:
        body.append('<p class="empty">No session was stopped because it hurt.</p>')
    body.append("</section>")
    body.append("<section><h2>The routines as currently set</h2>")
    body += _routines_section(routines)
    body.append("</section>")
    body.append(
        f"<footer>{esc(routines.source.title)}. Dose suggestions are trainer's own rules "
        "within the article's ranges, not medical advice.</footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Lower-back exercise report</title>"
        f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
