"""Weekly emails, built for a batch of people at once (the dispatcher's batches).

A weekly summary covers the seven local days before the day it is sent (Monday's summary: the
week just ended), less any day the person's last summary already covered. The rule, for when a
person moves their weekly day: no day is in two summaries, and no day is left out. So after a
move the first summary on the new day covers the days since the last one (one to six: Sunday to
Monday gives a one-day summary of Sunday; Monday to Friday in the same week, one of Monday to
Thursday), and from then on seven. Summaries are keyed by their local day
(`summary_period_key`), not the ISO week, so one moved later in the same week is not refused as a
repeat. It holds only the person's own figures. A fixed number of queries per batch:
sessions of the last two weeks, session days for the streak (and once more for the few whose
streak reaches back past the window), exercises of the week, reminders and assignments.

The figures are stored in the delivery (`Delivery.context`), so the email says what was true when
it was due, and sending it needs no queries about progress.
"""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Max
from django.db.models.fields.json import KeyTextTransform

from accounts.models import User, weekdays_label
from notifications.messages import site_link
from notifications.models import Delivery, EmailKind, ReminderSchedule
from notifications.plans import plans_without_reminder
from progress import programme
from progress.enrolment import is_paused
from progress.models import (
    RED_FLAGS,
    Adjustment,
    Enrolment,
    ExerciseLog,
    ProgrammeRoutine,
    SessionLog,
    dose_label,
    pain_is_high,
    red_flags_reported,
)
from progress.selectors import rounded_average, streak_from_days
from routines.models import RoutineItem

STREAK_WINDOW_DAYS = 60
# "What helped most" needs an exercise in at least this many rated sessions of the week.
HELPED_MOST_MIN_SESSIONS = 2
WEEK = 7


def summary_period_key(day: date) -> str:
    """The summary sent on a local day: "2026-11-30"."""
    return day.isoformat()


def weekly_summaries_build(people: list[tuple[User, date]]) -> dict[int, dict | None]:
    """For each (person, day the summary is sent): the summary's figures, or None when there is
    nothing to say (no session in its days and nothing scheduled for the next week, or every day
    it would cover was in the last summary)."""
    if not people:
        return {}
    sent_on = {user.pk: day for user, day in people}
    days = _days_covered(sent_on)
    sessions = _sessions_by_user(sent_on, days)
    streaks = _streaks(sent_on)
    helped = _helped_most(sent_on, days)
    schedules = _next_week_schedules(sent_on)
    plans = _programme_plans(people)
    summaries: dict[int, dict | None] = {}
    for user, day in people:
        this_week, previous_week = sessions[user.pk]
        if not days[user.pk] or (not this_week and not schedules[user.pk] and user.pk not in plans):
            summaries[user.pk] = None
            continue
        rated = [row for row in this_week if row["before"] is not None and row["after"] is not None]
        before_previous = [row["before"] for row in previous_week if row["before"] is not None]
        before_now = rounded_average([row["before"] for row in rated])
        previous = rounded_average(before_previous)
        summaries[user.pk] = {
            "first_day": (day - timedelta(days=days[user.pk])).isoformat(),
            "last_day": (day - timedelta(days=1)).isoformat(),
            "days": days[user.pk],
            "sessions": len(this_week),
            "minutes": round(sum(row["seconds"] for row in this_week) / 60),
            "goal_sessions": user.weekly_goal_sessions,
            "goal_minutes": user.weekly_goal_minutes,
            "streak_days": streaks[user.pk],
            "tightness_before": before_now,
            "tightness_after": rounded_average([row["after"] for row in rated]),
            "previous_before": previous,
            "change": round(before_now - previous, 1)
            if before_now is not None and previous is not None
            else None,
            "helped_most": helped.get(user.pk),
            "red_flags": [
                {"day": row["day"].isoformat(), "labels": row["red_flags"], "pain": row["pain"]}
                for row in this_week
                if row["red_flags"] or pain_is_high(row["pain"])
            ],
            "schedule": schedules[user.pk],
            "programme": plans.get(user.pk),
        }
    return summaries


def _days_covered(sent_on: dict[int, date]) -> dict[int, int]:
    """How many days before their day each person's summary covers: seven, less those the last
    summary (written, being sent or sent) already covered; 0 when it covered them all."""
    last_days = dict(
        Delivery.objects.filter(
            user_id__in=sent_on,
            kind=EmailKind.WEEKLY_SUMMARY,
            status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING, Delivery.Status.SENT],
        )
        .values("user_id")
        .annotate(last_day=Max(KeyTextTransform("last_day", "context")))
        .values_list("user_id", "last_day")
        .order_by()
    )
    covered = {}
    for user_id, day in sent_on.items():
        last_day = date.fromisoformat(last_days[user_id]) if last_days.get(user_id) else None
        since_last = (day - last_day).days - 1 if last_day else WEEK
        covered[user_id] = max(0, min(WEEK, since_last))
    return covered


def _programme_plans(people: list[tuple[User, date]]) -> dict[int, dict]:
    """For each person following the programme: the week ahead (which programme week, whether it
    is a lighter one, each routine's exercises and doses) and the changes of the week that ended,
    with their reasons. Two queries."""
    sent_on = {user.pk: day for user, day in people}
    items = (
        RoutineItem.objects.filter(
            routine__programme_routine__enrolment__status=Enrolment.Status.ACTIVE,
            routine__programme_routine__enrolment__user_id__in=sent_on,
        )
        .select_related("exercise", "routine__programme_routine__enrolment")
        .order_by("order", "pk")
    )
    plans: dict[int, dict] = {}
    enrolments: dict[int, Enrolment] = {}
    for item in items:
        part = item.routine.programme_routine
        enrolment = part.enrolment
        enrolments[enrolment.pk] = enrolment
        plan = plans.setdefault(enrolment.user_id, _plan_head(enrolment, sent_on[enrolment.user_id]))
        routine = plan["routines"].setdefault(
            part.slot, {"title": item.routine.title, "when": part.get_slot_display(), "items": []}
        )
        dose = dose_label(sets=item.sets, reps=item.reps, hold_seconds=item.hold_seconds)
        routine["items"].append(f"{item.exercise.name}: {dose}{' each side' if item.per_side else ''}")
    if not enrolments:
        return {}
    earliest = min(sent_on.values()) - timedelta(days=8)
    changes = (
        Adjustment.objects.filter(
            enrolment_id__in=enrolments,
            kind__in=[Adjustment.Kind.UP, Adjustment.Kind.BACK],
            undone_at__isnull=True,
            created_at__gte=datetime.combine(earliest, time(0), tzinfo=UTC),
        )
        .select_related("from_exercise", "to_exercise")
        .order_by("created_at", "pk")
    )
    people_by_pk = {user.pk: user for user, _ in people}
    for change in changes:
        user_id = enrolments[change.enrolment_id].user_id
        day = change.created_at.astimezone(people_by_pk[user_id].zone).date()
        if 1 <= (sent_on[user_id] - day).days <= 7:
            plans[user_id]["changes"].append(
                {
                    "kind": change.get_kind_display(),
                    "exercise": change.to_exercise.name,
                    "sentence": change.sentence,
                }
            )
    for user_id, plan in plans.items():
        slots = ProgrammeRoutine.Slot.values  # the session first, then the desk break
        plan["routines"] = [
            routine for slot, routine in sorted(plan["routines"].items(), key=lambda row: slots.index(row[0]))
        ]
        plan["paused"] = is_paused(people_by_pk[user_id])
    return plans


def _plan_head(enrolment: Enrolment, day: date) -> dict:
    # The week the person is in for most of the seven days from `day`, and when the next begins.
    turns = enrolment.week_turns_on
    week = enrolment.week + 1 if turns <= day + timedelta(days=3) else enrolment.week
    return {
        "track": enrolment.get_track_display(),
        "week": min(week, programme.WEEKS),
        "weeks": programme.WEEKS,
        "light": programme.is_light_week(week),
        "finishing": week > programme.WEEKS,
        "next_turn": turns.isoformat() if turns > day + timedelta(days=3) else "",
        "held": enrolment.is_held,
        "routines": {},
        "changes": [],
    }


def _sessions_by_user(
    sent_on: dict[int, date], days: dict[int, int]
) -> dict[int, tuple[list[dict], list[dict]]]:
    """Each person's sessions of the days their summary covers, and of the seven days before."""
    rows = SessionLog.objects.filter(
        user_id__in=sent_on,
        local_date__gte=min(sent_on.values()) - timedelta(days=14),
        local_date__lt=max(sent_on.values()),
    ).values_list(
        "user_id",
        "local_date",
        "started_at",
        "finished_at",
        "tightness_before",
        "tightness_after",
        "pain",
        *RED_FLAGS,
    )
    weeks: dict[int, tuple[list[dict], list[dict]]] = defaultdict(lambda: ([], []))
    for user_id, day, started, finished, before, after, pain, *flags in rows.order_by("started_at"):
        age = (sent_on[user_id] - day).days  # 1 = the day before the summary
        if not 1 <= age <= days[user_id] + WEEK:
            continue
        weeks[user_id][0 if age <= days[user_id] else 1].append(
            {
                "day": day,
                "seconds": (finished - started).total_seconds(),
                "before": before,
                "after": after,
                "pain": pain,
                "red_flags": [label for label, flag in zip(RED_FLAGS.values(), flags, strict=True) if flag],
            }
        )
    return weeks


def _streaks(sent_on: dict[int, date]) -> dict[int, int]:
    """The streak on the day each summary is sent; one more query only for the few people whose
    streak reaches back beyond the window."""

    def session_days(user_ids, since: date | None) -> dict[int, list[date]]:
        rows = SessionLog.objects.filter(user_id__in=user_ids, local_date__lte=max(sent_on.values()))
        if since is not None:
            rows = rows.filter(local_date__gte=since)
        days: dict[int, list[date]] = defaultdict(list)
        for user_id, day in (
            rows.values_list("user_id", "local_date").distinct().order_by("user_id", "-local_date")
        ):
            if day <= sent_on[user_id]:
                days[user_id].append(day)
        return days

    since = min(sent_on.values()) - timedelta(days=STREAK_WINDOW_DAYS)
    days = session_days(list(sent_on), since)
    streaks = {user_id: streak_from_days(days[user_id], today).days for user_id, today in sent_on.items()}
    longer = [
        user_id
        for user_id in sent_on
        if streaks[user_id] and days[user_id][streaks[user_id] - 1] <= since + timedelta(days=1)
    ]
    if longer:
        all_days = session_days(longer, None)
        streaks.update(
            {user_id: streak_from_days(all_days[user_id], sent_on[user_id]).days for user_id in longer}
        )
    return streaks


def _helped_most(sent_on: dict[int, date], days: dict[int, int]) -> dict[int, dict]:
    """The exercise with the largest drop in tightness (before − after) over the rated sessions
    of the summary's days that included it, when it was in at least HELPED_MOST_MIN_SESSIONS."""
    rows = (
        ExerciseLog.objects.filter(
            session__user_id__in=sent_on,
            session__local_date__gte=min(sent_on.values()) - timedelta(days=7),
            session__local_date__lt=max(sent_on.values()),
            session__tightness_before__isnull=False,
            session__tightness_after__isnull=False,
            skipped=False,
        )
        .values_list(
            "session__user_id",
            "session_id",
            "session__local_date",
            "session__tightness_before",
            "session__tightness_after",
            "exercise__name",
            "exercise__slug",
        )
        .order_by()
    )
    relief: dict[tuple[int, str, str], dict[int, int]] = defaultdict(dict)
    for user_id, session_id, day, before, after, name, slug in rows:
        if 1 <= (sent_on[user_id] - day).days <= days[user_id]:
            relief[(user_id, name, slug)][session_id] = before - after
    best: dict[int, dict] = {}
    for (user_id, name, slug), by_session in sorted(relief.items(), key=lambda item: item[0][1]):
        if len(by_session) < HELPED_MOST_MIN_SESSIONS:
            continue
        average = round(sum(by_session.values()) / len(by_session), 1)
        if average > 0 and average > best.get(user_id, {}).get("relief", 0):
            best[user_id] = {"name": name, "slug": slug, "relief": average, "sessions": len(by_session)}
    return best


def _next_week_schedules(sent_on: dict[int, date]) -> dict[int, list[dict]]:
    """What each person has planned for the seven days from their summary's day: their reminders,
    and assignments from a trainer that have no reminder of their own."""
    plans: dict[int, list[dict]] = defaultdict(list)
    reminded = set()
    reminders = (
        ReminderSchedule.objects.filter(user_id__in=sent_on, enabled=True, next_due_at__isnull=False)
        .select_related("routine")
        .only("user_id", "weekdays", "local_time", "assignment_id", "routine__title")
        .order_by("local_time", "pk")
    )
    for schedule in reminders:
        reminded.add(schedule.assignment_id)
        plans[schedule.user_id].append(
            {
                "days": schedule.days_label,
                "time": f"{schedule.local_time:%H:%M}",
                "title": schedule.routine.title if schedule.routine else "",
                "from_trainer": schedule.assignment_id is not None,
            }
        )
    for plan in plans_without_reminder(sent_on, min(sent_on.values())):
        day = sent_on[plan.client_id]
        if plan.pk in reminded or not plan.due_days(day, day + timedelta(days=6)):
            continue
        plans[plan.client_id].append(
            {
                "days": weekdays_label(plan.weekdays),
                "time": "",
                "title": plan.routine.title,
                "from_trainer": True,
            }
        )
    return plans


def weekly_summary_message(delivery: Delivery) -> tuple[str, dict]:
    """The email, from the figures fixed in the delivery when it was written."""
    summary = delivery.context
    context = {
        "user": delivery.user,
        "summary": summary,
        "first_day": date.fromisoformat(summary["first_day"]),
        "last_day": date.fromisoformat(summary["last_day"]),
        "red_flag_days": [
            {
                "day": date.fromisoformat(flag["day"]),
                "reported": red_flags_reported(flag["labels"], flag["pain"]),
            }
            for flag in summary.get("red_flags", [])
        ],
        "dashboard_url": site_link("home"),
        "programme": summary.get("programme"),
        "programme_url": site_link("progress:programme"),
        "programme_next_turn": date.fromisoformat(summary["programme"]["next_turn"])
        if (summary.get("programme") or {}).get("next_turn")
        else None,
    }
    return "notifications/email/weekly_summary", context
