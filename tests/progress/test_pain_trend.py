"""The pain-rising rule (progress.selectors.pain_trend): the last three sessions rated for pain in
the last 14 days, each higher than the one before, ending at 4 or more. Computed from known logs,
with the near misses that must not fire."""

from datetime import date, time, timedelta

import pytest

from progress.selectors import pain_is_rising, pain_trend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.fixture
def person():
    return UserFactory(time_zone="Europe/London")


def log_pains(log_session, person, pains, *, first_day=TODAY - timedelta(days=4)):
    """One session a day, ending today when there are five; None is a session without a pain rating."""
    for offset, pain in enumerate(pains):
        log_session(person, first_day + timedelta(days=offset), pain=pain)


@pytest.mark.parametrize(
    ("pains", "rising"),
    [
        ([1, 3, 5], True),
        ([0, 0, 2, 3, 4], True),  # only the last three count
        ([5, 6, 7], True),
        ([2, 3, 3], False),  # level, not higher
        ([1, 2, 3], False),  # rising, but ends below 4
        ([3, 5, 4], False),  # a dip at the end
        ([4, 6, 7, 5], False),  # rose, then eased
        ([4, 5], False),  # only two rated sessions
        ([], False),
    ],
)
def test_the_rule_on_pain_ratings_oldest_first(pains, rising):
    assert pain_is_rising(pains) is rising


def test_three_sessions_each_more_painful_ending_at_4_make_a_rising_trend(person, log_session):
    log_pains(log_session, person, [1, 2, 4])

    trend = pain_trend(person, TODAY)

    assert trend.pains == [1, 2, 4]
    assert trend.rising


def test_sessions_without_a_pain_rating_are_passed_over(person, log_session):
    log_pains(log_session, person, [1, None, 2, None, 4])

    assert pain_trend(person, TODAY).rising


def test_two_sessions_on_one_day_count_in_the_order_they_were_done(person, log_session):
    log_session(person, TODAY, pain=5, at=time(18, 0))
    log_session(person, TODAY, pain=3, at=time(8, 0))
    log_session(person, TODAY - timedelta(days=1), pain=1)

    assert pain_trend(person, TODAY).pains == [1, 3, 5]


def test_a_climb_that_started_more_than_14_days_ago_does_not_count(person, log_session):
    log_session(person, TODAY - timedelta(days=14), pain=1)  # outside: 14 days before today
    log_session(person, TODAY - timedelta(days=3), pain=3)
    log_session(person, TODAY, pain=5)

    trend = pain_trend(person, TODAY)

    assert trend.pains == [3, 5]
    assert not trend.rising


@pytest.mark.parametrize("pains", [[2, 3, 3], [1, 2, 3], [3, 5, 4]], ids=["level", "ends at 3", "dips"])
def test_near_misses_do_not_make_a_trend(person, log_session, pains):
    log_pains(log_session, person, pains)

    assert not pain_trend(person, TODAY).rising


def test_someone_elses_sessions_do_not_count(person, log_session):
    other = UserFactory(time_zone="Europe/London")
    log_pains(log_session, other, [1, 2])
    log_session(person, TODAY, pain=6)

    assert pain_trend(person, TODAY).pains == [6]


def test_it_takes_one_query_however_many_sessions(person, log_session, django_assert_num_queries):
    log_pains(log_session, person, [1, 2, 3, 4, 5])

    with django_assert_num_queries(1):
        pain_trend(person, TODAY)
