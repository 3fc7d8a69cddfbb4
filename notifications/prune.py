"""Pruning the outbox: finished deliveries are deleted once they are old enough to matter no more.

A delivery's row is what makes an email exactly-once (its unique key), so a row may go only when
nothing could write its occurrence again:
- reminders and weekly emails: the dispatcher only ever writes occurrences from `next_due_at`
  (or `weekly_email_due_at`) onwards, which never moves back, and catches up at most a day;
- invitations: a re-send rotates the nonce in the key, and a link is dead after
  INVITATION_MAX_AGE_DAYS anyway.
- Red-flag alerts are kept: their key is the session (`session-<id>`), which the client may edit
  into needing attention again at any time, and they are a safety record (a handful per person).

Pending and sending rows are never pruned, however old: the sweeper still owns them.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.models import Delivery, EmailKind

PRUNE_BATCH = 5000
FINISHED = [
    Delivery.Status.SENT,
    Delivery.Status.FAILED,
    Delivery.Status.SKIPPED,
    Delivery.Status.MISSED,
]
KEPT_KINDS = [EmailKind.RED_FLAG_ALERT]


def deliveries_prune(*, batch: int = PRUNE_BATCH) -> int:
    """Delete finished deliveries written more than EMAIL_DELIVERY_RETENTION_DAYS ago, `batch` rows
    per transaction (short locks, a bounded WAL burst), until none is left. Returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.EMAIL_DELIVERY_RETENTION_DAYS)
    # Served by the index delivery_status_newest (status, -created_at).
    prunable = (
        Delivery.objects.filter(status__in=FINISHED, created_at__lt=cutoff)
        .exclude(kind__in=KEPT_KINDS)
        .order_by()
    )
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(prunable.values_list("id", flat=True)[:batch])
            if not ids:
                return deleted
            # Nothing points at a delivery, so this is one DELETE … WHERE id IN (…).
            deleted += Delivery.objects.filter(id__in=ids).delete()[0]
