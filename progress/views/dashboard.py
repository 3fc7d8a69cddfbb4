from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import HtmxHttpRequest
from progress.dashboard import dashboard_stats_cached
from progress.selectors import local_today, unfinished_player_runs


def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """The home page of a person who is logged in: the greeting, the runs of the player they left
    (from their session, so never cached), and the figures (cached)."""
    stats = dashboard_stats_cached(request, request.user, local_today(request.user))
    context = {"stats": stats, "unfinished_runs": unfinished_player_runs(request.session, request.user)}
    return render(request, "progress/dashboard.html", context)
