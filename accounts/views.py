import zoneinfo

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import url_with_next
from accounts.forms import AccountDeleteForm, ClearanceForm, ProfileForm, ScreeningForm
from accounts.http import HtmxHttpRequest
from accounts.screening import (
    ScreeningStatus,
    can_confirm_unchanged,
    guidance_for,
    tier2_summary,
    warning_sign_labels,
)
from accounts.services import (
    clearance_confirm,
    clearance_withdraw,
    screening_confirm_unchanged,
    screening_save,
    user_delete,
    user_profile_update,
)

# The <datalist> behind the time zone box. "localtime" is a file name in the tz database, not a
# zone anyone would pick; zoneinfo lists it on some systems.
TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime"})


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request: HtmxHttpRequest) -> HttpResponse:
    """The first safety screening, with the time zone. Once answered, asking again is the safety
    settings' page."""
    if request.user.screened_at is not None:
        return redirect(url_with_next(reverse("accounts:safety"), _next_url(request)))
    return _screening_page(request, template="accounts/welcome.html", first=True)


@login_required
@require_http_methods(["GET", "POST"])
def safety_settings(request: HtmxHttpRequest) -> HttpResponse:
    """The answers again: "anything changed since…?" when they are due, the clearance and its undo."""
    if request.user.screened_at is None:  # the first answers come with the time zone
        return redirect(url_with_next(reverse("accounts:welcome"), _next_url(request)))
    return _screening_page(request, template="accounts/safety.html", first=False)


def _screening_page(request: HtmxHttpRequest, *, template: str, first: bool) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    status = 200
    if request.method == "POST":
        form = ScreeningForm(request.POST, user=user, ask_time_zone=first)
        if form.is_valid():
            user = screening_save(user=user, **form.answers())
            return _after_answering(request, user, next_url)
        status = 422  # the errors next to the questions, everything ticked or typed kept
    else:
        form = ScreeningForm(user=user, ask_time_zone=first)
    context = {
        "form": form,
        "next": next_url,
        "time_zones": TIME_ZONES if first else [],
        "status": user.screening_status,
        "can_confirm_unchanged": can_confirm_unchanged(user),
        "warning_signs": warning_sign_labels(user),
        "tier2_summary": tier2_summary(user),
    }
    return render(request, template, context, status=status)


def _after_answering(request: HtmxHttpRequest, user, next_url: str) -> HttpResponse:
    if user.screening_status == ScreeningStatus.SEE_CLINICIAN:
        return redirect(url_with_next(reverse("accounts:seek_help"), next_url))
    messages.success(request, "Thank you. Your answers are saved; you can change them in your settings.")
    return redirect(next_url or "routines:routine_list")


@login_required
@require_POST
def screening_unchanged(request: HtmxHttpRequest) -> HttpResponse:
    """The "Nothing has changed" button of the page that asks again: the last answers, confirmed."""
    user = request.user
    next_url = _next_url(request)
    if not can_confirm_unchanged(user):
        messages.info(
            request,
            "Please go through the questions below: after what you reported, or since the questions "
            "changed, one tap is not enough.",
        )
        return redirect(url_with_next(reverse("accounts:safety"), next_url))
    user = screening_confirm_unchanged(user=user)
    return _after_answering(request, user, next_url)


@login_required
@require_http_methods(["GET", "POST"])
def seek_help(request: HtmxHttpRequest) -> HttpResponse:
    """Whom to see, and how soon, for each warning sign; then the person's word that a clinician
    cleared them, which opens the routines again."""
    user = request.user
    next_url = _next_url(request)
    status = 200
    if request.method == "POST":
        form = ClearanceForm(request.POST)
        if form.is_valid():
            waiting = user.screening_status == ScreeningStatus.SEE_CLINICIAN
            clearance_confirm(user=user)
            if waiting:
                messages.success(
                    request,
                    "Thank you. Your routines are open again. If any of these signs comes back or "
                    "gets worse, stop and get advice.",
                )
            else:  # a second click, or nothing was waiting for a clinician: nothing changed
                messages.info(
                    request, "Nothing was waiting for a clinician's go-ahead: your answers are as they were."
                )
            return redirect(next_url or "routines:routine_list")
        status = 422
    else:
        form = ClearanceForm()
    context = {
        "form": form,
        "next": next_url,
        "guidance": guidance_for(user.warning_signs or []),
        "status": user.screening_status,
    }
    return render(request, "accounts/seek_help.html", context, status=status)


@login_required
@require_POST
def clearance_undo(request: HtmxHttpRequest) -> HttpResponse:
    clearance_withdraw(user=request.user)
    messages.success(request, "Noted. Your routines stay paused until a clinician has checked you.")
    return redirect("accounts:safety")


def _next_url(request: HtmxHttpRequest) -> str:
    """Where the person was going (the `next` of the query string or the form), if it is ours."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


@login_required
@require_http_methods(["GET", "POST"])
def profile_settings(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            user_profile_update(user=user, **form.profile_values())
            messages.success(request, "Saved.")
            return redirect("accounts:settings")
        status = 422  # re-rendered with the errors next to the fields and everything typed kept
    else:
        form = ProfileForm(instance=user)
    context = {
        "form": form,
        "time_zones": TIME_ZONES,
        "trainer_links": user.trainer_links.active().select_related("trainer"),
    }
    return render(request, "accounts/profile_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    status = 200
    if request.method == "POST":
        form = AccountDeleteForm(request.POST, user=user)
        if form.is_valid():
            user_delete(user=user)
            logout(request)
            messages.success(request, "Your account and all its data have been deleted.")
            return redirect("home")
        status = 422
    else:
        form = AccountDeleteForm(user=user)
    context = {
        "form": form,
        "routine_count": user.routines.count(),
        "session_count": user.session_logs.count(),
    }
    return render(request, "accounts/account_delete.html", context, status=status)
