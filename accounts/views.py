import zoneinfo

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import AccountDeleteForm, ProfileForm
from accounts.http import HtmxHttpRequest
from accounts.models import Contraindication
from accounts.services import user_delete, user_profile_update

# The <datalist> behind the time zone box. "localtime" is a file name in the tz database, not a
# zone anyone would pick; zoneinfo lists it on some systems.
TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime"})


@login_required
@require_http_methods(["GET", "POST"])
def welcome(request: HtmxHttpRequest) -> HttpResponse:
    """The questions after the first login. Skippable; the screening prompt asks until answered."""
    return _profile_page(request, welcome=True)


@login_required
@require_http_methods(["GET", "POST"])
def profile_settings(request: HtmxHttpRequest) -> HttpResponse:
    return _profile_page(request, welcome=False)


@login_required
@require_GET
def seek_help(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "accounts/seek_help.html")


def _profile_page(request: HtmxHttpRequest, *, welcome: bool) -> HttpResponse:
    user = request.user
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user, coaching=not welcome)
        if form.is_valid():
            user = user_profile_update(user=user, **form.profile_values())
            return _after_saving(request, user, welcome=welcome)
        status = 422  # re-rendered with the errors next to the fields and everything typed kept
    else:
        # Only the welcome page lets the browser suggest its zone, and only over the default:
        # a zone the person chose (or typed, on a page with errors) is never replaced.
        form = ProfileForm(
            instance=user, suggest_time_zone=welcome and user.time_zone == "UTC", coaching=not welcome
        )
    context = {
        "form": form,
        "welcome": welcome,
        "time_zones": TIME_ZONES,
        "nerve_symptoms": Contraindication.NERVE_SYMPTOMS in user.screening_flags,
        "trainer_links": user.trainer_links.active().select_related("trainer"),
    }
    return render(request, "accounts/profile_form.html", context, status=status)


def _after_saving(request: HtmxHttpRequest, user, *, welcome: bool) -> HttpResponse:
    if not welcome:
        messages.success(request, "Saved.")
        return redirect("accounts:settings")
    if user.needs_screening:
        messages.success(request, "Saved. We’ll ask the safety questions again next time.")
    else:
        messages.success(request, "Thanks, your answers are saved. You can change them in your settings.")
    if Contraindication.NERVE_SYMPTOMS in user.screening_flags:
        return redirect("accounts:seek_help")
    return redirect("routines:routine_list")


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
