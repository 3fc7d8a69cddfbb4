"""The screening gate (accounts.decorators.screening_required) on every way into a routine: a
direct address, an assigned routine's Start, a new sign-up, an invitation. Then the tier-1 lock
and a clinician's clearance, and the questions asked again after pain, a red flag or 90 days."""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from accounts.screening import ScreeningStatus, Tier2, WarningSign
from coaching.models import TrainerClient
from coaching.services import routine_assign
from progress.models import SessionLog
from tests.factories import (
    PASSWORD,
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    TrainerFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db

WELCOME = reverse("accounts:welcome")
SAFETY = reverse("accounts:safety")
SEEK_HELP = reverse("accounts:seek_help")
NONE_OF_THESE = {"no_warning_signs": "on", "no_tier2": "on"}


def play(routine, *step) -> str:
    if step == ("finish",):
        return reverse("progress:player_finish", args=[routine.pk])
    if step:
        return reverse("progress:player_step", args=[routine.pk, *step])
    return reverse("progress:player_start", args=[routine.pk])


def with_next(url: str, next_url: str) -> str:
    return f"{url}?next={quote(next_url, safe='')}"


def own_routine(person):
    return RoutineFactory(owner=person, title="Desk break", exercises=[ExerciseFactory(name="Chin tuck")])


# --- Not screened yet ----------------------------------------------------------------------


@pytest.mark.parametrize("step", [(), (1,), ("finish",)], ids=["start", "step", "finish"])
def test_a_direct_address_to_the_player_sends_an_unscreened_person_to_the_screening(client, step):
    person = UserFactory(screened_at=None)
    routine = own_routine(person)
    client.force_login(person)

    get, post = client.get(play(routine, *step)), client.post(play(routine, *step), {"tightness_before": 5})

    assertRedirects(get, with_next(WELCOME, play(routine, *step)), fetch_redirect_response=False)
    assertRedirects(post, with_next(WELCOME, play(routine, *step)), fetch_redirect_response=False)
    assert client.session.get(f"player:{routine.pk}") is None  # no run was started


def test_after_answering_the_person_is_back_on_the_player(client):
    person = UserFactory(screened_at=None, time_zone="UTC")
    routine = own_routine(person)
    client.force_login(person)
    screening = client.get(play(routine)).url

    answered = client.post(screening, {"time_zone": "Europe/Madrid", **NONE_OF_THESE})
    player = client.get(answered.url)

    assert answered.url == play(routine)
    assertContains(player, "<h1>Desk break</h1>", html=True)
    person.refresh_from_db()
    assert person.time_zone == "Europe/Madrid"


def test_an_assigned_routines_start_goes_through_the_screening(client):
    link = TrainerClientFactory(client__screened_at=None)
    assignment = assignment_create(link, title="Desk reset", exercises=[ExerciseFactory()])
    client.force_login(link.client)
    start = play(assignment.routine)

    dashboard = client.get(reverse("home"))
    response = client.get(start)

    assertContains(dashboard, f'href="{start}"')
    assertRedirects(response, with_next(WELCOME, start), fetch_redirect_response=False)


def test_a_new_sign_up_is_screened_before_any_routine(client, mailoutbox):
    client.post(
        reverse("account_signup"), {"email": "ana@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    confirm_url = re.search(r"https?://[^/\s]+(/\S+)", mailoutbox[0].body).group(1)
    confirmed = client.post(confirm_url)
    routine = own_routine(User.objects.get(email="ana@example.com"))

    assert confirmed.url == WELCOME
    assertRedirects(
        client.get(play(routine)), with_next(WELCOME, play(routine)), fetch_redirect_response=False
    )


def test_an_invited_person_signs_up_through_the_link_accepts_and_is_screened_before_the_assigned_routine(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    trainer = TrainerFactory(display_name="Robin")
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coaching:invitation_list"), {"email": "new@example.com", "message": ""})
    invitation = re.search(r"https?://[^/\s]+(/invite/\S+/)", mailoutbox[0].body).group(1)
    client.logout()

    # Signs up from the invitation (the link proved the address), lands on it, and accepts.
    client.get(invitation)
    signup = client.post(
        f"{reverse('account_signup')}?next={invitation}",
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD, "next": invitation},
    )
    assert signup.url == invitation
    accepted = client.post(invitation + "answer/", {"answer": "accept"})
    assert accepted.url == reverse("home")
    newcomer = User.objects.get(email="new@example.com")
    assert newcomer.screening_status == ScreeningStatus.DUE

    # The trainer assigns a routine; the newcomer presses its Start on the dashboard.
    link = TrainerClient.objects.get(trainer=trainer, client=newcomer)
    source = RoutineFactory(owner=trainer, title="Desk reset", exercises=[ExerciseFactory()])
    [assignment] = routine_assign(
        routine=source,
        links=[link],
        weekdays=list(range(7)),
        starts_on=timezone.localdate(timezone.now(), newcomer.zone),
        ends_on=None,
        instructions="",
    )
    start = play(assignment.routine)
    assertContains(client.get(reverse("home")), f'href="{start}"')
    gate = client.get(start)
    assertRedirects(gate, with_next(WELCOME, start), fetch_redirect_response=False)

    # The screening, then straight back to the player.
    answered = client.post(gate.url, {"time_zone": "Europe/Lisbon", **NONE_OF_THESE})
    assert answered.url == start
    assertContains(client.get(start), "<h1>Desk reset</h1>", html=True)
    newcomer.refresh_from_db()
    assert (newcomer.time_zone, newcomer.screening_status) == ("Europe/Lisbon", ScreeningStatus.DONE)


# --- Tier 1: see a clinician first ---------------------------------------------------------


def test_a_warning_sign_locks_the_player_until_a_clinician_has_cleared_the_person(client):
    person = UserFactory(screened_at=None)
    routine = own_routine(person)
    client.force_login(person)

    answered = client.post(
        with_next(WELCOME, play(routine)),
        {"time_zone": "Europe/London", "warning_signs": [WarningSign.CHEST_PAIN], "no_tier2": "on"},
    )
    guidance = client.get(answered.url)
    refused = client.post(play(routine), {"tightness_before": 5})

    assert answered.url == with_next(SEEK_HELP, play(routine))
    assertContains(guidance, "call emergency services now")
    assertRedirects(refused, with_next(SEEK_HELP, play(routine)), fetch_redirect_response=False)
    assert not SessionLog.objects.exists()

    cleared = client.post(answered.url, {"cleared": "on", "next": play(routine)})

    assert cleared.url == play(routine)
    assertContains(client.get(play(routine)), "<h1>Desk break</h1>", html=True)


def test_a_new_warning_sign_later_locks_the_player_again(client):
    person = UserFactory(warning_signs=[WarningSign.CANCER], cleared_at=timezone.now())
    routine = own_routine(person)
    client.force_login(person)
    assert client.get(play(routine)).status_code == 200

    client.post(SAFETY, {"warning_signs": [WarningSign.CANCER, WarningSign.NERVE_CHANGES], "no_tier2": "on"})

    assertRedirects(
        client.get(play(routine)), with_next(SEEK_HELP, play(routine)), fetch_redirect_response=False
    )


# --- Asked again ---------------------------------------------------------------------------


def finish_with(client, routine, **ratings):
    client.post(play(routine), {"tightness_before": 6})
    client.post(play(routine, 1), {"action": "done"})
    token = client.get(play(routine, "finish")).context["form"].initial["token"]
    return client.post(play(routine, "finish"), {"token": token, "tightness_after": 4, "notes": ""} | ratings)


@pytest.mark.parametrize(
    ("ratings", "reported"),
    [({"pain": 8}, "pain of 8 out of 10"), ({"pain": 2, "tingling": "on"}, "tingling (pins and needles)")],
    ids=["pain 8", "a red flag"],
)
def test_a_session_with_high_pain_or_a_red_flag_asks_again_with_the_answers_filled_in(
    client, ratings, reported
):
    person = UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS])
    routine = own_routine(person)
    client.force_login(person)
    finish_with(client, routine, **ratings)

    gate = client.get(play(routine))
    page = client.get(gate.url)

    assert gate.url == with_next(SAFETY, play(routine))
    assertContains(page, f"You reported {reported} after your session on")
    assertNotContains(page, "Nothing has changed")  # one tap is not enough after this
    assertContains(page, 'value="osteoporosis" id="id_tier2_answers_0" checked', html=False)
    answered = client.post(
        SAFETY, {"no_warning_signs": "on", "tier2_answers": [Tier2.OSTEOPOROSIS], "next": play(routine)}
    )
    assert answered.url == play(routine)
    assert client.get(play(routine)).status_code == 200


def test_a_session_without_high_pain_or_a_red_flag_does_not_ask_again(client):
    person = UserFactory()
    routine = own_routine(person)
    client.force_login(person)

    finish_with(client, routine, pain=6)

    assert client.get(play(routine)).status_code == 200


def test_after_90_days_the_player_asks_whether_anything_changed(client, time_machine):
    person = UserFactory(screened_at=timezone.now())
    routine = own_routine(person)
    time_machine.move_to(timezone.now() + timedelta(days=90, minutes=1))
    client.force_login(person)

    gate = client.get(play(routine))

    assert gate.url == with_next(SAFETY, play(routine))
    assertContains(client.get(gate.url), "We ask every 90 days")
