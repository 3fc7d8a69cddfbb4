"""What accounts announces to the apps above it (they connect in their AppConfig.ready())."""

from django.dispatch import Signal

# The person's time zone changed: whatever is scheduled at a local time must be recomputed.
# Sent after the save, with `user`. Notifications moves reminders and the weekly email.
time_zone_changed = Signal()
