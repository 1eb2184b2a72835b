"""What the coach says and when: the rules between the engine and the screen (no Textual).

The session screen asks :meth:`Coach.tick` whenever its displayed second may have changed and
gets back the view to draw plus what to tell a person who is not looking at the screen (a
:class:`Signal`): the phrase to say and the bell pattern to ring, decided by
:mod:`trainer.coaching.audible` and scheduled here on the session's clock; a desktop notification
per
exercise (never two within 30 s); the on_event hook's events. Saving the
position (at every step change and pause) is triggered here too, through an injected callback,
so the rules are the same whatever the UI.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from trainer.coaching import audible
from trainer.engine import (
    Plan,
    Reason,
    Session,
    State,
    Step,
    StepKind,
    Transition,
    View,
)
from trainer.programme.preferences import Preferences
from trainer.programme.schema import Advice


@dataclass(frozen=True, slots=True)
class Signal:
    """What to send to a person who is not looking, after a tick."""

    #: (title, body) of a desktop notification (OSC 777 / OSC 9), or None.
    notification: tuple[str, str] | None = None
    #: Words to speak now (a phrase still speaking is cut), or None.
    say: str | None = None
    #: A bell pattern to ring now, or None.
    bell_pattern: audible.BellPattern | None = None
    #: Stop speaking (paused, stopped).
    hush: bool = False
    #: JSON objects for the ``on_event`` command, one per cue event.
    hook_events: tuple[dict[str, object], ...] = ()

    @property
    def bell(self) -> bool:
        return self.bell_pattern is not None


#: Seconds (ours, not the article's) a wake-up may come later than expected before the coach
#: decides the app could not run in between: the process was stopped (Ctrl+Z, ``kill -STOP``),
#: the laptop or VM was suspended. The session then pauses where it was last seen running,
#: nothing in the gap counts as done, and the person resumes it. A busy machine delays a tick
#: by well under a second; the screen expects a tick at least once a second while it runs.
GAP_LIMIT = 5.0
#: Never two desktop notifications closer than this (seconds of the session).
NOTIFY_EVERY = 30.0
#: A sound more than this late (the machine slept) is not played any more.
STALE = 1.0
#: Sounds due this close to now are played now (the screen wakes 0.01 s after a change).
DUE = 0.05


class Coach:
    """Owns a running session for the UI: ticks it, says what to signal, saves on changes."""

    def __init__(
        self,
        session: Session,
        preferences: Preferences,
        *,
        persist: Callable[[Session], None] | None = None,
        advice: Advice | None = None,
    ) -> None:
        self.session = session
        #: The person's bell, voice rate and notifications (preferences.toml).
        self.preferences = preferences
        self._persist = persist
        self._advice = advice
        self._last_index = -1
        #: (step index, duration, lead-in) whose sounds are scheduled in ``_pending``.
        self._scheduled: tuple[int, float, bool] | None = None
        self._pending: list[audible.Sound] = []
        #: Sounds asked for by a key (pause, stop, x), played at the next tick.
        self._asked: list[audible.Sound] = []
        self._hush = False
        self._notified_at: float | None = None
        self._clock = session.clock
        #: The clock reading of the last tick that saw the session running, and when the next
        #: tick is due (None while nothing is due: paused, over, not yet ticked).
        self._seen_at: float | None = None
        self._due_at: float | None = None
        #: Seconds of the last gap that paused the session (None if none did).
        self.gap: float | None = None

    @property
    def plan(self) -> Plan:
        return self.session.plan

    def tick(self) -> tuple[View, Signal]:
        """The view now, and what the terminal should do about the changes since last tick."""
        now = self._clock()
        self._catch_up(now)
        view = self.session.view()
        events = self.session.take_events()
        signal = self.signal_for(view, events)
        if view.step.index != self._last_index:
            self._last_index = view.step.index
            self.save()
        self._expect(now, view)
        return view, signal

    @property
    def wake_by(self) -> float | None:
        """The latest clock reading at which the next tick still finds the app ran without a
        gap (None while no tick is due: paused, over, not yet ticked)."""
        return None if self._due_at is None else self._due_at + GAP_LIMIT

    def _expect(self, now: float, view: View) -> None:
        wait = view.until_display_changes
        if math.isfinite(wait):
            self._seen_at, self._due_at = now, now + wait
        else:
            self._seen_at = self._due_at = None

    def _catch_up(self, now: float | None = None) -> bool:
        """After a gap in which the app could not run (a tick more than :data:`GAP_LIMIT`
        seconds late), pause the session as of the last tick that saw it running. True if
        it did."""
        now = self._clock() if now is None else now
        seen, due = self._seen_at, self._due_at
        if seen is None or due is None or now - due <= GAP_LIMIT:
            return False
        self._seen_at = self._due_at = None
        if self.session.state not in (State.RUNNING, State.LEAD_IN):
            return False
        self.session.pause(at=seen)
        self.gap = now - seen
        self._after_pause_key()  # said and rung as any pause
        self.save()
        return True

    def signal_for(self, view: View, events: list[Transition]) -> Signal:
        """The sounds, hook events and notification due at ``view``, after ``events``."""
        due, hooks = self._due_sounds(view, events)
        due += self._asked
        self._asked = []
        say: audible.Sound | None = None
        bell: audible.BellPattern | None = None
        for sound in due:
            if sound.say and (say is None or sound.priority >= say.priority):
                say = sound
            bell = audible.stronger(bell, sound.bell)
            if sound.kind is not audible.Kind.COUNT:
                hooks.append(audible.hook_event(self.plan, view.step, view.duration, sound))
        hush, self._hush = self._hush, False
        return Signal(
            notification=self._notification(view, events),
            say=say.say if say is not None else None,
            bell_pattern=bell,
            hush=hush and say is None,
            hook_events=tuple(hooks),
        )

    def _due_sounds(
        self, view: View, events: list[Transition]
    ) -> tuple[list[audible.Sound], list[dict[str, object]]]:
        """The step's sounds that are due now (scheduling a new step's on the way)."""
        if view.state is State.PAUSED or (view.state.is_over and not events):
            return [], []
        lead_in = view.state is State.LEAD_IN
        key = (view.step.index, view.duration, lead_in)
        due: list[audible.Sound] = []
        last = events[-1] if events else None
        if last is not None or self._scheduled is None or key[::2] != self._scheduled[::2]:
            # A new step (or the first tick): its opening now, the rest when due.
            if lead_in:
                sounds = [audible.lead_in_sound()]
            elif last is not None and last.reason is Reason.LEAD_IN:
                sounds = self._sounds(view, None)
                opening = sounds[0]
                if opening.phrase is not None:  # what is left of the step: what fits in it
                    room = self._room(view, sounds)
                    said = opening.phrase.fitted(room, self.preferences.voice_rate)
                    sounds[0] = replace(opening, say=said)
            else:
                sounds = self._sounds(view, last.previous if last is not None else None)
                if last is not None and last.reason is Reason.BACK:
                    sounds[0] = replace(sounds[0], bell=None)  # going back does not ring
            self._scheduled = key
            self._pending = sounds[1:]
            due.append(sounds[0])
        elif key[1] != self._scheduled[1]:
            # The rest got longer or shorter (+/-): what is left of it, for the new length.
            self._scheduled = key
            self._pending = [s for s in self._sounds(view, None)[1:] if s.at > view.elapsed]
        if not view.state.is_over:
            while self._pending and self._pending[0].at <= view.elapsed + DUE:
                sound = self._pending.pop(0)
                if sound.at >= view.elapsed - STALE:
                    due.append(sound)
        return due, []

    def _room(self, view: View, sounds: list[audible.Sound]) -> float:
        """Seconds from now to the next sound of the step (or its end)."""
        later = [s.at for s in sounds[1:] if s.at > view.elapsed]
        return (min(later) if later else view.duration) - view.elapsed

    def _sounds(self, view: View, previous: Step | None) -> list[audible.Sound]:
        return audible.step_sounds(
            self.plan,
            view.step,
            view.duration,
            previous=previous,
            bell=self.preferences.bell,
            rate=self.preferences.voice_rate,
        )

    def _notification(self, view: View, events: list[Transition]) -> tuple[str, str] | None:
        """One per exercise and one at the end, never two within :data:`NOTIFY_EVERY` s."""
        if not self.preferences.notifications or not any(
            e.new_exercise and e.reason is not Reason.BACK for e in events
        ):
            return None
        now = view.active_time + view.paused_time
        if self._notified_at is not None and now - self._notified_at < NOTIFY_EVERY:
            return None
        self._notified_at = now
        last = events[-1]
        if last.step.kind is StepKind.DONE:
            return ("trainer", f"{self.plan.routine_name}: done. Well done!")
        nxt = last.step
        return ("trainer", f"Now: {nxt.exercise_name} - {nxt.text}")

    def save(self) -> None:
        if self._persist is not None and not self.session.state.is_over:
            self._persist(self.session)

    # Keys, forwarded as they are: each returns nothing; the screen re-ticks after. Each first
    # checks for a gap: a key pressed while the process was stopped arrives after it.
    def toggle_pause(self) -> None:
        if self._catch_up():
            return  # the gap paused it: that is what the key asked for, or what it needs now
        self.session.toggle_pause()
        self._after_pause_key()
        self.save()

    def pause(self) -> None:
        self._catch_up()
        if self.session.state in (State.RUNNING, State.LEAD_IN):
            self.session.pause()
            self._after_pause_key()
        self.save()

    def _after_pause_key(self) -> None:
        view = self.session.view()
        if view.state is State.PAUSED:
            self._hush = True
            self._asked = [audible.Sound(0.0, audible.Kind.PAUSE)]
        elif view.state is State.RUNNING and self._scheduled is not None:
            sound = audible.resume_sound(
                self.plan,
                view.step,
                view.remaining,
                self._room(view, [audible.Sound(0.0, audible.Kind.RESUME), *self._pending]),
                self.preferences.voice_rate,
            )
            if sound is not None:
                self._asked = [sound]

    def skip(self) -> None:
        self._catch_up()
        self.session.skip()

    def back(self) -> None:
        self._catch_up()
        self.session.back()

    def stop(self) -> None:
        self._catch_up()
        was_over = self.session.state.is_over
        self.session.stop()
        if not was_over:
            self._hush = True
            self._asked = [audible.Sound(0.0, audible.Kind.STOP)]

    def stop_hurt(self) -> None:
        """ "This hurts": stop at once, and say the article's advice; the session records why."""
        self._catch_up()
        was_over = self.session.state.is_over
        self.session.stop(hurt=True)
        if not was_over:
            if self._advice is not None:
                self._asked = [audible.advice_sound(self._advice)]
            else:
                self._hush = True
                self._asked = [audible.Sound(0.0, audible.Kind.HURT)]

    def adjust(self, seconds: int) -> bool:
        self._catch_up()
        changed = self.session.adjust(seconds)
        if changed:
            self.save()
        return changed
