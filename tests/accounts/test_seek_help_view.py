"""/welcome/seek-help/: whom to see and how soon for each warning sign ticked, then the person's
word that a clinician cleared them."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.screening import ScreeningStatus, WarningSign
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEEK_HELP = reverse("accounts:seek_help")


def person_with(client, *signs, **fields):
    person = UserFactory(warning_signs=list(signs), **fields)
    client.force_login(person)
    return person


@pytest.mark.parametrize(
    ("sign", "who", "how_soon"),
    [
        (WarningSign.CHEST_PAIN, "Emergency services, or a doctor", "Call emergency services now"),
        (WarningSign.BLADDER_BOWEL, "An emergency department", "Go to an emergency department today"),
        (WarningSign.FALL_OR_INJURY, "A doctor or an urgent care service", "today if the pain is severe"),
        (WarningSign.FRACTURE, "A doctor or an urgent care service", "today if the pain is severe"),
        (WarningSign.CANCER, "Your GP or doctor", "Within the next few days"),
        (WarningSign.WEIGHT_LOSS_OR_FEVER, "Your GP or doctor", "Within the next few days"),
        (WarningSign.NIGHT_PAIN, "Your GP or doctor", "Within the next few days"),
        (WarningSign.NERVE_CHANGES, "Your GP or a physiotherapist", "the same day if it is spreading"),
    ],
)
def test_it_names_whom_to_see_and_how_soon_for_the_sign_ticked(client, sign, who, how_soon):
    person_with(client, sign)

    response = client.get(SEEK_HELP)

    assertContains(response, "<h1>Please get checked before you stretch</h1>", html=True)
    assertContains(response, f'<h2 id="sign-1">{sign.label}</h2>', html=True)
    assertContains(response, f"<dd>{who}</dd>", html=True)
    assertContains(response, how_soon)
    assertContains(response, "This is not a diagnosis")
    assertNotContains(response, "Well done")


def test_chest_pain_says_to_call_emergency_services_now_and_comes_first(client):
    person_with(client, WarningSign.NIGHT_PAIN, WarningSign.CHEST_PAIN)

    page = client.get(SEEK_HELP).content.decode()

    assert "call emergency services now" in page
    assert page.index(WarningSign.CHEST_PAIN.label) < page.index(WarningSign.NIGHT_PAIN.label)


def test_numbness_getting_quickly_worse_or_around_the_groin_means_the_emergency_department_today(client):
    person_with(client, WarningSign.NERVE_CHANGES)

    assertContains(
        client.get(SEEK_HELP),
        "Go to an emergency department today if weakness is getting quickly worse, or you feel numb "
        "around your groin.",
    )


def test_only_the_signs_ticked_are_shown(client):
    person_with(client, WarningSign.CANCER)

    response = client.get(SEEK_HELP)

    assertNotContains(response, WarningSign.CHEST_PAIN.label)
    assertNotContains(response, "emergency")


def test_confirming_a_clinicians_go_ahead_opens_the_routines_and_goes_back_where_they_were_going(client):
    person = person_with(client, WarningSign.FALL_OR_INJURY)
    assert person.screening_status == ScreeningStatus.SEE_CLINICIAN

    response = client.post(SEEK_HELP, {"cleared": "on", "next": "/routines/3/play/"})

    assertRedirects(response, "/routines/3/play/", fetch_redirect_response=False)
    person.refresh_from_db()
    assert person.cleared_at is not None
    assert person.screening_status == ScreeningStatus.DONE


def test_the_go_ahead_must_be_ticked(client):
    person = person_with(client, WarningSign.FALL_OR_INJURY)

    response = client.post(SEEK_HELP, {})

    assertContains(
        response,
        "Tick this only once a clinician has checked you and said you can exercise.",
        status_code=422,
    )
    person.refresh_from_db()
    assert person.cleared_at is None


def test_someone_already_cleared_sees_when_and_where_to_change_it(client):
    person_with(client, WarningSign.CANCER, cleared_at=timezone.now())

    response = client.get(SEEK_HELP)

    assertContains(response, "you told us that a clinician had checked you")
    assertNotContains(response, 'name="cleared"')


def test_someone_with_no_warning_sign_is_told_so(client):
    person_with(client)

    response = client.get(SEEK_HELP)

    assertContains(response, "None of your answers says you need to see someone before you stretch.")
    assertNotContains(response, 'name="cleared"')


def test_confirming_when_nothing_waits_for_a_clinician_says_nothing_changed(client):
    person = person_with(client)

    response = client.post(SEEK_HELP, {"cleared": "on"}, follow=True)

    person.refresh_from_db()
    assert person.cleared_at is None
    assertContains(response, "Nothing was waiting for a clinician")
    assertNotContains(response, "Your routines are open again")
