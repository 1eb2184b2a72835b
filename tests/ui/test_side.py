"""Issue 19, items 2, 5 and 6, as a person on the mat meets them: which side, read from two
metres (in big letters beside the countdown on every step of a side, at every size); the rep
number never cut from the position line; a phrase too wide drawn whole; the big letters
repainted whole; every footer key whole."""

from __future__ import annotations

import pytest

from trainer.ui.widgets.bigtext import (
    BigText,
    BigWord,
    SideMark,
    fit_word,
    render_big,
    render_narrow,
    side_form,
)

from .conftest import UI

SIZES = {"80x24": (80, 24), "60x20": (60, 20), "40x12": (40, 12)}
#: Seconds into the full routine (default timing) of leg-lift steps, and the side worked.
LEG_LIFT_MOMENTS = {
    "move, left": (1122, "LEFT", "LIFT"),
    "hold, left": (1124, "LEFT", "HOLD"),
    "rest between sets, left": (1195, "LEFT", "REST"),
    "switch": (1390, "RIGHT", "SWITCH SIDES"),
    "hold, right": (1400, "RIGHT", "HOLD"),
}


def side_shown(ui: UI) -> SideMark:
    return ui.screen.query_one("#side", SideMark)


def assert_side_in_big_letters(ui: UI, side: str) -> None:
    """The side is drawn in block letters (five rows, as tall as the countdown), whole, on
    screen and beside the countdown, not over it."""
    mark = side_shown(ui)
    assert mark.display and mark.side == side
    rows = mark.rows
    assert len(rows) == 5 and any("█" in row for row in rows), rows
    assert rows in (
        render_big(f"{side} SIDE"),
        render_narrow(f"{side} SIDE"),
        render_big(side),
        render_narrow(side),
    )
    width, _ = ui.app.size
    countdown = ui.screen.query_one("#countdown", BigText)
    assert mark.region.right <= countdown.region.x, (mark.region, countdown.region)
    assert countdown.region.right <= width
    screen = ui.screen_lines()
    drawn = [
        line[mark.region.x : mark.region.x + len(rows[0])] for line in screen[mark.region.y :][:5]
    ]
    assert drawn == rows, "\n".join(screen)


@pytest.mark.parametrize("size", sorted(SIZES))
async def test_the_side_is_in_big_letters_on_every_step_of_a_side(start_ui, size: str) -> None:
    """One session per size, looked at in each of the moments (in their order: a session
    that got there is the same as one started fresh and left to run that long)."""
    async with start_ui(size=SIZES[size]) as ui:
        await ui.press("enter")
        started = ui.clock()
        for moment, (at, side, word) in sorted(LEG_LIFT_MOMENTS.items(), key=lambda m: m[1]):
            await ui.advance(at - (ui.clock() - started))
            assert ui.word == word, moment
            assert_side_in_big_letters(ui, side)
            if size == "40x12":  # the rep stays on the position line, the name gives way
                line = ui.screen_lines()[0].strip()
                assert " · rep " in line, (moment, line)
                assert line.split(" · rep ")[1].split("/")[1] == "10", (moment, line)


@pytest.mark.parametrize("size", sorted(SIZES))
async def test_both_sides_are_drawn_the_same_size(start_ui, size: str) -> None:
    async with start_ui(size=SIZES[size]) as ui:
        await ui.press("enter")
        await ui.advance(1124)
        left = len(side_shown(ui).rows[0])
        await ui.advance(1400 - 1124)
        right = len(side_shown(ui).rows[0])
        form = side_form(SideMark.LABELS, 10_000)
        assert form == ("big", True)
        # "RIGHT" is wider than "LEFT" by its letters, never by a bigger font
        assert right - left in (4, 2)  # big or narrow font: one letter's width more


@pytest.mark.parametrize("size", sorted(SIZES))
async def test_no_side_for_an_exercise_done_once(start_ui, size: str) -> None:
    async with start_ui(size=SIZES[size]) as ui:
        await ui.press("enter")
        await ui.advance(20)  # bridges
        assert not side_shown(ui).display


@pytest.mark.parametrize("size", sorted(SIZES))
async def test_the_rep_number_is_never_cut_from_the_position_line(start_ui, size: str) -> None:
    """At 40x12 the one-line position replaces the heading: its name is cut first."""
    async with start_ui(size=SIZES[size]) as ui:
        await ui.press("enter")
        await ui.advance(1124 + 7 * 7)  # leg lifts, left, set 1, rep 8
        shown = ui.screen.query_one("#position")
        if size != "40x12":
            assert not shown.display
            return
        line = ui.screen_lines()[shown.region.y].strip()
        assert line.endswith("· set 1/3 · rep 8/10"), line
        assert line.startswith("Lying lateral") and "…" in line, line


async def test_get_ready_is_whole_at_40x12(start_ui) -> None:
    async with start_ui(size=(40, 12)) as ui:
        await ui.press("enter")
        assert ui.word == "GET READY"
        word = ui.screen.query_one("#word", BigWord)
        rows = fit_word("GET READY", word.content_size.width, half=True)
        assert len(rows[0]) > len(render_big("GET")[0])  # both words, not "GET" alone
        screen = "\n".join(ui.screen_lines()[word.region.y : word.region.bottom])
        assert rows[0].strip() in screen


def test_a_phrase_too_wide_is_drawn_whole_never_cut_to_its_first_word() -> None:
    for word in ("GET READY", "SWITCH SIDES", "PAUSED", "LOWER"):
        for width in range(4, 80):
            for half in (False, True):
                rows = fit_word(word, width, half=half)
                assert len(rows) == (3 if half else 5)
                assert max(len(row) for row in rows) <= width or width < len(word)
                if rows != fit_word(word.split()[0], width, half=half):
                    continue
                assert " " not in word, (word, width, rows)  # the first word alone: never


def test_plain_letters_are_spaced_capitals_for_every_big_value() -> None:
    rows = fit_word("GET READY", 80, plain=True)
    assert [row for row in rows if row] == ["G E T   R E A D Y"]
    assert "█" not in "".join(rows)


async def test_the_plain_letters_setting_draws_no_block_character(start_ui) -> None:
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(1124)
        for widget in ui.screen.query(BigWord):
            widget.plain = True
        countdown = ui.screen.query_one("#countdown", BigText)
        countdown.plain = True
        await ui.pilot.pause()
        lines = ui.screen_lines()
        word = ui.screen.query_one("#word", BigWord).region
        drawn = [line[word.x : word.right] for line in lines[word.y : word.bottom]]
        assert any("H O L D" in row for row in drawn) and "█" not in "".join(drawn), drawn
        box = countdown.region
        drawn = [line[box.x : box.right] for line in lines[box.y : box.bottom]]
        assert "█" not in "".join(drawn) and any(row.strip().isdigit() for row in drawn), drawn


async def test_a_new_value_repaints_the_whole_big_word_and_countdown(start_ui, monkeypatch) -> None:
    """A block glyph bleeds into its neighbours in some fonts: a new value rewrites the whole
    area of the big letters (a refresh without a region), never only the rows that changed."""
    async with start_ui() as ui:
        await ui.press("enter")
        await ui.advance(16)
        calls: list[tuple[object, ...]] = []
        countdown = ui.screen.query_one("#countdown", BigText)
        word = ui.screen.query_one("#word", BigWord)
        for widget in (countdown, word):
            original = widget.refresh

            def spy(*regions, _original=original, _widget=widget, **kwargs):  # type: ignore[no-untyped-def]
                calls.append((_widget.id, regions))
                return _original(*regions, **kwargs)

            monkeypatch.setattr(widget, "refresh", spy)
        await ui.advance(1)  # 2 -> 1 of "Raise your hips"
        await ui.advance(1)  # LIFT -> HOLD
        assert ("countdown", ()) in calls and ("word", ()) in calls
        assert all(regions == () for _, regions in calls), calls


@pytest.mark.parametrize("size", sorted(SIZES))
async def test_every_footer_key_is_whole_or_not_shown(start_ui, size: str) -> None:
    from trainer.ui.widgets.footer import FooterKey

    async with start_ui(size=SIZES[size]) as ui:
        for keys in ((), ("enter",)):
            await ui.press(*keys)
            width, _ = ui.app.size
            shown = [k for k in ui.screen.query(FooterKey) if k.display]
            assert shown
            for key in shown:
                assert key.region.right <= width, (key.shown.description, key.region)
            footer = ui.screen_lines()[-1]
            for key in shown:
                assert key.shown.description in footer, footer
