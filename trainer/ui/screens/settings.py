"""Settings: sound and voice, each exercise's numbers, the transitions, notifications, theme.

Inputs are validated by the same models that load the files (through
``trainer.programme.editing``); invalid values can't be saved, values outside the article's
range are allowed but flagged. Save hands the new file model and the new preferences to the
function the app gave (the workout writes them: the doses into the routines file, the sound,
voice, theme and command into ``preferences.toml``). If a file changed on disk meanwhile in the
same fields, the app asks which values to keep (the rule is the workout's) and the fields then
show what was saved.

Leaving any other way than Save or Discard (Ctrl+C, q, a closed terminal) keeps the fields as
a draft (the workout writes it, through ``trainer.records.drafts``); the next visit offers to put it
back or discard it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Switch

from trainer.programme.constants import DEFAULT_RATE, MAX_RATE, MIN_RATE, BellMode, VoiceMode
from trainer.programme.editing import (
    EXERCISE_FIELDS,
    SETTINGS,
    TIMING_FIELDS,
    WHOLE,
    EditResult,
    apply_edits,
    hint,
)
from trainer.programme.preferences import Preferences
from trainer.programme.schema import RoutinesFile
from trainer.records.drafts import SettingsDraft
from trainer.text import wording
from trainer.text.errors import TrainerError
from trainer.ui.dialogs.confirm import Choice, ConfirmScreen
from trainer.ui.plain import plain
from trainer.ui.screens.base import SizeClasses, TrainerScreen
from trainer.ui.widgets.footer import KeyFooter

BELL_CHOICES = [
    ("All cues", BellMode.ALL),
    ("Holds, rests", BellMode.HOLDS),
    ("Off", BellMode.OFF),
]
VOICE_CHOICES = [
    ("Automatic", VoiceMode.AUTO),
    ("On", VoiceMode.ON),
    ("Off", VoiceMode.OFF),
]
#: The sound fields' columns (bell, voice, words a minute, engine): a drop-down's width is its
#: longest choice, its arrow and its frame (settings.tcss gives the same widths).
SOUND_COLUMNS = (21, 18, 12, 20)
SETTING_LABELS = {"voice_rate": "Words/min", "on_event": "Command"}


#: The settings the screen shows, and the widget of each (a draft puts them back there).
_SETTING_WIDGETS = {
    "bell": "bell",
    "notifications": "notifications",
    "theme": "light",
    "plain_letters": "plain-letters",
    "voice": "voice",
    "voice_rate": "voice-rate",
    "voice_engine": "voice-engine",
    "on_event": "on-event",
}


def _input_id(owner: str, name: str) -> str:
    return f"in--{owner}--{name}"


def _field(widget_id: str, value: int, label: str, note: str = "") -> Input:
    """A number's field: its name on the input's top edge, the article's range (if any) on its
    bottom edge and in its tooltip (one widget, not a box with a label, an input and a hint: the
    screen has 30 of them, and each widget costs CPU at every layout, restyle and Tab)."""
    # The screen checks every field against the models and marks the invalid ones; the input's
    # own check (validate_on) would restyle each input once more as it is filled in.
    field = Input(str(value), type="integer", id=widget_id, classes="field", validate_on=())
    field.border_title = plain(label)
    if note:
        field.border_subtitle = plain(note)
        field.tooltip = plain(note)
    return field


#: Cells each column of the grids takes (see settings.tcss). A number's box shows a name (or a
#: range) of at most its width - 6 cells whole ("Rest between exercises s", "article 10-15").
TOGGLE_WIDTH = 25
FIELD_WIDTH = 19
WIDE_FIELD_WIDTH = 30


class SettingsScreen(SizeClasses, TrainerScreen[None]):
    CSS_PATH = "settings.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(
        self, *, save: Callable[[RoutinesFile, Preferences, Callable[[str], None]], None]
    ) -> None:
        """``save(routines, preferences, done)`` writes the files that changed and uses them
        (TrainerError when it can't; the app tells which files it wrote); it calls
        ``done(status)`` once saved, with the status to show (the app may ask about a change
        made to a file meanwhile first; if the person cancels, ``done`` is never called)."""
        super().__init__()
        self.__save_file = save
        #: The fields as last seen (kept as a draft if the screen goes away unsaved).
        self.__last_values: (
            tuple[dict[tuple[str, str], str], dict[str, str], dict[str, object]] | None
        ) = None
        #: Set once the person left on purpose (saved, nothing to save, or discarded).
        self.__left = False
        self.__result: EditResult | None = None
        #: "Saved" is on show (until something changes again).
        self.__saved_shown = False
        #: The text each status and problem label shows (by the label's id).
        self.__shown: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        routines = self.trainer.routines
        with VerticalScroll(id="settings") as form:
            # Not focusable itself: focus goes to the first field, and moving it between the
            # fields does not restyle the whole form (a focus change of a container restyles
            # everything in it: 0.15 s a field at each Tab). Page keys still scroll it.
            form.can_focus = False
            yield Label("Settings", id="settings-title")
            yield Label(
                plain(f"File: {self.trainer.routines_path}"),
                classes="hint",
                id="settings-path",
            )
            settings = self.trainer.workout.preferences
            yield Label("Sound and voice", classes="exercise-name", id="sound-title")
            with Vertical(classes="fields -sound"):
                with Vertical(classes="sound-field", id="bell-field"):
                    yield Label("Bell", classes="field-label")
                    yield Select(BELL_CHOICES, value=settings.bell, allow_blank=False, id="bell")
                with Vertical(classes="sound-field", id="voice-field"):
                    yield Label("Voice", classes="field-label")
                    yield Select(VOICE_CHOICES, value=settings.voice, allow_blank=False, id="voice")
                with Vertical(classes="sound-field", id="rate-field"):
                    yield Label("Words/min", classes="field-label")
                    yield Input(
                        str(settings.voice_rate),
                        type="integer",
                        id="voice-rate",
                        validate_on=(),  # checked with the rest (see _field)
                        tooltip=plain(f"{MIN_RATE}-{MAX_RATE}; {DEFAULT_RATE} is espeak's own"),
                    )
                with Vertical(classes="sound-field", id="engine-field"):
                    yield Label("Engine", classes="field-label")
                    yield Select(
                        self.__engine_choices(),
                        value=settings.voice_engine,
                        allow_blank=False,
                        id="voice-engine",
                    )
            yield Label("", classes="hint", id="voice-status")
            yield Label(
                "On each cue, run (your own command; one JSON object on its input):",
                classes="field-label",
            )
            yield Input(
                settings.on_event or "",
                placeholder="off (for example: notify-send trainer)",
                id="on-event",
                validate_on=(),
            )
            yield Label("", classes="problems", id="problems--settings")
            with Vertical(classes="toggles"):
                # Each switch and its name are two cells of the grid (no box around the pair).
                yield Switch(settings.notifications, id="notifications")
                yield Label("Notifications", classes="toggle-label")
                yield Switch(settings.theme == "light", id="light")
                yield Label("Light theme", classes="toggle-label")
                yield Switch(settings.plain_letters, id="plain-letters")
                yield Label("Plain letters", classes="toggle-label")
            for ex in routines.exercises:
                yield Label(plain(ex.name), classes="exercise-name one-line", id=f"name--{ex.id}")
                with Vertical(classes="fields", id=f"ex--{ex.id}"):
                    for name, label in EXERCISE_FIELDS.items():
                        note = hint(ex, name)
                        field = _field(_input_id(ex.id, name), getattr(ex, name), label, note)
                        if name == "hold" and not ex.has_hold:
                            field.disabled = True
                            field.tooltip = "this exercise has no hold"
                        yield field
                yield Label("", classes="problems", id=f"problems--{ex.id}")
            yield Label(
                "Between exercises (our choice, not the article's)",
                classes="exercise-name",
                id="name--timing",
            )
            with Vertical(classes="fields -timing", id="ex--timing"):
                for name, label in TIMING_FIELDS.items():
                    yield _field(_input_id("timing", name), getattr(routines.timing, name), label)
            yield Label("", classes="problems", id="problems--timing")
        with Horizontal(id="settings-buttons"):
            yield Button("Save", id="save", variant="primary")
            yield Button("Back", id="back")
            yield Label("", id="save-status")
        yield KeyFooter()

    def on_resize(self, event: events.Resize) -> None:
        """As many columns of fields as the window holds: none is ever cut off."""
        room = max(1, event.size.width - 4)  # padding (1 + 1) and scroll bar (2)
        for widget in self.query(".toggles, .fields"):
            if widget.has_class("-sound"):
                # Columns as wide as their drop-downs' longest choice: never wrapped mid-word.
                fit = 0
                while fit < len(SOUND_COLUMNS) and sum(SOUND_COLUMNS[: fit + 1]) <= room:
                    fit += 1
                widget.styles.grid_size_columns = max(1, fit)
                continue
            if widget.has_class("toggles"):
                # A switch and its name: two grid columns each.
                widget.styles.grid_size_columns = 2 * max(1, room // TOGGLE_WIDTH)
                continue
            column = WIDE_FIELD_WIDTH if widget.has_class("-timing") else FIELD_WIDTH
            widget.styles.grid_size_columns = max(1, room // column)

    def on_mount(self) -> None:
        self.__validate()
        draft = self.trainer.workout.settings_draft()
        if draft is not None:
            self.__offer(draft)

    def on_unmount(self) -> None:
        """Gone without Save or Discard (the app quit, the terminal closed): keep a draft."""
        if self.__left or not self.dirty or self.__last_values is None:
            return
        draft = SettingsDraft.of(self.trainer.routines_path, *self.__last_values)
        self.trainer.workout.keep_settings_draft(draft)  # the workout writes it

    def __offer(self, draft: SettingsDraft) -> None:
        ago = wording.ago((self.trainer.now() - draft.saved_at).total_seconds())

        def decided(choice: str | None) -> None:
            if choice == "apply":
                self.__apply(draft)
                self.trainer.workout.discard_settings_draft()  # in the fields now
            elif choice == "discard":
                self.trainer.workout.discard_settings_draft()

        self.app.push_screen(
            ConfirmScreen(
                f"Settings you changed {ago} were not saved. Put them back in the fields "
                "(then save them or not), or discard them?",
                [
                    Choice("apply", "Put them back", "primary"),
                    Choice("discard", "Discard", "error"),
                ],
            ),
            decided,
        )

    def __apply(self, draft: SettingsDraft) -> None:
        """Put the draft's values in the fields (values that no longer fit are skipped)."""
        values: dict[str, object] = {
            _input_id(owner, name): text for (owner, name), text in draft.exercise_values().items()
        }
        values |= {_input_id("timing", name): text for name, text in draft.timing.items()}
        for name, setting in draft.settings.items():
            widget_id = _SETTING_WIDGETS.get(name)
            if widget_id is not None:
                values[widget_id] = setting == "light" if name == "theme" else setting
        for widget_id, value in values.items():
            for widget in self.query(f"#{widget_id}"):
                if widget.disabled:
                    continue
                with contextlib.suppress(Exception):  # a choice no longer offered, say
                    if isinstance(widget, Input):
                        widget.value = str(value)
                    elif isinstance(widget, Switch):
                        widget.value = bool(value)
                    elif isinstance(widget, Select):
                        widget.value = value
        self.__validate()

    # ------------------------------------------------------------------ validation

    def __engine_choices(self) -> list[tuple[str, str]]:
        """Automatic, the engines found, and the configured one even if it is not here."""
        names = [e.name for e in self.trainer.outlets.context.engines]
        configured = self.trainer.workout.preferences.voice_engine
        if configured != "auto" and configured not in names:
            names.append(configured)
        return [("Automatic", "auto"), *((name, name) for name in names)]

    def __values(self) -> tuple[dict[tuple[str, str], str], dict[str, str], dict[str, object]]:
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
        settings: dict[str, object] = {
            "bell": self.query_one("#bell", Select).value,
            "notifications": self.query_one("#notifications", Switch).value,
            "theme": "light" if self.query_one("#light", Switch).value else "dark",
            "plain_letters": self.query_one("#plain-letters", Switch).value,
            "voice": self.query_one("#voice", Select).value,
            "voice_rate": self.query_one("#voice-rate", Input).value,
            "voice_engine": self.query_one("#voice-engine", Select).value,
            "on_event": self.query_one("#on-event", Input).value,
        }
        return exercise_values, timing_values, settings

    def __validate(self) -> EditResult:
        self.__last_values = self.__values()
        result = apply_edits(
            self.trainer.routines, *self.__last_values, preferences=self.trainer.workout.preferences
        )
        self.__result = result
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
            self.__show(
                problems,
                "; ".join(lines) if lines else "; ".join(f"Note: {w} (allowed)" for w in warnings),
            )
        self.__show_sound(result)
        self.query_one("#save", Button).disabled = not result.ok
        status = self.query_one("#save-status", Label)
        if not result.ok:
            self.__show(status, "Fix the values in red to save")
            self.__saved_shown = False
        elif self.dirty:
            self.__show(status, "Unsaved changes")
            self.__saved_shown = False
        elif not self.__saved_shown:
            self.__show(status, "")
        return result

    def __show(self, label: Label, text: str) -> None:
        """Show ``text`` (as text, never markup) on ``label``, only if it changed: every update
        lays the whole screen out again, and each key typed in a field validates every field
        (the layouts were half the CPU of typing a number)."""
        key = label.id or str(id(label))
        if self.__shown.get(key) != text:
            self.__shown[key] = text
            label.update(plain(text))

    def __show_sound(self, result: EditResult) -> None:
        """The voice's state for the chosen values (and why), and the settings' problems."""
        rate = self.query_one("#voice-rate", Input)
        rate.set_class((SETTINGS, "voice_rate") in result.errors, "-invalid")
        problems = [
            f"{SETTING_LABELS.get(name, name)}: {text}"
            for (owner, name), text in result.errors.items()
            if owner == SETTINGS
        ]
        label = self.query_one("#problems--settings", Label)
        label.display = bool(problems)
        label.set_class(bool(problems), "error")
        self.__show(label, "; ".join(problems))
        if result.preferences is not None:
            choice = self.trainer.outlets.context.choose(result.preferences)
            self.__show(self.query_one("#voice-status", Label), choice.why)

    @property
    def dirty(self) -> bool:
        result = self.__result
        if result is None:
            return False
        if result.routines is None or result.preferences is None:
            return True
        return (
            result.routines != self.trainer.routines
            or result.preferences != self.trainer.workout.preferences
        )

    @on(Input.Changed)
    @on(Switch.Changed)
    @on(Select.Changed)
    def __changed(self) -> None:
        # Every field says it changed as it is filled in: validate only when a value differs
        # from what was last validated (opening the screen validated the programme 33 times).
        if self.__values() != self.__last_values:
            self.__validate()

    # ------------------------------------------------------------------ actions

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.__save()

    def __save(self, then: Callable[[], None] | None = None) -> bool:
        """Save; ``then`` runs once saved (after the app asked about a change made to a file
        meanwhile, if it had to). False if nothing could be saved now."""
        result = self.__validate()
        if not result.ok or result.routines is None or result.preferences is None:
            self.notify("Some values can't be saved: they are shown in red", severity="error")
            return False

        def done(status: str) -> None:
            self.__fill()
            self.__validate()
            self.__saved_shown = True
            self.__show(self.query_one("#save-status", Label), status)
            if then is not None:
                then()

        try:
            self.__save_file(result.routines, result.preferences, done)
        except TrainerError as exc:
            self.notify(str(exc), severity="error", timeout=10)
            self.__show(self.query_one("#save-status", Label), "Not saved: " + exc.message)
            return False
        return True

    def __fill(self) -> None:
        """Show the values as saved (a change made to a file meanwhile was merged in)."""
        routines = self.trainer.routines
        preferences = self.trainer.workout.preferences
        values: dict[str, object] = {}
        for ex in routines.exercises:
            for name in EXERCISE_FIELDS:
                values[_input_id(ex.id, name)] = str(getattr(ex, name))
        for name in TIMING_FIELDS:
            values[_input_id("timing", name)] = str(getattr(routines.timing, name))
        values |= {
            "bell": preferences.bell,
            "voice": preferences.voice,
            "voice-rate": str(preferences.voice_rate),
            "voice-engine": preferences.voice_engine,
            "on-event": preferences.on_event or "",
            "notifications": preferences.notifications,
            "light": preferences.theme == "light",
            "plain-letters": preferences.plain_letters,
        }
        for widget_id, value in values.items():
            for widget in self.query(f"#{widget_id}"):
                with contextlib.suppress(Exception):  # an engine no longer offered, say
                    if isinstance(widget, Input) and widget.value != value:
                        widget.value = str(value)
                    elif isinstance(widget, Switch) and widget.value != value:
                        widget.value = bool(value)
                    elif isinstance(widget, Select) and widget.value != value:
                        widget.value = value

    @on(Button.Pressed, "#back")
    def action_leave(self) -> None:
        if not self.dirty:
            self.__left = True
            self.dismiss()
            return

        def decided(choice: str | None) -> None:
            if choice == "save":

                def saved() -> None:
                    self.__left = True
                    self.dismiss()

                self.__save(saved)
            elif choice == "discard":
                self.__left = True
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
