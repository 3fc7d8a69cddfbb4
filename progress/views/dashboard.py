from django.shortcuts import render

from progress import charts, selectors
from routines.models import Routine


def dashboard(request):
    """The home page of a person who is logged in. A fixed number of queries (tested)."""
    user = request.user
    today = selectors.local_today(user)
    trend = selectors.tightness_trend(user, today)
    relief = selectors.weekly_relief(user, today)
    heatmap = selectors.heatmap(user, today)
    context = {
        "today": today,
        "sessions_today": selectors.sessions_of(user).filter(local_date=today).order_by("started_at"),
        "next_routine": Routine.objects.owned_by(user)
        .filter(items__isnull=False)
        .order_by("-updated_at")
        .first(),
        "has_sessions": selectors.sessions_of(user).exists(),
        "streak": selectors.streak(user, today),
        "week": selectors.week_summary(user, today),
        "heatmap": heatmap,
        "heatmap_chart": charts.heatmap_chart(heatmap),
        "trend": trend,
        "trend_chart": charts.trend_chart(trend, today),
        "relief": relief,
        "relief_chart": charts.relief_chart(relief),
        "ranking": selectors.what_helps_most(user),
        "rest_days": selectors.STREAK_MAX_REST_DAYS,
        "ranking_min": selectors.RANKING_MIN_SESSIONS,
        "ranking_min_each": selectors.RANKING_MIN_SESSIONS_PER_EXERCISE,
    }
    return render(request, "progress/dashboard.html", context)
