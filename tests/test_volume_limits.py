"""What one account can store: long texts, routines (copies count) and comments have limits, each
refused with a clear message and a 4xx, keeping what was typed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Assignment, SessionComment
from coaching.services import COMMENTS_PER_HOUR
from progress.models import Enrolment
from progress.selectors import local_today
from routines.models import MAX_ROUTINES_PER_PERSON, ROUTINE_DESCRIPTION_MAX_LENGTH, Routine
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db


def routines_up_to_the_limit(owner) -> None:
    Routine.objects.bulk_create(
        Routine(owner=owner, title=f"Routine {number}") for number in range(MAX_ROUTINES_PER_PERSON)
    )


def test_a_routine_description_has_a_maximum_length(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post(
        reverse("routines:routine_new"), {"title": "Desk", "description": "x" * (2 * 1024 * 1024)}
    )

    assert response.status_code == 422
    assert f"at most {ROUTINE_DESCRIPTION_MAX_LENGTH} characters" in response.content.decode()
    assert not Routine.objects.filter(owner=person).exists()


def test_a_new_routine_past_the_limit_is_refused_with_a_message(client):
    person = UserFactory()
    routines_up_to_the_limit(person)
    client.force_login(person)

    response = client.post(reverse("routines:routine_new"), {"title": "One more", "description": "Kept"})

    body = response.content.decode()
    assert response.status_code == 409
    assert f"You have {MAX_ROUTINES_PER_PERSON} routines" in body
    assert 'value="One more"' in body
    assert Routine.objects.filter(owner=person).count() == MAX_ROUTINES_PER_PERSON


def test_copying_a_starter_or_duplicating_counts_too(client):
    person = UserFactory()
    routines_up_to_the_limit(person)
    starter = RoutineFactory(owner=None, visibility=Routine.Visibility.STARTER, exercises=[ExerciseFactory()])
    client.force_login(person)

    use = client.post(reverse("routines:routine_use", args=[starter.pk]))
    duplicate = client.post(
        reverse("routines:routine_use", args=[Routine.objects.filter(owner=person).first().pk])
    )

    assert use.status_code == duplicate.status_code == 409
    assert "the most one account can keep" in use.content.decode()
    assert Routine.objects.filter(owner=person).count() == MAX_ROUTINES_PER_PERSON


def test_assigning_to_a_client_with_no_room_assigns_nothing_and_says_who(client):
    full = TrainerClientFactory()
    roomy = TrainerClientFactory(trainer=full.trainer)
    routines_up_to_the_limit(full.client)
    routine = RoutineFactory(owner=full.trainer, exercises=[ExerciseFactory()])
    client.force_login(full.trainer)

    response = client.post(
        reverse("coaching:routine_assign", args=[routine.pk]),
        {
            "clients": [full.pk, roomy.pk],
            "weekdays": [0, 2],
            "starts_on": local_today(full.trainer).isoformat(),
        },
    )

    assert response.status_code == 409
    assert f"{full.client_name} has {MAX_ROUTINES_PER_PERSON} routines" in response.content.decode()
    assert not Assignment.objects.exists()
    assert not Routine.objects.filter(owner=roomy.client).exists()


@pytest.mark.parametrize("side", ["trainer", "client"])
def test_comments_past_the_hourly_limit_are_refused_and_kept_in_the_form(client, log_session, side):
    link = TrainerClientFactory()
    plan = assignment_create(link, exercises=[ExerciseFactory()])
    session = log_session(link.client, local_today(link.client), routine=plan.routine)
    author = link.trainer if side == "trainer" else link.client
    url = (
        reverse("coaching:client_session", args=[link.pk, session.pk])
        if side == "trainer"
        else reverse("coaching:session_comment", args=[session.pk])
    )
    SessionComment.objects.bulk_create(
        SessionComment(session=session, author=author, body=f"Note {n}") for n in range(COMMENTS_PER_HOUR)
    )
    client.force_login(author)

    response = client.post(url, {"body": "One more thought"})

    assert response.status_code == 429
    assert f"You have written {COMMENTS_PER_HOUR} comments in the last hour" in response.content.decode()
    assert "One more thought" in response.content.decode()
    assert SessionComment.objects.count() == COMMENTS_PER_HOUR

    SessionComment.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    assert client.post(url, {"body": "One more thought"}).status_code == 302


def test_start_now_on_a_starter_with_no_room_copies_nothing_and_says_why(client):
    person = UserFactory()
    routines_up_to_the_limit(person)
    starter = RoutineFactory(owner=None, visibility=Routine.Visibility.STARTER, exercises=[ExerciseFactory()])
    client.force_login(person)

    response = client.post(reverse("routines:routine_start_now", args=[starter.pk]))

    assert response.status_code == 409
    assert "the most one account can keep" in response.content.decode()
    assert Routine.objects.filter(owner=person).count() == MAX_ROUTINES_PER_PERSON


def test_assigning_from_a_full_clients_page_assigns_nothing_and_keeps_the_form(client):
    link = TrainerClientFactory()
    routines_up_to_the_limit(link.client)
    routine = RoutineFactory(owner=link.trainer, exercises=[ExerciseFactory()])
    client.force_login(link.trainer)

    response = client.post(
        reverse("coaching:client_assign", args=[link.pk]),
        {
            "routine": routine.pk,
            "weekdays": [0, 2],
            "starts_on": local_today(link.trainer).isoformat(),
            "instructions": "Slowly, please",
        },
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert f"{link.client_name} has {MAX_ROUTINES_PER_PERSON} routines" in body
    assert "Slowly, please" in body
    assert not Assignment.objects.exists()


def test_starting_the_programme_with_no_room_starts_nothing_and_says_why(client, library):
    person = UserFactory()
    routines_up_to_the_limit(person)
    client.force_login(person)

    response = client.post(reverse("progress:programme_start"), {"track": "mobility_first"}, follow=True)

    assert "The programme needs two routines of its own" in response.content.decode()
    assert not Enrolment.objects.filter(user=person).exists()
    assert Routine.objects.filter(owner=person).count() == MAX_ROUTINES_PER_PERSON


def test_assigning_the_programme_to_a_full_client_starts_it_for_nobody(client, library):
    full = TrainerClientFactory()
    roomy = TrainerClientFactory(trainer=full.trainer)
    routines_up_to_the_limit(full.client)
    client.force_login(full.trainer)

    response = client.post(
        reverse("coaching:programme_assign"),
        {"clients": [full.pk, roomy.pk], "version": "track:strength_led", "instructions": "Gently"},
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert f"{full.client_name} has {MAX_ROUTINES_PER_PERSON} routines" in body
    assert "Gently" in body
    assert not Enrolment.objects.exists()
    assert not Routine.objects.filter(owner=roomy.client).exists()


def test_a_trainer_with_no_room_cannot_make_their_own_version_of_the_programme(client, library):
    trainer = TrainerClientFactory().trainer
    routines_up_to_the_limit(trainer)
    client.force_login(trainer)

    response = client.post(reverse("coaching:programme_copy"), {"track": "strength_led"}, follow=True)

    assert "Your version of the programme needs two routines of its own" in response.content.decode()
    assert Routine.objects.filter(owner=trainer).count() == MAX_ROUTINES_PER_PERSON
