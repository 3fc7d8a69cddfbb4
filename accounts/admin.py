from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from accounts.services import user_email_set_by_staff, user_name_changed


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "time_zone",
        "is_trainer",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["is_trainer", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "time_zone", "is_trainer"]}),
        (
            "Permissions",
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            # What staff change here (a name, an address, a time zone, closing an account) is on
            # the person's dashboard and on their trainers' rosters and clients' dashboards, all
            # cached under versions: as the settings page does, bump them all.
            user_name_changed(user=obj)
        if change and "email" in form.changed_data:
            user_email_set_by_staff(user=obj)
