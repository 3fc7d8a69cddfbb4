"""Email settings: reminders, which emails a person gets, the calendar address, and unsubscribing
from a link in an email (no login: the signed token in the link is the permission)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from progress.email_forms import EmailPreferencesForm, ReminderForm
from progress.models import EmailKind, ReminderSchedule
from progress.outbox import UnsubscribeInvalid, email_kind_turn_off, unsubscribe_from_token
from progress.reminders import (
    calendar_token_reset,
    email_settings_update,
    reminder_schedule_delete,
    reminder_schedule_save,
)

# What an unsubscribe link stops, in the words of its page: "Stop weekly summary emails?"
UNSUBSCRIBE_WHAT = {
    EmailKind.REMINDER: "reminder emails",
    EmailKind.WEEKLY_SUMMARY: "weekly summary emails",
    EmailKind.TRAINER_DIGEST: "weekly digest emails about your clients",
    EmailKind.RED_FLAG_ALERT: "safety alert emails about your clients",
}


def get_reminder_for_user(user, pk: int) -> ReminderSchedule:
    """One of the person's own reminders, or 404 for anyone else's."""
    schedule = get_object_or_404(
        ReminderSchedule.objects.select_related("assignment", "routine"), pk=pk, user=user
    )
    schedule.user = user  # its next occurrence is computed in the person's time zone
    return schedule


@require_GET
@login_required
def email_settings(request: HttpRequest) -> HttpResponse:
    return _settings_page(request, EmailPreferencesForm(user=request.user))


@require_POST
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = EmailPreferencesForm(request.POST, user=request.user)
    if not form.is_valid():
        return _settings_page(request, form, status=422)
    email_settings_update(user=request.user, **form.settings_values())
    messages.success(request, "Email settings saved.")
    return redirect("emails:settings")


def _settings_page(request: HttpRequest, form: EmailPreferencesForm, status: int = 200) -> HttpResponse:
    user = request.user
    # The address exists from the first visit, so there is always one to copy.
    token = user.calendar_token or calendar_token_reset(user=user)
    feed_url = request.build_absolute_uri(reverse("emails:calendar_feed", kwargs={"token": token}))
    context = {
        "form": form,
        "reminders": ReminderSchedule.objects.filter(user=user).select_related("routine"),
        "feed_url": feed_url,
        # Calendar apps open webcal:// addresses as a subscription rather than a download.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
    }
    return render(request, "progress/emails/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reminder_new(request: HttpRequest) -> HttpResponse:
    return _reminder_page(request, schedule=None)


@require_http_methods(["GET", "POST"])
@login_required
def reminder_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _reminder_page(request, schedule=get_reminder_for_user(request.user, pk))


def _reminder_page(request: HttpRequest, *, schedule: ReminderSchedule | None) -> HttpResponse:
    if request.method == "POST":
        form = ReminderForm(request.POST, user=request.user, schedule=schedule)
        if form.is_valid():
            schedule = reminder_schedule_save(user=request.user, schedule=schedule, **form.reminder_values())
            state = "" if schedule.enabled else " It is off until you turn it on."
            messages.success(request, f"Reminder saved: {schedule}.{state}")
            return redirect("emails:settings")
        status = 422  # the errors beside the fields, with what the person typed
    else:
        form = ReminderForm(user=request.user, schedule=schedule)
        status = 200
    context = {"form": form, "schedule": schedule}
    return render(request, "progress/emails/reminder_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def reminder_delete(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_reminder_for_user(request.user, pk)
    if request.method == "POST":
        label = str(schedule)
        reminder_schedule_delete(schedule=schedule)
        messages.success(request, f"Reminder deleted: {label}.")
        return redirect("emails:settings")
    return render(request, "progress/emails/reminder_confirm_delete.html", {"schedule": schedule})


@require_POST
@login_required
def calendar_reset(request: HttpRequest) -> HttpResponse:
    calendar_token_reset(user=request.user)
    messages.success(
        request,
        "Your calendar has a new address. The old one no longer works: add the new one to your calendar app.",
    )
    return redirect(reverse("emails:settings") + "#calendar")


# Mail clients POST `List-Unsubscribe=One-Click` here on their own (RFC 8058), with no CSRF token
# and no session; the signed token is what proves the request came from our email.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks first (link scanners follow links and must not unsubscribe anyone); POST turns
    the kind off, and a second POST changes nothing more."""
    try:
        user_id, kind = unsubscribe_from_token(token)
    except UnsubscribeInvalid:
        user_id, kind = None, None
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:  # tampered, or the account was deleted since the email went out
        return render(request, "progress/emails/unsubscribe_invalid.html", status=400)
    context = {"what": UNSUBSCRIBE_WHAT[kind], "token": token}
    if request.method == "POST":
        email_kind_turn_off(user=user, kind=kind)
        return render(request, "progress/emails/unsubscribe_done.html", context)
    return render(request, "progress/emails/unsubscribe_confirm.html", context)
