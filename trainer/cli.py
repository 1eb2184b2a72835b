"""Command line: ``trainer``, ``trainer check``, ``--version``. Never a traceback for bad input."""

from __future__ import annotations

import argparse
import errno
import io
import os
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn, TextIO

from trainer import __version__
from trainer.text import wording
from trainer.text.errors import TrainerError
from trainer.text.safe import printable

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


def say(text: str, file: TextIO | None = None) -> None:
    """Print one line of output; anything from a file, the environment or argv in it shows its
    control characters as escapes (``\x1b``), so no input can drive the terminal."""
    print(printable(text), file=file if file is not None else sys.stdout)


class _Parser(argparse.ArgumentParser):
    """argparse, with argv echoed safely in its errors (``unrecognized arguments: ...``)."""

    def error(self, message: str) -> NoReturn:
        super().error(printable(message))


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="trainer",
        description=(
            "A terminal coach for a home lower-back routine: it counts every set, rep and "
            "hold for you, rings at each change, and resumes where you stopped."
        ),
        epilog=(
            f"Keys in a session: {wording.SESSION_KEYS}. "
            "Your routines file is $XDG_CONFIG_HOME/trainer/routines.toml."
        ),
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    parser.add_argument(
        "--routines",
        metavar="PATH",
        help="routines file to use (and to save settings into) instead of your own",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue the saved session straight away"
    )
    parser.add_argument(
        "--start",
        metavar="ROUTINE",
        help="start this routine (its id, e.g. quick-core) straight away",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="validate a routines file and print each routine's length")
    check.add_argument("path", nargs="?", help="file to check (default: your routines file)")
    migrate = sub.add_parser(
        "migrate-settings",
        help="move the preferences an old routines file still has into preferences.toml",
        description=(
            "Bell, notifications, theme, voice and the on_event command now live in "
            "$XDG_CONFIG_HOME/trainer/preferences.toml, never in a routines file (which may be "
            "shared). This shows what an old routines file still has, asks, and moves it: "
            "into preferences.toml, then out of the routines file (its comments stay)."
        ),
    )
    migrate.add_argument("path", nargs="?", help="routines file (default: your routines file)")
    migrate.add_argument("--yes", action="store_true", help="move without asking")
    history = sub.add_parser(
        "history",
        help="show your streak, the last 8 weeks, back check-ins and totals",
        description=(
            "Sessions are kept in $XDG_DATA_HOME/trainer/history.jsonl. --csv writes one row "
            "per session (for a spreadsheet, or your physio)."
        ),
    )
    history.add_argument("--csv", action="store_true", help="write the sessions as CSV to stdout")
    history.add_argument(
        "--days",
        metavar="N",
        type=_positive_int,
        help="only sessions from the last N days, today included (totals, check-ins, list, CSV)",
    )
    report = sub.add_parser(
        "report",
        help="write an HTML report for your physiotherapist (print it to PDF from a browser)",
        description=(
            "One self-contained HTML page: sessions per week against the plan, back check-ins, "
            "each exercise's dose with the accepted changes, every stop because it hurt, and the "
            "routines as set now."
        ),
    )
    report.add_argument(
        "--since", metavar="DATE", type=_date, help="only sessions from this date (YYYY-MM-DD)"
    )
    _out_argument(report, "trainer-report.html")
    handout = sub.add_parser(
        "handout",
        help="write a printable HTML handout: each routine's exercises with figures and doses",
        description=(
            "One self-contained HTML page per routine, to print and keep beside the mat: each "
            "exercise's figure (start and end positions), the article's steps, the dose (sets, "
            "reps, hold, rests, sides) and the article's safety advice."
        ),
    )
    handout.add_argument(
        "--routine", metavar="ROUTINE", help="only this routine (its id; default: every one)"
    )
    _out_argument(handout, "trainer-handout.html")
    remind = sub.add_parser(
        "remind",
        help="write a calendar file (.ics) that reminds you on your training days",
        description=(
            "Writes an iCalendar file with a weekly event and an alarm; import it once into your "
            "phone or desktop calendar. The days and time are kept in your routines file as "
            "[settings] plan_days and plan_at: the routine list shows the next planned day."
        ),
    )
    remind.add_argument(
        "--days", required=True, metavar="DAYS", help="training days, e.g. mon,wed,fri"
    )
    remind.add_argument("--at", required=True, metavar="HH:MM", help="start time, e.g. 07:30")
    remind.add_argument(
        "--routine", metavar="ROUTINE", help="the routine to do (its id; default: the first)"
    )
    _out_argument(remind, "trainer.ics")
    return parser


def _out_argument(parser: argparse.ArgumentParser, default: str) -> None:
    """``--out FILE``: where a command writes its file (``-``: standard output)."""
    parser.add_argument(
        "--out",
        metavar="FILE",
        default=default,
        help=f"where to write it (default: {default} here; - for standard output)",
    )
    parser.set_defaults(out_default=default)  # the example in the error for an empty --out


def _path(text: str | None, name: str, fix: str) -> Path | None:
    """A path from the command line (every path argument is taken as text and comes here).
    An empty one is its own error naming the option: ``Path("")`` is ``.``, the folder here,
    and the error would otherwise name that folder, never what was typed."""
    if text is None:
        return None
    if not text:
        raise TrainerError(f"{name}: the path is empty; {fix}")
    return Path(text)


def _file_argument(args: argparse.Namespace) -> Path | None:
    """``trainer check PATH`` / ``trainer migrate-settings PATH``."""
    fix = f"give a routines file, e.g. trainer {args.command} routines.toml, or leave it out"
    return _path(args.path, args.command, f"{fix} for your own")


def _out(args: argparse.Namespace) -> Path:
    """``--out FILE`` (it has a default, so never None)."""
    out = _path(args.out, "--out", f"give a file name, e.g. --out {args.out_default}")
    assert out is not None
    return out


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-03-01, got {text!r}") from None


#: The most days ``--days`` takes (a hundred years): more would count back past year 1.
MAX_DAYS = 36_500


def _positive_int(text: str) -> int:
    # ASCII digits only: int() also takes " 12 ", "1_0" and "١٢" (Arabic-Indic twelve).
    if re.fullmatch(r"-?[0-9]+", text) is None:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of days (digits 0-9), got {text!r}"
        )
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    if value > MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_DAYS} (a hundred years)")
    return value


def _routines_path(explicit: Path | None) -> Path:
    from trainer.programme import loading

    if explicit is not None:
        return explicit
    return loading.ensure_user_routines()


def cmd_check(path: Path | None) -> int:
    """Validate a file and print each routine's length; a valid file is remembered in the
    catalog cache (:mod:`trainer.programme.catalog`), so the app's next start needs no
    validation."""
    from trainer.engine import plan_for
    from trainer.programme import catalog, loading, preferences
    from trainer.text import wording

    target = _routines_path(path)
    raw = loading.read_bytes(target, "routines file")
    routines = loading.parse_routines(raw, target)
    ignored = preferences.ignored_in(raw, target)
    exercises = wording.count(len(routines.exercises), "exercise")
    say(f"{target}: OK, {exercises}, {wording.count(len(routines.routines), 'routine')}")
    for item in ignored:  # never used, never run: each named with its line
        say(f"  ignored: {item.describe(target)}")
    plans = {routine.id: plan_for(routines, routine.id) for routine in routines.routines}
    for routine in routines.routines:
        exercises = wording.count(len(routine.exercises), "exercise")
        say(
            f"  {routine.id}: {routine.name} - {exercises}, "
            f"about {wording.estimate(plans[routine.id].total)}"
        )
    found = catalog.catalog_of(routines, lambda rid: plans[rid].total, ignored)
    catalog.write_cache(target, raw, found)
    if path is None:  # your own setup: your preferences too (a bad one is named, one line)
        loaded = preferences.load()
        say(f"{loaded.path}: OK" if loaded.raw is not None else f"{loaded.path}: none, defaults")
    return EXIT_OK


def cmd_migrate(path: Path | None, yes: bool) -> int:
    """Move an old routines file's preferences into preferences.toml, once, when the person
    says so (see :mod:`trainer.programme.migrate`)."""
    from trainer.programme import migrate, preferences

    target = _routines_path(path)
    raw, moved = migrate.pending(target)
    loaded = preferences.load()
    if not moved:
        say(f"{target}: no preferences to move")
        return EXIT_OK
    first = min((i.line for i in moved if i.line), default=None)
    where = f"{target}:{first}" if first else str(target)
    say(f"{where}: [settings] has {migrate.describe(moved)}")
    say(f"These move to {loaded.path} and out of {target} (its comments stay).")
    if not yes:
        if not sys.stdin.isatty():
            raise TrainerError("not moved: run it in a terminal to answer, or add --yes")
        try:
            answer = input("Move them? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            say("Nothing moved.")
            return EXIT_OK
    result = migrate.migrate(target, loaded, expected=raw)
    say(result.message)
    return EXIT_OK


#: Warnings printed one by one; beyond these, one line counts the rest.
SHOWN_WARNINGS = 20


def _warn(warnings: Sequence[str]) -> None:
    """One line per damaged history line, at most :data:`SHOWN_WARNINGS`, then a count."""
    for warning in warnings[:SHOWN_WARNINGS]:
        say(f"trainer: warning: {warning}", file=sys.stderr)
    if len(warnings) > SHOWN_WARNINGS:
        rest = len(warnings) - SHOWN_WARNINGS
        say(f"trainer: warning: {rest} more damaged lines skipped", file=sys.stderr)


def cmd_history(csv: bool, days: int | None) -> int:
    from datetime import date

    from trainer.records import history

    records, warnings = history.read_history()
    _warn(warnings)
    entries = [r for r in records if isinstance(r, history.HistoryEntry)]
    from trainer.storage import files

    today = date.today()
    if csv:
        if days is not None:
            entries = history.within_days(entries, today, days)
        mornings = [r for r in records if isinstance(r, history.MorningCheck)]
        table = io.StringIO(newline="")
        history.write_csv([*entries, *mornings], table)
        text = table.getvalue()
    else:
        text = printable(history.summary_text(entries, today, days=days), keep="\n")
    sys.stdout.flush()
    files.write_stdout(text.encode("utf-8"))
    return EXIT_OK


def _write_out(out: Path, text: str) -> None:
    """``--out``: see :func:`trainer.storage.files.write_out` (never replaces a device, never
    creates a folder, ``-`` is the standard output)."""
    from trainer.storage import files

    sys.stdout.flush()
    where = files.write_out(out, text.encode("utf-8"))
    if where != "standard output":
        say(f"Wrote {out}", file=sys.stderr)


def cmd_report(routines_path: Path | None, since: date | None, out: Path) -> int:
    from trainer.outputs import report
    from trainer.programme import loading
    from trainer.records import history

    routines = loading.load_routines(_routines_path(routines_path))
    records, warnings = history.read_history()
    _warn(warnings)
    now = datetime.now().astimezone()
    _write_out(out, report.render(records, routines, today=now.date(), since=since, generated=now))
    return EXIT_OK


def cmd_handout(routines_path: Path | None, routine_id: str | None, out: Path) -> int:
    from trainer.outputs import handout
    from trainer.programme import loading

    path = _routines_path(routines_path)
    routines = loading.load_routines(path)
    chosen = None
    if routine_id is not None:
        try:
            chosen = [routines.routine(routine_id)]
        except KeyError:
            known = ", ".join(r.id for r in routines.routines)
            raise TrainerError(
                f"no routine has id '{routine_id}' (known: {known})", path=path
            ) from None
    _write_out(out, handout.render(routines, chosen))
    return 0


def cmd_remind(
    routines_path: Path | None, days_text: str, at_text: str, routine_id: str | None, out: Path
) -> int:
    from trainer.engine import plan_for
    from trainer.outputs import remind
    from trainer.programme import loading

    try:
        days = remind.parse_days(days_text)
    except ValueError as exc:
        raise TrainerError(f"--days: {exc}") from None
    try:
        at = remind.parse_at(at_text)
    except ValueError as exc:
        raise TrainerError(f"--at: {exc}") from None
    path = _routines_path(routines_path)
    raw = loading.read_bytes(path, "routines file")
    routines = loading.parse_routines(raw, path)
    routine = routines.routines[0]
    if routine_id is not None:
        try:
            routine = routines.routine(routine_id)
        except KeyError:
            known = ", ".join(r.id for r in routines.routines)
            raise TrainerError(
                f"no routine has id '{routine_id}' (known: {known})", path=path
            ) from None
    plan = plan_for(routines, routine.id)
    now = datetime.now().astimezone()
    text = remind.calendar(
        remind.Reminder(
            routine_id=routine.id,
            routine_name=routine.name,
            seconds=plan.total,
            exercises=[ex.name for ex in routines.exercises_of(routine)],
            days=days,
            at=at,
        ),
        today=now.date(),
        stamp=now,
    )
    _write_out(out, text)
    # The plan goes into the routines file (one or two lines change, in place), where the list
    # reads it; a change made to the file since it was read above is kept, and the same
    # values changed meanwhile stop it (never overwritten silently).
    settings = routines.settings.model_copy(update={"plan_days": days, "plan_at": at})
    written = False
    if settings != routines.settings:
        written = loading.save_routines(
            path, routines.model_copy(update={"settings": settings}), base=routines, base_raw=raw
        ).written
    done = "saved in" if written else "unchanged in"  # only a file written is said to be
    say(f"Plan {done} {path}: {', '.join(days)} at {at}", file=sys.stderr)
    return EXIT_OK


def cmd_app(routines_path: Path | None, resume: bool, start: str | None = None) -> int:
    """The app. A routines file validated before and unchanged since (the catalog cache of
    :mod:`trainer.programme.catalog` matches its bytes) opens the list without loading the models;
    it
    is validated before anything needs them. Any other file is validated first: a bad file
    never starts the UI."""
    from trainer.programme import catalog, loading, preferences

    path = _routines_path(routines_path)
    raw = loading.read_bytes(path, "routines file")
    # The person's own voice, sounds, theme and on_event: never from the routines file.
    loaded = preferences.load()
    routines = None
    found = None if (start is not None or resume) else catalog.read_cache(path, raw)
    if found is None:  # a session starts at once, or the cache does not hold this file
        from trainer.coaching.lifecycle import catalog_for

        routines = loading.parse_routines(raw, path)
        found = catalog_for(routines, raw, path)
        catalog.write_cache(path, raw, found)  # best effort: a read-only cache is no error
    if start is not None and not found.has(start):
        known = ", ".join(found.ids)
        raise TrainerError(f"no routine has id '{start}' (known: {known})", path=path)
    from trainer.ui.app import run_app

    return run_app(
        path, routines, catalog=found, raw=raw, resume=resume, start=start, preferences=loaded
    )


class _ClosedOutput(io.TextIOBase):
    """Stands for a standard output that was closed before we started (``>&-``: Python then
    sets ``sys.stdout`` to None and ``print`` drops everything silently): writing to it is
    an error, reported in one line."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _stdout_gone() -> None:
    """After a failed write to the standard output: nothing more goes there (Python's own
    flush at exit would otherwise print "Exception ignored ...")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives to the exit


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if sys.stdout is None and args.command is not None:
        sys.stdout = _ClosedOutput()
    try:
        routines = _path(
            args.routines, "--routines", "give a routines file, e.g. --routines routines.toml"
        )
        if args.command == "check":
            code = cmd_check(_file_argument(args) or routines)
        elif args.command == "migrate-settings":
            code = cmd_migrate(_file_argument(args) or routines, args.yes)
        elif args.command == "history":
            code = cmd_history(args.csv, args.days)
        elif args.command == "report":
            code = cmd_report(routines, args.since, _out(args))
        elif args.command == "handout":
            code = cmd_handout(routines, args.routine, _out(args))
        elif args.command == "remind":
            code = cmd_remind(routines, args.days, args.at, args.routine, _out(args))
        else:
            return cmd_app(routines, args.resume, args.start)
        sys.stdout.flush()  # what print() kept back fails here, not in Python's exit
        return code
    except TrainerError as exc:
        say(f"trainer: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `trainer check | head -1`: the reader left; say nothing more, and no traceback.
        _stdout_gone()
        return 141
    except OSError as exc:
        # print() to a full (/dev/full) or closed standard output.
        from trainer.storage import files

        _stdout_gone()
        reason = "it is closed" if exc.errno == errno.EBADF else files.write_reason(exc, Path("."))
        say(f"trainer: cannot write to standard output: {reason}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
