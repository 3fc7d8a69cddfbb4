"""Sections that the apps above progress add to its pages (the mechanism is routines.panels).

The dashboard shows the routines a trainer assigned, and a session's page the comments with that
trainer: both are coaching's, which progress may not import. Coaching registers a panel for each
page in CoachingConfig.ready(); the page renders every registered panel in its place.

Progress fills one place of its own below it: "Pick up where you left off?" on the routine page.
"""

from django.http import HttpRequest

from progress.player import PlayerRun
from routines.models import Routine
from routines.panels import OFFERS_START, panel_register, panels_render, panels_render_with_starts

__all__ = [
    "DASHBOARD",
    "OFFERS_START",
    "SESSION_DETAIL",
    "keep_offline_panel",
    "panel_register",
    "panels_render",
    "panels_render_with_starts",
    "resume_run_panel",
]

DASHBOARD = "dashboard"  # objects: user, today
SESSION_DETAIL = "session_detail"  # objects: session, and comment_form when a posted one had errors


def resume_run_panel(request: HttpRequest, *, routine: Routine, **objects) -> dict | None:
    """On the routine page (routines.panels.ROUTINE_DETAIL): the person's unfinished run of it."""
    run = PlayerRun.load(request.session, routine.pk) if routine.owner_id == request.user.pk else None
    return {"routine": routine, "run": run} if run else None


def keep_offline_panel(request: HttpRequest, *, routine: Routine, **objects) -> dict | None:
    """On the routine page: "Keep available offline", for the person's own routines that have
    exercises (static/js/offline.js shows it where a service worker can run)."""
    if routine.owner_id != request.user.pk or not routine.items.exists():
        return None
    return {"routine": routine}
