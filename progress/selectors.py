"""Reads of a person's progress: their own sessions (404 for anyone else's), their history, and
the dashboard's figures. Every function runs a fixed number of queries, whatever the number of
sessions, and aggregates in the database.

Days are the person's local days (SessionLog.local_date); "today" comes from their time zone.
Figures over many days read the rollups (progress.rollups: one row per day, per exercise), not the
sessions; lists of sessions read a bounded window of them.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from django.db.models import Count, ExpressionWrapper, F, FloatField, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from progress.models import DayRollup, ExerciseRollup, SessionLog
from progress.player import PlayerRun
from routines.models import Routine

HEATMAP_WEEKS = 12
TREND_WEEKS = 8
# "What helps you most" needs this many rated sessions, and each exercise this many of them.
RANKING_MIN_SESSIONS = 10
RANKING_MIN_SESSIONS_PER_EXERCISE = 3
# A streak survives one rest day between sessions; two days off in a row end it.
STREAK_MAX_REST_DAYS = 1
# Pain rising (pain_is_rising): the last PAIN_RISING_SESSIONS sessions rated for pain in the last
# PAIN_RISING_DAYS days, each rated higher than the one before, the last at PAIN_RISING_FROM or more.
PAIN_RISING_SESSIONS = 3
PAIN_RISING_DAYS = 14
PAIN_RISING_FROM = 4


def rounded_average(values: list[int]) -> float | None:
    """The mean to one decimal, as ratings are shown; None for no values."""
    return round(sum(values) / len(values), 1) if values else None


def local_today(user, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(user.zone).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # Monday


def sessions_of(user):
    return SessionLog.objects.filter(user=user)


def days_of(user) -> QuerySet[DayRollup]:
    """The person's days with a session, summed (progress.rollups)."""
    return DayRollup.objects.filter(user=user)


def unfinished_player_runs(session, user) -> list[tuple[Routine, PlayerRun]]:
    """The runs of the player the person left (to resume, log or discard), with their routines,
    newest first: read from their session, so no query at all when there is none."""
    runs = PlayerRun.unfinished(session)
    if not runs:
        return []
    routines = Routine.objects.owned_by(user).in_bulk([run.routine_id for run in runs])
    return [(routines[run.routine_id], run) for run in runs if run.routine_id in routines]


def get_session_for_user(user, pk: int, queryset: QuerySet[SessionLog] | None = None) -> SessionLog:
    """A session of the person's own, or 404 for anyone else's."""
    sessions = SessionLog.objects.select_related("user", "routine") if queryset is None else queryset
    return get_object_or_404(sessions, pk=pk, user=user)


def session_of_player_run(user, token: uuid.UUID | str | None) -> SessionLog | None:
    """The session already saved from the player run with this token; a token that is not a
    UUID (a tampered form) names none."""
    try:
        client_token = uuid.UUID(str(token))
    except ValueError:
        return None
    return sessions_of(user).filter(client_token=client_token).first()


def session_history(
    user, *, routine: Routine | None = None, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[SessionLog]:
    """The person's sessions, newest first: of one routine, and from and to a local day, when given."""
    sessions = sessions_of(user).order_by("-started_at")
    if routine is not None:
        sessions = sessions.filter(routine=routine)
    if date_from is not None:
        sessions = sessions.filter(local_date__gte=date_from)
    if date_to is not None:
        sessions = sessions.filter(local_date__lte=date_to)
    return sessions


@dataclass(frozen=True)
class Day:
    """One day's figures from its rollup (progress.models.DayRollup)."""

    day: date
    sessions: int
    minutes: int
    rated_sessions: int
    relief_sum: int


def recent_days(user, today: date) -> list[Day]:
    """The days with a session in the heatmap's HEATMAP_WEEKS weeks up to `today`, newest first:
    one query of at most a row a day, from which the week, the heatmap and the weekly relief
    (TREND_WEEKS, fewer) are all counted."""
    rows = (
        days_of(user)
        .filter(local_date__gte=week_start(today) - timedelta(weeks=HEATMAP_WEEKS - 1), local_date__lte=today)
        .order_by("-local_date")
        .values_list("local_date", "sessions", "duration", "rated_sessions", "relief_sum")
    )
    return [
        Day(day, sessions, round(duration.total_seconds() / 60), rated, relief)
        for day, sessions, duration, rated, relief in rows
    ]


@dataclass(frozen=True)
class Streak:
    days: int  # days with a session in the current run
    active_today: bool


def streak(user, today: date) -> Streak:
    """Days stretched in the current run, allowing one rest day between them.

    A run that ended yesterday or the day before still counts: today is not over yet.
    One query: the days with a session, newest first (their rollups: one row per day).
    """
    days = days_of(user).filter(local_date__lte=today).order_by("-local_date")
    return streak_from_days(days.values_list("local_date", flat=True), today)


def days_totals_and_streak(user, today: date) -> tuple[int, int, Streak]:
    """days_totals and streak in one query (the dashboard's): the days' rollups newest first, with
    their rated sessions."""
    rows = list(days_of(user).order_by("-local_date").values_list("local_date", "rated_sessions"))
    found = streak_from_days((day for day, _ in rows if day <= today), today)
    return len(rows), sum(rated for _, rated in rows), found


def streak_from_days(days: Iterable[date], today: date) -> Streak:
    """The streak ending at `today`, from the distinct session days newest first."""
    count = 0
    newest = None
    expected_after = today + timedelta(days=1)
    for day in days:
        if (expected_after - day).days > STREAK_MAX_REST_DAYS + 1:
            break
        newest = newest or day
        count += 1
        expected_after = day
    return Streak(days=count, active_today=newest == today)


@dataclass(frozen=True)
class WeekSummary:
    sessions: int
    minutes: int
    goal_sessions: int
    goal_minutes: int

    @property
    def sessions_percent(self) -> int:
        return min(100, round(100 * self.sessions / self.goal_sessions)) if self.goal_sessions else 0

    @property
    def minutes_percent(self) -> int:
        return min(100, round(100 * self.minutes / self.goal_minutes)) if self.goal_minutes else 0


def week_summary(user, today: date, days: list[Day] | None = None) -> WeekSummary:
    """This week's sessions and minutes against the person's goals. `days`: recent_days(user, today),
    when the caller has them already (no query then)."""
    days = recent_days(user, today) if days is None else days
    monday = week_start(today)
    this_week = [day for day in days if monday <= day.day <= today]
    return WeekSummary(
        sessions=sum(day.sessions for day in this_week),
        minutes=sum(day.minutes for day in this_week),
        goal_sessions=user.weekly_goal_sessions,
        goal_minutes=user.weekly_goal_minutes,
    )


@dataclass(frozen=True)
class HeatmapDay:
    day: date
    sessions: int
    minutes: int
    is_future: bool

    @property
    def level(self) -> int:
        """0 none, 1 short (< 10 min), 2 (10–19 min), 3 (20 min or more)."""
        if not self.sessions:
            return 0
        return 1 if self.minutes < 10 else 2 if self.minutes < 20 else 3


def heatmap(user, today: date, days: list[Day] | None = None) -> list[list[HeatmapDay]]:
    """HEATMAP_WEEKS columns of Monday..Sunday, the last one holding today. `days`: as week_summary's."""
    days = recent_days(user, today) if days is None else days
    first = week_start(today) - timedelta(weeks=HEATMAP_WEEKS - 1)
    by_day = {day.day: day for day in days if day.day >= first}
    weeks = []
    for week in range(HEATMAP_WEEKS):
        column = []
        for weekday in range(7):
            day = first + timedelta(weeks=week, days=weekday)
            row = by_day.get(day)
            column.append(HeatmapDay(day, row.sessions if row else 0, row.minutes if row else 0, day > today))
        weeks.append(column)
    return weeks


@dataclass(frozen=True)
class TrendPoint:
    day: date
    before: int
    after: int


def tightness_trend(user, today: date) -> list[TrendPoint]:
    """Before and after of each rated session in the last TREND_WEEKS weeks, oldest first."""
    rows = (
        sessions_of(user)
        .filter(local_date__gt=today - timedelta(weeks=TREND_WEEKS), local_date__lte=today)
        .exclude(tightness_before=None)
        .exclude(tightness_after=None)
        .order_by("started_at")
        .values_list("local_date", "tightness_before", "tightness_after")
    )
    return [TrendPoint(*row) for row in rows]


@dataclass(frozen=True)
class WeeklyRelief:
    week: date  # its Monday
    relief: float  # average of before − after
    sessions: int


def weekly_relief(user, today: date, days: list[Day] | None = None) -> list[WeeklyRelief]:
    """The average relief of the rated sessions of each of the last TREND_WEEKS weeks that has
    any, oldest first. `days`: as week_summary's."""
    days = recent_days(user, today) if days is None else days
    first = week_start(today) - timedelta(weeks=TREND_WEEKS - 1)
    weeks: dict[date, list[int]] = {}
    for day in reversed(days):
        if day.day >= first and day.rated_sessions:
            totals = weeks.setdefault(week_start(day.day), [0, 0])
            totals[0] += day.relief_sum
            totals[1] += day.rated_sessions
    return [WeeklyRelief(week, round(relief / rated, 1), rated) for week, (relief, rated) in weeks.items()]


@dataclass(frozen=True)
class ExerciseRelief:
    name: str
    slug: str
    relief: float
    sessions: int


@dataclass(frozen=True)
class Ranking:
    rated_sessions: int
    exercises: list[ExerciseRelief]

    @property
    def enough_data(self) -> bool:
        return self.rated_sessions >= RANKING_MIN_SESSIONS

    @property
    def sessions_needed(self) -> int:
        return max(0, RANKING_MIN_SESSIONS - self.rated_sessions)


def days_totals(user) -> tuple[int, int]:
    """The person's days with a session, and their rated sessions: one query on the rollups."""
    totals = days_of(user).aggregate(days=Count("pk"), rated=Sum("rated_sessions"))
    return totals["days"], totals["rated"] or 0


def what_helps_most(user, limit: int = 5, *, rated_sessions: int | None = None) -> Ranking:
    """Exercises ranked by the average relief (before − after) of the sessions that included them.
    Two queries, on the rollups (progress.rollups): the days' rated sessions (one, when the caller
    passes `rated_sessions` from days_totals), and one row per exercise."""
    if rated_sessions is None:
        rated_sessions = days_totals(user)[1]
    # Always queried (even below the threshold), so the dashboard's query count never varies.
    rows = list(
        ExerciseRollup.objects.filter(user=user, sessions__gte=RANKING_MIN_SESSIONS_PER_EXERCISE)
        .annotate(relief=ExpressionWrapper(F("relief_sum") * 1.0 / F("logs"), output_field=FloatField()))
        .values("exercise__name", "exercise__slug", "sessions", "relief")
        .order_by("-relief", "-sessions", "exercise__name")[:limit]
    )
    if rated_sessions < RANKING_MIN_SESSIONS:
        return Ranking(rated_sessions, [])
    return Ranking(
        rated_sessions,
        [
            ExerciseRelief(
                row["exercise__name"], row["exercise__slug"], round(float(row["relief"]), 1), row["sessions"]
            )
            for row in rows
        ],
    )


def pain_is_rising(pains: Sequence[int]) -> bool:
    """The pain-rising rule, on the pain ratings of a person's sessions of the last
    PAIN_RISING_DAYS days, oldest first: the last PAIN_RISING_SESSIONS of them each higher than the
    one before, ending at PAIN_RISING_FROM or more.

    Why this rule: it is what a person notices themselves ("each time it hurt a bit more"), it
    reacts within days rather than weeks, and it needs no baseline week. Ending at 4 or more leaves
    out a climb through low numbers (0, 1, 2) that is no cause for concern; a single session at
    PAIN_ALERT_LEVEL or more has guidance and an alert of its own. Sessions without a pain rating
    are passed over, not counted as 0. The same rule serves the person's dashboard (all their
    sessions) and their trainer's roster and digest (the sessions the trainer can see)."""
    last = list(pains)[-PAIN_RISING_SESSIONS:]
    return (
        len(last) == PAIN_RISING_SESSIONS
        and all(earlier < later for earlier, later in pairwise(last))
        and last[-1] >= PAIN_RISING_FROM
    )


@dataclass(frozen=True)
class PainTrend:
    pains: list[int]  # the pain of the last PAIN_RISING_SESSIONS rated sessions, oldest first
    session_ids: list[int]  # and those sessions

    @property
    def rising(self) -> bool:
        return pain_is_rising(self.pains)


def pain_trend(user, today: date) -> PainTrend:
    """The person's last rated sessions of the last PAIN_RISING_DAYS days, and whether their pain
    is rising (pain_is_rising). One query."""
    rows = list(
        sessions_of(user)
        .filter(local_date__gt=today - timedelta(days=PAIN_RISING_DAYS), local_date__lte=today)
        .exclude(pain=None)
        .order_by("-started_at", "-pk")
        .values_list("pk", "pain")[:PAIN_RISING_SESSIONS]
    )
    rows.reverse()
    return PainTrend(pains=[pain for _, pain in rows], session_ids=[pk for pk, _ in rows])
