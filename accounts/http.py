"""The request the views receive, typed as in django-htmx's example project: Django's request with
`request.htmx`, which django_htmx.middleware.HtmxMiddleware adds to every request. It lives in
accounts, the lowest layer, so that every app's views can import it."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
