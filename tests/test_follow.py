"""A follower takes over when its writer quits: the rule, without Textual (issue 9, item 7)."""

from __future__ import annotations

import os
from pathlib import Path

from lock_helpers import is_held, take_lock

from trainer.coaching.follow import Follower
from trainer.engine import Session, plan_for
from trainer.programme.schema import RoutinesFile
from trainer.records import saved_session


def save_a_session(routines: RoutinesFile, clock) -> saved_session.SavedSession:
    session = Session(plan_for(routines, "quick-core"), clock)
    session.start()
    clock.advance(20)
    session.pause()
    saved = saved_session.SavedSession.of(
        session, "routines.toml", saved_session.local_now(), saved_at=saved_session.local_now()
    )
    saved_session.save_session(saved)
    return saved


def test_while_the_writer_holds_the_lock_nothing_changes(isolated_dirs, tmp_path: Path) -> None:
    writer = take_lock()
    try:
        holder = saved_session.SessionLock.try_acquire()
        assert isinstance(holder, saved_session.LockHolder) and holder.pid == os.getpid()
        follower = Follower(holder, tmp_path / "routines.toml")
        for _ in range(3):
            follow = follower.poll()
            assert not follow.writer_gone and follow.holder == holder
    finally:
        writer.release()


def test_when_the_writer_quits_the_follower_takes_the_lock_and_its_session(
    isolated_dirs, routines: RoutinesFile, clock, tmp_path: Path
) -> None:
    saved = save_a_session(routines, clock)
    writer = take_lock()
    holder = saved_session.SessionLock.try_acquire()
    assert isinstance(holder, saved_session.LockHolder)
    follower = Follower(holder, tmp_path / "routines.toml")
    assert not follower.poll().writer_gone
    writer.release()  # the writer quits (or dies: the kernel lets go of its lock)
    follow = follower.poll()
    assert follow.writer_gone and follow.holder is None
    assert follow.takeover is not None
    assert follow.takeover.loaded.saved == saved
    # The lock is ours at once: a third trainer is told this one runs.
    third = saved_session.SessionLock.try_acquire()
    assert isinstance(third, saved_session.LockHolder) and third.pid == os.getpid()
    assert follower.poll().takeover is follow.takeover  # asked again: the same offer
    takeover = follower.hand_over()
    assert takeover is follow.takeover and is_held(takeover.lock)
    takeover.lock.release()


def test_a_follower_that_quits_instead_lets_the_lock_go(isolated_dirs, tmp_path: Path) -> None:
    writer = take_lock()
    holder = saved_session.SessionLock.try_acquire()
    assert isinstance(holder, saved_session.LockHolder)
    follower = Follower(holder, tmp_path / "routines.toml")
    writer.release()
    follow = follower.poll()
    assert follow.writer_gone
    assert follow.takeover is not None and follow.takeover.loaded.saved is None
    follower.close()
    again = saved_session.SessionLock.try_acquire()
    assert isinstance(again, saved_session.SessionLock)
    again.release()
