"""Reads of coaching: ownership helpers (404 for anyone else), what is due, and the roster with
its cached page.

Adherence, for one week of the client's own calendar (Monday to Sunday, in their time zone):
- scheduled: the days an assignment is due, from Monday up to yesterday, plus today once it is
  done (today is not over yet, so a trainer looking on Monday morning sees no one behind);
- done: the scheduled days with a session of that assignment.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.screening import ScreeningStatus, screening_status, tier2_summary
from coaching.models import Assignment, SessionComment, TrainerClient
from progress.models import PAIN_ALERT_LEVEL, AssignmentDayRollup, Enrolment, SessionLog
from progress.selectors import PAIN_RISING_DAYS, pain_is_rising, week_start
from routines.models import RoutineItem

INACTIVE_DAYS = 7
LOW_ADHERENCE_PERCENT = 50
ALERT_DAYS = 14
TREND_DAYS = 14  # the tightness trend compares the last 14 days with the 14 before


class Flag:
    INACTIVE = "inactive"
    LOW_ADHERENCE = "low_adherence"
    PAIN = "pain"
    # progress.selectors.pain_is_rising on the sessions the trainer sees. Only when the client
    # shares their ratings: the flag is read from pain ratings and tells which way they went,
    # which sharing safety alerts (red flags, pain of PAIN_ALERT_LEVEL or more) never showed;
    # with ratings shared, the trainer sees every one of those numbers already.
    PAIN_RISING = "pain_rising"

    LABELS = {
        INACTIVE: f"No session for {INACTIVE_DAYS} days",
        LOW_ADHERENCE: f"Under {LOW_ADHERENCE_PERCENT}% this week",
        PAIN: f"Pain {PAIN_ALERT_LEVEL}+ or a red flag",
        PAIN_RISING: "Pain rising",
    }


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
    return Enrolment.objects.active().filter(user=link.client).select_related("held_by").first()


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
        .prefetch_related("routine__items__exercise")
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


# --- The roster ------------------------------------------------------------------------------


@dataclass
class RosterRow:
    link_id: int
    name: str
    email: str
    time_zone: str
    accepted_on: date
    screening: ScreeningStatus = ScreeningStatus.DUE  # always shown, whatever the client shares
    done: int = 0
    scheduled: int = 0
    last_session: date | None = None
    tightness_recent: float | None = None  # average tightness before, last TREND_DAYS days
    tightness_previous: float | None = None  # and the TREND_DAYS days before those
    new_comments: int = 0
    flags: list[str] = field(default_factory=list)
    # The programme "Upper-back reset, 6 weeks", when the client follows it.
    programme_week: int | None = None
    programme_level: int | None = None
    programme_held: bool = False

    @property
    def adherence_percent(self) -> int | None:
        return round(100 * self.done / self.scheduled) if self.scheduled else None

    @property
    def tightness_change(self) -> float | None:
        if self.tightness_recent is None or self.tightness_previous is None:
            return None
        return round(self.tightness_recent - self.tightness_previous, 1)

    @property
    def screening_label(self) -> str:
        return ScreeningStatus(self.screening).label

    @property
    def flag_labels(self) -> list[str]:
        return [Flag.LABELS[flag] for flag in self.flags]


def _through(path: str, lookups: dict) -> dict:
    """Lookups of a related model's, from another: ("assignment", {"link__trainer": t}) →
    {"assignment__link__trainer": t}."""
    return {f"{path}__{name}": value for name, value in lookups.items()}


# What the roster reads of each link and client (and screening_status of the client): nothing more
# is loaded, and a field missing here would cost a query per client (the query-count test sees it).
ROSTER_LINK_FIELDS = ("client", "email", "accepted_at", "share_ratings", "share_red_flags", "status")
ROSTER_CLIENT_FIELDS = (
    "email",
    "display_name",
    "time_zone",
    "screened_at",
    "screening_due_reason",
    "warning_signs",
    "cleared_at",
)


def roster(trainer, now: datetime | None = None, *, week_ended_on: date | None = None) -> list[RosterRow]:
    """Every active client of the trainer with their safety screening's status, this week's
    adherence, last session, tightness trend and flags (pain rising among them, from the
    sessions of the last PAIN_RISING_DAYS days) and where they are in the programme. Seven
    queries, whatever the number of clients and sessions: most figures come from the rollups of
    the assignments' days (progress.rollups).

    `week_ended_on` (the weekly digest): every client is seen as on that local day, and that
    day counts as over, so the figures are those of the week that ended then."""
    now = now or timezone.now()
    # Only the columns the roster reads: a roster of 1,000 clients spends its time building rows.
    links = list(
        TrainerClient.objects.active()
        .filter(trainer=trainer)
        .select_related("client")
        .only(*ROSTER_LINK_FIELDS, *(f"client__{name}" for name in ROSTER_CLIENT_FIELDS))
    )
    if not links:
        return []
    by_link = {link.pk: link for link in links}
    # The same links, as a join rather than a list of ids: 1,000 ids bound into every query cost more
    # than the queries themselves.
    of_links = {"link__trainer": trainer, "link__status": TrainerClient.Status.ACTIVE}
    today = {link.pk: week_ended_on or now.astimezone(link.client.zone).date() for link in links}
    rows = {
        link.pk: RosterRow(
            link_id=link.pk,
            name=link.client_name,
            email=link.client.email,
            time_zone=link.client.time_zone,
            accepted_on=link.accepted_at.astimezone(link.client.zone).date(),
            screening=screening_status(link.client, now),
        )
        for link in links
    }
    # The days each client was due, and did, an assignment this week.
    scheduled: dict[int, set[tuple[int, date]]] = defaultdict(set)
    for assignment in Assignment.objects.filter(**of_links).only(
        "link_id", "weekdays", "starts_on", "ends_on"
    ):
        client_today = today[assignment.link_id]
        for day in assignment.due_days(week_start(client_today), client_today):
            scheduled[assignment.link_id].add((assignment.pk, day))
    # The recent days of the sessions the trainer sees, summed per assignment (progress.rollups).
    earliest = min(today.values()) - timedelta(days=max(2 * TREND_DAYS, ALERT_DAYS))
    recent_days = (
        AssignmentDayRollup.objects.filter(local_date__gte=earliest, **_through("assignment", of_links))
        .values_list(
            "assignment__link_id",
            "assignment_id",
            "local_date",
            "tightness_before_sum",
            "tightness_before_count",
            "attention_sessions",
        )
        .order_by()
    )
    done: dict[int, set[tuple[int, date]]] = defaultdict(set)
    # Sum and count of tightness before, in the last TREND_DAYS days and the TREND_DAYS before.
    tightness: dict[int, list[list[int]]] = defaultdict(lambda: [[0, 0], [0, 0]])
    alerts: set[int] = set()
    for link_id, assignment_id, day, before_sum, before_count, attention in recent_days:
        link, client_today = by_link[link_id], today[link_id]
        if day > client_today:
            continue
        done[link_id].add((assignment_id, day))
        age = (client_today - day).days
        if link.share_ratings and before_count and age < 2 * TREND_DAYS:
            period = tightness[link_id][0 if age < TREND_DAYS else 1]
            period[0] += before_sum
            period[1] += before_count
        if link.share_red_flags and age < ALERT_DAYS and attention:
            alerts.add(link_id)
    # The pain trend reads the sessions themselves (their order matters), only PAIN_RISING_DAYS of them.
    pains: dict[int, list[int]] = defaultdict(list)  # oldest first
    rated = (
        SessionLog.objects.filter(
            **_through("assignment", of_links),
            assignment__link__share_ratings=True,
            local_date__gt=min(today.values()) - timedelta(days=PAIN_RISING_DAYS),
            pain__isnull=False,
        )
        .values_list("assignment__link_id", "local_date", "pain")
        .order_by("started_at", "pk")
    )
    for link_id, day, pain in rated:
        client_today = today[link_id]
        if day <= client_today and (client_today - day).days < PAIN_RISING_DAYS:
            pains[link_id].append(pain)
    last_sessions = dict(
        AssignmentDayRollup.objects.filter(**_through("assignment", of_links))
        .values("assignment__link_id")
        .annotate(last=Max("local_date"))
        .values_list("assignment__link_id", "last")
        .order_by()
    )
    new_comments = dict(
        SessionComment.objects.filter(**_through("session__assignment", of_links), read_at=None)
        .exclude(author=trainer)
        .values("session__assignment__link_id")
        .annotate(count=Count("pk"))
        .values_list("session__assignment__link_id", "count")
        .order_by()
    )
    programmes = {
        enrolment.user_id: enrolment
        for enrolment in Enrolment.objects.active()
        .filter(user_id__in=[link.client_id for link in links])
        .only("user_id", "week", "steps", "held_at", "held_by_id")
    }
    for link_id, row in rows.items():
        if (enrolment := programmes.get(by_link[link_id].client_id)) is not None:
            row.programme_week, row.programme_level = enrolment.week, enrolment.level
            row.programme_held = enrolment.is_held
        client_today = today[link_id]
        over = client_today if week_ended_on else client_today - timedelta(days=1)  # days that are over
        due = {(a, day) for a, day in scheduled[link_id] if day <= over or (a, day) in done[link_id]}
        row.scheduled = len(due)
        row.done = len(due & done[link_id])
        (recent_sum, recent_count), (previous_sum, previous_count) = tightness[link_id]
        row.tightness_recent = round(recent_sum / recent_count, 1) if recent_count else None
        row.tightness_previous = round(previous_sum / previous_count, 1) if previous_count else None
        row.last_session = last_sessions.get(link_id)
        row.new_comments = new_comments.get(link_id, 0)
        since = row.last_session or row.accepted_on
        if (client_today - since).days >= INACTIVE_DAYS:
            row.flags.append(Flag.INACTIVE)
        if row.adherence_percent is not None and row.adherence_percent < LOW_ADHERENCE_PERCENT:
            row.flags.append(Flag.LOW_ADHERENCE)
        if link_id in alerts:
            row.flags.append(Flag.PAIN)
        if pain_is_rising(pains[link_id]):
            row.flags.append(Flag.PAIN_RISING)
    return list(rows.values())


ROSTER_SORTS = {
    "flags": ("Most flags first", lambda row: (-len(row.flags), row.name.lower())),
    "adherence": (
        "Lowest adherence first",
        lambda row: (row.adherence_percent is None, row.adherence_percent or 0, row.name.lower()),
    ),
    "last_session": (
        "Longest since a session first",
        lambda row: (row.last_session or date.min, row.name.lower()),
    ),
    "name": ("Name", lambda row: row.name.lower()),
}


def roster_sorted(rows: list[RosterRow], *, sort: str, flag: str) -> list[RosterRow]:
    """Filter by one flag ("any" for any flag, "" for everyone) and sort."""
    if flag == "any":
        rows = [row for row in rows if row.flags]
    elif flag:
        rows = [row for row in rows if flag in row.flags]
    return sorted(rows, key=ROSTER_SORTS.get(sort, ROSTER_SORTS["flags"])[1])


ROSTER_FLAG_CHOICES = [("", "All clients"), ("any", "Any flag"), *Flag.LABELS.items()]
ROSTER_SORT_CHOICES = [(key, label) for key, (label, _) in ROSTER_SORTS.items()]
ROSTER_PAGE_SIZE = 50
# The roster is computed once and cached under everything it depends on: the trainer's
# dashboard_version, which every write to their links, invitations and assignments bumps, and so
# does every write to an active client's sessions, comments or profile
# (accounts.services.user_dashboard_changed); and the quarter hour, as each client's "today"
# turns at their own midnight. A cached roster is never behind the data, and at most 15 minutes
# behind the clock. A request served from the cache costs one query: the trainer, for the login.
ROSTER_CACHE_SECONDS = 15 * 60


def roster_cache_key(trainer, now: datetime | None = None) -> str:
    slot = int((now or timezone.now()).timestamp() // ROSTER_CACHE_SECONDS)
    return f"roster:4:{trainer.pk}:{trainer.dashboard_version}:{slot}"


def _roster_results_key(key: str, flag: str, sort: str, page_number: int) -> str:
    if flag not in dict(ROSTER_FLAG_CHOICES) or sort not in ROSTER_SORTS:
        raise ValueError(f"Not a roster filter: {flag!r}, {sort!r}")  # the key space must stay bounded
    return f"{key}:{flag}:{sort}:{page_number}"


def roster_page_cached(request: HttpRequest, trainer, *, flag: str, sort: str, page_number: int) -> dict:
    """The roster page's context: `html`, the `results` partial of coaching/roster.html (the
    filters and one page of the table), and `pending_count`, the invitations waiting.

    The rows are cached under roster_cache_key; the rendered table too, per filter, sort and
    page, as rendering 50 rows costs more than computing them once did.

    The key space is bounded: `flag` and `sort` are the form's choices, and a table is only ever
    stored under a page that exists (a number past the end is served the last page, stored under
    its own number), so `?page=N` for every N cannot fill the cache."""
    key = roster_cache_key(trainer)
    results = cache.get(_roster_results_key(key, flag, sort, page_number))
    if results is not None:
        return results
    rows = cache.get(key)
    if rows is None:
        rows = roster(trainer)
        cache.set(key, rows, ROSTER_CACHE_SECONDS)
    page = Paginator(roster_sorted(rows, sort=sort, flag=flag), ROSTER_PAGE_SIZE).get_page(page_number)
    results_key = _roster_results_key(key, flag, sort, page.number)
    if page.number != page_number and (results := cache.get(results_key)) is not None:
        return results
    context = {
        "page": page,
        "flag": flag,
        "sort": sort,
        "flag_choices": ROSTER_FLAG_CHOICES,
        "sort_choices": ROSTER_SORT_CHOICES,
        "has_clients": bool(rows),
        "filtered": bool(flag),
        "query": urlencode({"flag": flag, "sort": sort}),
    }
    results = {
        "html": render_to_string("coaching/roster.html#results", context, request=request),
        "pending_count": trainer.client_links.pending().count(),
    }
    cache.set(results_key, results, ROSTER_CACHE_SECONDS)
    return results
