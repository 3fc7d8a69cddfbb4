"""When a weekly schedule falls due: local wall-clock times turned into UTC instants.

A schedule says "Mondays and Thursdays at 08:00" in the person's own time zone. Twice a year that
wall time may not exist (clocks spring forward over it) or may happen twice (clocks fall back):
- a skipped time is due at the first minute that does exist after it (02:30 → 03:00 in New York);
- a repeated time is due once, at its first occurrence (fold=0), because each local day yields a
  single instant and the next one is looked for from the following day.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant when the wall clock in `zone` shows `at` on `day`."""
    wall = datetime.combine(day, at).replace(second=0, microsecond=0)
    instant = wall.replace(tzinfo=zone).astimezone(UTC)  # fold=0: the first of a repeated time
    if instant.astimezone(zone).replace(tzinfo=None) == wall:
        return instant
    # A skipped time. With fold=1 the wall time is read with the offset from after the change,
    # which lands before the change: walk forward a minute at a time to the first minute shown
    # at or after `wall` (gaps are an hour, at most two, and happen twice a year).
    instant = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while instant.astimezone(zone).replace(tzinfo=None) < wall:
        instant += timedelta(minutes=1)
    return instant


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
