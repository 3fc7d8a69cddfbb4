from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Goal, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
LAST_WEEK = timezone.now() - timedelta(days=7)


@pytest.fixture
def user(client) -> User:
    user = UserFactory(
        display_name="Sam",
        time_zone="Asia/Tokyo",
        goals=[Goal.POSTURE],
        tier2_answers=["osteoporosis"],
        screened_at=LAST_WEEK,
    )
    client.force_login(user)
    return user


def answers(**overrides) -> dict:
    data = {
        "display_name": "Sam",
        "time_zone": "Asia/Tokyo",
        "goals": [Goal.POSTURE],
    }
    return data | overrides


def test_it_asks_anonymous_people_to_log_in(client):
    response = client.get(SETTINGS)

    assertRedirects(response, f"{reverse('account_login')}?next={SETTINGS}", fetch_redirect_response=False)


def test_it_shows_the_current_answers(client, user):
    response = client.get(SETTINGS)

    assertContains(response, "<h1>Your settings</h1>", html=True)
    assertContains(response, 'value="Asia/Tokyo"')
    assertContains(response, 'value="Sam"')
    assertContains(
        response, '<input type="checkbox" name="goals" value="posture" id="id_goals_1" checked>', html=True
    )
    assertNotContains(response, "data-detect")


def test_it_links_to_the_safety_answers_with_their_status_instead_of_holding_them(client, user):
    response = client.get(SETTINGS)

    assertContains(response, f'<a href="{reverse("accounts:safety")}">Your safety answers</a>', html=True)
    assertContains(response, f"Answered on {timezone.localdate(LAST_WEEK, user.zone):%-d %B %Y}.")
    assertNotContains(response, 'name="tier2_answers"')


def test_saving_changes_comes_back_to_settings_with_a_confirmation(client, user):
    response = client.post(
        SETTINGS,
        answers(display_name="Samira", time_zone="America/New_York", goals=[Goal.HABIT]),
        follow=True,
    )

    assertRedirects(response, SETTINGS)
    assertContains(response, "Saved.")
    user.refresh_from_db()
    assert (user.display_name, user.time_zone, user.goals) == ("Samira", "America/New_York", [Goal.HABIT])


def test_saving_settings_leaves_the_safety_answers_and_their_date_alone(client, user):
    client.post(SETTINGS, answers(time_zone="Europe/Paris"))

    user.refresh_from_db()
    assert user.time_zone == "Europe/Paris"
    assert (user.tier2_answers, user.screened_at) == (["osteoporosis"], LAST_WEEK)


def test_errors_are_shown_with_a_422_and_nothing_is_saved(client, user):
    response = client.post(SETTINGS, answers(time_zone="", display_name="Samira"))

    assertContains(response, "Enter your time zone, such as Europe/London.", status_code=422)
    assertContains(response, 'value="Samira"', status_code=422)
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Sam", "Asia/Tokyo")


def test_the_weekly_goals_can_be_changed_and_are_checked(client):
    from django.urls import reverse

    from tests.factories import UserFactory

    person = UserFactory(time_zone="Europe/London")
    client.force_login(person)
    data = {
        "time_zone": "Europe/London",
        "weekly_goal_sessions": "6",
        "weekly_goal_minutes": "45",
    }

    client.post(reverse("accounts:settings"), data)
    person.refresh_from_db()
    assert (person.weekly_goal_sessions, person.weekly_goal_minutes) == (6, 45)

    response = client.post(reverse("accounts:settings"), {**data, "weekly_goal_sessions": "50"})
    assert response.status_code == 422
    assert "Ensure this value is less than or equal to 21." in response.content.decode()


def test_ticking_i_coach_clients_opens_the_clients_pages(client, user):
    client.post(SETTINGS, answers(is_trainer="on"))

    user.refresh_from_db()
    page = client.get(reverse("coaching:roster")).content.decode()
    assert user.is_trainer
    assert "Your clients" in page
    assert f'href="{reverse("coaching:roster")}"' in page  # in the main menu
