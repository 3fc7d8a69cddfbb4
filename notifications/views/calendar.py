"""The private calendar feed. No login: calendar apps fetch it on their own, so the secret in its
address (`User.calendar_token`, reset from the email settings) is the permission."""

from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from accounts.http import HtmxHttpRequest
from notifications.calendar_feed import calendar_feed_build
from notifications.selectors import calendar_feed_owner


@require_safe  # GET, and HEAD for calendar apps that check before fetching
@cache_control(private=True, max_age=300)
def calendar_feed(request: HtmxHttpRequest, token: str) -> HttpResponse:
    user = calendar_feed_owner(token)
    if user is None:
        raise Http404("No calendar at this address.")
    body = calendar_feed_build(user, absolute_url=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="unknot.ics"'
    return response
