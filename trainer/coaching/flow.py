"""Which screen comes next, and what the person's answer on it leads to: the start-up decision
tree, starting or resuming a session, and what follows one (summary, check-in, the doctor's
advice, suggestions), without Textual.

Every method returns :data:`Steps`: values saying what to show, in order. A step that asks
the person something (a screen returning a result) carries ``then``, the flow's own handler of
the answer, which returns the next steps. The app turns each step into its screen, and each
answer into ``step.then(answer)``; tests answer the steps themselves, without a terminal.

The routines file is validated on first need (the list may be drawn from the catalog cache):
anything that needs it passes the same gate, which says the file's one-line problem instead
of going on when it is not valid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.coaching.lifecycle import Notice, SettingsSaved, Workout
from trainer.programme import preferences as prefs
from trainer.programme.documents import Conflict, Resolution, SaveConflict
from trainer.programme.preferences import Preferences
from trainer.text import wording
from trainer.text.errors import TrainerError

if TYPE_CHECKING:
    from trainer.coaching.coach import Coach
    from trainer.coaching.dose import Suggestion
    from trainer.coaching.follow import Takeover
    from trainer.coaching.morning import Answer
    from trainer.engine import Session
    from trainer.programme.schema import Advice, RoutinesFile
    from trainer.records import history
    from trainer.records.saved_session import SavedSession
    from trainer.records.session_lock import LockHolder, SessionLock

#: The list's options for the session in progress and for the saved session (routine ids
#: can't start with "_").
CONTINUE = "__continue__"
SAVED = "__saved__"


class ResumeChoice(Enum):
    """What the person chose at the resume prompt."""

    RESUME = "resume"
    RESTART = "restart"
    DISCARD = "discard"
    #: Not now: back to the list, which keeps offering it.
    LATER = "later"


class SessionExit(Enum):
    """How the session screen was left."""

    #: The session is over (finished, stopped, or stopped because it hurt): the summary next.
    ENDED = "ended"
    #: Back to the list; the session waits, paused.
    LEFT = "left"


# ---------------------------------------------------------------------- steps that only show


@dataclass(frozen=True, slots=True)
class ShowList:
    """The routine list: shown (built now if the app started straight on a session), or
    brought up to date if it is already there."""


@dataclass(frozen=True, slots=True)
class RefreshList:
    """The list, if it is on top, is built again (the routines or the saved session changed)."""


@dataclass(frozen=True, slots=True)
class UseSettings:
    """The person's preferences to follow now (read or saved): theme, voice, hook. Never the
    routines file's: a command is only read from preferences.toml."""

    settings: Preferences


# ---------------------------------------------------------------------- steps that ask


def nothing(_answer: object) -> Steps:
    """The answer to a step after which nothing follows."""
    return []


@dataclass(frozen=True, slots=True)
class WatchWriter:
    """Another trainer holds the session: follow it; the answer is a takeover or None (quit)."""

    holder: LockHolder
    routines_path: Path
    then: Callable[[Takeover | None], Steps]


@dataclass(frozen=True, slots=True)
class ShowAdvice:
    """The article's safety advice (first launch, asked for, or led by the doctor's)."""

    advice: Advice
    then: Callable[[None], Steps] = nothing
    first_time: bool = False
    #: Why the see-a-doctor rule holds, when it does.
    doctor: str | None = None


@dataclass(frozen=True, slots=True)
class AskResume:
    """The saved session: resume, start over, discard or later."""

    saved: SavedSession
    #: Why it can't be resumed (Resume is then offered disabled).
    problem: str | None
    #: The routines file it ran on, when not the one in use now.
    ran_elsewhere: Path | None
    then: Callable[[ResumeChoice | None], Steps]


@dataclass(frozen=True, slots=True)
class AskYesNo:
    """A question with two answers, ``yes`` first."""

    question: str
    yes: str
    no: str
    then: Callable[[bool | None], Steps]


@dataclass(frozen=True, slots=True)
class AskMove:
    """Move the routines file's old preferences into preferences.toml? The safe answer ("Not
    now") comes first: consent takes the other button, on purpose."""

    question: str
    then: Callable[[bool | None], Steps]


@dataclass(frozen=True, slots=True)
class AskConflict:
    """A file changed on disk the same values as ours since it was read: both are shown; the
    answer says which to keep (None: save nothing)."""

    conflicts: tuple[Conflict, ...]
    then: Callable[[Resolution | None], Steps]


@dataclass(frozen=True, slots=True)
class AskCheckinBefore:
    """The optional check-in before a session: a score, or None when skipped."""

    then: Callable[[int | None], Steps]


@dataclass(frozen=True, slots=True)
class AskMorning:
    """The next-morning question about the last session: the answer, or None when skipped."""

    question: str
    then: Callable[[Answer | None], Steps]


@dataclass(frozen=True, slots=True)
class RunSession:
    """The session in progress, shown until it ends or the person goes back to the list."""

    coach: Coach
    then: Callable[[SessionExit | None], Steps]


@dataclass(frozen=True, slots=True)
class ShowSummary:
    """What the ended session did, and the check-in after it."""

    session: Session
    advice: Advice
    then: Callable[[int | None], Steps]


@dataclass(frozen=True, slots=True)
class OfferSuggestion:
    """One suggested change of the dose (``where``: "1 of 2"); the answer: accepted or not."""

    suggestion: Suggestion
    advice: Advice
    where: str
    then: Callable[[bool | None], Steps]


@dataclass(frozen=True, slots=True)
class OpenSettings:
    """The settings screen (it saves through the app, see :meth:`Flow.save_routines`)."""


@dataclass(frozen=True, slots=True)
class OpenHistory:
    """The history screen."""


Step = (
    Notice
    | ShowList
    | RefreshList
    | UseSettings
    | WatchWriter
    | ShowAdvice
    | AskResume
    | AskYesNo
    | AskMove
    | AskConflict
    | AskCheckinBefore
    | AskMorning
    | RunSession
    | ShowSummary
    | OfferSuggestion
    | OpenSettings
    | OpenHistory
)
Steps = list[Step]


@dataclass(slots=True)
class StartOptions:
    """How the app was started (the command line, and what the process found first)."""

    #: ``--resume``: continue the saved session at once if it can be.
    resume: bool = False
    #: ``--start ROUTINE``: start it at once (after the first-launch advice).
    start: str | None = None
    #: Whether to show the first-launch advice (None: only if it was never read).
    show_advice: bool | None = None
    #: Another trainer holds the session (this one then only follows it).
    locked_by: LockHolder | None = None
    #: Lines to read at start (folders tightened, a saved session set aside...).
    warning: str | None = None


class Flow:
    """The way through the screens of one app run: see the module's docstring."""

    def __init__(self, workout: Workout, options: StartOptions | None = None) -> None:
        self.workout = workout
        self.options = options or StartOptions()
        #: The session lock, once taken over from a writer that quit.
        self.lock: SessionLock | None = None
        #: The doctor's advice was shown (or found not to apply) this run.
        self.doctor_checked = False
        #: The next-morning question was looked at this run (asked at most once a run).
        self.morning_checked = False

    def close(self) -> None:
        """The app has gone (any way out): the position saved, a lock taken over let go."""
        self.workout.keep_position()
        if self.lock is not None:
            self.lock.release()

    # ------------------------------------------------------------------ the gate

    def _validated(self) -> tuple[bool, Steps]:
        """Whether the routines file is valid now (validated on first need), and what to show
        first: its one-line problem if not; its settings, and the list again if the file
        changed since the list was drawn, if it was just validated."""
        if self.workout.validated:
            return True, []
        try:
            changed = self.workout.validate()
        except TrainerError as exc:
            return False, [Notice(f"{exc}", "error", timeout=20)]
        steps: Steps = [UseSettings(self.workout.preferences)]
        if changed:
            steps.append(RefreshList())
        return True, steps

    @property
    def settings(self) -> Preferences:
        """The person's preferences (preferences.toml; never the routines file)."""
        return self.workout.preferences

    # ------------------------------------------------------------------ start-up

    def begin(self) -> Steps:
        """What the app shows first: the writer's session followed when another trainer holds
        the lock; else the list, the saved session (resumed at once with ``--resume``), the
        first-launch advice, then the routine asked for with ``--start``."""
        options = self.options
        if options.locked_by is not None:
            return [WatchWriter(options.locked_by, self.workout.routines_path, self.took_over)]
        advice_first = self._advice_first()
        saved = self.workout.saved
        steps: Steps = []
        if options.start is None or saved is not None or advice_first:
            steps.append(ShowList())
        if options.warning:
            steps.append(Notice(options.warning, "warning"))
        if ignored := prefs.summary(self.workout.ignored, self.workout.routines_path):
            if any(item.moved for item in self.workout.ignored) and not (
                advice_first or saved is not None or options.start is not None
            ):
                steps += self.offer_migration()  # names the file and line (no toast over it)
            else:
                steps.append(Notice(ignored, "warning", timeout=20))
        if options.resume and saved is None:
            steps.append(Notice("No saved session to resume: choose a routine.", timeout=8))
        if saved is not None:
            if options.resume:
                resumed, more = self._resume_saved()
                steps += more
                if resumed:
                    return steps
            return steps + self.resume_prompt()
        if advice_first:
            # The advice comes first, even before a routine asked for with --start.
            return steps + self.advice(first_time=True, then=options.start)
        if options.start is not None:
            return steps + self.start_routine(options.start)
        return steps

    def took_over(self, takeover: Takeover | None) -> Steps:
        """The writer this app followed has gone: continue as the writer, with its session."""
        if takeover is None:
            return []
        self.lock, self.options.locked_by = takeover.lock, None
        self.workout.hold(takeover.lock)
        self.workout.saved = takeover.loaded.saved
        steps: Steps = [ShowList()]
        if takeover.notes:
            steps.append(Notice("\n".join(takeover.notes), "warning"))
        if self.workout.saved is not None:
            steps += self.resume_prompt()
        return steps

    # ------------------------------------------------------------------ the advice

    def _advice_first(self) -> bool:
        if self.options.show_advice is not None:
            return self.options.show_advice
        return self.workout.should_show_advice()

    def advice(self, *, first_time: bool = False, then: str | None = None) -> Steps:
        """The article's safety advice; ``then`` is a routine to start once it is read."""
        ready, steps = self._validated()
        if not ready:
            return steps

        def read(_: None) -> Steps:
            if first_time:
                self.workout.advice_read()
            return self.start_routine(then) if then is not None else []

        return [*steps, ShowAdvice(self.workout.routines.advice, read, first_time=first_time)]

    def history_read(self, records: list[history.Record]) -> Steps:
        """The list read the history (once it was on screen): the next-morning question about
        the last session when it is due, and the article's see-a-doctor advice on top of it
        (read first), once a run, while the rule holds."""
        steps: Steps = []
        if not self.morning_checked and records:
            self.morning_checked = True
            due = self.workout.morning_due(records)
            if due is not None:
                entry, question = due

                def answered(answer: Answer | None) -> Steps:
                    self.workout.record_morning(entry, answer)
                    return []

                steps.append(AskMorning(question, answered))
        if self.doctor_checked or not records:
            return steps
        self.doctor_checked = True
        alert = self.workout.doctor_alert(records)
        if alert is None:
            return steps
        ready, gate = self._validated()
        if not ready:
            return steps + gate
        return [*steps, *gate, ShowAdvice(self.workout.routines.advice, doctor=alert.text)]

    # ------------------------------------------------------------------ the saved session

    def resume_prompt(self) -> Steps:
        """Ask what to do with the saved session (Resume disabled, with why, if it can't)."""
        saved = self.workout.saved
        if saved is None:
            return []
        ready, steps = self._validated()
        if not ready:
            return steps
        problem = self.workout.resume_problem()
        ran_on = Path(saved.routines_path)
        elsewhere = ran_on if ran_on != self.workout.routines_path.absolute() else None
        return [*steps, AskResume(saved, problem, elsewhere, self._resume_chosen)]

    def _resume_chosen(self, choice: ResumeChoice | None) -> Steps:
        if choice is ResumeChoice.RESUME:
            resumed, steps = self._resume_saved()
            return steps if resumed else steps + self.resume_prompt()  # why, Resume disabled
        if choice is ResumeChoice.RESTART:
            saved = self.workout.saved
            flare = saved is not None and saved.flare  # a flare day starts over as one
            routine_id = self.workout.restart()
            again = self.start_routine(routine_id, flare=flare) if routine_id is not None else []
            return [RefreshList(), *again]
        if choice is ResumeChoice.DISCARD:
            self.workout.discard()
        return [RefreshList()]  # later (or Escape): the list offers it

    def _resume_saved(self) -> tuple[bool, Steps]:
        """Continue the saved session: (True, the session shown), or False with the reason."""
        ready, steps = self._validated()
        if not ready:
            return False, steps
        try:
            _coach, note = self.workout.resume()
        except TrainerError as exc:
            return False, [*steps, Notice(exc.message, "error")]
        return True, steps + self.open_session(note)

    # ------------------------------------------------------------------ sessions

    def chosen(self, option_id: str | None, *, flare: bool = False) -> Steps:
        """An option of the list: :data:`CONTINUE`, :data:`SAVED` or a routine's id;
        ``flare``: the routine's gentle version, a flare day (a routine only)."""
        if flare:
            if option_id in (CONTINUE, SAVED) or option_id is None:
                text = "A flare day starts a routine afresh: highlight a routine, then press f."
                return [Notice(text, timeout=8)]
            return self.start_routine(option_id, flare=True)
        if option_id == CONTINUE:
            return self.open_session()
        if option_id == SAVED:
            return self.resume_prompt()
        if option_id is not None:
            return self.start_routine(option_id)
        return []

    def start_routine(self, routine_id: str, *, flare: bool = False) -> Steps:
        """Start ``routine_id`` from the beginning (asking first if another is in progress);
        ``flare``: its gentle version (a routine without a gentle exercise says so)."""
        ready, steps = self._validated()
        if not ready:
            return steps
        if not self.workout.has_routine(routine_id):  # the file changed since the list showed
            text = f"'{routine_id}' is no longer in the routines file."
            return [*steps, Notice(text, "warning", timeout=None)]
        if flare:
            try:
                self.workout.plan(routine_id, flare=True)
            except TrainerError as exc:
                return [*steps, Notice(exc.message, "warning", timeout=10)]
        coach = self.workout.coach
        if coach is not None and self.workout.in_progress:

            def decided(replace: bool | None) -> Steps:
                return self._start_now(routine_id, flare) if replace else []

            question = (
                f"End the session of {wording.clip(coach.plan.routine_name)} in progress "
                "and start a new one?"
            )
            return [*steps, AskYesNo(question, "End it and start", "Keep it", decided)]
        return steps + self._start_now(routine_id, flare)

    def _start_now(self, routine_id: str, flare: bool = False) -> Steps:
        if not self.workout.routines.settings.checkin_before:
            self.workout.start(routine_id, flare=flare)
            return self.open_session()

        def answered(score: int | None) -> Steps:
            self.workout.start(routine_id, checkin_before=score, flare=flare)
            return self.open_session()

        return [AskCheckinBefore(answered)]

    def open_session(self, note: str | None = None) -> Steps:
        """Show the session in progress (starting or continuing it); ``note``: what changed."""
        coach = self.workout.coach
        if coach is None:
            return []
        steps: Steps = []
        if coach.plan.flare:  # the voice slower for this session only
            steps.append(UseSettings(coach.preferences))
        steps.append(RunSession(coach, self._session_left))
        if note:
            steps.append(Notice(note, "warning"))
        return steps

    def _session_left(self, how: SessionExit | None) -> Steps:
        coach = self.workout.coach
        # After a flare day's session (or on the list beside it), the person's own voice.
        steps: Steps = (
            [UseSettings(self.settings)] if coach is not None and coach.plan.flare else []
        )
        if how is not SessionExit.ENDED:
            return [*steps, ShowList()]
        session = self.workout.end()
        return [*steps, ShowSummary(session, self.workout.routines.advice, self._checked_in)]

    def _checked_in(self, score: int | None) -> Steps:
        """The check-in after a session: into the history, then the list; then the doctor's
        advice if its rule holds now, and the suggestions (only easing off, then)."""
        entry = self.workout.record_checkin(score)
        steps: Steps = [ShowList()]
        if entry is None:
            return steps
        found = self.workout.suggestions(entry)
        alert = self.workout.doctor_alert()
        if alert is None:
            return steps + self._offer(found, 0)
        self.doctor_checked = True
        advice = self.workout.routines.advice
        return [*steps, ShowAdvice(advice, lambda _: self._offer(found, 0), doctor=alert.text)]

    def _offer(self, found: list[Suggestion], index: int) -> Steps:
        """Suggestion ``index`` of ``found``, then the next: each accepted or declined."""
        if index >= len(found):
            return []

        def answered(accept: bool | None) -> Steps:
            if accept:
                return self.saving(
                    lambda resolve: self.workout.accept(found[index], resolve),
                    lambda: [RefreshList(), *self._offer(found, index + 1)],
                    lambda: self._offer(found, index + 1),
                )
            if accept is False:
                self.workout.decline(found[index])  # recorded: the report shows the "no"
            return self._offer(found, index + 1)

        where = f"{index + 1} of {len(found)}"
        return [OfferSuggestion(found[index], self.workout.routines.advice, where, answered)]

    # ------------------------------------------------------------------ other screens

    def open_settings(self) -> Steps:
        ready, steps = self._validated()
        return [*steps, OpenSettings()] if ready else steps

    def save_routines(self, routines: RoutinesFile) -> Steps:
        """Write the routines file (:class:`TrainerError` on failure), use it from now."""
        self.workout.save_routines(routines)
        return [RefreshList()]

    def save_settings(
        self, routines: RoutinesFile, preferences: Preferences, done: Callable[[str], None]
    ) -> Steps:
        """The settings screen's Save: each file that changed (:class:`TrainerError` on
        failure, raised to the screen); if a file changed the same values meanwhile, ask
        first. ``done`` is called once saved with the screen's status ("Saved", or "Nothing
        to save"), never if the person cancels; the notice names only the files written."""
        outcome: list[SettingsSaved] = []

        def save(resolve: Resolution | None) -> None:
            outcome.append(self.workout.save_settings(routines, preferences, resolve))

        def saved() -> Steps:
            done(outcome[-1].status)
            return [UseSettings(self.workout.preferences), outcome[-1].notice]

        return self.saving(save, saved)

    def saving(
        self,
        save: Callable[[Resolution | None], object],
        then: Callable[[], Steps],
        cancelled: Callable[[], Steps] | None = None,
    ) -> Steps:
        """Run ``save``; on a :class:`SaveConflict` show both values and ask which to keep,
        then save again with the answer (never a silent overwrite). A :class:`TrainerError`
        of the first try reaches the caller; after the question it is shown."""
        try:
            save(None)
        except SaveConflict as conflict:

            def decided(resolve: Resolution | None) -> Steps:
                if resolve is None:
                    note = Notice("Not saved: the file on disk is as it was.", "warning")
                    return [note, *(cancelled() if cancelled is not None else [])]
                try:
                    return self.saving(lambda again: save(again or resolve), then, cancelled)
                except TrainerError as exc:
                    return [Notice(f"Not saved: {exc}", "error", timeout=20)]

            return [AskConflict(conflict.conflicts, decided)]
        return then()

    # ------------------------------------------------------------------ old settings

    def offer_migration(self) -> Steps:
        """The routines file still has preferences (ignored there): ask to move them into
        preferences.toml. Nothing moves without the person's explicit choice."""
        from trainer.programme.migrate import describe

        moved = [item for item in self.workout.ignored_settings() if item.moved]
        if not moved:
            return []

        def decided(move: bool | None) -> Steps:
            if not move:
                text = "Not moved: they stay ignored ('trainer migrate-settings' moves them)."
                return [Notice(text, timeout=8)]
            try:
                message = self.workout.migrate_settings()
            except TrainerError as exc:
                return [Notice(f"Not moved: {exc}", "error", timeout=20)]
            return [UseSettings(self.workout.preferences), RefreshList(), Notice(message)]

        first = min((item.line for item in moved if item.line), default=None)
        path = self.workout.routines_path
        where = f"{path}:{first}" if first else str(path)
        question = (
            f"{where} still has your preferences: {describe(moved)}. They are ignored there "
            f"now; move them into {wording.home_path(self.workout.loaded_preferences.path)}?"
        )
        return [AskMove(question, decided)]
