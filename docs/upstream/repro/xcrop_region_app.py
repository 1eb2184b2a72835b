"""#5625's case as an app: a full-screen widget that changes only columns 40-44 of rows 10-14
and refreshes just that region, ten times a second for 3 s, then exits."""

from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widget import Widget


class Board(Widget):
    DEFAULT_CSS = "Board { width: 1fr; height: 1fr; }"
    n = 0

    def render(self) -> Text:
        lines = []
        for y in range(self.size.height):
            row = "".join(chr(ord("a") + (x + y) % 26) for x in range(self.size.width))
            if 10 <= y < 15:
                row = row[:40] + f"{self.n % 100000:05d}" + row[45:]
            lines.append(row)
        return Text("\n".join(lines))

    def on_mount(self) -> None:
        self.set_interval(0.1, self.tick)
        self.set_timer(3.05, self.app.exit)

    def tick(self) -> None:
        self.n += 1
        self.refresh(Region(40, 10, 5, 5))


class Repro(App[None]):
    def compose(self) -> ComposeResult:
        yield Board()


if __name__ == "__main__":
    Repro().run()
