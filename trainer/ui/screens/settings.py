"""Settings: each exercise's numbers, the transitions, bell and notifications.

Inputs are validated by the same models that load the file (through ``trainer.editing``);
invalid values can't be saved, values outside the article's range are allowed but flagged.
Save hands the new file model to the function the app gave (the workout writes it).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Input, Label, Switch

from trainer.editing import EXERCISE_FIELDS, TIMING_FIELDS, WHOLE, EditResult, apply_edits, hint
from trainer.errors import TrainerError
from trainer.models import RoutinesFile, Settings
from trainer.ui.screens.base import TrainerScreen
from trainer.ui.screens.confirm import Choice, ConfirmScreen


def _input_id(owner: str, name: str) -> str:
    return f"in--{owner}--{name}"


class SettingsScreen(TrainerScreen[None]):
    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, *, save: Callable[[RoutinesFile], None]) -> None:
        """``save`` writes the routines file (TrainerError when it can't) and uses it."""
        super().__init__()
        self._save_file = save
        self._result: EditResult | None = None

    def compose(self) -> ComposeResult:
        routines = self.trainer.routines
        with VerticalScroll(id="settings"):
            yield Label("Settings", id="settings-title")
            yield Label(
                f"File: {self.trainer.routines_path}",
                classes="hint",
                id="settings-path",
                markup=False,
            )
            with Horizontal(classes="toggles"):
                yield Switch(routines.settings.bell, id="bell")
                yield Label("Bell", classes="toggle-label")
                yield Switch(routines.settings.notifications, id="notifications")
                yield Label("Notifications", classes="toggle-label")
                yield Switch(routines.settings.theme == "light", id="light")
                yield Label("Light theme", classes="toggle-label")
            for ex in routines.exercises:
                with Vertical(classes="exercise", id=f"ex--{ex.id}"):
                    yield Label(ex.name, classes="exercise-name")
                    with Horizontal(classes="fields"):
                        for name, label in EXERCISE_FIELDS.items():
                            with Vertical(classes="field"):
                                yield Label(label, classes="field-label")
                                field = Input(
                                    str(getattr(ex, name)),
                                    type="integer",
                                    id=_input_id(ex.id, name),
                                    tooltip=hint(ex, name) or None,
                                )
                                if name == "hold" and not ex.has_hold:
                                    field.disabled = True
                                    field.tooltip = "this exercise has no hold"
                                yield field
                                if hint(ex, name):
                                    yield Label(hint(ex, name), classes="field-hint hint")
                    yield Label("", classes="problems", id=f"problems--{ex.id}")
            with Vertical(classes="exercise", id="ex--timing"):
                yield Label(
                    "Between exercises (our choice, not the article's)", classes="exercise-name"
                )
                with Horizontal(classes="fields"):
                    for name, label in TIMING_FIELDS.items():
                        with Vertical(classes="field wide"):
                            yield Label(label, classes="field-label")
                            yield Input(
                                str(getattr(routines.timing, name)),
                                type="integer",
                                id=_input_id("timing", name),
                            )
                yield Label("", classes="problems", id="problems--timing")
        with Horizontal(id="settings-buttons"):
            yield Button("Save", id="save", variant="primary")
            yield Button("Back", id="back")
            yield Label("", id="save-status")
        yield Footer()

    def on_mount(self) -> None:
        self._validate()

    # ------------------------------------------------------------------ validation

    def _values(self) -> tuple[dict[tuple[str, str], str], dict[str, str], Settings]:
        routines = self.trainer.routines
        exercise_values: dict[tuple[str, str], str] = {}
        for ex in routines.exercises:
            for name in EXERCISE_FIELDS:
                exercise_values[(ex.id, name)] = self.query_one(
                    f"#{_input_id(ex.id, name)}", Input
                ).value
        timing_values = {
            name: self.query_one(f"#{_input_id('timing', name)}", Input).value
            for name in TIMING_FIELDS
        }
        # A copy: settings this screen does not show (the plan, the check-in before) are kept.
        settings = routines.settings.model_copy(
            update={
                "bell": self.query_one("#bell", Switch).value,
                "notifications": self.query_one("#notifications", Switch).value,
                "theme": "light" if self.query_one("#light", Switch).value else "dark",
            }
        )
        return exercise_values, timing_values, settings

    def _validate(self) -> EditResult:
        result = apply_edits(self.trainer.routines, *self._values())
        self._result = result
        routines = self.trainer.routines
        owners = [ex.id for ex in routines.exercises] + ["timing"]
        for owner in owners:
            names = list(TIMING_FIELDS) if owner == "timing" else list(EXERCISE_FIELDS)
            lines = []
            for name in names:
                widget = self.query_one(f"#{_input_id(owner, name)}", Input)
                problem = result.errors.get((owner, name))
                widget.set_class(problem is not None, "-invalid")
                if problem:
                    label = (TIMING_FIELDS if owner == "timing" else EXERCISE_FIELDS)[name]
                    lines.append(f"{label.removesuffix(' s')}: {problem}")
            if whole := result.errors.get((owner, WHOLE)):
                lines.append(whole)
            warnings = result.warnings.get(owner, [])
            problems = self.query_one(f"#problems--{owner}", Label)
            problems.display = bool(lines or warnings)
            problems.set_class(bool(lines), "error")
            problems.set_class(not lines and bool(warnings), "warning")
            problems.update(
                "; ".join(lines) if lines else "; ".join(f"Note: {w} (allowed)" for w in warnings)
            )
        self.query_one("#save", Button).disabled = not result.ok
        status = self.query_one("#save-status", Label)
        if not result.ok:
            status.update("Fix the values in red to save")
        elif self.dirty:
            status.update("Unsaved changes")
        else:
            status.update("")
        return result

    @property
    def dirty(self) -> bool:
        result = self._result
        if result is None:
            return False
        if result.routines is None:
            return True
        return result.routines != self.trainer.routines

    @on(Input.Changed)
    @on(Switch.Changed)
    def _changed(self) -> None:
        self._validate()

    # ------------------------------------------------------------------ actions

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self._save()

    def _save(self) -> bool:
        result = self._validate()
        if not result.ok or result.routines is None:
            self.notify("Some values can't be saved: they are shown in red", severity="error")
            return False
        try:
            self._save_file(result.routines)
        except TrainerError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self.query_one("#save-status", Label).update("Not saved: " + exc.message)
            return False
        self._validate()
        self.query_one("#save-status", Label).update("Saved")
        self.notify(f"Saved to {self.trainer.routines_path}", timeout=3)
        return True

    @on(Button.Pressed, "#back")
    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss()
            return

        def decided(choice: str | None) -> None:
            if choice == "save":
                if self._save():
                    self.dismiss()
            elif choice == "discard":
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen(
                "You have unsaved changes.",
                [
                    Choice("save", "Save", "primary"),
                    Choice("discard", "Discard", "error"),
                    Choice("cancel", "Keep editing"),
                ],
            ),
            decided,
        )
