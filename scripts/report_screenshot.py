"""Write screenshots/report.png: the physiotherapist's report of a sample history, in Chromium
(and screenshots/handout.png: the handout of the shipped routines, ``trainer handout``).

    python scripts/report_screenshot.py [--out screenshots/report.png] [--pdf FILE]

The history is the hand-written eight weeks of ``tests/report_sample.py`` (the report tests use
the same one) with, for the picture only, next-morning answers and a flare day two days after the
session that hurt (:func:`showcase`), rendered by ``trainer.outputs.report`` and shot by headless
Chromium (``tests/headless.py``). Fails, without writing, if the page logs anything to its
console.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import headless  # noqa: E402
from report_sample import HURT_DAY, TODAY, planned, records  # noqa: E402

from trainer.coaching.dose import Record  # noqa: E402
from trainer.outputs import handout, report  # noqa: E402
from trainer.programme import loading  # noqa: E402
from trainer.records.history.record import HistoryEntry, MorningCheck  # noqa: E402

SIZE = (900, 2600)
HANDOUT_SIZE = (900, 2000)


def showcase() -> list[Record]:
    """The sample with what a physiotherapist also reads: the next-morning answers after the
    sessions around the one that hurt, and the session two days later as a flare day (the
    gentle exercises only)."""
    out: list[Record] = []
    sessions = [r for r in records() if isinstance(r, HistoryEntry)]
    answers = {HURT_DAY: ("worse", 5)}
    for entry in sessions:
        gap = (entry.started_at.date() - HURT_DAY).days
        if gap == 2:
            answers[entry.started_at.date()] = ("same", 3)
        elif gap > 2 and entry.started_at.date() not in answers:
            answers[entry.started_at.date()] = ("better", 2)
    for record in records():
        if isinstance(record, HistoryEntry):
            day = record.started_at.date()
            if (day - HURT_DAY).days == 2:
                gentle = [log for log in record.exercises if log.id != "bridges"]
                record = record.model_copy(update={"flare": True, "exercises": gentle})
            out.append(record)
            if day in answers and day < TODAY:
                compared, score = answers[day]
                out.append(
                    MorningCheck(
                        at=record.started_at + timedelta(days=1),
                        session_started_at=record.started_at,
                        compared=compared,
                        score=score,
                    )
                )
        else:
            out.append(record)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "report.png")
    parser.add_argument("--pdf", type=Path, help="also print the page to this PDF")
    args = parser.parse_args(argv)
    routines = planned(loading.load_routines(ROOT / "routines.toml"))
    with tempfile.TemporaryDirectory(prefix="trainer-report-") as name:
        page = Path(name) / "report.html"
        page.write_text(report.render(showcase(), routines, today=TODAY), encoding="utf-8")
        shot = Path(name) / "report.png"
        run = headless.screenshot(page, shot, SIZE)
        if run.console:
            print("\n".join(run.console), file=sys.stderr)
            return 1
        if args.pdf is not None:
            headless.print_pdf(page, args.pdf)
            print(args.pdf)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(shot.read_bytes())
        print(args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out)
        page = Path(name) / "handout.html"
        page.write_text(handout.render(loading.load_routines(ROOT / "routines.toml")))
        target = args.out.with_name("handout.png")
        run = headless.screenshot(page, target, HANDOUT_SIZE)
        if run.console:
            print("\n".join(run.console), file=sys.stderr)
            return 1
        print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
