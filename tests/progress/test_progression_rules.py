"""The programme's rules from known logs (progress.progression): up, back, stay, the lighter week,
and the boundaries (pain exactly 3 still moves up; pain exactly 5 steps back)."""

import pytest

from progress.models import RED_FLAGS, Feeling
from progress.progression import (
    BACK,
    STAY,
    UP,
    Dose,
    Evidence,
    decide,
    dose_back,
    dose_lighter,
    dose_up,
)


def went(pain=0, before=5, after=3, flags=(), feeling=""):
    return Evidence(
        pain=pain, tightness_before=before, tightness_after=after, red_flags=tuple(flags), feeling=feeling
    )


def test_a_red_flag_with_a_comma_in_its_name_reads_as_one_reason():
    chest = Evidence(1, 5, 3, (RED_FLAGS["chest_symptoms"],), "")

    decision = decide([chest], light_week=False, held=False)

    assert decision.reason == (
        "because after your last session you reported chest pain, or breathlessness that is sudden or severe"
    )


def test_three_pain_free_sessions_move_it_up_and_say_why():
    decision = decide(
        [went(), went(feeling=Feeling.TOO_EASY), went(feeling=Feeling.JUST_RIGHT)],
        light_week=False,
        held=False,
    )

    assert decision.kind == UP
    assert decision.reason == "because your last three sessions were pain-free"


def test_pain_of_exactly_3_still_counts_towards_moving_up():
    decision = decide([went(pain=3), went(pain=1), went(pain=0)], light_week=False, held=False)

    assert decision.kind == UP
    assert decision.reason == "because your last three sessions had little pain (3 or less)"


def test_pain_of_4_in_any_of_the_three_keeps_it_where_it_is():
    decision = decide([went(pain=0), went(pain=4), went(pain=0)], light_week=False, held=False)

    assert decision.kind == STAY
    assert decision.reason.startswith("1 of 3 easy sessions so far")


def test_two_good_sessions_are_not_enough():
    assert decide([went(), went()], light_week=False, held=False).kind == STAY


def test_tightness_worse_after_than_before_does_not_count():
    assert decide([went(before=3, after=4), went(), went()], light_week=False, held=False).kind == STAY


def test_tightness_the_same_after_counts_as_stable():
    assert decide([went(before=4, after=4), went(), went()], light_week=False, held=False).kind == UP


def test_an_unrated_session_does_not_count():
    assert decide([went(pain=None), went(), went()], light_week=False, held=False).kind == STAY


def test_too_hard_steps_it_back():
    decision = decide([went(feeling=Feeling.TOO_HARD), went(), went()], light_week=False, held=False)

    assert decision.kind == BACK
    assert decision.reason == "because you said it felt too hard last time"


def test_pain_of_exactly_5_steps_it_back():
    decision = decide([went(pain=5), went(), went()], light_week=False, held=False)

    assert decision.kind == BACK
    assert decision.reason == "because your last session hurt (pain 5 out of 10)"


def test_pain_of_4_neither_steps_back_nor_up():
    assert decide([went(pain=4)], light_week=False, held=False).kind == STAY


def test_a_red_flag_steps_it_back_whatever_the_pain():
    decision = decide([went(pain=0, flags=["Tingling (pins and needles)"])], light_week=False, held=False)

    assert decision.kind == BACK
    assert decision.reason == "because after your last session you reported tingling (pins and needles)"


def test_in_the_lighter_week_nothing_steps_up_but_pain_still_steps_back():
    easy = [went(), went(), went()]

    assert decide(easy, light_week=True, held=False).kind == STAY
    assert decide(easy, light_week=True, held=False).reason.startswith("This is a lighter week")
    assert decide([went(pain=6)], light_week=True, held=False).kind == BACK


def test_held_by_a_trainer_nothing_steps_up_but_pain_still_steps_back():
    assert decide([went(), went(), went()], light_week=False, held=True).kind == STAY
    assert decide([went(pain=7)], light_week=False, held=True).kind == BACK


@pytest.mark.parametrize(
    ("before", "after"),
    [((2, 10, 5), (3, 10, 5)), ((2, 8, 5), (2, 10, 5)), ((1, 8, 5), (2, 6, 5)), ((1, 2, 30), (1, 2, 40))],
)
def test_a_step_up_is_the_next_rung_of_reps_or_hold(before, after):
    sets, reps, hold = before

    moved = dose_up(Dose(1, sets, reps, hold))

    assert (moved.sets, moved.reps, moved.hold_seconds) == after


def test_the_top_of_the_ladder_leaves_the_next_variant_to_the_caller():
    assert dose_up(Dose(1, 3, 15, 5)) is None
    assert dose_up(Dose(1, 1, 2, 60)) is None
    assert dose_back(Dose(1, 1, 5, 5)) is None
    assert dose_back(Dose(1, 1, 2, 10)) is None


def test_a_step_back_is_the_rung_below():
    moved = dose_back(Dose(1, 3, 10, 5))

    assert (moved.sets, moved.reps) == (2, 10)
    assert dose_back(Dose(1, 1, 2, 30)).hold_seconds == 25


def test_the_lighter_week_takes_a_set_off_else_reps_else_hold_time():
    assert dose_lighter(Dose(1, 3, 10, 5)).sets == 2
    assert dose_lighter(Dose(1, 1, 9, 5)).reps == 6
    assert dose_lighter(Dose(1, 1, 1, 45)).hold_seconds == 30


def test_doses_read_as_sets_by_reps_or_holds_by_seconds():
    assert Dose(1, 3, 10, 5).label == "3 × 10"
    assert Dose(1, 1, 2, 30).label == "2 × 30 s"
