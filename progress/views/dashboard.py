from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import HtmxHttpRequest
from progress.dashboard import dashboard_stats_cached
from progress.selectors import local_today


def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """The home page of a person who is logged in: the greeting, and the figures (cached)."""
    stats = dashboard_stats_cached(request, request.user, local_today(request.user))
    return render(request, "progress/dashboard.html", {"stats": stats})
