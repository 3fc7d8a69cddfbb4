"""When a weekly schedule falls due: local wall-clock times turned into UTC instants.

A schedule says "Mondays and Thursdays at 08:00" in the person's own time zone. Twice a year that
wall time may not exist (clocks spring forward over it) or may happen twice (clocks fall back):
- a skipped time is read with the offset from before the change, as RFC 5545 (3.3.5) tells
  calendar apps to: 02:30 on New York's spring-forward night is due at 03:30 EDT, 01:30 in London
  at 02:30 BST, so the reminder email and the calendar feed's alarm ring together;
- a repeated time is due once, at its first occurrence (fold=0), because each local day yields a
  single instant and the next one is looked for from the following day.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant when the wall clock in `zone` shows `at` on `day`; for a time the clocks
    skip, the instant RFC 5545 gives it (the offset in force before the change)."""
    wall = datetime.combine(day, at).replace(second=0, microsecond=0)
    # fold=0 (PEP 495) is exactly RFC 5545's rule: the first of a repeated time, and a skipped
    # time read with the offset from before the change (so it lands as long after it as the gap).
    return wall.replace(tzinfo=zone).astimezone(UTC)


def next_occurrence(
    *,
    weekdays: list[int],
    at: time,
    zone: ZoneInfo,
    after: datetime,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> datetime | None:
    """The first instant strictly after `after` on one of `weekdays` (0 = Monday) at `at`, between
    `starts_on` and `ends_on` (local days, both included). None when there is none any more."""
    if not weekdays:
        return None
    day = after.astimezone(zone).date()
    if starts_on is not None and starts_on > day:
        day = starts_on
    for offset in range(8):  # today may be past `at` already: a week and a day covers every weekday
        candidate = day + timedelta(days=offset)
        if ends_on is not None and candidate > ends_on:
            return None
        if candidate.weekday() not in weekdays:
            continue
        instant = local_instant(candidate, at, zone)
        if instant > after:
            return instant
    return None
