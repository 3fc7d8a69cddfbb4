"""The trainer's roster: every active client's figures and flags, the rows of a page, and the
cached page.

Adherence, for one week of the client's own calendar (Monday to Sunday, in their time zone):
- scheduled: the days an assignment is due, from Monday up to yesterday, plus today once it is
  done (today is not over yet, so a trainer looking on Monday morning sees no one behind);
- done: the scheduled days with a session of that assignment.
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, FilteredRelation, Max, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from accounts.paths import path_builder
from accounts.screening import ScreeningStatus, screening_status
from coaching.models import Assignment, SessionComment, TrainerClient
from progress.charts import day_label
from progress.models import PAIN_ALERT_LEVEL, AssignmentDayRollup, Enrolment, SessionLog
from progress.selectors import (
    PAIN_RISING_DAYS,
    PAIN_RISING_FROM,
    PAIN_RISING_SESSIONS,
    pain_is_rising,
    week_start,
)

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


@dataclass
class RosterRow:
    link_id: int
    name: str
    email: str
    url: str = ""  # the client's page
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
    def flag_labels(self) -> list[str]:
        return [Flag.LABELS[flag] for flag in self.flags]

    # What the roster's cells show, worked out here rather than by template filters, which cost
    # more than the rest of a row (the table has 50 rows and is rendered on every first view).

    @property
    def last_session_label(self) -> str:
        """The last session's day, "Fri 27 Nov", as the charts show a day."""
        return "" if self.last_session is None else day_label(self.last_session)

    @property
    def tightness_trend(self) -> str:
        """Which way tightness moved from the fortnight before to the last: "easing", "tighter",
        "steady", or "" without both."""
        change = self.tightness_change
        if change is None:
            return ""
        return "easing" if change < 0 else "tighter" if change > 0 else "steady"

    @property
    def tightness_change_size(self) -> str:
        """How far it moved, one decimal and no sign ("2.3"), as `floatformat:1` showed it."""
        change = self.tightness_change
        return "" if change is None else f"{abs(change):.1f}"


class RosterFigures(NamedTuple):
    """What the roster sorts and filters on, one per client, computed in SQL (_ROSTER_SQL)."""

    link_id: int
    today: date  # the client's local day (the digest's week_ended_on for everyone)
    scheduled: int
    done: int
    last_session: date | None
    flags: tuple[str, ...]


# Every active client's figures in one statement over the rollups of the assignments' days
# (progress.rollups), sorted, so that sorting, filtering and counting 1,000 clients costs no Python
# per client beyond a small tuple: only the rows shown are built (_roster_rows). Each figure means
# what this module's docstring says, in the client's own time zone (PostgreSQL's timezone(), on
# the same IANA names as zoneinfo). %(ended)s is the digest's week_ended_on: then that day is
# everyone's today, and it counts as over. The flags, in Flag's order:
# - inactive: no session for INACTIVE_DAYS, counted from the link's acceptance when there is none;
# - low adherence: RosterRow.adherence_percent (Python's round, half to even) under the threshold;
# - pain: a day with an attention session in the last ALERT_DAYS, red flags shared;
# - pain rising: progress.selectors.pain_is_rising on the last PAIN_RISING_SESSIONS pain ratings of
#   the last PAIN_RISING_DAYS (ratings shared), in SQL: each higher than the one before, the last
#   at PAIN_RISING_FROM or more; so the sessions are read only for the clients with a day of that
#   pain in the window (the day rollups' pain_max), a few of them.
# Names sort as Python's str.lower() does, by code point (COLLATE "C"); ties newest link first.
_ROSTER_SQL = """
WITH links AS MATERIALIZED (  -- each client's today, worked out once, its weekday and the last day over
    SELECT t.*, EXTRACT(ISODOW FROM t.today)::int AS weekday,
           t.today - CASE WHEN %(ended)s::date IS NULL THEN 1 ELSE 0 END AS over
    FROM (
        SELECT tc.id AS link_id, tc.created_at, tc.share_ratings, tc.share_red_flags,
               lower(COALESCE(NULLIF(u.display_name, ''), u.email)) AS name,
               timezone(u.time_zone, tc.accepted_at)::date AS accepted_on,
               COALESCE(%(ended)s::date, timezone(u.time_zone, %(now)s::timestamptz)::date) AS today
        FROM {link} tc JOIN {user} u ON u.id = tc.client_id
        WHERE tc.trainer_id = %(trainer)s AND tc.status = %(active)s
    ) t
)
SELECT link_id, today, scheduled, done, last_session, inactive, low, pain, rising
FROM (
    SELECT f.*, inactive::int + low::int + pain::int + rising::int AS flag_count
    FROM (
        SELECT l.link_id, l.name, l.created_at, l.today, ad.scheduled, ad.done, ad.last_session, ad.percent,
               COALESCE((l.today - COALESCE(ad.last_session, l.accepted_on)) >= %(inactive_days)s, false)
                   AS inactive,
               COALESCE(ad.percent < %(low_percent)s, false) AS low,
               l.share_red_flags AND COALESCE(ad.alert, false) AS pain,
               COALESCE(
                   cardinality(pr.pains) = %(rising_sessions)s
                   AND pr.pains[%(rising_sessions)s] >= %(rising_from)s
                   AND {rising_order},
                   false
               ) AS rising
        FROM links l
        CROSS JOIN LATERAL (  -- of the client's assignments: this week, the last day, recent attention
            SELECT due.scheduled, due.done, due.last_session, due.alert, due.pain_high,
                   CASE WHEN due.scheduled > 0 THEN 100 * due.done / due.scheduled + CASE
                       WHEN 2 * (100 * due.done %% due.scheduled) > due.scheduled THEN 1
                       WHEN 2 * (100 * due.done %% due.scheduled) = due.scheduled
                           THEN (100 * due.done / due.scheduled) %% 2
                       ELSE 0 END
                   END AS percent
            FROM (
                -- scheduled: this week's due days up to the last day over, and today once done
                SELECT COALESCE(sum(so_far.days + days.done_today), 0)::int AS scheduled,
                       COALESCE(sum(days.done), 0)::int AS done,
                       max(days.last) AS last_session, bool_or(days.alert) AS alert,
                       bool_or(days.pain_high) AS pain_high
                FROM {assignment} a
                CROSS JOIN LATERAL (  -- its due days from Monday to the last day over: no index to read
                    SELECT count(*) AS days
                    FROM (VALUES (0), (1), (2), (3), (4), (5), (6)) AS offsets (n)
                    WHERE offsets.n < l.weekday AND l.today - offsets.n <= l.over
                      AND a.weekdays @> to_jsonb(l.weekday - offsets.n - 1)
                      AND a.starts_on <= l.today - offsets.n
                      AND (a.ends_on IS NULL OR l.today - offsets.n <= a.ends_on)
                ) so_far
                CROSS JOIN LATERAL (  -- its recent days with a session, one range of its index
                    SELECT count(*) FILTER (WHERE due) AS done,
                           count(*) FILTER (WHERE due AND r.local_date > l.over) AS done_today,
                           bool_or(r.attention_sessions > 0 AND r.local_date > l.today - %(alert_days)s)
                               AS alert,
                           -- pain rising ends at PAIN_RISING_FROM or more: a day of that pain first
                           bool_or(r.pain_max >= %(rising_from)s AND r.local_date > l.today - %(rising_days)s)
                               AS pain_high,
                           -- the last day, from the end of its index
                           (SELECT max(last.local_date) FROM {rollup} last WHERE last.assignment_id = a.id)
                               AS last
                    FROM {rollup} r
                    CROSS JOIN LATERAL (
                        SELECT r.local_date > l.today - l.weekday
                               AND a.weekdays @> to_jsonb(EXTRACT(ISODOW FROM r.local_date)::int - 1)
                               AND a.starts_on <= r.local_date
                               AND (a.ends_on IS NULL OR r.local_date <= a.ends_on) AS due
                    ) this_week
                    WHERE r.assignment_id = a.id
                      AND r.local_date > l.today - GREATEST(%(alert_days)s, %(rising_days)s, 7)
                      AND r.local_date <= l.today
                ) days
                WHERE a.link_id = l.link_id
            ) due
        ) ad
        CROSS JOIN LATERAL (  -- the last pain ratings, oldest first, read only after a day of high pain
            SELECT array_agg(last.pain ORDER BY last.started_at, last.id) AS pains FROM (
                SELECT s.pain, s.started_at, s.id
                FROM {assignment} a JOIN {session} s ON s.assignment_id = a.id
                WHERE l.share_ratings AND ad.pain_high AND a.link_id = l.link_id AND s.pain IS NOT NULL
                  AND s.local_date > l.today - %(rising_days)s AND s.local_date <= l.today
                ORDER BY s.started_at DESC, s.id DESC
                LIMIT %(rising_sessions)s
            ) last
        ) pr
    ) f
) sorted
ORDER BY {order}created_at DESC, link_id DESC
"""

ROSTER_SORTS = {
    # key: (label, ORDER BY of _ROSTER_SQL), the order of RosterRow's (flags, adherence_percent,
    # last_session, name.lower())
    "flags": ("Most flags first", 'flag_count DESC, name COLLATE "C"'),
    "adherence": ("Lowest adherence first", 'percent IS NULL, COALESCE(percent, 0), name COLLATE "C"'),
    "last_session": ("Longest since a session first", 'last_session ASC NULLS FIRST, name COLLATE "C"'),
    "name": ("Name", 'name COLLATE "C"'),
}
_FLAG_ORDER = (Flag.INACTIVE, Flag.LOW_ADHERENCE, Flag.PAIN, Flag.PAIN_RISING)


def roster_figures(
    trainer, now: datetime | None = None, *, week_ended_on: date | None = None, sort: str = ""
) -> list[RosterFigures]:
    """Every active client's RosterFigures, in the order of ROSTER_SORTS[sort] (with no sort,
    newest link first). One query, whatever the number of clients and sessions, on PostgreSQL;
    elsewhere (SQLite, for `make run` with no settings) the same figures worked out in Python."""
    if connection.vendor != "postgresql":
        return roster_figures_in_python(trainer, now, week_ended_on=week_ended_on, sort=sort)
    order = f"{ROSTER_SORTS[sort][1]}, " if sort else ""
    sql = _ROSTER_SQL.format(
        link=TrainerClient._meta.db_table,
        user=trainer._meta.db_table,
        assignment=Assignment._meta.db_table,
        rollup=AssignmentDayRollup._meta.db_table,
        session=SessionLog._meta.db_table,
        order=order,
        # Each pain higher than the one before: pains[1] < pains[2] AND pains[2] < pains[3] …
        rising_order=" AND ".join(
            f"pr.pains[{i}] < pr.pains[{i + 1}]" for i in range(1, PAIN_RISING_SESSIONS)
        )
        or "true",
    )
    params = {
        "trainer": trainer.pk,
        "active": TrainerClient.Status.ACTIVE.value,
        "now": now or timezone.now(),
        "ended": week_ended_on,
        "alert_days": ALERT_DAYS,
        "rising_days": PAIN_RISING_DAYS,
        "rising_sessions": PAIN_RISING_SESSIONS,
        "rising_from": PAIN_RISING_FROM,
        "inactive_days": INACTIVE_DAYS,
        "low_percent": LOW_ADHERENCE_PERCENT,
    }
    with connection.cursor() as cursor:
        # The planner's estimate grows with the clients and crosses jit_above_cost at about 2,000:
        # compiling the statement then took 400 ms where running it takes 35 (1,000 clients). Sent
        # in the same query string, SET LOCAL costs no round trip of its own: PostgreSQL runs a
        # string of statements as one transaction (Django's psycopg cursors bind on the client,
        # so the string goes as one simple query), and jit is back on after it. (Inside an outer
        # transaction jit stays off until that one ends; and with psycopg's server-side binding,
        # which Django leaves off, two statements in one execute would be refused.)
        cursor.execute(f"SET LOCAL jit = off;{sql}", params)
        cursor.nextset()
        return [
            RosterFigures(
                link_id,
                today,
                scheduled,
                done,
                last_session,
                tuple(flag for flag, on in zip(_FLAG_ORDER, flags, strict=True) if on),
            )
            for link_id, today, scheduled, done, last_session, *flags in cursor.fetchall()
        ]


# How the roster's sorts order RosterFigures in Python (the same orders as ROSTER_SORTS' SQL).
_PYTHON_SORTS = {
    "flags": lambda figure, name: (-len(figure.flags), name),
    "adherence": lambda figure, name: (
        figure.scheduled == 0,
        round(100 * figure.done / figure.scheduled) if figure.scheduled else 0,
        name,
    ),
    "last_session": lambda figure, name: (figure.last_session or date.min, name),
    "name": lambda figure, name: name,
}


def roster_figures_in_python(
    trainer, now: datetime | None = None, *, week_ended_on: date | None = None, sort: str = ""
) -> list[RosterFigures]:
    """roster_figures without PostgreSQL: the same figures and order from the same rollups, with
    Python doing per client what _ROSTER_SQL does. Five queries; its cost grows with the clients,
    which is fine for the demo on SQLite (tests/coaching/test_roster.py holds the two equal)."""
    now = now or timezone.now()
    links = list(
        TrainerClient.objects.active()
        .filter(trainer=trainer)
        .select_related("client")
        .only(*ROSTER_LINK_FIELDS, "share_red_flags", *(f"client__{name}" for name in ROSTER_CLIENT_FIELDS))
        .order_by("-created_at", "-pk")
    )
    if not links:
        return []
    by_link = {link.pk: link for link in links}
    of_links = {"link__trainer": trainer, "link__status": TrainerClient.Status.ACTIVE}
    today = {link.pk: week_ended_on or now.astimezone(link.client.zone).date() for link in links}
    scheduled: dict[int, set[tuple[int, date]]] = defaultdict(set)
    for assignment in Assignment.objects.filter(**of_links).only(
        "link_id", "weekdays", "starts_on", "ends_on"
    ):
        client_today = today[assignment.link_id]
        for day in assignment.due_days(week_start(client_today), client_today):
            scheduled[assignment.link_id].add((assignment.pk, day))
    earliest = min(today.values()) - timedelta(days=max(7, ALERT_DAYS))
    done: dict[int, set[tuple[int, date]]] = defaultdict(set)
    alerts: set[int] = set()
    recent_days = (
        AssignmentDayRollup.objects.filter(local_date__gte=earliest, **_through("assignment", of_links))
        .values_list("assignment__link_id", "assignment_id", "local_date", "attention_sessions")
        .order_by()
    )
    for link_id, assignment_id, day, attention in recent_days:
        client_today = today[link_id]
        if day > client_today:
            continue
        done[link_id].add((assignment_id, day))
        if by_link[link_id].share_red_flags and (client_today - day).days < ALERT_DAYS and attention:
            alerts.add(link_id)
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
        if day <= today[link_id] and (today[link_id] - day).days < PAIN_RISING_DAYS:
            pains[link_id].append(pain)
    last_sessions = dict(
        AssignmentDayRollup.objects.filter(**_through("assignment", of_links))
        .values("assignment__link_id")
        .annotate(last=Max("local_date"))
        .values_list("assignment__link_id", "last")
        .order_by()
    )
    figures = []
    for link in links:
        client_today = today[link.pk]
        over = client_today if week_ended_on else client_today - timedelta(days=1)  # days that are over
        due = {(a, day) for a, day in scheduled[link.pk] if day <= over or (a, day) in done[link.pk]}
        done_count = len(due & done[link.pk])
        last_session = last_sessions.get(link.pk)
        since = last_session or link.accepted_at.astimezone(link.client.zone).date()
        flags = []
        if (client_today - since).days >= INACTIVE_DAYS:
            flags.append(Flag.INACTIVE)
        if due and round(100 * done_count / len(due)) < LOW_ADHERENCE_PERCENT:
            flags.append(Flag.LOW_ADHERENCE)
        if link.pk in alerts:
            flags.append(Flag.PAIN)
        if pain_is_rising(pains[link.pk][-PAIN_RISING_SESSIONS:]):
            flags.append(Flag.PAIN_RISING)
        figures.append(RosterFigures(link.pk, client_today, len(due), done_count, last_session, tuple(flags)))
    if sort:
        names = {link.pk: link.client_name.lower() for link in links}
        figures.sort(key=lambda figure: _PYTHON_SORTS[sort](figure, names[figure.link_id]))  # stable
    return figures


def _through(path: str, lookups: dict) -> dict:
    """Lookups of a related model's, from another: ("assignment", {"link__trainer": t}) →
    {"assignment__link__trainer": t}."""
    return {f"{path}__{name}": value for name, value in lookups.items()}


# What the roster reads of each link and client (and screening_status of the client): nothing more
# is loaded, and a field missing here would cost a query per client (the query-count test sees it).
ROSTER_LINK_FIELDS = ("client", "email", "accepted_at", "share_ratings", "status")
ROSTER_CLIENT_FIELDS = (
    "email",
    "display_name",
    "time_zone",
    "screened_at",
    "screening_due_reason",
    "warning_signs",
    "cleared_at",
)


class _RosterExtras(NamedTuple):
    """What a row shows besides its figures, read for the clients of a page."""

    link: TrainerClient  # with its client: ROSTER_LINK_FIELDS and ROSTER_CLIENT_FIELDS
    # Sum and count of tightness before, in the last TREND_DAYS days and the TREND_DAYS before
    # (zeros when the client does not share ratings).
    tightness: tuple[int, int, int, int]
    new_comments: int  # the client's comments the trainer has not read
    programme: Enrolment | None  # under way: its week, steps, held_at and held_by_id


def _roster_rows(trainer, figures: list[RosterFigures], now: datetime, *, every: bool) -> list[RosterRow]:
    """The rows of these clients, in the order of `figures`: their safety screening's status, the
    tightness trend, new comments and programme besides the figures. One statement on PostgreSQL
    (_ROSTER_EXTRAS_SQL); elsewhere three queries (_roster_extras_in_python, where `every`: the
    figures are all the trainer's clients, read as a join rather than a list of ids)."""
    if not figures:
        return []
    if connection.vendor == "postgresql":
        extras = _roster_extras(trainer, figures)
    else:
        extras = _roster_extras_in_python(trainer, figures, every=every)
    # reverse() once a process, not once a row, where it cost as much as the rest of the row
    client_url = path_builder("coaching:client_detail", "pk")
    rows = []
    for figure in figures:
        link, (recent_sum, recent_count, previous_sum, previous_count), new_comments, enrolment = extras[
            figure.link_id
        ]
        client = link.client
        row = RosterRow(
            link_id=link.pk,
            name=link.client_name,
            email=client.email,
            url=client_url(link.pk),
            screening=screening_status(client, now),
            done=figure.done,
            scheduled=figure.scheduled,
            last_session=figure.last_session,
            tightness_recent=round(recent_sum / recent_count, 1) if recent_count else None,
            tightness_previous=round(previous_sum / previous_count, 1) if previous_count else None,
            new_comments=new_comments,
            flags=list(figure.flags),
        )
        if enrolment is not None:
            row.programme_week, row.programme_level = enrolment.week, enrolment.level
            row.programme_held = enrolment.is_held
        rows.append(row)
    return rows


# The page's clients, each with its day (the figures' `today`), in one statement: the link and
# client, the programme under way, the tightness sums of the two fortnights (ratings shared) and
# the unread comments of the client's, counted from the unread comments (few) rather than from
# each client's sessions (many).
_ROSTER_EXTRAS_SQL = """
SELECT tc.id, tc.email, tc.accepted_at, tc.share_ratings,
       u.id, u.email, u.display_name, u.time_zone, u.screened_at, u.screening_due_reason,
       u.warning_signs, u.cleared_at,
       e.week, e.steps, e.held_at, e.held_by_id,
       t.recent_sum, t.recent_count, t.previous_sum, t.previous_count,
       COALESCE(nc.count, 0)
FROM unnest(%(links)s::bigint[], %(days)s::date[]) AS page (link_id, today)
JOIN {link} tc ON tc.id = page.link_id AND tc.trainer_id = %(trainer)s
JOIN {user} u ON u.id = tc.client_id
LEFT JOIN {enrolment} e ON e.user_id = u.id AND e.status = %(under_way)s
CROSS JOIN LATERAL (
    SELECT COALESCE(sum(days.total) FILTER (WHERE days.recent), 0) AS recent_sum,
           COALESCE(sum(days.rated) FILTER (WHERE days.recent), 0) AS recent_count,
           COALESCE(sum(days.total) FILTER (WHERE NOT days.recent), 0) AS previous_sum,
           COALESCE(sum(days.rated) FILTER (WHERE NOT days.recent), 0) AS previous_count
    FROM (
        SELECT r.tightness_before_sum AS total, r.tightness_before_count AS rated,
               r.local_date > page.today - %(trend_days)s AS recent
        FROM {assignment} a JOIN {rollup} r ON r.assignment_id = a.id
        WHERE tc.share_ratings AND a.link_id = tc.id AND r.tightness_before_count > 0
          AND r.local_date > page.today - 2 * %(trend_days)s AND r.local_date <= page.today
    ) days
) t
LEFT JOIN (
    SELECT a.link_id, count(*) AS count
    FROM {comment} c
    JOIN {session} s ON s.id = c.session_id
    JOIN {assignment} a ON a.id = s.assignment_id
    WHERE a.link_id = ANY(%(links)s::bigint[]) AND c.read_at IS NULL AND c.author_id <> %(trainer)s
    GROUP BY a.link_id
) nc ON nc.link_id = tc.id
"""


def _roster_extras(trainer, figures: list[RosterFigures]) -> dict[int, _RosterExtras]:
    sql = _ROSTER_EXTRAS_SQL.format(
        link=TrainerClient._meta.db_table,
        user=User._meta.db_table,
        enrolment=Enrolment._meta.db_table,
        assignment=Assignment._meta.db_table,
        rollup=AssignmentDayRollup._meta.db_table,
        comment=SessionComment._meta.db_table,
        session=SessionLog._meta.db_table,
    )
    params = {
        "links": [figure.link_id for figure in figures],
        "days": [figure.today for figure in figures],
        "trainer": trainer.pk,
        "under_way": Enrolment.Status.ACTIVE.value,
        "trend_days": TREND_DAYS,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    db = connection.alias
    extras = {}
    for row in rows:
        link_id, link_email, accepted_at, share_ratings, *client_values = row[:12]
        week, steps, held_at, held_by_id, *tightness = row[12:20]
        # As the ORM loads a model with only some fields (from_db): the 50 clients of a page cost
        # as much as the rest of the rows when each field took its default first (Model()).
        client = _loaded(User, db, dict(zip(_ROSTER_EXTRAS_CLIENT_COLUMNS, client_values, strict=True)))
        if client.warning_signs is not None:  # as JSONField's from_db_value (null stays None)
            client.warning_signs = json.loads(client.warning_signs)
        link = _loaded(
            TrainerClient,
            db,
            {
                "id": link_id,
                "client_id": client.pk,
                "email": link_email,
                "status": TrainerClient.Status.ACTIVE,
                "share_ratings": share_ratings,
                "accepted_at": accepted_at,
            },
        )
        link.client = client
        programme = (
            None
            if week is None
            else Enrolment(user=client, week=week, steps=steps, held_at=held_at, held_by_id=held_by_id)
        )
        extras[link_id] = _RosterExtras(link, tuple(tightness), row[20], programme)
    return extras


def _loaded(model, db: str, values: dict):
    """A model instance with only these fields, as the ORM loads one from a query with only()."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


# The client's columns of _ROSTER_EXTRAS_SQL, in its order (the id, then ROSTER_CLIENT_FIELDS).
_ROSTER_EXTRAS_CLIENT_COLUMNS = ("id", *ROSTER_CLIENT_FIELDS)


def _roster_extras_in_python(
    trainer, figures: list[RosterFigures], *, every: bool
) -> dict[int, _RosterExtras]:
    """_roster_extras without PostgreSQL, in three queries (tests/coaching/test_roster.py holds
    the two equal)."""
    ids = [figure.link_id for figure in figures]
    of_links = (
        {"link__trainer": trainer, "link__status": TrainerClient.Status.ACTIVE}
        if every
        else {"link_id__in": ids}
    )
    links = (
        TrainerClient.objects.active().filter(trainer=trainer).select_related("client")
        if every
        else TrainerClient.objects.filter(pk__in=ids).select_related("client")
    )
    # The client's programme under way, if any, joined (one at most: enrolment_one_active).
    programme = FilteredRelation(
        "client__programme_enrolments",
        condition=Q(client__programme_enrolments__status=Enrolment.Status.ACTIVE),
    )
    by_link = {
        link.pk: link
        for link in links.only(*ROSTER_LINK_FIELDS, *(f"client__{name}" for name in ROSTER_CLIENT_FIELDS))
        .order_by()
        .alias(programme=programme)
        .annotate(**{f"programme_{name}": F(f"programme__{name}") for name in _ROSTER_PROGRAMME_FIELDS})
    }
    today = {figure.link_id: figure.today for figure in figures}
    tightness: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    recent_days = (
        AssignmentDayRollup.objects.filter(
            local_date__gte=min(today.values()) - timedelta(days=2 * TREND_DAYS),
            tightness_before_count__gt=0,
            **_through("assignment", of_links),
        )
        .values_list("assignment__link_id", "local_date", "tightness_before_sum", "tightness_before_count")
        .order_by()
    )
    for link_id, day, before_sum, before_count in recent_days:
        age = (today[link_id] - day).days
        if by_link[link_id].share_ratings and 0 <= age < 2 * TREND_DAYS:
            sums = tightness[link_id]
            sums[0 if age < TREND_DAYS else 2] += before_sum
            sums[1 if age < TREND_DAYS else 3] += before_count
    new_comments = dict(
        SessionComment.objects.filter(**_through("session__assignment", of_links), read_at=None)
        .exclude(author=trainer)
        .values("session__assignment__link_id")
        .annotate(count=Count("pk"))
        .values_list("session__assignment__link_id", "count")
        .order_by()
    )
    extras = {}
    for link_id in today:
        link = by_link[link_id]
        programme = None
        if link.programme_week is not None:
            values = {name: getattr(link, f"programme_{name}") for name in _ROSTER_PROGRAMME_FIELDS}
            programme = Enrolment(user=link.client, **values)
        extras[link_id] = _RosterExtras(
            link, tuple(tightness[link_id]), new_comments.get(link_id, 0), programme
        )
    return extras


# What the roster shows of a client's programme under way: Enrolment's week, level and is_held.
_ROSTER_PROGRAMME_FIELDS = ("week", "steps", "held_at", "held_by_id")


def roster(trainer, now: datetime | None = None, *, week_ended_on: date | None = None) -> list[RosterRow]:
    """Every active client of the trainer with their safety screening's status, this week's
    adherence, last session, tightness trend and flags (pain rising among them, from the
    sessions of the last PAIN_RISING_DAYS days) and where they are in the programme, newest link
    first. Two statements on PostgreSQL (the figures, then the rows), whatever the number of
    clients and sessions: the figures come from the rollups of the assignments' days
    (progress.rollups).

    `week_ended_on` (the weekly digest): every client is seen as on that local day, and that
    day counts as over, so the figures are those of the week that ended then."""
    now = now or timezone.now()
    figures = roster_figures(trainer, now, week_ended_on=week_ended_on)
    return _roster_rows(trainer, figures, now, every=True)


def roster_filtered(figures: list[RosterFigures], flag: str) -> list[RosterFigures]:
    """Those with one flag ("any" for any flag; "" for everyone)."""
    if flag == "any":
        return [figure for figure in figures if figure.flags]
    if flag:
        return [figure for figure in figures if flag in figure.flags]
    return figures


class _RosterPageRows(Sequence):
    """The sorted, filtered figures as the Paginator sees them: a slice (a page) builds its rows."""

    def __init__(self, trainer, figures: list[RosterFigures], now: datetime):
        self.trainer, self.figures, self.now = trainer, figures, now

    def __len__(self) -> int:
        return len(self.figures)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return _roster_rows(self.trainer, self.figures[index], self.now, every=False)
        return _roster_rows(self.trainer, [self.figures[index]], self.now, every=False)[0]


ROSTER_FLAG_CHOICES = [("", "All clients"), ("any", "Any flag"), *Flag.LABELS.items()]
ROSTER_FLAGS = frozenset(value for value, _ in ROSTER_FLAG_CHOICES)
ROSTER_SORT_CHOICES = [(key, label) for key, (label, _) in ROSTER_SORTS.items()]
ROSTER_PAGE_SIZE = 50
# Each page of the roster is cached under everything it depends on: the trainer's
# dashboard_version, which every write to their links, invitations and assignments bumps, and so
# does every write to an active client's sessions, comments or profile
# (accounts.services.user_dashboard_changed); and the quarter hour, as each client's "today"
# turns at their own midnight. A cached roster is never behind the data, and at most 15 minutes
# behind the clock. A request served from the cache costs one query: the trainer, for the login.
ROSTER_CACHE_SECONDS = 15 * 60


def roster_cache_key(trainer, now: datetime | None = None) -> str:
    slot = int((now or timezone.now()).timestamp() // ROSTER_CACHE_SECONDS)
    return f"roster:5:{trainer.pk}:{trainer.dashboard_version}:{slot}"


def _roster_results_key(key: str, flag: str, sort: str, page_number: int) -> str:
    if flag not in ROSTER_FLAGS or sort not in ROSTER_SORTS:
        raise ValueError(f"Not a roster filter: {flag!r}, {sort!r}")  # the key space must stay bounded
    return f"{key}:{flag}:{sort}:{page_number}"


def roster_page_cached(request: HttpRequest, trainer, *, flag: str, sort: str, page_number: int) -> dict:
    """The roster page's context: `html`, the `results` partial of coaching/roster.html (the
    filters and one page of the table), and `pending_count`, the invitations waiting.

    Cached per filter, sort and page under roster_cache_key. Computed afresh, it costs the same
    whatever the number of clients beyond a page: every client's figures in one sorted query
    (roster_figures), then the rows of the page only (50 rows, one statement), rendered with
    no per-row template work beyond variables and tests (see RosterRow's display properties).

    The key space is bounded: `flag` and `sort` are the form's choices, and a table is only ever
    stored under a page that exists (a number past the end is served the last page, stored under
    its own number), so `?page=N` for every N cannot fill the cache."""
    key = roster_cache_key(trainer)
    results = cache.get(_roster_results_key(key, flag, sort, page_number))
    if results is not None:
        return results
    now = timezone.now()
    figures = roster_figures(trainer, now, sort=sort)
    rows = _RosterPageRows(trainer, roster_filtered(figures, flag), now)
    page = Paginator(rows, ROSTER_PAGE_SIZE).get_page(page_number)
    results_key = _roster_results_key(key, flag, sort, page.number)
    if page.number != page_number and (results := cache.get(results_key)) is not None:
        return results
    context = {
        "page": page,
        "flag": flag,
        "sort": sort,
        "flag_choices": ROSTER_FLAG_CHOICES,
        "sort_choices": ROSTER_SORT_CHOICES,
        "has_clients": bool(figures),
        "filtered": bool(flag),
        "query": urlencode({"flag": flag, "sort": sort}),
    }
    results = {
        "html": render_to_string("coaching/roster.html#results", context, request=request),
        "pending_count": trainer.client_links.pending().count(),
    }
    cache.set(results_key, results, ROSTER_CACHE_SECONDS)
    return results
