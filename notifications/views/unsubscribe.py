"""Unsubscribing from a link in an email: no login, the signed token in the link is the permission."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.http import HtmxHttpRequest
from notifications.models import EmailKind
from notifications.services import email_kind_turn_off
from notifications.unsubscribe import UnsubscribeInvalid, unsubscribe_from_token

# What an unsubscribe link stops, in the words of its page: "Stop weekly summary emails?"
UNSUBSCRIBE_WHAT = {
    EmailKind.REMINDER: "reminder emails",
    EmailKind.WEEKLY_SUMMARY: "weekly summary emails",
    EmailKind.TRAINER_DIGEST: "weekly digest emails about your clients",
    EmailKind.RED_FLAG_ALERT: "safety alert emails about your clients",
}


# Mail clients POST `List-Unsubscribe=One-Click` here on their own (RFC 8058), with no CSRF token
# and no session; the signed token is what proves the request came from our email.
@csrf_exempt
# HEAD too: some mail systems and link checkers probe the List-Unsubscribe address with it.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """GET (and HEAD) asks first (link scanners follow links and must not unsubscribe anyone); POST turns
    the kind off, and a second POST changes nothing more."""
    try:
        user, kind = unsubscribe_from_token(token)
    except UnsubscribeInvalid:  # tampered, or the account was deleted since the email went out
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    context = {"what": UNSUBSCRIBE_WHAT[kind], "token": token}
    if request.method == "POST":
        email_kind_turn_off(user=user, kind=kind)
        return render(request, "notifications/unsubscribe_done.html", context)
    return render(request, "notifications/unsubscribe_confirm.html", context)
