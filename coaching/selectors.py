"""Reads of coaching: ownership helpers (404 for anyone else), the client page's reads and what
is due to a client. The roster is coaching.roster."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.screening import ScreeningStatus, screening_status, tier2_summary
from coaching.models import Assignment, SessionComment, TrainerClient
from progress.models import Enrolment, SessionLog
from progress.plan import active_enrolment
from routines.models import Routine, RoutineItem

# --- Ownership -------------------------------------------------------------------------------


def get_client_link_for_trainer(trainer, pk: int) -> TrainerClient:
    """One of the trainer's active clients, or 404: an ended link shows nothing any more."""
    return get_object_or_404(TrainerClient.objects.active().select_related("client"), pk=pk, trainer=trainer)


def get_invitation_for_trainer(trainer, pk: int) -> TrainerClient:
    return get_object_or_404(TrainerClient.objects.pending(), pk=pk, trainer=trainer)


def get_trainer_link_for_client(client, pk: int) -> TrainerClient:
    return get_object_or_404(TrainerClient.objects.active().select_related("trainer"), pk=pk, client=client)


def get_assignment_for_trainer(trainer, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("link", "routine", "source_routine"),
        pk=pk,
        link__trainer=trainer,
        link__status=TrainerClient.Status.ACTIVE,
    )


def shared_sessions(link: TrainerClient):
    """The sessions this link shows its trainer: those played from the link's assignments."""
    return SessionLog.objects.filter(assignment__link=link, user=link.client)


def get_shared_session(link: TrainerClient, pk: int) -> SessionLog:
    sessions = shared_sessions(link).select_related("assignment").prefetch_related("exercise_logs__exercise")
    return get_object_or_404(sessions, pk=pk)


def get_commentable_session_for_client(client, pk: int) -> SessionLog:
    """A client's own session that a trainer can see (so a comment thread makes sense), or 404."""
    session = get_object_or_404(SessionLog.objects.select_related("assignment__link"), pk=pk, user=client)
    if session.assignment is None or not session.assignment.link.is_active:
        raise Http404("No trainer sees this session.")
    return session


def comment_thread(session: SessionLog, viewer) -> list[SessionComment]:
    """The session's comments, oldest first, each with `is_new` for the viewer."""
    comments = list(session.comments.select_related("author"))
    for comment in comments:
        comment.is_new = comment.read_at is None and comment.author_id != viewer.pk
    return comments


@dataclass
class ClientScreening:
    """What a trainer sees of a client's safety screening: always its status; the tier-2 answers
    only when the client shares them (`tier2` is None otherwise). Never the warning signs."""

    status: ScreeningStatus
    answered_on: date | None
    tier2: list[str] | None

    @property
    def label(self) -> str:
        return ScreeningStatus(self.status).label


def client_screening(link: TrainerClient) -> ClientScreening:
    client = link.client
    answered_on = timezone.localdate(client.screened_at, client.zone) if client.screened_at else None
    shared = link.share_screening and answered_on is not None
    return ClientScreening(
        status=screening_status(client),
        answered_on=answered_on,
        tier2=tier2_summary(client) if shared else None,
    )


def client_programme(link: TrainerClient) -> Enrolment | None:
    """The client's programme under way, or None."""
    return active_enrolment(link.client)


def client_programme_changes(enrolment: Enrolment | None, limit: int = 10) -> list:
    """The latest changes of the client's programme, newest first."""
    if enrolment is None:
        return []
    return list(
        enrolment.adjustments.select_related("from_exercise", "to_exercise").order_by("-created_at", "-pk")[
            :limit
        ]
    )


def client_assignments(link: TrainerClient) -> QuerySet[Assignment]:
    """The link's assignments, newest first, each copy's routine with `adapted_items`: the items
    swapped for the client's conditions and the originals the client kept after reading why.
    Two queries. Whether the trainer sees the reasons is the template's call, on
    `link.share_screening`: a reason names a condition."""
    adapted = (
        RoutineItem.objects.filter(Q(swapped_from__isnull=False) | Q(kept_original_at__isnull=False))
        .select_related("exercise", "swapped_from")
        .order_by("order", "pk")
    )
    return (
        link.assignments.select_related("routine", "source_routine")
        .prefetch_related(Prefetch("routine__items", queryset=adapted, to_attr="adapted_items"))
        .order_by("-created_at")
    )


# --- What a client has to do -----------------------------------------------------------------


@dataclass
class AssignedRoutine:
    assignment: Assignment
    due_today: bool
    done_today: bool
    next_due: date | None


def assigned_routines(client, today: date) -> list[AssignedRoutine]:
    """The client's assignments from active links, those due today first. Three queries."""
    assignments = list(
        Assignment.objects.filter(link__client=client, link__status=TrainerClient.Status.ACTIVE)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("link__trainer", "routine")
        # Of the trainer, only their name (str(trainer)); the items for the routine's length.
        .only(
            *(field.name for field in Assignment._meta.concrete_fields),
            *(f"routine__{field.name}" for field in Routine._meta.concrete_fields),
            "link__trainer__display_name",
            "link__trainer__email",
        )
        .prefetch_related("routine__items")
        # Sorted below. Ordering here too cost more than the query: Django hashes every selected
        # column to match them against the ordering.
        .order_by()
    )
    done_today = set(
        SessionLog.objects.filter(user=client, local_date=today, assignment__in=assignments).values_list(
            "assignment_id", flat=True
        )
    )
    rows = [
        AssignedRoutine(
            assignment=assignment,
            due_today=assignment.is_due_on(today),
            done_today=assignment.pk in done_today,
            next_due=assignment.next_due(today),
        )
        for assignment in assignments
    ]
    return sorted(rows, key=lambda row: (not row.due_today, row.done_today, row.assignment.routine.title))


def assignments_without_reminder(client_ids: Iterable[int], first_day: date) -> list[Assignment]:
    """The assignments of active links, not over before `first_day`, that have no enabled reminder:
    what the weekly summary and the calendar feed show besides reminders (notifications.plans)."""
    return list(
        Assignment.objects.filter(link__client_id__in=client_ids, link__status=TrainerClient.Status.ACTIVE)
        .exclude(reminder_schedule__enabled=True)
        .exclude(ends_on__lt=first_day)
        .select_related("routine", "link__trainer")
        .order_by("starts_on", "pk")
    )
