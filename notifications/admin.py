from django.contrib import admin, messages

from notifications.models import Delivery, ReminderSchedule
from notifications.outbox import delivery_retry


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbox, for support: what went out, what was skipped and why, and what failed.
    Rows are written by the dispatcher and the send task only; staff can retry failed ones."""

    list_display = ["kind", "recipient", "period_key", "status", "attempts", "due_at", "sent_at", "reason"]
    list_filter = ["status", "kind"]
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

    @admin.action(description="Send the selected failed deliveries again", permissions=["retry"])
    def retry(self, request, queryset) -> None:
        failed = queryset.filter(status=Delivery.Status.FAILED)
        retried = sum(delivery_retry(delivery=delivery) for delivery in failed)
        skipped = queryset.count() - retried
        noun = "delivery" if retried == 1 else "deliveries"
        self.message_user(request, f"Queued {retried} failed {noun} to be sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"Left {skipped} alone: only failed deliveries are sent again.", messages.WARNING
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
