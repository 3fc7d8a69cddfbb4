"""What accounts announces to the apps above it (they connect in their AppConfig.ready())."""

from django.dispatch import Signal

# The person's time zone changed: whatever is scheduled at a local time must be recomputed.
# Sent after the save, with `user`. Notifications moves reminders and the weekly email.
time_zone_changed = Signal()

# The conditions the person's screening answers add up to (accounts.screening.conditions_for)
# changed: exercises that no longer suit them should be swapped, and swaps whose reason is gone
# undone. Sent after the save, with `user`, `before` and `after` (sets of Condition values).
# Routines re-adapts the person's routines.
conditions_changed = Signal()
