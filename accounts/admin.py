from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import User
from accounts.services import email_claimed, user_email_set_by_staff, user_name_changed


class AddressNotTakenMixin:
    """The address logs in, whatever its case: the database's unique key on it is case-sensitive,
    so another account's "Sam@Example.com" would pass it and leave two accounts one login."""

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email_claimed(email, other_than=self.instance if self.instance.pk else None):
            raise forms.ValidationError("Another account already uses this address.")
        return email


class StaffUserChangeForm(AddressNotTakenMixin, UserChangeForm):
    pass


class StaffUserCreationForm(AddressNotTakenMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
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
            if user_email_set_by_staff(user=obj):
                confirmed = f"{obj.email} is confirmed already: its owner logs in with it from now on."
            else:
                confirmed = (
                    f"{obj.email} is not confirmed yet. The first time its owner logs in with it, we "
                    "email it a link to confirm it; they are logged in once they have."
                )
            self.message_user(request, f"{confirmed} The old address no longer logs in.")
