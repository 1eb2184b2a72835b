"""The screen that shows each step of :mod:`trainer.coaching.flow`, and where its result goes.

Screens are imported when first shown: the routine list's first frame loads none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from trainer.coaching import flow

if TYPE_CHECKING:
    from trainer.ui.app import TrainerApp

#: What the app does with a screen's result: the flow's next steps.
Answer = Callable[[Any], flow.Steps]


def screen_for(step: flow.Step, app: TrainerApp) -> tuple[Screen[Any], Answer]:
    """The screen showing ``step`` in ``app``, and the handler of its result."""
    match step:
        case flow.WatchWriter(holder, routines_path, then):
            from trainer.ui.screens.watch import WatchScreen

            return WatchScreen(holder, routines_path), then
        case flow.ShowAdvice(advice, then, first_time, doctor):
            from trainer.ui.screens.advice import AdviceScreen

            return AdviceScreen(advice, first_time=first_time, doctor=doctor), then
        case flow.AskResume(saved, problem, ran_elsewhere, then):
            from trainer.ui.screens.resume import ResumeScreen

            return ResumeScreen(saved, problem, ran_elsewhere=ran_elsewhere), then
        case flow.AskYesNo(question, yes, no, then):
            from trainer.ui.dialogs.confirm import Choice, ConfirmScreen

            choices = [Choice(True, yes, "warning"), Choice(False, no, "primary")]
            return ConfirmScreen(question, choices), then
        case flow.AskMove(question, then):
            from trainer.ui.dialogs.confirm import Choice, ConfirmScreen

            move = [Choice(False, "Not now", "primary"), Choice(True, "Move them", "warning")]
            return ConfirmScreen(question, move), then
        case flow.AskConflict(conflicts, then):
            from trainer.programme.documents import Resolution
            from trainer.ui.dialogs.confirm import Choice, ConfirmScreen

            lines = "\n".join(conflict.describe() for conflict in conflicts[:6])
            if len(conflicts) > 6:
                lines += f"\n(and {len(conflicts) - 6} more)"
            question = (
                f"Changed on disk since it was read, in the same places:\n{lines}\n"
                "Keep which values? (Escape: save nothing)"
            )
            keep = [
                Choice(Resolution.THEIRS, "Keep the file's", "primary"),
                Choice(Resolution.MINE, "Use mine", "warning"),
            ]
            return ConfirmScreen(question, keep), then
        case flow.AskCheckinBefore(then):
            from trainer.ui.screens.checkin import CheckinScreen

            return CheckinScreen(), then
        case flow.AskMorning(question, then):
            from trainer.ui.screens.morning import MorningScreen

            return MorningScreen(question), then
        case flow.RunSession(coach, then):
            from trainer.ui.screens.session import SessionScreen

            return SessionScreen(coach), then
        case flow.ShowSummary(session, advice, then):
            from trainer.ui.screens.summary import SummaryScreen

            return SummaryScreen(session, advice), then
        case flow.OfferSuggestion(suggestion, advice, where, then):
            from trainer.ui.screens.suggest import SuggestScreen

            return SuggestScreen(suggestion, advice, where), then
        case flow.OpenSettings():
            from trainer.ui.screens.settings import SettingsScreen

            return SettingsScreen(save=app.save_settings), flow.nothing
        case flow.OpenHistory():
            from trainer.ui.screens.history import HistoryScreen

            return HistoryScreen(), flow.nothing
    raise ValueError(f"no screen shows {step!r}")


def push(app: TrainerApp, step: flow.Step) -> None:
    """Show the screen of ``step``; its result goes to ``step.then``, whose steps the app shows."""
    screen, then = screen_for(step, app)
    app.push_screen(screen, lambda answer: app.show(then(answer)))
