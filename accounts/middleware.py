"""Staff reach the admin only with two-factor authentication set up (STAFF_REQUIRE_TWO_FACTOR).

The admin's own login form is not used at all (config/urls.py routes it through allauth's login,
which rate-limits failures and asks for the TOTP code once one is set up); this closes the other
half: a staff account with only a password is sent to set up an authenticator app before it may
open any admin page.
"""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

STAFF_TWO_FACTOR_MESSAGE = (
    "Staff pages need two-factor authentication. Set up an authenticator app below, then open the "
    "staff pages again."
)


def staff_two_factor_required(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        if (
            settings.STAFF_REQUIRE_TWO_FACTOR
            and request.path_info.startswith(f"/{settings.ADMIN_PATH}")  # no reverse() on every request
            and request.user.is_authenticated
            and request.user.is_staff
            and not Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(request, STAFF_TWO_FACTOR_MESSAGE)
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware


# The backends' names before accounts/backends.py (the release of 2026-11-30), and now.
RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.AuthenticationBackend",
}


def session_backend_renamed(get_response: Callable[[HttpRequest], HttpResponse]):
    """A session names the backend that logged it in, and Django logs out a session whose backend
    is no longer listed: a session from before the backends were renamed gets the new name on its
    next request, so nobody is logged out by the release. Done here rather than by a migration over
    every session, so that a session an old process writes during a rolling deploy is renamed too,
    and no table-wide update runs. Only a request that carries a session cookie reads the session,
    which the login would read anyway. Can go once every session from before has expired
    (SESSION_COOKIE_AGE after the release)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            backend = request.session.get(BACKEND_SESSION_KEY)
            if backend in RENAMED_BACKENDS:
                request.session[BACKEND_SESSION_KEY] = RENAMED_BACKENDS[backend]
        return get_response(request)

    return middleware
