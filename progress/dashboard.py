"""The dashboard's figures (everything below the greeting), rendered and cached per person.

They change only when the person's sessions or routines change (every such write calls
accounts.services.user_dashboard_changed, which bumps User.dashboard_version), when their day
turns, or when they change their time zone or weekly goals: all of these are in the key, so a
cached copy is never stale. The first view after a change computes it afresh with a fixed number
of queries (tested); later views cost the cache read.
"""

from datetime import date

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from progress import charts, panels, selectors
from progress.models import PAIN_RISING
from progress.plan import programme_plan
from routines.models import Routine

CACHE_SECONDS = 24 * 60 * 60


def dashboard_cache_key(user, today: date) -> str:
    parts = (
        user.pk,
        user.dashboard_version,
        today,
        user.time_zone,
        user.weekly_goal_sessions,
        user.weekly_goal_minutes,
    )
    return "dashboard:3:" + ":".join(map(str, parts))


def dashboard_stats_cached(request: HttpRequest, user, today: date) -> SafeString:
    """The `stats` partial of progress/dashboard.html, from the cache when it is there."""
    key = dashboard_cache_key(user, today)
    html = cache.get(key)
    if html is None:
        context = dashboard_context(request, user, today)
        html = render_to_string("progress/dashboard.html#stats", context, request=request)
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # rendered by our own template, escaped there


def dashboard_context(request: HttpRequest, user, today: date) -> dict:
    """A fixed number of queries, whatever the number of sessions."""
    days = selectors.recent_days(user, today)  # the last weeks' rollups: most figures come from these
    trend = selectors.tightness_trend(user, today)
    relief = selectors.weekly_relief(user, today, days)
    days_logged, rated_sessions, streak = selectors.days_totals_and_streak(user, today)  # one query
    sessions_today = list(selectors.sessions_of(user).filter(local_date=today).order_by("started_at"))
    # A routine a panel already offers to start (an assignment due today) gets no second button.
    panels_html, panel_starts = panels.panels_render_with_starts(
        panels.DASHBOARD, request, user=user, today=today
    )
    return {
        "today": today,
        "panels": panels_html,
        "panel_starts": panel_starts,
        # The programme's plan: its changes, its week turning and its pause all bump the version.
        "plan": programme_plan(user, today),
        "show_programme_link": True,
        "sessions_today": sessions_today,
        # No "Nicely done." beside a session whose page says to stop or to ease off.
        "today_shows_guidance": any(session.shows_guidance for session in sessions_today),
        "pain_trend": selectors.pain_trend(user, today),
        "pain_rising": PAIN_RISING,
        "next_routine": Routine.objects.owned_by(user)
        .filter(items__isnull=False)
        .exclude(pk__in=panel_starts)
        .order_by("-updated_at")
        .first(),
        "has_sessions": days_logged > 0,
        "streak": streak,
        "week": selectors.week_summary(user, today, days),
        "heatmap_chart": charts.heatmap_chart(selectors.heatmap(user, today, days)),
        "trend": trend,
        "trend_chart": charts.trend_chart(trend, today),
        "relief": relief,
        "relief_chart": charts.relief_chart(relief),
        "ranking": selectors.what_helps_most(user, rated_sessions=rated_sessions),
        "rest_days": selectors.STREAK_MAX_REST_DAYS,
        "ranking_min": selectors.RANKING_MIN_SESSIONS,
        "ranking_min_each": selectors.RANKING_MIN_SESSIONS_PER_EXERCISE,
    }
