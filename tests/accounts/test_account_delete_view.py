from datetime import date

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from accounts.models import User
from progress.models import ExerciseLog, SessionLog
from routines.models import Routine, RoutineItem
from tests.factories import PASSWORD, ExerciseFactory, RoutineFactory, StarterRoutineFactory, UserFactory

pytestmark = pytest.mark.django_db

DELETE = reverse("accounts:delete")
SETTINGS = reverse("accounts:settings")


@pytest.fixture
def person(client) -> User:
    user = UserFactory(email="sam@example.com")
    client.force_login(user)
    return user


@pytest.fixture
def log(log_session):
    """log(user, routine=None): a session with one exercise, on 1 May 2026."""
    return lambda user, routine=None: log_session(
        user, date(2026, 5, 1), exercises=[ExerciseFactory()], routine=routine
    )


def test_it_asks_anonymous_people_to_log_in(client):
    response = client.get(DELETE)

    assertRedirects(response, f"{reverse('account_login')}?next={DELETE}", fetch_redirect_response=False)


def test_it_says_what_will_be_removed_and_asks_for_the_password(client, person, log):
    RoutineFactory(owner=person)
    RoutineFactory(owner=person)
    log(person)

    response = client.get(DELETE)

    assertContains(response, "<h1>Delete your account</h1>", html=True)
    assertContains(response, "your 2 routines")
    assertContains(response, "your 1 logged session,")
    assertContains(response, '<label for="id_password">Your password</label>', html=True)
    assertContains(response, 'type="password"')
    assertContains(response, '<label for="id_confirm">I understand this cannot be undone</label>', html=True)


def test_a_wrong_password_is_refused_next_to_the_field_and_keeps_everything(client, person, log):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory()])
    log(person, routine)

    response = client.post(DELETE, {"password": "not-my-password", "confirm": "on"})

    assert response.status_code == 422
    assertContains(
        response,
        '<p class="field-error" id="id_password_error">That password is not right.</p>',
        html=True,
        status_code=422,
    )
    assert User.objects.filter(pk=person.pk).exists()
    assert Routine.objects.filter(owner=person).count() == 1
    assert SessionLog.objects.filter(user=person).count() == 1
    assert client.get(SETTINGS).status_code == 200  # still logged in


def test_it_needs_the_box_ticked_as_well(client, person):
    response = client.post(DELETE, {"password": PASSWORD})

    assertContains(response, "Tick this box to confirm.", status_code=422)
    assert User.objects.filter(pk=person.pk).exists()


def test_the_right_password_deletes_the_account_and_everything_in_it(client, person, log):
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory(), ExerciseFactory()])
    log(person, routine)

    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"}, follow=True)

    assertRedirects(response, reverse("home"))
    assertContains(response, "Your account and all its data have been deleted.")
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Routine.objects.filter(pk=routine.pk).exists()
    assert not RoutineItem.objects.filter(routine_id=routine.pk).exists()
    assert not SessionLog.objects.exists()
    assert not ExerciseLog.objects.exists()
    assert not EmailAddress.objects.filter(email="sam@example.com").exists()
    assert client.get(SETTINGS).status_code == 302  # logged out


def test_a_deleted_person_can_no_longer_log_in(client, person):
    client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert client.login(email="sam@example.com", password=PASSWORD) is False
    response = client.post(reverse("account_login"), {"login": "sam@example.com", "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error, instead of a redirect
    assert "_auth_user_id" not in client.session


def test_their_logins_in_other_browsers_end_too(client, person):
    phone = Client()
    phone.force_login(person)

    client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert phone.get(SETTINGS).status_code == 302


def test_other_peoples_routines_and_sessions_are_untouched(client, person, log):
    mine = RoutineFactory(owner=person, exercises=[ExerciseFactory()])
    log(person, mine)
    someone = UserFactory()
    theirs = RoutineFactory(owner=someone, exercises=[ExerciseFactory()])
    copy_of_mine = RoutineFactory(owner=someone, copied_from=mine, exercises=[ExerciseFactory()])
    their_session = log(someone, theirs)
    starter = StarterRoutineFactory(exercises=[ExerciseFactory()])

    client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert User.objects.filter(pk=someone.pk).exists()
    assert set(Routine.objects.all()) == {theirs, copy_of_mine, starter}
    copy_of_mine.refresh_from_db()
    assert copy_of_mine.copied_from is None
    assert copy_of_mine.items.count() == 1
    assert list(SessionLog.objects.all()) == [their_session]
    assert their_session.exercise_logs.count() == 1


def test_wrong_passwords_count_as_failed_logins_and_are_rate_limited(client, person):
    for _ in range(5):  # settings.ACCOUNT_RATE_LIMITS: 5 failures per 5 minutes for one address
        client.post(DELETE, {"password": "a-guess", "confirm": "on"})

    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assertContains(response, "Too many tries. Wait a few minutes", status_code=422)
    assert User.objects.filter(pk=person.pk).exists()
