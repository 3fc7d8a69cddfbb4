"""Trainers and the programme: assigning it (the standard one, or their own version with
tweaks), the roster's week and level, holding a client at their level."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from coaching.models import Assignment, ProgrammeCopy
from coaching.services import client_programme_hold, link_end, programme_assign, programme_copy_make
from notifications.models import ReminderSchedule
from progress.models import Adjustment, Enrolment, ProgrammeRoutine
from progress.services import ExerciseLogEntry, session_log_record
from routines.services import routine_item_remove
from tests.factories import TrainerClientFactory, TrainerFactory, UserFactory

# The library is loaded once for the module (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("library_for_the_module")]


@pytest.fixture
def link():
    return TrainerClientFactory(trainer=TrainerFactory(), client=UserFactory(time_zone="America/New_York"))


def test_assigning_the_programme_starts_it_for_the_client_as_assignments(client, library, link):
    client.force_login(link.trainer)

    response = client.post(
        reverse("coaching:programme_assign"),
        {"clients": [link.pk], "version": "track:strength_led", "instructions": "Easy on the band rows"},
        follow=True,
    )

    assert "The programme has started for" in response.content.decode()
    enrolment = Enrolment.objects.get(user=link.client)
    assert enrolment.assigned_by == link.trainer
    assignments = Assignment.objects.filter(link=link).order_by("pk")
    assert sorted(a.weekdays for a in assignments) == [[0, 1, 2, 3, 4, 5, 6], [0, 2, 4]]
    assert {a.routine_id for a in assignments} == set(enrolment.routines.values_list("routine_id", flat=True))
    assert ReminderSchedule.objects.filter(user=link.client, assignment__in=assignments).count() == 1


def test_a_client_already_following_it_is_left_as_they_are(library, link):
    programme_assign(trainer=link.trainer, links=[link], track="mobility_first")

    done = programme_assign(trainer=link.trainer, links=[link], track="strength_led")

    assert done.already == [link]
    assert Enrolment.objects.get(user=link.client).track == "mobility_first"


def test_a_trainers_own_version_with_tweaks_is_what_the_client_gets(library, link):
    copy = programme_copy_make(trainer=link.trainer, track="mobility_strength")
    cat_cow = copy.session_routine.items.get(exercise__slug="cat-cow")
    routine_item_remove(item=cat_cow)

    programme_assign(trainer=link.trainer, links=[link], track="", copy=copy)

    enrolment = Enrolment.objects.get(user=link.client)
    session = enrolment.routines.get(slot=ProgrammeRoutine.Slot.SESSION).routine
    assert session.owner == link.client
    assert "cat-cow" not in set(session.items.values_list("exercise__slug", flat=True))
    assert session.items.count() == copy.session_routine.items.count()


def test_the_assign_page_offers_the_trainers_versions(client, library, link):
    client.force_login(link.trainer)
    response = client.post(reverse("coaching:programme_copy"), {"track": "strength_led"})
    copy = ProgrammeCopy.objects.get()
    assert response.url == reverse("routines:routine_edit", args=[copy.session_routine_id])

    page = client.get(reverse("coaching:programme_assign")).content.decode()

    assert "Your version, strength led" in page


def test_assigning_without_a_choice_says_what_is_missing(client, library, link):
    client.force_login(link.trainer)

    response = client.post(reverse("coaching:programme_assign"), {"version": "copy:999"})

    page = response.content.decode()
    assert response.status_code == 422
    assert "Pick at least one client." in page
    assert "Choose a track, or one of your versions." in page


def log_easy(user, routine, days_ago):
    begin = datetime.now(UTC) - timedelta(days=days_ago, minutes=20)
    session_log_record(
        user=user,
        routine=routine,
        client_token=None,
        started_at=begin,
        finished_at=begin + timedelta(minutes=15),
        tightness_before=5,
        tightness_after=3,
        pain=0,
        exercises=[ExerciseLogEntry(item.exercise_id, 30, item.reps, False) for item in routine.items.all()],
    )


def test_a_trainer_can_hold_a_client_at_their_level(client, library, link):
    programme_assign(trainer=link.trainer, links=[link], track="mobility_strength")
    enrolment = Enrolment.objects.get(user=link.client)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        created_at=datetime.now(UTC) - timedelta(days=7), started_on=F("started_on") - timedelta(days=7)
    )
    client.force_login(link.trainer)

    client.post(reverse("coaching:client_programme_hold", args=[link.pk]), {"hold": "1"})
    routine = enrolment.routines.get(slot=ProgrammeRoutine.Slot.SESSION).routine
    for days_ago in (4, 2, 0):
        log_easy(link.client, routine, days_ago)

    assert not Adjustment.objects.exists()
    page = client.get(reverse("coaching:client_detail", args=[link.pk])).content.decode()
    assert "Held at this level" in page
    assert "Let it move on again" in page

    client.post(reverse("coaching:client_programme_hold", args=[link.pk]), {"hold": "0"})
    log_easy(link.client, routine, 0)
    assert Adjustment.objects.filter(kind=Adjustment.Kind.UP).exists()


@pytest.mark.parametrize("junk", [{}, {"hold": "yes"}, {"hold": "0; DROP"}, {"hold": ["1", "x"]}])
def test_a_hold_with_junk_is_refused_with_a_message_and_changes_nothing(client, library, link, junk):
    programme_assign(trainer=link.trainer, links=[link], track="mobility_strength")
    client.force_login(link.trainer)
    client.post(reverse("coaching:client_programme_hold", args=[link.pk]), {"hold": "1"})

    response = client.post(reverse("coaching:client_programme_hold", args=[link.pk]), junk)

    assert response.status_code == 422
    assert "Choose whether to hold the programme or let it move on." in response.content.decode()
    assert Enrolment.objects.get(user=link.client).is_held


def test_ending_the_link_lifts_that_trainers_hold(library, link):
    programme_assign(trainer=link.trainer, links=[link], track="mobility_strength")
    client_programme_hold(link=link, hold=True)
    other = TrainerClientFactory(client=link.client)
    client_programme_hold(link=other, hold=True)  # the other trainer's hold replaces it

    link_end(link=link)
    assert Enrolment.objects.get(user=link.client).held_by == other.trainer  # not theirs: it stays
    link_end(link=other)

    enrolment = Enrolment.objects.get(user=link.client)
    assert not enrolment.is_held
    assert enrolment.held_by is None


def test_a_hold_ends_with_the_account_of_the_trainer_who_made_it(library, link):
    programme_assign(trainer=link.trainer, links=[link], track="mobility_strength")
    client_programme_hold(link=link, hold=True)
    assert Enrolment.objects.get(user=link.client).is_held

    link.trainer.delete()

    assert not Enrolment.objects.get(user=link.client).is_held


def test_a_hold_by_another_trainer_of_the_client_does_not_name_them(client, library, link):
    other = TrainerClientFactory(client=link.client, trainer=TrainerFactory(display_name="Coach Zed"))
    programme_assign(trainer=link.trainer, links=[link], track="mobility_strength")
    client_programme_hold(link=other, hold=True)
    client.force_login(link.trainer)

    page = client.get(reverse("coaching:client_detail", args=[link.pk])).content.decode()

    assert "Held at this level by another trainer since" in page
    assert "Coach Zed" not in page
    assert other.trainer.email not in page


@pytest.mark.parametrize("whose", ["another trainer's client", "a former client"])
def test_the_programme_cannot_be_assigned_to_someone_who_is_not_the_trainers_client(
    client, library, link, whose
):
    if whose == "a former client":
        target = link
        link_end(link=link)
    else:
        target = TrainerClientFactory()
    client.force_login(link.trainer)

    response = client.post(
        reverse("coaching:programme_assign"), {"clients": [target.pk], "version": "track:strength_led"}
    )

    assert response.status_code == 422
    assert not Enrolment.objects.filter(user=target.client).exists()


def test_the_roster_shows_each_clients_programme_week_and_level(client, library, link):
    other = TrainerClientFactory(trainer=link.trainer)
    programme_assign(trainer=link.trainer, links=[link], track="mobility_first")
    client.force_login(link.trainer)

    page = client.get(reverse("coaching:roster")).content.decode()

    assert "Week 1 · level 1" in page
    assert page.count("Week 1 · level 1") == 1
    assert other.client_name in page


def test_the_roster_marks_a_client_held_at_their_level_and_shows_no_programme_once_stopped(
    client, library, link
):
    ended = TrainerClientFactory(trainer=link.trainer)
    programme_assign(trainer=link.trainer, links=[link, ended], track="mobility_first")
    client_programme_hold(link=link, hold=True)
    Enrolment.objects.filter(user=ended.client).update(status=Enrolment.Status.STOPPED)
    client.force_login(link.trainer)

    page = client.get(reverse("coaching:roster")).content.decode()

    assert page.count('Week 1 · level 1 <span class="tag">held</span>') == 1
    assert page.count("Week 1 · level 1") == 1
    assert ended.client_name in page
