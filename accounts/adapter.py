from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.shortcuts import resolve_url


class AccountAdapter(DefaultAccountAdapter):
    """Sends people to the welcome questions after logging in until the safety screening is answered.

    A `next` parameter still wins (allauth checks it before asking the adapter), so a link that
    asked for a login lands where it pointed; the screening prompt on every page asks instead.
    """

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if request.user.needs_screening:
            return resolve_url("accounts:welcome")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        # Logged in straight after confirming the email address: a new account, so the same rule.
        if request.user.is_authenticated and request.user.needs_screening:
            return resolve_url("accounts:welcome")
        return super().get_signup_redirect_url(request)
