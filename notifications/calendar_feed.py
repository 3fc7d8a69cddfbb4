"""The private calendar feed: a person's reminders as recurring events for their calendar app.

- Each enabled reminder that still has an occurrence (`next_due_at`) is one weekly event at its
  local time in the person's time zone (TZID, with the VTIMEZONE), anchored on its first due day
  on or after the day it was last changed (`revised_at`; SEQUENCE is its `revision`, LAST-MODIFIED
  and DTSTAMP its `revised_at`), so the event does not move each time an occurrence passes, until
  the assignment's last day when it is for one. It lasts the routine's estimated time rounded up
  to whole minutes (at least MIN_MINUTES; a general reminder, whose routine is only known when it
  fires, gets MIN_MINUTES) and rings at its start.
- An assignment of an active trainer link with no enabled reminder (the client stopped it, or
  deleted it) still shows, as an all-day event on its days with no alarm and marked free: the
  trainer's plan stays visible without ringing at a time nobody chose.
- UIDs end with the site's domain (RFC 5545 asks for globally unique ones).

Built in a fixed number of queries whatever the number of reminders and assignments: the
reminders, the assignments, and their routines with items (Routine.objects.with_items()).
"""

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from django.urls import reverse
from icalendar import Alarm, Calendar, Event, vDuration

from notifications.messages import site_domain, site_url
from notifications.models import ReminderSchedule
from notifications.plans import TrainerPlan, plans_without_reminder
from progress.selectors import local_today
from routines.models import Routine

CALENDAR_NAME = "Unknot"
MIN_MINUTES = 5
# Calendar apps poll a subscribed feed on their own schedule; this asks for about hourly.
REFRESH_INTERVAL = timedelta(hours=1)
ICAL_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # 0 = Monday, as ReminderSchedule.weekdays


def calendar_feed_build(user, *, absolute_url: Callable[[str], str] = site_url) -> bytes:
    """The person's feed as an iCalendar file. `absolute_url` turns a path into a link (the view
    passes `request.build_absolute_uri`, so links use the host the calendar app asked)."""
    zone = user.zone
    schedules = list(
        ReminderSchedule.objects.filter(user=user, enabled=True, next_due_at__isnull=False).select_related(
            "assignment"
        )
    )
    assignments = plans_without_reminder([user.pk], local_today(user))
    routine_ids = {s.routine_id for s in schedules if s.routine_id} | {a.routine_id for a in assignments}
    routines = Routine.objects.with_items().in_bulk(routine_ids)
    settings_link = absolute_url(reverse("notifications:settings"))

    calendar = Calendar.new(
        name=CALENDAR_NAME,
        prodid="-//Unknot//Reminders//EN",
        description="Your stretching reminders from Unknot.",
        refresh_interval=REFRESH_INTERVAL,
    )
    calendar.pop("UID", None)  # Calendar.new makes a random one; the feed is the same calendar each time
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))  # the older name, for Outlook
    for schedule in schedules:
        routine = routines.get(schedule.routine_id)
        calendar.add_component(_reminder_event(schedule, routine, zone, absolute_url, settings_link))
    for assignment in assignments:
        event = _assignment_event(assignment, routines[assignment.routine_id], absolute_url)
        if event is not None:
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _reminder_event(schedule: ReminderSchedule, routine, zone, absolute_url, settings_link: str) -> Event:
    first_day = _first_due_day(schedule, zone)
    summary = f"Stretch: {routine.title}" if routine else "Stretch"
    minutes = _minutes(routine)
    if routine:
        start_link = absolute_url(reverse("progress:player_start", kwargs={"pk": routine.pk}))
        about = f"{routine.title}, about {minutes} minutes."
    else:
        start_link = absolute_url(reverse("routines:routine_list"))
        about = "Pick up the routine you played last."
    event = Event.new(
        uid=f"reminder-{schedule.pk}@{site_domain()}",
        summary=summary,
        start=datetime.combine(first_day, schedule.local_time, tzinfo=zone),
        description=f"{about}\nStart: {start_link}\n\nChange or stop this reminder: {settings_link}",
        url=start_link,
        stamp=schedule.revised_at,
        last_modified=schedule.revised_at,
        sequence=schedule.revision,
    )
    event.add("duration", timedelta(minutes=minutes))
    rule = {"freq": "weekly", "byday": _byday(schedule.weekdays)}
    ends_on = schedule.assignment.ends_on if schedule.assignment else None
    if ends_on:
        # With a zoned DTSTART, UNTIL must be in UTC (RFC 5545): the end of that local day.
        rule["until"] = datetime.combine(ends_on, time(23, 59, 59), tzinfo=zone).astimezone(UTC)
    event.add("rrule", rule)
    alarm = Alarm.new(description=summary)
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event


def _assignment_event(assignment: TrainerPlan, routine: Routine, absolute_url) -> Event | None:
    first_day = assignment.next_due(assignment.starts_on - timedelta(days=1))
    if first_day is None:  # its days never fall between its first and last day
        return None
    start_link = absolute_url(reverse("progress:player_start", kwargs={"pk": routine.pk}))
    lines = [f"Assigned by {assignment.trainer_name}: {routine.title}, about {_minutes(routine)} minutes."]
    if assignment.instructions:
        lines.append(assignment.instructions)
    lines.append(f"Start: {start_link}")
    event = Event.new(
        uid=f"assignment-{assignment.pk}@{site_domain()}",
        summary=f"Stretch: {routine.title}",
        start=first_day,
        end=first_day + timedelta(days=1),
        description="\n".join(lines),
        url=start_link,
        transparency="TRANSPARENT",
    )
    rule: dict = {"freq": "weekly", "byday": _byday(assignment.weekdays)}
    if assignment.ends_on:
        rule["until"] = assignment.ends_on  # a DATE, like DTSTART
    event.add("rrule", rule)
    return event


def _first_due_day(schedule: ReminderSchedule, zone) -> date:
    """The first of the reminder's days on or after the day it was last changed (and not before
    its assignment starts): DTSTART must be an occurrence of the RRULE (RFC 5545)."""
    day = schedule.revised_at.astimezone(zone).date()
    if schedule.assignment and schedule.assignment.starts_on > day:
        day = schedule.assignment.starts_on
    while day.weekday() not in schedule.weekdays:
        day += timedelta(days=1)
    return day


def _minutes(routine: Routine | None) -> int:
    seconds = routine.estimated_seconds if routine else 0
    return max(MIN_MINUTES, math.ceil(seconds / 60))


def _byday(weekdays: list[int]) -> list[str]:
    return [ICAL_WEEKDAYS[day] for day in sorted(weekdays)]
