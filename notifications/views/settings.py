"""Email settings: reminders, which emails a person gets, and the calendar address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import HtmxHttpRequest
from notifications.forms import EmailPreferencesForm, ReminderForm
from notifications.models import ReminderSchedule
from notifications.selectors import get_reminder_for_user, reminders_of
from notifications.services import (
    calendar_token_reset,
    email_settings_update,
    reminder_schedule_delete,
    reminder_schedule_save,
)


@require_GET
@login_required
def email_settings(request: HtmxHttpRequest) -> HttpResponse:
    return _settings_page(request, EmailPreferencesForm(user=request.user))


@require_POST
@login_required
def preferences(request: HtmxHttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST, user=request.user)
    if not form.is_valid():
        return _settings_page(request, form, status=422)
    email_settings_update(user=request.user, **form.settings_values())
    messages.success(request, "Email settings saved.")
    return redirect("notifications:settings")


def _settings_page(request: HtmxHttpRequest, form: EmailPreferencesForm, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "form": form,
        "reminders": reminders_of(user),
    }
    if user.calendar_token:  # made by a POST ("Make my calendar address"): a GET writes nothing
        feed_url = request.build_absolute_uri(
            reverse("notifications:calendar_feed", kwargs={"token": user.calendar_token})
        )
        # Calendar apps open webcal:// addresses as a subscription rather than a download.
        context.update(feed_url=feed_url, webcal_url="webcal://" + feed_url.split("://", 1)[1])
    return render(request, "notifications/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reminder_new(request: HtmxHttpRequest) -> HttpResponse:
    return _reminder_page(request, schedule=None)


@require_http_methods(["GET", "POST"])
@login_required
def reminder_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _reminder_page(request, schedule=get_reminder_for_user(request.user, pk))


def _reminder_page(request: HtmxHttpRequest, *, schedule: ReminderSchedule | None) -> HttpResponse:
    if request.method == "POST":
        form = ReminderForm(request.POST, user=request.user, schedule=schedule)
        if form.is_valid():
            schedule = reminder_schedule_save(user=request.user, schedule=schedule, **form.reminder_values())
            state = "" if schedule.enabled else " It is off until you turn it on."
            messages.success(request, f"Reminder saved: {schedule}.{state}")
            return redirect("notifications:settings")
        status = 422  # the errors beside the fields, with what the person typed
    else:
        form = ReminderForm(user=request.user, schedule=schedule)
        status = 200
    context = {"form": form, "schedule": schedule}
    return render(request, "notifications/reminder_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reminder_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    schedule = get_reminder_for_user(request.user, pk)
    if request.method == "POST":
        label = str(schedule)
        reminder_schedule_delete(schedule=schedule)
        messages.success(request, f"Reminder deleted: {label}.")
        return redirect("notifications:settings")
    return render(request, "notifications/reminder_confirm_delete.html", {"schedule": schedule})


@require_POST
@login_required
def calendar_reset(request: HtmxHttpRequest) -> HttpResponse:
    had_one = bool(request.user.calendar_token)
    calendar_token_reset(user=request.user)
    if had_one:
        messages.success(
            request,
            "Your calendar has a new address. The old one no longer works: "
            "add the new one to your calendar app.",
        )
    else:
        messages.success(request, "Your calendar address is ready: add it to your calendar app.")
    return redirect(reverse("notifications:settings") + "#calendar")
