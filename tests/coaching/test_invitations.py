"""The invitation lifecycle: send, accept (existing account and new sign-up), expire, revoke,
reuse, tamper, send again, decline."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import TrainerClient
from coaching.services import INVITATION_SALT
from tests.factories import PASSWORD, TrainerClientFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.django_db

INVITE_URL = reverse("coaching:invitation_list")


@pytest.fixture
def trainer(client):
    trainer = TrainerFactory(display_name="Robin")
    client.force_login(trainer)
    return trainer


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """invite(email, message=""): the trainer sends the form; emails go out as on commit."""

    def send(email: str, message: str = ""):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(INVITE_URL, {"email": email, "message": message})

    return send


def link_in(email) -> str:
    """The invitation page's path, from the email's text part."""
    return re.search(r"https?://[^/\s]+(/invite/\S+/)", email.body).group(1)


def test_a_trainer_invites_a_client_and_the_email_carries_a_link(client, trainer, mailoutbox, invite):
    response = invite("Sam@Example.com", message="See you Thursday.")

    assert response.status_code == 302
    link = TrainerClient.objects.get(trainer=trainer)
    assert (link.email, link.status, link.client) == ("Sam@example.com", "invited", None)
    [email] = mailoutbox
    assert email.to == ["Sam@example.com"]
    assert "Robin invited you" in email.subject
    assert "See you Thursday." in email.body
    html = email.alternatives[0][0]
    assert link_in(email) in html
    assert "7 days" in email.body
    assert "Sam@example.com" in client.get(INVITE_URL).content.decode()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", "Enter a whole email address"),
        ("a" * 250 + "@example.com", "at most 254 characters"),
        ("", "Enter the email address"),
        ("ROBIN@example.com", "That is your own address"),
    ],
)
def test_a_bad_address_gets_a_clear_message_and_keeps_what_was_typed(
    client, trainer, mailoutbox, email, message, invite
):
    trainer.email = "robin@example.com"
    trainer.save()

    response = invite(email, message="A note I typed")

    assert response.status_code == 422
    assert message in response.content.decode()
    assert "A note I typed" in response.content.decode()
    assert not mailoutbox
    assert not TrainerClient.objects.exists()


def test_inviting_an_address_already_linked_or_invited_says_so(client, trainer, mailoutbox, invite):
    TrainerClientFactory(trainer=trainer, client=UserFactory(email="linked@example.com"))
    invite("waiting@example.com")

    linked = invite("LINKED@example.com")
    again = invite("waiting@example.com")

    assert linked.status_code == again.status_code == 422
    assert "already one of your clients" in linked.content.decode()
    assert "already invited waiting@example.com" in again.content.decode()
    assert len(mailoutbox) == 1


def test_more_than_twenty_pending_invitations_a_day_are_refused(
    client, trainer, invite, settings, mailoutbox
):
    for number in range(settings.INVITATIONS_PER_DAY):
        assert invite(f"client{number}@example.com").status_code == 302

    response = invite("one-more@example.com")

    assert response.status_code == 422
    assert "at most 20 invitations a day" in response.content.decode()
    assert len(mailoutbox) == 20


def test_an_existing_user_sees_what_the_trainer_will_see_and_accepts_sharing_less(
    client, trainer, mailoutbox, invite
):
    invite("sam@example.com")
    sam = UserFactory(email="sam@example.com")
    client.force_login(sam)
    url = link_in(mailoutbox[0])

    page = client.get(url).content.decode()
    response = client.post(
        url + "answer/", {"answer": "accept", "share_ratings": "on", "share_red_flags": "on"}
    )

    assert "What Robin will see" in page
    assert "notes I write" in page
    assert response.status_code == 302
    link = TrainerClient.objects.get(trainer=trainer)
    assert (link.status, link.client, link.share_ratings, link.share_notes) == ("active", sam, True, False)
    assert "You are now a client of Robin." in client.get(response.url, follow=True).content.decode()


def test_sharing_the_safety_answers_is_offered_unticked_and_stays_off_unless_ticked(
    client, trainer, mailoutbox, invite
):
    invite("sam@example.com")
    client.force_login(UserFactory(email="sam@example.com"))
    url = link_in(mailoutbox[0])

    page = client.get(url).content.decode()
    client.post(url + "answer/", {"answer": "accept", "share_ratings": "on"})

    assert (
        '<input type="checkbox" name="share_screening" id="id_share_screening"> '
        '<label for="id_share_screening">My safety answers' in page
    )
    assert "always sees whether your safety check is due, done, or says to see a clinician first" in page
    assert not TrainerClient.objects.get(trainer=trainer).share_screening


def test_a_new_person_signs_up_through_the_link_and_lands_on_the_acceptance_page(
    client, trainer, invite, mailoutbox
):
    invite("new@example.com")
    client.logout()
    url = link_in(mailoutbox[0])

    page = client.get(url).content.decode()
    signup = client.post(
        reverse("account_signup") + "?next=" + url,
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD, "next": url},
    )

    assert "Create an account for new@example.com" in page
    # The link proved the address: no confirmation email, logged in, and back on the invitation.
    assert signup.status_code == 302
    assert signup.url == url
    assert len(mailoutbox) == 1
    assert "Accept" in client.get(url).content.decode()
    assert client.post(url + "answer/", {"answer": "accept"}).status_code == 302
    assert TrainerClient.objects.get(trainer=trainer).client.email == "new@example.com"


def test_opening_a_link_on_a_shared_computer_verifies_nothing_for_whoever_signs_up_next(
    client, trainer, invite, mailoutbox
):
    invite("new@example.com")
    client.logout()
    client.get(link_in(mailoutbox[0]))  # the invitee opens it, and walks away
    mailoutbox.clear()

    # The next person in that browser signs up, not from the link, with their own address…
    client.post(
        reverse("account_signup"),
        {"email": "next@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    # …or with the invited one.
    client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert "_auth_user_id" not in client.session
    assert not EmailAddress.objects.filter(email="new@example.com", verified=True).exists()
    assert not EmailAddress.objects.filter(email="next@example.com", verified=True).exists()
    assert sorted(message.to[0] for message in mailoutbox) == ["new@example.com", "next@example.com"]


def test_signing_up_from_the_link_with_another_address_needs_that_address_confirmed(
    client, trainer, invite, mailoutbox
):
    invite("new@example.com")
    client.logout()
    url = link_in(mailoutbox[0])
    mailoutbox.clear()

    client.post(
        reverse("account_signup") + "?next=" + url,
        {"email": "other@example.com", "password1": PASSWORD, "password2": PASSWORD, "next": url},
    )

    user = User.objects.get(email="other@example.com")
    assert list(user.emailaddress_set.values_list("email", "verified")) == [("other@example.com", False)]
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mailoutbox] == [["other@example.com"]]


def test_an_expired_link_says_so(client, trainer, invite, mailoutbox, time_machine, settings):
    invite("sam@example.com")
    client.force_login(UserFactory(email="sam@example.com"))
    time_machine.move_to(timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS, minutes=1))

    response = client.get(link_in(mailoutbox[0]))

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()


def test_a_revoked_link_says_so_and_cannot_be_accepted(client, trainer, invite, mailoutbox):
    invite("sam@example.com")
    link = TrainerClient.objects.get()
    client.post(reverse("coaching:invitation_revoke", args=[link.pk]))
    client.force_login(UserFactory(email="sam@example.com"))

    page = client.get(link_in(mailoutbox[0]))
    answer = client.post(link_in(mailoutbox[0]) + "answer/", {"answer": "accept"})

    assert page.status_code == answer.status_code == 410
    assert "withdrawn" in page.content.decode()
    link.refresh_from_db()
    assert (link.status, link.client) == ("revoked", None)


def test_a_used_link_works_once(client, trainer, invite, mailoutbox):
    invite("sam@example.com")
    client.force_login(UserFactory(email="sam@example.com"))
    url = link_in(mailoutbox[0])
    client.post(url + "answer/", {"answer": "accept"})

    again = client.get(url)
    answer_again = client.post(url + "answer/", {"answer": "decline"})

    assert again.status_code == answer_again.status_code == 410
    assert "already been answered" in again.content.decode()
    assert TrainerClient.objects.get().status == "active"


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-2] + "xx", lambda t: "nonsense", lambda t: t.replace(":", "", 1)]
)
def test_a_tampered_link_gets_a_clear_page_not_an_error(client, trainer, invite, mailoutbox, tamper):
    invite("sam@example.com")
    token = link_in(mailoutbox[0]).split("/")[2]

    response = client.get(reverse("coaching:invitation_respond", args=[tamper(token)]))

    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


@pytest.mark.parametrize("link", ["7; DROP TABLE", "", None, [1], {"pk": 1}, True, 1.5, 2**70, -1])
def test_a_correctly_signed_token_naming_no_link_is_a_withdrawn_invitation_not_an_error(client, link):
    token = signing.dumps({"link": link, "nonce": "x"}, salt=INVITATION_SALT)

    page = client.get(reverse("coaching:invitation_respond", args=[token]))
    answer = client.post(reverse("coaching:invitation_answer", args=[token]), {"answer": "accept"})

    assert page.status_code == 410
    assert answer.status_code in (302, 410)  # a visitor is sent to log in first
    assert "This invitation was withdrawn." in page.content.decode()


def test_a_link_for_someone_else_shows_nothing_of_their_invitation(client, trainer, invite, mailoutbox):
    invite("sam@example.com")
    url = link_in(mailoutbox[0])
    client.get(INVITE_URL)  # the trainer reads "Invitation sent to …"
    client.force_login(UserFactory(email="other@example.com"))

    page = client.get(url)
    answer = client.post(url + "answer/", {"answer": "accept"})

    assert page.status_code == answer.status_code == 404
    assert "sam@example.com" not in page.content.decode()
    assert "sent this invitation to a different address" in page.content.decode()
    assert TrainerClient.objects.get().status == "invited"


def test_the_invited_address_answers_whatever_its_letter_case_and_the_trainer_never_does(
    client, trainer, invite, mailoutbox
):
    invite("Sam@Example.com")
    url = link_in(mailoutbox[0])

    as_trainer = client.post(url + "answer/", {"answer": "accept"})
    client.force_login(UserFactory(email="sam@example.com"))
    as_invitee = client.post(url + "answer/", {"answer": "accept"})

    assert as_trainer.status_code == 404
    assert as_invitee.status_code == 302
    assert TrainerClient.objects.get().status == "active"


def test_sending_again_mails_a_fresh_link_and_the_old_one_stops_working(
    client, trainer, invite, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    invite("sam@example.com")
    link = TrainerClient.objects.get()
    time_machine.move_to(timezone.now() + timedelta(hours=1, minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:invitation_resend", args=[link.pk]), follow=True)

    assert "Sent again to sam@example.com" in response.content.decode()
    old, new = link_in(mailoutbox[0]), link_in(mailoutbox[1])
    client.force_login(UserFactory(email="sam@example.com"))
    assert client.get(old).status_code == 410
    assert "A newer email replaced this invitation" in client.get(old).content.decode()
    assert client.get(new).status_code == 200


def test_declining_tells_the_person_and_shares_nothing(client, trainer, invite, mailoutbox):
    invite("sam@example.com")
    client.force_login(UserFactory(email="sam@example.com"))

    response = client.post(link_in(mailoutbox[0]) + "answer/", {"answer": "decline"}, follow=True)

    assert "You declined Robin’s invitation" in response.content.decode()
    link = TrainerClient.objects.get()
    assert (link.status, link.client) == ("declined", None)


def test_sending_again_is_limited_to_once_an_hour_and_three_emails(
    client, trainer, invite, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    invite("sam@example.com")
    url = reverse("coaching:invitation_resend", args=[TrainerClient.objects.get().pk])

    too_soon = client.post(url, follow=True).content.decode()
    for _ in range(3):
        time_machine.move_to(timezone.now() + timedelta(hours=2))
        with django_capture_on_commit_callbacks(execute=True):
            last = client.post(url, follow=True).content.decode()

    assert "less than an hour ago" in too_soon
    assert "You have sent this invitation 3 times" in last
    assert len(mailoutbox) == 3


def test_withdrawing_and_inviting_again_still_counts_toward_the_daily_limit(
    client, trainer, invite, settings
):
    settings.INVITATIONS_PER_DAY = 2
    for _ in range(2):
        invite("sam@example.com")
        client.post(
            reverse("coaching:invitation_revoke", args=[TrainerClient.objects.get(status="invited").pk])
        )

    response = invite("sam@example.com")

    assert response.status_code == 422
    assert "at most 2 invitations a day" in response.content.decode()


def test_withdrawing_an_invitation_just_accepted_changes_nothing(client, trainer, invite):
    invite("sam@example.com")
    link = TrainerClient.objects.get()
    TrainerClient.objects.filter(pk=link.pk).update(
        status="active", client=UserFactory(email="sam@example.com")
    )

    response = client.post(reverse("coaching:invitation_revoke", args=[link.pk]), follow=True)

    assert response.status_code == 404  # no longer an invitation of theirs
    link.refresh_from_db()
    assert link.status == "active"


def test_the_subject_shows_names_as_written(client, invite, mailoutbox):
    trainer = TrainerFactory(display_name="Robin O'Neil & Co")
    client.force_login(trainer)

    invite("sam@example.com")

    assert mailoutbox[0].subject == "[Unknot] Robin O'Neil & Co invited you to Unknot"


def test_a_post_without_an_answer_accepts_nothing(client, trainer, invite, mailoutbox):
    invite("sam@example.com")
    client.force_login(UserFactory(email="sam@example.com"))

    response = client.post(link_in(mailoutbox[0]) + "answer/", {}, follow=True)

    assert "Choose Accept or Decline." in response.content.decode()
    assert TrainerClient.objects.get().status == "invited"
