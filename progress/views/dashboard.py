from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string

from progress import charts, panels, selectors
from routines.models import Routine

# Everything below the greeting is cached per person. It changes only when their sessions or
# routines change (accounts.services.user_dashboard_changed bumps User.dashboard_version), when
# their day turns, or when they change their time zone or weekly goals: all of these are in the
# key, so a cached copy is never stale. The first view after a change computes it afresh with a
# fixed number of queries (tested); later views cost the cache read.
CACHE_SECONDS = 24 * 60 * 60


def dashboard(request):
    """The home page of a person who is logged in."""
    user = request.user
    today = selectors.local_today(user)
    parts = (
        user.pk,
        user.dashboard_version,
        today,
        user.time_zone,
        user.weekly_goal_sessions,
        user.weekly_goal_minutes,
    )
    key = "dashboard:1:" + ":".join(map(str, parts))
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "progress/dashboard.html#stats", _dashboard_context(request, user, today), request=request
        )
        cache.set(key, body, CACHE_SECONDS)
    return render(request, "progress/dashboard.html", {"stats": body})


def _dashboard_context(request, user, today) -> dict:
    """A fixed number of queries, whatever the number of sessions."""
    trend = selectors.tightness_trend(user, today)
    relief = selectors.weekly_relief(user, today)
    return {
        "today": today,
        "panels": panels.panels_render(panels.DASHBOARD, request, user=user, today=today),
        "sessions_today": selectors.sessions_of(user).filter(local_date=today).order_by("started_at"),
        "next_routine": Routine.objects.owned_by(user)
        .filter(items__isnull=False)
        .order_by("-updated_at")
        .first(),
        "has_sessions": selectors.sessions_of(user).exists(),
        "streak": selectors.streak(user, today),
        "week": selectors.week_summary(user, today),
        "heatmap_chart": charts.heatmap_chart(selectors.heatmap(user, today)),
        "trend": trend,
        "trend_chart": charts.trend_chart(trend, today),
        "relief": relief,
        "relief_chart": charts.relief_chart(relief),
        "ranking": selectors.what_helps_most(user),
        "rest_days": selectors.STREAK_MAX_REST_DAYS,
        "ranking_min": selectors.RANKING_MIN_SESSIONS,
        "ranking_min_each": selectors.RANKING_MIN_SESSIONS_PER_EXERCISE,
    }
