from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.mail_headers import AUTOMATED_EMAIL_HEADERS
from accounts.screening import ScreeningStatus


class AccountAdapter(DefaultAccountAdapter):
    """Our account emails; and sends people to the safety screening after logging in while it is
    due: the first time (the welcome page, with the time zone) and when it is asked again.

    A `next` parameter still wins (allauth checks it before asking the adapter), so a link that
    asked for a login lands where it pointed; the screening prompt on every page asks instead,
    and the player's gate (accounts.decorators.screening_required) stops anyone who has not
    answered before a routine starts.
    """

    # allauth's messages that people meet most, in our words.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That email and password do not match an account. Check both, or reset your password."
        ),
        "incorrect_password": "That password is not right. Check it and try again.",
        "too_many_login_attempts": (
            "Too many tries. Wait a few minutes, then try again, or reset your password."
        ),
        "email_taken": "An account already uses this email address. Log in, or reset your password.",
    }

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if request.user.screening_status == ScreeningStatus.DUE:
            return request.user.screening_url
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        # Logged in straight after confirming the email address: a new account, so the same rule.
        user = request.user
        if user.is_authenticated and user.screening_status == ScreeningStatus.DUE:
            return user.screening_url
        return super().get_signup_redirect_url(request)

    def render_mail(
        self,
        template_prefix: str,
        email: str | list[str],
        context: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> EmailMessage:
        """Every account email has a text part and an HTML part in the layout of all our emails
        (templates/email/base.html), as the rest do. Our templates in templates/account/email/
        give both for the emails people get most (confirming an address, resetting a password);
        any other (a security notice, an MFA email) gets its text shown in that layout. All are
        automated (accounts.mail_headers)."""
        message = super().render_mail(
            template_prefix, email, context, {**AUTOMATED_EMAIL_HEADERS, **(headers or {})}
        )
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            html = render_to_string("account/email/fallback_message.html", {**context, "text": message.body})
            message.attach_alternative(html, "text/html")
        return message
