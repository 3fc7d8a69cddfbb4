from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.utils.text import Truncator

from notifications.models import Delivery, ReminderSchedule
from notifications.outbox import delivery_retry

# A delivery waiting out a backoff after an error (the SMTP server refused, or was unreachable).
RETRYING = Q(status=Delivery.Status.PENDING, retry_at__isnull=False)


class ProblemFilter(admin.SimpleListFilter):
    """Where staff look during or after a mail outage: what gave up, and what is still trying."""

    title = "problems"
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        return [
            ("failed", "Failed for good"),
            ("retrying", "Retrying after an error"),
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value() == "failed":
            return queryset.filter(status=Delivery.Status.FAILED)
        if self.value() == "retrying":
            return queryset.filter(RETRYING)
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox, for support: what went out, what was skipped and why, what is being retried
    after an error and what failed. Rows are written by the dispatcher and the send task only;
    staff can send failed or retrying ones again now."""

    list_display = [
        "kind",
        "recipient",
        "period_key",
        "status",
        "attempts",
        "due_at",
        "sent_at",
        "retry_at",
        "error",
        "reason",
    ]
    list_filter = [ProblemFilter, "status", "kind"]
    search_fields = ["user__email", "to_email", "period_key"]
    list_select_related = ["user"]
    date_hierarchy = "due_at"
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        # Rows are never edited by hand, but staff allowed to change deliveries may resend them.
        return request.user.has_perm("notifications.change_delivery")

    @admin.display(description="last error")
    def error(self, delivery: Delivery) -> str:
        return Truncator(delivery.last_error).chars(80)

    @admin.action(
        description="Send the selected failed or retrying deliveries again now", permissions=["retry"]
    )
    def retry(self, request, queryset) -> None:
        problems = queryset.filter(Q(status=Delivery.Status.FAILED) | RETRYING)
        retried = sum(delivery_retry(delivery=delivery) for delivery in problems)
        skipped = queryset.count() - retried
        noun = "delivery" if retried == 1 else "deliveries"
        self.message_user(request, f"Queued {retried} {noun} to be sent again now.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} alone: only failed deliveries, or those retrying after an error, "
                "are sent again.",
                messages.WARNING,
            )


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    """Read-only: people set their own reminders; this is for answering "why no email?"."""

    list_display = ["user", "__str__", "routine", "enabled", "next_due_at"]
    list_filter = ["enabled"]
    search_fields = ["user__email"]
    list_select_related = ["user", "routine"]
    readonly_fields = [field.name for field in ReminderSchedule._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
