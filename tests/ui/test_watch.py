"""The read-only follower: told who runs the session, and offered to take over once it quits."""

from __future__ import annotations

import os

from lock_helpers import is_held, take_lock

from trainer.records import saved_session
from trainer.ui.screens.picker import PickerScreen
from trainer.ui.screens.resume import ResumeScreen
from trainer.ui.screens.watch import WatchScreen

from .conftest import StartUI
from .snapshot_apps import saved_full_routine


async def test_the_follower_offers_to_take_over_once_the_writer_quits(
    start_ui: StartUI,
) -> None:
    saved_session.save_session(saved_full_routine()["saved"])  # what the writer left
    writer = take_lock()
    holder = saved_session.SessionLock.try_acquire()
    assert isinstance(holder, saved_session.LockHolder)
    async with start_ui(locked_by=holder) as ui:
        screen = ui.screen
        assert isinstance(screen, WatchScreen)
        # The writer is only open (its list): that is what is said, and what to do.
        assert ui.text("#watch-title") == (
            f"trainer is already open (pid {os.getpid()}, since "
            f"{writer.since.astimezone():%H:%M}) in another terminal."
        )
        assert "Quit it there and this one takes over" in ui.text("#watch-text")
        assert "already running a session" not in ui.screen_text()
        writer.mark(session=True)  # it starts a session
        screen.poll()
        await ui.pilot.pause()
        assert ui.text("#watch-title").startswith("trainer is already running a session (pid ")
        assert "Only one trainer can run a session at a time" in ui.text("#watch-text")
        assert not ui.visible("#watch-take-over")
        screen.poll()  # the writer still runs: nothing changes
        await ui.pilot.pause()
        assert "already running a session" in ui.screen_text()
        await ui.press("t")
        assert isinstance(ui.screen, WatchScreen)

        writer.release()  # the writer quits
        screen.poll()  # (the screen polls every POLL_EVERY seconds by itself)
        await ui.pilot.pause()
        text = ui.screen_text()
        assert "The other trainer has quit." in text
        assert "its session is offered to you to resume" in text
        assert ui.visible("#watch-take-over")
        third = saved_session.SessionLock.try_acquire()
        assert isinstance(third, saved_session.LockHolder) and third.pid == os.getpid()

        await ui.press("t")  # take over: the list, and the writer's session offered
        assert isinstance(ui.screen, ResumeScreen)
        assert any(isinstance(s, PickerScreen) for s in ui.app.screen_stack)
        assert ui.app.flow.lock is not None and is_held(ui.app.flow.lock)
        assert "Bridges" in ui.screen_text()
        ui.app.flow.lock.release()


async def test_a_follower_that_quits_after_the_writer_left_releases_the_lock(
    start_ui: StartUI,
) -> None:
    writer = take_lock()
    holder = saved_session.SessionLock.try_acquire()
    assert isinstance(holder, saved_session.LockHolder)
    async with start_ui(locked_by=holder) as ui:
        writer.release()
        screen = ui.screen
        assert isinstance(screen, WatchScreen)
        screen.poll()
        await ui.pilot.pause()
        assert "start a session" in ui.screen_text()
        await ui.press("q")
    free = saved_session.SessionLock.try_acquire()
    assert isinstance(free, saved_session.SessionLock)
    free.release()
