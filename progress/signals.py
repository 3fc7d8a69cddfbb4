"""What progress announces to the apps above it (they connect in their AppConfig.ready())."""

from django.dispatch import Signal

# A session now needs attention (a red flag, or pain at PAIN_ALERT_LEVEL or more): logged that
# way, or edited to add it. Sent after the write, with `session`. Coaching alerts the trainer.
session_needs_attention = Signal()
