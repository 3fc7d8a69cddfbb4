from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Contraindication, Goal, User
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
        screening_flags=[Contraindication.OSTEOPOROSIS],
        screened_at=LAST_WEEK,
    )
    client.force_login(user)
    return user


def answers(**overrides) -> dict:
    data = {
        "display_name": "Sam",
        "time_zone": "Asia/Tokyo",
        "goals": [Goal.POSTURE],
        "screening_flags": [Contraindication.OSTEOPOROSIS],
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
    assertContains(
        response,
        '<input type="checkbox" name="screening_flags"'
        ' value="osteoporosis" id="id_screening_flags_1" checked>',
        html=True,
    )
    assertContains(response, '<input type="checkbox" name="no_conditions" id="id_no_conditions">', html=True)
    assertNotContains(response, "data-detect")


def test_saving_changes_comes_back_to_settings_with_a_confirmation(client, user):
    response = client.post(
        SETTINGS,
        answers(display_name="Samira", time_zone="America/New_York", goals=[Goal.HABIT], screening_flags=[]),
        follow=True,
    )

    assertRedirects(response, SETTINGS)
    assertContains(response, "Saved.")
    user.refresh_from_db()
    assert (user.display_name, user.time_zone, user.goals) == ("Samira", "America/New_York", [Goal.HABIT])


def test_changing_only_other_answers_keeps_the_date_of_the_screening(client, user):
    client.post(SETTINGS, answers(time_zone="Europe/Paris"))

    user.refresh_from_db()
    assert user.time_zone == "Europe/Paris"
    assert user.screened_at == LAST_WEEK


def test_changing_the_screening_answer_dates_it_anew(client, user):
    client.post(SETTINGS, answers(screening_flags=[], no_conditions="on"))

    user.refresh_from_db()
    assert user.screening_flags == []
    assert user.screened_at > LAST_WEEK
    assertContains(client.get(SETTINGS), 'name="no_conditions" id="id_no_conditions" checked')


def test_unticking_every_safety_answer_asks_the_questions_again(client, user):
    client.post(SETTINGS, answers(screening_flags=[]))

    user.refresh_from_db()
    assert user.needs_screening
    assert user.screening_flags == []
    assertContains(client.get(reverse("home")), "Answer the safety questions")


def test_it_shows_the_seek_help_guidance_to_someone_with_nerve_symptoms(client, user):
    assertNotContains(client.get(SETTINGS), "Check with a professional first")

    client.post(SETTINGS, answers(screening_flags=[Contraindication.NERVE_SYMPTOMS]))

    assertContains(client.get(SETTINGS), "Check with a professional first")


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
        "no_conditions": "on",
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


def test_answering_the_welcome_questions_again_keeps_coaching_on(client, user):
    user.is_trainer = True
    user.save()

    client.post(reverse("accounts:welcome"), answers())

    user.refresh_from_db()
    assert user.is_trainer
