"""The first safety screening, /welcome/: the time zone and both tiers."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from accounts.screening import Area, ScreeningStatus, Tier2, WarningSign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WELCOME = reverse("accounts:welcome")
PROMPT = "Answer the safety questions"


@pytest.fixture
def user(client) -> User:
    user = UserFactory(display_name="Sam", time_zone="UTC", screened_at=None)
    client.force_login(user)
    return user


def answers(**overrides) -> dict:
    data = {"time_zone": "Europe/Berlin", "no_warning_signs": "on", "no_tier2": "on"}
    return data | overrides


def test_it_asks_anonymous_people_to_log_in(client):
    response = client.get(WELCOME)

    assertRedirects(response, f"{reverse('account_login')}?next={WELCOME}", fetch_redirect_response=False)


def test_it_asks_the_time_zone_and_both_tiers_in_fieldsets_with_headings_in_order(client, user):
    response = client.get(WELCOME)

    page = response.content.decode()
    assertContains(response, "<h1>Welcome: a short safety check</h1>", html=True)
    headings = ["<h2>Where you are</h2>", "<h2>Signs to get checked first</h2>"]
    headings.append("<h2>Things that change your exercises</h2>")
    assert [page.index(heading) for heading in headings] == sorted(page.index(h) for h in headings)
    assert page.count("<legend>") == 5  # three tiers of the page, and the two lists of areas
    for label in [*WarningSign.labels, *Tier2.labels, *Area.labels]:
        assertContains(response, label)
    assertContains(response, "None of these signs apply to me", count=1)
    assertContains(response, "None of these apply to me", count=1)
    assertContains(
        response, '<label for="id_pregnancy_week">If you are pregnant: which week are you in?</label>'
    )
    assertContains(response, '<datalist id="time-zones">', count=1)
    assertContains(response, '<option value="Pacific/Kiritimati"></option>', html=True)
    assertContains(response, reverse("routines:before_you_start"))
    assertContains(response, "not medical advice")


def test_nothing_is_ticked_before_the_first_answers(client, user):
    assertNotContains(client.get(WELCOME), "checked>")


def test_it_lets_the_browser_suggest_a_zone_only_over_the_default(client, user):
    assertContains(client.get(WELCOME), "data-detect")
    assertContains(client.get(WELCOME), 'src="/static/js/timezone.js"')

    user.time_zone = "Asia/Tokyo"
    user.save()

    assertNotContains(client.get(WELCOME), "data-detect")


def test_none_of_these_in_both_tiers_is_an_answer_and_opens_the_routines(client, user):
    response = client.post(WELCOME, answers())

    assertRedirects(response, "/routines/", fetch_redirect_response=False)
    user.refresh_from_db()
    assert user.screening_status == ScreeningStatus.DONE
    assert (user.warning_signs, user.tier2_answers, user.surgery_areas, user.pain_areas) == ([], [], [], [])
    assert user.time_zone == "Europe/Berlin"
    assertNotContains(client.get(reverse("home")), PROMPT)


def test_tier_two_answers_are_stored_with_the_week_of_pregnancy_and_the_areas(client, user):
    client.post(
        WELCOME,
        answers(
            no_tier2="",
            tier2_answers=[Tier2.PREGNANCY, Tier2.HYPERMOBILITY],
            pregnancy_week="20",
            surgery_areas=[Area.SHOULDER],
            pain_areas=[Area.NECK, Area.LOWER_BACK],
        ),
    )

    user.refresh_from_db()
    assert user.tier2_answers == [Tier2.PREGNANCY, Tier2.HYPERMOBILITY]
    assert user.pregnancy_week == 20
    assert (user.surgery_areas, user.pain_areas) == ([Area.SHOULDER], [Area.NECK, Area.LOWER_BACK])
    assert user.screening_status == ScreeningStatus.DONE


def test_an_area_that_hurts_is_a_tier_two_answer_on_its_own(client, user):
    response = client.post(WELCOME, answers(no_tier2="", pain_areas=[Area.UPPER_BACK]))

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.pain_areas == [Area.UPPER_BACK]


def test_a_warning_sign_leads_to_the_seek_help_page_and_locks_the_routines(client, user):
    response = client.post(WELCOME, answers(no_warning_signs="", warning_signs=[WarningSign.NIGHT_PAIN]))

    assertRedirects(response, reverse("accounts:seek_help"), fetch_redirect_response=False)
    user.refresh_from_db()
    assert user.warning_signs == [WarningSign.NIGHT_PAIN]
    assert user.screening_status == ScreeningStatus.SEE_CLINICIAN


def test_it_goes_back_where_the_person_was_going(client, user):
    response = client.post(f"{WELCOME}?next=/routines/7/play/", answers())

    assertRedirects(response, "/routines/7/play/", fetch_redirect_response=False)


def test_the_page_keeps_where_the_person_was_going_in_the_form(client, user):
    response = client.get(f"{WELCOME}?next=/routines/7/play/")

    assertContains(response, '<input type="hidden" name="next" value="/routines/7/play/">', html=True)
    assertNotContains(response, "Not now")


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_a_next_address_elsewhere_is_ignored(client, user, next_url):
    response = client.post(WELCOME, answers(next=next_url))

    assertRedirects(response, "/routines/", fetch_redirect_response=False)


def test_each_tier_must_be_answered_and_everything_typed_is_kept(client, user):
    response = client.post(
        WELCOME,
        {"time_zone": "Asia/Tokyo", "pain_areas": [Area.NECK], "warning_signs": [], "no_tier2": ""},
    )

    assertContains(response, "Please check this answer", status_code=422)
    summary_link = '<a href="#id_warning_signs_0">Do any of these apply to you? – Tick each sign'
    assertContains(response, summary_link, status_code=422)
    assertContains(
        response,
        '<div class="field-error" id="id_warning_signs_error"><p>Tick each sign that applies to you, '
        "or “None of these signs apply to me”.</p></div>",
        status_code=422,
        html=True,
    )
    assertContains(response, 'value="Asia/Tokyo"', status_code=422)
    assertContains(
        response,
        '<input type="checkbox" name="pain_areas" value="neck" id="id_pain_areas_0" checked>',
        status_code=422,
        html=True,
    )
    user.refresh_from_db()
    assert (user.screened_at, user.time_zone) == (None, "UTC")


def test_tier_two_left_blank_is_explained(client, user):
    response = client.post(WELCOME, answers(no_tier2=""))

    assertContains(
        response, "Tick each one that applies to you, or “None of these apply to me”.", status_code=422
    )


def test_none_of_these_together_with_a_sign_is_an_error(client, user):
    response = client.post(WELCOME, answers(warning_signs=[WarningSign.CANCER]))

    assertContains(
        response, "You ticked “None of these signs apply to me” and a sign as well.", status_code=422
    )
    assertContains(
        response,
        '<input type="checkbox" name="warning_signs" value="cancer" id="id_warning_signs_3" checked>',
        status_code=422,
        html=True,
    )
    user.refresh_from_db()
    assert user.screened_at is None


def test_pregnancy_needs_its_week(client, user):
    response = client.post(WELCOME, answers(no_tier2="", tier2_answers=[Tier2.PREGNANCY]))

    assertContains(response, "Enter which week of pregnancy you are in, from 1 to 42.", status_code=422)


@pytest.mark.parametrize("week", ["0", "43", "twelve"])
def test_a_week_of_pregnancy_outside_1_to_42_is_refused(client, user, week):
    response = client.post(
        WELCOME, answers(no_tier2="", tier2_answers=[Tier2.PREGNANCY], pregnancy_week=week)
    )

    assertContains(response, "Enter the week as a number from 1 to 42.", status_code=422)
    assertContains(response, f'value="{week}"', status_code=422)


def test_a_week_without_pregnancy_ticked_is_queried(client, user):
    response = client.post(WELCOME, answers(pregnancy_week="12"))

    assertContains(response, "tick “Pregnancy” too, or clear the week", status_code=422)


def test_an_unknown_time_zone_is_rejected_next_to_the_field(client, user):
    response = client.post(WELCOME, answers(time_zone="Mars/Olympus_Mons"))

    assertContains(
        response,
        '<div class="field-error" id="id_time_zone_error"><p>“Mars/Olympus_Mons” is not a time zone we know. '
        "Pick one from the list, such as Europe/London.</p></div>",
        status_code=422,
        html=True,
    )
    assertContains(response, 'value="Mars/Olympus_Mons"', status_code=422)


def test_a_time_zone_typed_with_spaces_is_kept_without_them(client, user):
    client.post(WELCOME, answers(time_zone="  America/Chicago "))

    user.refresh_from_db()
    assert user.time_zone == "America/Chicago"


def test_the_prompt_asks_on_other_pages_until_the_screening_is_answered(client, user):
    assertContains(client.get(reverse("home")), PROMPT)
    assertContains(client.get(reverse("routines:exercise_list")), PROMPT)
    assertNotContains(client.get(WELCOME), PROMPT)


def test_someone_who_answered_before_is_sent_to_their_safety_answers(client):
    client.force_login(UserFactory())

    response = client.get(f"{WELCOME}?next=/routines/7/play/")

    assertRedirects(
        response,
        f"{reverse('accounts:safety')}?next=%2Froutines%2F7%2Fplay%2F",
        fetch_redirect_response=False,
    )
