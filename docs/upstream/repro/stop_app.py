from textual.app import App, ComposeResult
from textual.widgets import Label


class StopApp(App[None]):
    BINDINGS = [("space", "press", "Press"), ("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Label("ready: press space", id="n")

    def on_mount(self) -> None:
        self.presses = 0

    def action_press(self) -> None:
        self.presses += 1
        self.query_one("#n", Label).update(f"space pressed {self.presses}")


if __name__ == "__main__":
    StopApp().run()
