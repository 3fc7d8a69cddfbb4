import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Contraindication, Goal, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WELCOME = reverse("accounts:welcome")
PROMPT = "Answer the safety questions"


@pytest.fixture
def user(client) -> User:
    user = UserFactory(display_name="Sam", time_zone="UTC")
    client.force_login(user)
    return user


def answers(**overrides) -> dict:
    data = {"display_name": "Sam", "time_zone": "Europe/Berlin", "goals": [], "screening_flags": []}
    return data | overrides


def test_it_asks_anonymous_people_to_log_in(client):
    response = client.get(WELCOME)

    assertRedirects(response, f"{reverse('account_login')}?next={WELCOME}", fetch_redirect_response=False)


def test_it_asks_about_time_zone_goals_and_safety_with_every_known_zone_to_pick_from(client, user):
    response = client.get(WELCOME)

    assertContains(response, "<h1>Welcome — three quick questions</h1>", html=True)
    assertContains(response, "<h2>2. Your goals</h2>", html=True)
    assertContains(response, "<h2>3. Safety check</h2>", html=True)
    assertContains(response, Goal.POSTURE.label)
    assertContains(response, Contraindication.OSTEOPOROSIS.label)
    assertContains(response, "None of these apply to me")
    assertContains(response, '<datalist id="time-zones">', count=1)
    assertContains(response, '<option value="Europe/London"></option>', html=True)
    assertContains(response, '<option value="Pacific/Kiritimati"></option>', html=True)
    assertContains(response, reverse("routines:before_you_start"))
    assertContains(response, "not medical advice")


def test_it_lets_the_browser_suggest_a_zone_only_over_the_default(client, user):
    assertContains(client.get(WELCOME), "data-detect")
    assertContains(client.get(WELCOME), 'src="/static/js/timezone.js"')

    user.time_zone = "Asia/Tokyo"
    user.save()

    assertNotContains(client.get(WELCOME), "data-detect")


def test_the_screening_prompt_shows_on_other_pages_until_the_screening_is_answered(client, user):
    assertContains(client.get(reverse("home")), PROMPT)
    assertNotContains(client.get(WELCOME), PROMPT)

    client.post(WELCOME, answers(no_conditions="on"))

    assertNotContains(client.get(reverse("home")), PROMPT)


def test_none_of_these_alone_answers_the_screening_with_no_flags(client, user):
    response = client.post(WELCOME, answers(no_conditions="on", goals=[Goal.POSTURE, Goal.HABIT]))

    assertRedirects(response, "/routines/", fetch_redirect_response=False)
    user.refresh_from_db()
    assert not user.needs_screening
    assert user.screening_flags == []
    assert user.goals == [Goal.POSTURE, Goal.HABIT]
    assert user.time_zone == "Europe/Berlin"


def test_a_ticked_condition_is_stored(client, user):
    response = client.post(WELCOME, answers(screening_flags=[Contraindication.OSTEOPOROSIS]))

    assertRedirects(response, "/routines/", fetch_redirect_response=False)
    user.refresh_from_db()
    assert user.screening_flags == [Contraindication.OSTEOPOROSIS]
    assert user.screened_at is not None


def test_numbness_tingling_or_weakness_leads_to_the_seek_help_guidance(client, user):
    response = client.post(
        WELCOME,
        answers(screening_flags=[Contraindication.NERVE_SYMPTOMS, Contraindication.ACUTE_PAIN]),
        follow=True,
    )

    assertRedirects(response, reverse("accounts:seek_help"))
    assertContains(response, '<h2 id="seek-help-heading">Check with a professional first</h2>', html=True)
    assertContains(response, "see a doctor or physiotherapist before you stretch")
    assertContains(response, "get urgent medical help")
    assertContains(response, reverse("routines:exercise_list"))
    assertContains(response, 'href="/routines/"')


def test_skipping_the_screening_saves_the_rest_and_keeps_asking(client, user):
    response = client.post(WELCOME, answers(time_zone="  America/Chicago "), follow=True)

    assertContains(response, "We’ll ask the safety questions again next time.")
    user.refresh_from_db()
    assert user.time_zone == "America/Chicago"
    assert user.needs_screening
    assertContains(client.get(reverse("home")), PROMPT)


def test_an_unknown_time_zone_is_rejected_next_to_the_field_keeping_what_was_typed(client, user):
    response = client.post(
        WELCOME,
        answers(
            display_name="Samira", time_zone="Mars/Olympus_Mons", goals=[Goal.MOBILITY], no_conditions="on"
        ),
    )

    assertContains(
        response,
        '<div class="field-error" id="id_time_zone_error"><p>“Mars/Olympus_Mons” is not a time zone we know. '
        "Pick one from the list, such as Europe/London.</p></div>",
        status_code=422,
        html=True,
    )
    assertContains(response, 'value="Mars/Olympus_Mons"', status_code=422)
    assertContains(response, 'value="Samira"', status_code=422)
    assertContains(
        response,
        '<input type="checkbox" name="goals" value="mobility" id="id_goals_3" checked>',
        status_code=422,
        html=True,
    )
    user.refresh_from_db()
    assert (user.time_zone, user.display_name, user.goals) == ("UTC", "Sam", [])
    assert user.needs_screening


def test_none_of_these_together_with_a_condition_is_an_error(client, user):
    response = client.post(
        WELCOME, answers(screening_flags=[Contraindication.RECENT_INJURY], no_conditions="on")
    )

    assertContains(
        response, "You ticked “None of these apply to me” and a condition as well.", status_code=422
    )
    assertContains(
        response,
        '<input type="checkbox" name="screening_flags"'
        ' value="recent_injury" id="id_screening_flags_0" checked>',
        status_code=422,
        html=True,
    )
    user.refresh_from_db()
    assert user.needs_screening
    assert user.time_zone == "UTC"


def test_an_answered_screening_is_not_asked_again_at_the_next_login_but_can_be_revisited(client, user):
    user.screened_at = timezone.now()
    user.save()

    response = client.get(WELCOME)

    assert response.status_code == 200
    assertContains(response, 'name="no_conditions" id="id_no_conditions" checked')
