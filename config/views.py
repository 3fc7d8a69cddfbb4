from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe

from accounts.http import HtmxHttpRequest
from progress.views.dashboard import dashboard


@require_safe  # GET and HEAD: uptime monitors and link previews ask with HEAD
def home(request: HtmxHttpRequest) -> HttpResponse:
    """The dashboard for a person who is logged in; the introduction for everyone else."""
    if request.user.is_authenticated:
        return dashboard(request)
    return render(request, "home.html")


@require_GET
def health(request: HtmxHttpRequest) -> HttpResponse:
    """For load balancers and `make bench`'s baseline: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")
