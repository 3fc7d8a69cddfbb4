import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, TrainerClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def change_in_the_admin(staff_client, person, **changes):
    """POST the admin's change form of `person` as it shows, with `changes`."""
    fields = {
        "email": person.email,
        "display_name": person.display_name,
        "time_zone": person.time_zone,
        "is_active": "on",
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
    }
    return staff_client.post(reverse("admin:accounts_user_change", args=[person.pk]), {**fields, **changes})


def test_staff_find_trainers_and_can_make_someone_one_in_the_admin(staff_client):
    trainer = UserFactory(is_trainer=True)
    person = UserFactory()

    trainers = staff_client.get(reverse("admin:accounts_user_changelist"), {"is_trainer__exact": "1"})
    change_page = staff_client.get(reverse("admin:accounts_user_change", args=[person.pk]))

    assert trainer.email in trainers.content.decode()
    assert person.email not in trainers.content.decode()
    assert 'name="is_trainer"' in change_page.content.decode()


def test_staff_see_who_coaches_whom_and_filter_by_status(staff_client):
    link = TrainerClientFactory()

    page = staff_client.get(reverse("admin:coaching_trainerclient_changelist"), {"status__exact": "active"})

    assert link.client.email in page.content.decode()


def test_a_name_changed_by_staff_in_the_admin_shows_on_the_trainers_roster_at_once(staff_client):
    link = TrainerClientFactory(client=UserFactory(display_name="Kim", time_zone="Europe/London"))
    trainer = Client()
    trainer.force_login(link.trainer)
    assert "Kim" in trainer.get(reverse("coaching:roster")).content.decode()  # now cached
    person = link.client

    saved = change_in_the_admin(staff_client, person, display_name="Kimberley")

    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    assert "Kimberley" in trainer.get(reverse("coaching:roster")).content.decode()


def test_an_address_changed_by_staff_replaces_the_old_one_and_is_confirmed_at_the_next_login(
    staff_client, mailoutbox
):
    person = UserFactory(email="old@example.com", display_name="Kim", time_zone="Europe/London")
    saved = change_in_the_admin(staff_client, person, email="new@example.com")
    assert saved.status_code == 302
    told = [str(message) for message in get_messages(saved.wsgi_request)]
    assert any("new@example.com is not confirmed yet" in message for message in told)

    old = Client().post(reverse("account_login"), {"login": "old@example.com", "password": PASSWORD})
    assert old.status_code == 200  # the form again: the old address no longer logs in
    assert "_auth_user_id" not in old.wsgi_request.session

    new = Client().post(reverse("account_login"), {"login": "new@example.com", "password": PASSWORD})
    assert new.url == reverse("account_email_verification_sent")
    assert [message.to for message in mailoutbox] == [["new@example.com"]]


def test_staff_cannot_give_an_account_another_accounts_address_in_another_case(staff_client):
    UserFactory(email="sam@example.com")
    person = UserFactory(email="kim@example.com")

    refused = change_in_the_admin(staff_client, person, email="Sam@Example.com")
    recased = change_in_the_admin(staff_client, person, email="Kim@Example.com")  # their own

    assert refused.status_code == 200
    assert "Another account already uses this address." in refused.content.decode()
    assert recased.status_code == 302
    person.refresh_from_db()
    assert person.email == "Kim@example.com"  # the domain in lower case, as every address is saved


def test_staff_can_give_someone_an_address_they_confirmed_themselves_and_it_logs_in_at_once(staff_client):
    person = UserFactory(email="kim@example.com")
    EmailAddress.objects.create(user=person, email="kim@work.example", verified=True, primary=False)

    saved = change_in_the_admin(staff_client, person, email="kim@work.example")

    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    told = [str(message) for message in get_messages(saved.wsgi_request)]
    assert any("kim@work.example is confirmed already" in message for message in told)
    login = Client().post(reverse("account_login"), {"login": "kim@work.example", "password": PASSWORD})
    assert login.wsgi_request.user == person


def test_staff_cannot_add_an_account_with_another_accounts_address_in_another_case(staff_client):
    UserFactory(email="sam@example.com")
    password = "a long Unknot password 42"

    refused = staff_client.post(
        reverse("admin:accounts_user_add"),
        {"email": "SAM@example.com", "password1": password, "password2": password, "usable_password": "true"},
    )

    assert refused.status_code == 200
    assert "Another account already uses this address." in refused.content.decode()
