"""Every URL of the project, walked from the URL resolver so that new URLs are covered too.

Four accounts meet on every URL that names an object: a person (the client), their trainer, an
unrelated trainer and a stranger. Each URL belongs to one of the first two (`ENTITLED`): the
client's own routines, sessions and trainer links, or the trainer's clients, assignments,
invitations and routines. That account gets through; everyone else gets 404 (GET and POST, and
nothing changes); a visitor who is not logged in is sent to the login page. A trainer whose link
ended loses access at once. A URL whose parameters this test cannot fill fails it: add the
parameter to `url_kwargs`.
"""

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import time, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from coaching.models import Assignment, SessionComment, TrainerClient
from coaching.services import invitation_token, link_end
from notifications.models import EmailKind, ReminderSchedule
from notifications.services import calendar_token_reset, reminder_schedule_save
from notifications.unsubscribe import unsubscribe_token
from progress.models import Adjustment, Enrolment, ProgrammeRoutine, SessionLog, Track
from progress.selectors import local_today
from routines.models import Routine
from routines.services import routine_adapt
from tests.conftest import rows_for_the_module, session_logged
from tests.factories import (
    ExerciseFactory,
    RoutineFactory,
    TrainerClientFactory,
    TrainerFactory,
    UserFactory,
    assignment_create,
    swap_exercises,
)

pytestmark = pytest.mark.django_db

PUBLIC = {
    "home",
    "health",
    "health_ready",  # for load balancers and docker-compose; names parts, never hosts or data
    "routines:exercise_list",
    "routines:exercise_detail",
    "routines:before_you_start",
    "routines:what_we_left_out",
    "coaching:invitation_respond",  # the invitee reads it before they have an account
    # The signed or secret token in the address is the permission: links in emails and the
    # calendar feed are opened by mail and calendar apps that are not logged in.
    "notifications:unsubscribe",
    "notifications:calendar_feed",
    # The installable app: the manifest, the service worker and the offline pages the worker
    # keeps hold nothing of anyone's (they are fetched without cookies).
    "web_manifest",
    "service_worker",
    "offline",
    "offline_before_you_start",
    "progress:player_offline",
}
SKIPPED_PREFIXES = ("admin/", "accounts/")  # Django's admin and allauth guard their own pages
# URLs of the trainer's side; invitation links are the invitee's; every other URL with an object
# in it is the client's.
TRAINER_PREFIXES = ("coach/",)


def project_urls() -> list[tuple[str, str, list[str]]]:
    """(route, name, parameter names) of every named URL outside the admin and allauth."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if not route.startswith(SKIPPED_PREFIXES):
                    found.append((route, namespace + pattern.name, list(pattern.pattern.converters)))

    walk(get_resolver().url_patterns)
    return found


URLS = project_urls()
OBJECT_URLS = [(route, name, params) for route, name, params in URLS if params and name not in PUBLIC]
TRAINER_URLS = [url for url in OBJECT_URLS if url[0].startswith(TRAINER_PREFIXES)]
# The trainer's pages about one client: these close when the link ends.
LINK_URLS = [url for url in TRAINER_URLS if url[0].startswith(("coach/clients/", "coach/assignments/"))]


def ids(urls) -> list[str]:
    return [name for _, name, _ in urls]


@dataclass
class World:
    client: object
    trainer: object
    link: TrainerClient
    routine: Routine  # the client's own; its first item swapped for a safer exercise
    assignment: Assignment
    session: SessionLog  # the client's, from the assignment: their trainer sees it
    trainer_routine: Routine
    invitation: TrainerClient  # the trainer's, still waiting
    invitee: object  # the person that invitation was sent to
    reminder: ReminderSchedule  # the client's own
    adjustment: Adjustment  # a step up in the client's programme, which they may undo

    def snapshot(self) -> tuple:
        """Everything a stray GET or POST could change."""
        for row in (self.routine, self.session, self.link, self.invitation, self.assignment, self.reminder):
            row.refresh_from_db()
        return (
            self.routine.title,
            self.routine.items.count(),
            tuple(
                self.routine.items.order_by("order").values_list(
                    "exercise_id", "swapped_from_id", "swap_reason", "kept_original_at"
                )
            ),
            Routine.objects.filter(owner=self.client).count(),
            Routine.objects.filter(owner=self.trainer).count(),
            self.session.pain,
            self.link.status,
            self.link.share_notes,
            self.invitation.status,
            self.invitation.invite_nonce,
            self.assignment.synced_at,
            SessionComment.objects.count(),
            (
                self.reminder.weekdays,
                self.reminder.local_time,
                self.reminder.routine_id,
                self.reminder.enabled,
            ),
            ReminderSchedule.objects.filter(user=self.client).count(),
            Adjustment.objects.filter(pk=self.adjustment.pk, undone_at__isnull=True).exists(),
            tuple(Enrolment.objects.filter(user=self.client).values_list("status", "held_at", "held_by_id")),
            tuple(self.routine.items.order_by("order").values_list("sets", "reps", "hold_seconds")),
        )


@pytest.fixture(scope="module")
def world_for_the_module(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The world, made once for the module's few hundred tests (tests/conftest.py,
    rows_for_the_module); each test gets it fresh from the database (`world`)."""
    with rows_for_the_module(django_db_blocker):
        yield world_create()


@pytest.fixture
def world(world_for_the_module, db) -> World:
    """The world as the database has it now: what an earlier test did to the objects it was given
    (link_end, …) was rolled back with that test."""
    rows = (getattr(world_for_the_module, field.name) for field in fields(World))
    return World(*(type(row)._base_manager.get(pk=row.pk) for row in rows))


def world_create() -> World:
    trainer = TrainerFactory()
    link = TrainerClientFactory(trainer=trainer, client=UserFactory(tier2_answers=["osteoporosis"]))
    client = link.client
    lib = swap_exercises()
    routine = RoutineFactory(
        owner=client, title="Client's routine", exercises=[lib.childs_pose, ExerciseFactory()]
    )
    routine_adapt(routine=routine, conditions={"osteoporosis"})
    assignment = assignment_create(link, exercises=[lib.childs_pose])
    yesterday = local_today(client) - timedelta(days=1)
    session = session_logged(client, yesterday, pain=1, routine=assignment.routine)
    invitation = TrainerClientFactory(
        trainer=trainer, client=None, email="waiting@example.com", status=TrainerClient.Status.INVITED
    )
    invitee = UserFactory(email=invitation.email)
    reminder = reminder_schedule_save(user=client, weekdays=[0, 3], local_time=time(7, 45), routine=routine)
    calendar_token_reset(user=client)
    adjustment = _programme_with_a_step_up(client, routine)
    assert session.assignment == assignment
    return World(
        client,
        trainer,
        link,
        routine,
        assignment,
        session,
        assignment.source_routine,
        invitation,
        invitee,
        reminder,
        adjustment,
    )


def _programme_with_a_step_up(client, routine) -> Adjustment:
    today = local_today(client)
    enrolment = Enrolment.objects.create(
        user=client,
        track=Track.MOBILITY_FIRST,
        started_on=today,
        week_turns_on=today + timedelta(days=7),
        week_turns_at=timezone.now() + timedelta(days=7),
    )
    ProgrammeRoutine.objects.create(enrolment=enrolment, slot=ProgrammeRoutine.Slot.SESSION, routine=routine)
    item = routine.items.order_by("order").last()
    return Adjustment.objects.create(
        enrolment=enrolment,
        item=item,
        kind=Adjustment.Kind.UP,
        week=1,
        from_exercise=item.exercise,
        from_sets=item.sets,
        from_reps=item.reps,
        from_hold_seconds=item.hold_seconds - 5,
        to_exercise=item.exercise,
        to_sets=item.sets,
        to_reps=item.reps,
        to_hold_seconds=item.hold_seconds,
        reason="because your last three sessions were pain-free",
    )


def url_kwargs(route: str, params: list[str], world: World) -> dict:
    values = {}
    for param in params:
        if param == "pk" and route.startswith("routines/"):
            values[param] = world.routine.pk
        elif param == "pk" and route.startswith("progress/sessions/"):
            values[param] = world.session.pk
        elif param == "pk" and route.startswith(("trainers/", "coach/clients/")):
            values[param] = world.link.pk
        elif param == "pk" and route.startswith("coach/invitations/"):
            values[param] = world.invitation.pk
        elif param == "pk" and route.startswith("coach/assignments/"):
            values[param] = world.assignment.pk
        elif param == "pk" and route.startswith("coach/routines/"):
            values[param] = world.trainer_routine.pk
        elif param == "pk" and route.startswith("settings/emails/reminders/"):
            values[param] = world.reminder.pk
        elif param == "pk" and route.startswith("programme/changes/"):
            values[param] = world.adjustment.pk
        elif param == "session_pk":
            values[param] = world.session.pk
        elif param == "item_pk":
            values[param] = world.routine.items.order_by("order").first().pk
        elif param == "number":
            values[param] = 1
        elif param == "token" and route.startswith("emails/unsubscribe/"):
            values[param] = unsubscribe_token(world.client, EmailKind.WEEKLY_SUMMARY)
        elif param == "token" and route.startswith("calendar/"):
            values[param] = world.client.calendar_token
        elif param == "token":
            values[param] = invitation_token(world.invitation)
        elif param == "slug":
            values[param] = ExerciseFactory().slug
        else:
            pytest.fail(f"test_privacy.py cannot fill <{param}> in {route}: add it to url_kwargs")
    return values


def entitled(route: str, world: World):
    if route.startswith("invite/"):
        return world.invitee
    return world.trainer if route.startswith(TRAINER_PREFIXES) else world.client


def test_the_walk_covers_the_safety_screening_pages():
    names = set(ids(URLS))

    assert {
        "accounts:welcome",
        "accounts:seek_help",
        "accounts:safety",
        "accounts:screening_unchanged",
        "accounts:clearance_undo",
    } <= names


def test_the_walk_finds_the_urls_that_name_someones_objects():
    names = set(ids(OBJECT_URLS))

    assert {"routines:routine_edit", "progress:player_step", "progress:session_edit"} <= names
    assert {"coaching:client_detail", "coaching:client_session", "coaching:trainer_link"} <= names
    assert {"coaching:client_detail", "coaching:assignment_update_copy"} <= set(ids(LINK_URLS))
    assert {"notifications:reminder_edit", "notifications:reminder_delete"} <= names
    assert {"routines:item_keep_original", "routines:item_use_alternative"} <= names
    assert "progress:adjustment_undo" in names


@pytest.mark.parametrize("who", ["the other side", "an unrelated trainer", "a stranger"])
@pytest.mark.parametrize(("route", "name", "params"), OBJECT_URLS, ids=ids(OBJECT_URLS))
def test_everyone_but_the_owner_gets_not_found_and_changes_nothing(client, world, route, name, params, who):
    url = reverse(name, kwargs=url_kwargs(route, params, world))
    before = world.snapshot()
    if who == "the other side":
        visitor = world.client if entitled(route, world) == world.trainer else world.trainer
    else:
        visitor = TrainerFactory() if who == "an unrelated trainer" else UserFactory()
    client.force_login(visitor)

    get = client.get(url)
    post = client.post(
        url,
        {
            "title": "Taken over",
            "pain": "9",
            "direction": "down",
            "body": "Hi",
            "share_notes": "",
            "hold": "1",
        },
    )

    assert (get.status_code, post.status_code) in {(404, 404), (404, 405), (405, 404)}
    assert world.snapshot() == before


@pytest.mark.parametrize(("route", "name", "params"), OBJECT_URLS, ids=ids(OBJECT_URLS))
def test_the_owner_gets_through(client, world, route, name, params):
    url = reverse(name, kwargs=url_kwargs(route, params, world))
    client.force_login(entitled(route, world))

    response = client.get(url)

    # 200 for pages; a redirect where the page needs a started player run; 405 for POST-only actions.
    assert response.status_code in {200, 302, 405}


@pytest.mark.parametrize(("route", "name", "params"), LINK_URLS, ids=ids(LINK_URLS))
def test_a_trainer_whose_link_ended_gets_not_found_at_once(client, world, route, name, params):
    url = reverse(name, kwargs=url_kwargs(route, params, world))
    client.force_login(world.trainer)
    assert client.get(url).status_code in {200, 405}

    link_end(link=world.link)
    before = world.snapshot()

    get, post = client.get(url), client.post(url, {"body": "Still there?", "hold": "1"})
    assert (get.status_code, post.status_code) in {(404, 404), (404, 405), (405, 404)}
    assert world.snapshot() == before


@pytest.mark.parametrize(("route", "name", "params"), URLS, ids=ids(URLS))
def test_visitors_who_are_not_logged_in_are_sent_to_log_in_except_on_public_pages(
    client, world, route, name, params
):
    response = client.get(reverse(name, kwargs=url_kwargs(route, params, world)))

    if name in PUBLIC:
        # Readiness is 503 here (no worker left a heartbeat), but it does not ask to log in either.
        assert response.status_code == (503 if name == "health_ready" else 200)
    else:
        assert response.status_code in {302, 405}
        if response.status_code == 302:
            assert response.url.startswith(reverse("account_login"))
