"""Write SVG screenshots of the real app, driven headless with a fixed clock.

    python scripts/screenshots.py                 # screenshots/*.svg at 100x30
    python scripts/screenshots.py --size 80x24 --out /tmp/shots picker summary

Each picture is a scene of ``tests/ui/snapshot_apps.py`` (the same steps the snapshot tests
take). To add one, add a Scene there and its name to :data:`SHOTS`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.ui.snapshot_apps import SCENES, Scene, make_app, prepare_folder  # noqa: E402

#: The scenes written by default, each to ``<name>.svg``.
SHOTS: list[str] = [
    "picker",
    "session-move",
    "session-hold",
    "session-hold-light",
    "session-switch",
    "session-rest",
    "session-paused",
    "session-side",
    "settings",
    "summary",
    "summary-hurt",
    "advice",
    "resume",
    "history",
    "watch",
    "morning",
    "migrate",
    "conflict",
    "session-plain",
    "checkin",
    "suggest",
    # Each exercise's figure (tests/ui/snapshot_apps.py: FIGURE_SCENES).
    "figure-draw-in",
    "figure-partial-curls",
    "figure-cat-arch",
    "figure-cat-sag",
    "figure-leg-lifts-left",
    "figure-leg-lifts-right",
]
#: Pictures at a size of their own: file name -> (scene, size). The session at the sizes of
#: its layouts (see trainer/ui/screens/session.py).
SIZED_SHOTS: dict[str, tuple[str, tuple[int, int]]] = {
    "session-move-80x24": ("session-move", (80, 24)),
    "session-switch-80x24": ("session-switch", (80, 24)),
    "session-hold-60x20": ("session-hold", (60, 20)),
    "session-rest-60x20": ("session-rest", (60, 20)),
    "session-hold-40x12": ("session-hold", (40, 12)),
    "session-paused-40x12": ("session-paused", (40, 12)),
    "picker-80x24": ("picker", (80, 24)),
    "picker-60x20": ("picker", (60, 20)),
    "figure-leg-lifts-left-60x20": ("figure-leg-lifts-left", (60, 20)),
    "figure-cat-sag-80x24": ("figure-cat-sag", (80, 24)),
    "session-side-80x24": ("session-side", (80, 24)),
    "session-side-60x20": ("session-side", (60, 20)),
    "session-side-40x12": ("session-side", (40, 12)),
}
DEFAULT_SIZE = (100, 30)
DEFAULT_OUT = ROOT / "screenshots"


@contextmanager
def scene_folder() -> Iterator[Path]:
    """A fresh temp folder holding the routines and XDG folders, made the working directory and
    the XDG_* variables for the duration; everything is put back after."""
    old_cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="trainer-shot-") as name:
        folder = Path(name)
        env = prepare_folder(folder)
        old_env = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        os.chdir(folder)
        try:
            yield folder
        finally:
            os.chdir(old_cwd)
            for key, value in old_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


async def capture(scene: Scene, size: tuple[int, int]) -> str:
    """Play ``scene`` on a fresh app in a private folder; the SVG of the screen it ends on."""
    with scene_folder():
        app = make_app(**scene.prepare())
        async with app.run_test(size=size, notifications=True) as pilot:
            await scene.play(pilot)
            return app.export_screenshot()


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    try:
        size = (int(width), int(height))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if min(size) < 10:
        raise argparse.ArgumentTypeError(f"too small: {text!r}")
    return size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="*", help=f"scenes to write (default: {', '.join(SHOTS)})")
    parser.add_argument("--size", type=parse_size, default=DEFAULT_SIZE, help="WIDTHxHEIGHT")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the SVGs")
    args = parser.parse_args(argv)
    os.environ["TZ"] = "UTC"  # the history's local days, the same on every machine
    time.tzset()
    names = args.scenes or [*SHOTS, *SIZED_SHOTS]
    unknown = [name for name in names if name not in SCENES and name not in SIZED_SHOTS]
    if unknown:
        known = ", ".join([*SCENES, *SIZED_SHOTS])
        parser.error(f"unknown scene(s) {', '.join(unknown)}; known: {known}")
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        scene, size = SIZED_SHOTS.get(name, (name, args.size))
        svg = asyncio.run(capture(SCENES[scene], size))
        target = out / f"{name}.svg"
        target.write_text(svg, encoding="utf-8")
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
