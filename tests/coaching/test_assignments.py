"""Assigning routines: copies for several clients at once, updating a copy on purpose, what the
client sees on their dashboard, and sessions played from an assignment."""

from datetime import timedelta

import pytest
from django.urls import reverse

from coaching.models import Assignment
from progress.models import SessionLog
from progress.selectors import local_today
from routines.models import Routine
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    TrainerFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer():
    return TrainerFactory(display_name="Robin")


@pytest.fixture
def routine(trainer):
    return RoutineFactory(owner=trainer, title="Desk reset", exercises=[ExerciseFactory(), ExerciseFactory()])


def assign_form(links, today, **overrides) -> dict:
    return {
        "clients": [link.pk for link in links],
        "weekdays": [today.weekday()],
        "starts_on": today.isoformat(),
        "ends_on": "",
        "instructions": "Slowly, and stop if it pinches.",
        **overrides,
    }


def test_a_trainer_assigns_one_routine_to_several_clients_who_each_get_a_copy(client, trainer, routine):
    links = TrainerClientFactory.create_batch(2, trainer=trainer)
    client.force_login(trainer)
    today = local_today(trainer)

    response = client.post(reverse("coaching:routine_assign", args=[routine.pk]), assign_form(links, today))

    assert response.status_code == 302
    for link in links:
        assignment = Assignment.objects.get(link=link)
        copy = assignment.routine
        assert (copy.owner, copy.title, copy.items.count()) == (link.client, "Desk reset", 2)
        assert assignment.weekdays == [today.weekday()]
        assert assignment.instructions == "Slowly, and stop if it pinches."
    assert "Assigned “Desk reset” to" in client.get(response.url).content.decode()


def test_the_assign_form_explains_what_is_wrong_and_keeps_the_rest(client, trainer, routine):
    link = TrainerClientFactory(trainer=trainer)
    client.force_login(trainer)
    today = local_today(trainer)
    data = assign_form([link], today, weekdays=[], ends_on=(today - timedelta(days=1)).isoformat())

    response = client.post(reverse("coaching:routine_assign", args=[routine.pk]), data)

    page = response.content.decode()
    assert response.status_code == 422
    assert "Pick at least one day of the week." in page
    assert "“Until” must be on or after “From”." in page
    assert "Slowly, and stop if it pinches." in page
    assert not Assignment.objects.exists()


def test_only_the_trainers_own_active_clients_can_be_picked(client, trainer, routine):
    someone_elses = TrainerClientFactory()
    client.force_login(trainer)

    response = client.post(
        reverse("coaching:routine_assign", args=[routine.pk]),
        assign_form([someone_elses], local_today(trainer)),
    )

    assert response.status_code == 422
    assert not Assignment.objects.exists()


def test_later_edits_reach_the_client_only_when_the_trainer_updates_their_copy(client, trainer, routine):
    link = TrainerClientFactory(trainer=trainer)
    client.force_login(trainer)
    client.post(
        reverse("coaching:routine_assign", args=[routine.pk]), assign_form([link], local_today(trainer))
    )
    assignment = Assignment.objects.get()
    client.post(reverse("routines:item_add", args=[routine.pk]), {"exercise": ExerciseFactory().pk})
    routine.refresh_from_db()
    assert assignment.routine.items.count() == 2

    page = client.get(reverse("coaching:client_detail", args=[link.pk])).content.decode()
    client.post(reverse("coaching:assignment_update_copy", args=[assignment.pk]))

    assert "Update client’s copy" in page
    assert assignment.routine.items.count() == 3
    assert (
        "Update client’s copy"
        not in client.get(reverse("coaching:client_detail", args=[link.pk])).content.decode()
    )


def item_change(routine, change: str) -> tuple[str, dict]:
    """The builder's POST that edits, removes or moves down the routine's first item."""
    item = routine.items.order_by("order").first()
    args = [routine.pk, item.pk]
    if change == "edit":
        fields = {"hold_seconds": 60, "reps": item.reps, "sets": item.sets, "note": "Slower"}
        return reverse("routines:item_update", args=args), {
            f"item-{item.pk}-{k}": v for k, v in fields.items()
        }
    if change == "remove":
        return reverse("routines:item_remove", args=args), {}
    return reverse("routines:item_move", args=args), {"direction": "down"}


@pytest.mark.parametrize("change", ["edit", "remove", "move"])
def test_after_the_trainer_edits_removes_or_reorders_an_item_the_clients_copy_shows_as_behind(
    client, trainer, routine, change
):
    link = TrainerClientFactory(trainer=trainer)
    client.force_login(trainer)
    client.post(
        reverse("coaching:routine_assign", args=[routine.pk]), assign_form([link], local_today(trainer))
    )
    client_page = reverse("coaching:client_detail", args=[link.pk])
    assert "Update client’s copy" not in client.get(client_page).content.decode()

    client.post(*item_change(routine, change))

    assert "Update client’s copy" in client.get(client_page).content.decode()


def test_the_clients_dashboard_shows_the_new_length_once_the_trainer_updates_their_copy(
    client, trainer, routine
):
    link = TrainerClientFactory(trainer=trainer)
    client.force_login(trainer)
    client.post(
        reverse("coaching:routine_assign", args=[routine.pk]), assign_form([link], local_today(trainer))
    )
    client.force_login(link.client)
    # Two exercises of two 20 s holds with a 5 s rest between, and 15 s to change over.
    assert "about 1 min 45 s" in client.get(reverse("home")).content.decode()

    client.force_login(trainer)
    client.post(*item_change(routine, "edit"))  # holds of 60 s: 60 + 5 + 60
    client.post(reverse("coaching:assignment_update_copy", args=[Assignment.objects.get().pk]))
    client.force_login(link.client)

    assert "about 3 min 5 s" in client.get(reverse("home")).content.decode()


def test_someone_who_does_not_coach_cannot_assign(client):
    person = UserFactory()
    routine = RoutineFactory(owner=person, exercises=[ExerciseFactory()])
    client.force_login(person)

    response = client.get(reverse("coaching:routine_assign", args=[routine.pk]))

    assert response.status_code == 302
    assert response.url == reverse("accounts:settings")


# --- The client's side ------------------------------------------------------------------------


@pytest.fixture
def assigned(client, trainer, routine):
    """A client with the routine assigned for today, logged in."""
    link = TrainerClientFactory(trainer=trainer)
    today = local_today(link.client)
    client.force_login(trainer)
    client.post(reverse("coaching:routine_assign", args=[routine.pk]), assign_form([link], today))
    client.force_login(link.client)
    return Assignment.objects.get(link=link)


def test_the_dashboard_shows_assigned_routines_first_with_what_is_due_today(client, assigned):
    RoutineFactory(owner=assigned.link.client, title="My own stretch", exercises=[ExerciseFactory()])

    page = client.get(reverse("home")).content.decode()

    assert page.index("From your trainer") < page.index("Today,")
    assert "Desk reset" in page
    assert "from Robin" in page
    assert "Due today." in page
    assert reverse("progress:player_start", args=[assigned.routine.pk]) in page


def test_an_assignment_due_today_has_one_start_button_on_the_dashboard(client, assigned):
    page = client.get(reverse("home")).content.decode()

    assert page.count("Start “Desk reset”") == 1
    assert "Pick a starter routine" not in page


def test_once_done_today_the_assigned_routine_is_offered_again_in_today(client, assigned, log_session):
    log_session(assigned.link.client, local_today(assigned.link.client), routine=assigned.routine)

    page = client.get(reverse("home")).content.decode()

    assert "Done today." in page
    assert page.count("Start “Desk reset”") == 1


def test_the_clients_dashboard_shows_the_new_length_at_once_when_they_edit_their_copy(client, assigned):
    assert "about 1 min 45 s" in client.get(reverse("home")).content.decode()

    client.post(*item_change(assigned.routine, "edit"))

    assert "about 3 min 5 s" in client.get(reverse("home")).content.decode()


def test_a_session_played_from_an_assignment_is_linked_to_it_and_marks_today_done(client, assigned):
    copy = assigned.routine
    client.post(reverse("progress:player_start", args=[copy.pk]), {"tightness_before": "6"})
    for number in range(1, copy.items.count() + 1):
        client.post(reverse("progress:player_step", args=[copy.pk, number]), {"action": "done"})
    token = client.session[f"player:{copy.pk}"]["token"]

    client.post(
        reverse("progress:player_finish", args=[copy.pk]),
        {"token": token, "tightness_after": "3", "pain": "1"},
    )

    session = SessionLog.objects.get(user=assigned.link.client)
    assert session.assignment == assigned
    assert "Done today." in client.get(reverse("home")).content.decode()


def test_the_routine_page_says_who_it_is_from_and_the_instructions(client, assigned):
    page = client.get(reverse("routines:routine_detail", args=[assigned.routine.pk])).content.decode()

    assert "From Robin" in page
    assert "Slowly, and stop if it pinches." in page


@pytest.mark.parametrize(
    ("weekdays", "said"), [(list(range(7)), "Every day"), ([0, 2, 4], "Mon, Wed, Fri"), ([5, 6], "Weekends")]
)
def test_an_assignments_days_read_as_the_reminders_say_them(client, assigned, weekdays, said):
    Assignment.objects.filter(pk=assigned.pk).update(weekdays=weekdays)
    trainer = assigned.link.trainer

    dashboard = client.get(reverse("home")).content.decode()
    routine_page = client.get(reverse("routines:routine_detail", args=[assigned.routine.pk])).content.decode()
    client.force_login(trainer)
    client_page = client.get(reverse("coaching:client_detail", args=[assigned.link.pk])).content.decode()

    for page in (dashboard, routine_page, client_page):
        assert said in page
        assert "Monday, Tuesday" not in page


def test_when_the_link_ends_the_client_keeps_the_routine_and_sessions(client, assigned, log_session):
    session = log_session(assigned.link.client, local_today(assigned.link.client), routine=assigned.routine)

    client.post(reverse("coaching:trainer_link_end", args=[assigned.link.pk]))

    assigned.link.refresh_from_db()
    assert assigned.link.status == "ended"
    assert Routine.objects.filter(pk=assigned.routine.pk, owner=assigned.link.client).exists()
    assert SessionLog.objects.filter(pk=session.pk).exists()
    assert "From your trainer" not in client.get(reverse("home")).content.decode()


def test_the_routine_list_marks_the_routines_from_the_trainer(client, assigned):
    RoutineFactory(owner=assigned.link.client, title="My own stretch", exercises=[ExerciseFactory()])

    page = client.get(reverse("routines:routine_list")).content.decode()

    assert page.count("From Robin") == 1


def test_an_assignment_cannot_start_in_the_past(client, trainer, routine):
    link = TrainerClientFactory(trainer=trainer)
    client.force_login(trainer)
    yesterday = local_today(trainer) - timedelta(days=1)

    response = client.post(
        reverse("coaching:routine_assign", args=[routine.pk]),
        assign_form([link], local_today(trainer), starts_on=yesterday.isoformat()),
    )

    assert response.status_code == 422
    assert "Start today or later." in response.content.decode()


def test_updating_a_copy_from_a_routine_emptied_since_is_refused(client, trainer, routine):
    link = TrainerClientFactory(trainer=trainer)
    client.force_login(trainer)
    client.post(
        reverse("coaching:routine_assign", args=[routine.pk]), assign_form([link], local_today(trainer))
    )
    assignment = Assignment.objects.get()
    routine.items.all().delete()

    response = client.post(reverse("coaching:assignment_update_copy", args=[assignment.pk]), follow=True)

    assert "has no exercises" in response.content.decode()
    assert assignment.routine.items.count() == 2


def test_a_double_click_on_assign_makes_one_assignment(client, trainer, routine):
    link = TrainerClientFactory(trainer=trainer)
    client.force_login(trainer)
    data = assign_form([link], local_today(trainer))

    for _ in range(2):
        client.post(reverse("coaching:routine_assign", args=[routine.pk]), data)

    assert Assignment.objects.count() == 1
    assert Routine.objects.filter(owner=link.client).count() == 1


def test_the_client_page_takes_the_same_queries_for_2_and_20_sessions(client, log_session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for sessions in (2, 20):
        link = TrainerClientFactory()
        plan = assignment_create(link, exercises=[ExerciseFactory()])
        for days_ago in range(sessions):
            log_session(
                link.client, local_today(link.client) - timedelta(days=days_ago), routine=plan.routine
            )
        client.force_login(link.trainer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("coaching:client_detail", args=[link.pk])).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_a_trainers_new_name_shows_on_their_clients_dashboards_at_once(client, assigned, trainer):
    assert "from Robin" in client.get(reverse("home")).content.decode()  # now cached
    client.force_login(trainer)
    client.post(reverse("accounts:settings"), {"display_name": "Robin Ng", "time_zone": trainer.time_zone})
    client.force_login(assigned.link.client)

    assert "from Robin Ng" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("display_name", ["", "Sam"])  # named by the address, or shown beside it
def test_a_new_email_address_reaches_the_roster(client, assigned, display_name):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_changed

    person = assigned.link.client
    person.display_name = display_name
    person.save(update_fields=["display_name"])
    trainer = assigned.link.trainer
    client.force_login(trainer)
    assert person.email in client.get(reverse("coaching:roster")).content.decode()  # now cached

    address = EmailAddress.objects.get(user=person)
    previous = address.email
    person.email = address.email = "new.address@example.com"  # as allauth changes it
    person.save(update_fields=["email"])
    address.save(update_fields=["email"])
    email_changed.send(
        sender=type(person), request=None, user=person, from_email_address=previous, to_email_address=address
    )

    assert "new.address@example.com" in client.get(reverse("coaching:roster")).content.decode()
