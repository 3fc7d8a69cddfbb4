"""The screening gate: every way into a routine passes it (docs/architecture.md, "Onboarding and
the safety screening")."""

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.screening import ScreeningStatus


def url_with_next(url: str, next_url: str) -> str:
    """`url`, with `next_url` to come back to afterwards (when there is one)."""
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def screening_required(view):
    """For the player's pages (after login_required). A person whose screening is due answers it
    first and comes back here; one with a warning sign not yet cleared by a clinician gets the
    seek-help page. Starting a routine from anywhere (a card, an assignment, an email, a typed
    address) lands on these pages, so this is the one gate."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        status = user.screening_status
        if status == ScreeningStatus.DUE:
            return redirect(url_with_next(user.screening_url, request.get_full_path()))
        if status == ScreeningStatus.SEE_CLINICIAN:
            return redirect(url_with_next(reverse("accounts:seek_help"), request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper
