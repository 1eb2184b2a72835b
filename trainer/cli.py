"""Command line: ``trainer``, ``trainer check``, ``--version``. Never a traceback for bad input."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from trainer import __version__, words
from trainer.errors import TrainerError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer",
        description=(
            "A terminal coach for a home lower-back routine: it counts every set, rep and "
            "hold for you, rings at each change, and resumes where you stopped."
        ),
        epilog=(
            f"Keys in a session: {words.SESSION_KEYS}. "
            "Your routines file is $XDG_CONFIG_HOME/trainer/routines.toml."
        ),
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    parser.add_argument(
        "--routines",
        metavar="PATH",
        type=Path,
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
    check.add_argument(
        "path", nargs="?", type=Path, help="file to check (default: your routines file)"
    )
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
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _routines_path(explicit: Path | None) -> Path:
    from trainer import storage

    if explicit is not None:
        return explicit
    return storage.ensure_user_routines()


def cmd_check(path: Path | None) -> int:
    from trainer import storage, words
    from trainer.engine import plan_for

    target = _routines_path(path)
    routines = storage.load_routines(target)
    print(f"{target}: OK, {len(routines.exercises)} exercises, {len(routines.routines)} routines")
    for routine in routines.routines:
        plan = plan_for(routines, routine.id)
        print(
            f"  {routine.id}: {routine.name} - {len(routine.exercises)} exercises, "
            f"about {words.duration(plan.total)}"
        )
    return EXIT_OK


def cmd_history(csv: bool, days: int | None) -> int:
    from datetime import date

    from trainer import history

    entries, warnings = history.read_entries()
    for warning in warnings:
        print(f"trainer: warning: {warning}", file=sys.stderr)
    today = date.today()
    if csv:
        if days is not None:
            entries = history.within_days(entries, today, days)
        history.write_csv(entries, sys.stdout)
    else:
        sys.stdout.write(history.summary_text(entries, today, days=days))
    return EXIT_OK


def cmd_app(routines_path: Path | None, resume: bool, start: str | None = None) -> int:
    from trainer import storage

    path = _routines_path(routines_path)
    routines = storage.load_routines(path)  # a bad file never starts the UI
    if start is not None and start not in {r.id for r in routines.routines}:
        known = ", ".join(r.id for r in routines.routines)
        raise TrainerError(f"no routine has id '{start}' (known: {known})", path=path)
    from trainer.ui.app import run_app

    return run_app(path, routines, resume=resume, start=start)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return cmd_check(args.path or args.routines)
        if args.command == "history":
            return cmd_history(args.csv, args.days)
        return cmd_app(args.routines, args.resume, args.start)
    except TrainerError as exc:
        print(f"trainer: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `trainer check | head -1`: the reader left; say nothing more, and no traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
