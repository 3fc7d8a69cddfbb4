from django.contrib import admin

from coaching.models import Assignment, TrainerClient


@admin.register(TrainerClient)
class TrainerClientAdmin(admin.ModelAdmin):
    """For support: who coaches whom. Read-only, since the people themselves decide these links."""

    list_display = ["trainer", "email", "client", "status", "invited_at", "accepted_at", "ended_at"]
    list_filter = ["status", "share_ratings", "share_red_flags", "share_notes"]
    search_fields = ["trainer__email", "email", "client__email"]
    list_select_related = ["trainer", "client"]
    readonly_fields = [field.name for field in TrainerClient._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["routine", "link", "starts_on", "ends_on", "created_at"]
    search_fields = ["link__trainer__email", "link__client__email", "routine__title"]
    list_select_related = ["routine", "link__trainer", "link__client"]
    readonly_fields = [field.name for field in Assignment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
