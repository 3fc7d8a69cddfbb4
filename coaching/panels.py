"""Coaching's sections on progress's pages (progress.panels), registered in CoachingConfig.ready():
the routines a trainer assigned, on the client's dashboard; the comment thread with the trainer,
on the client's session page."""

from datetime import date

from django.http import HttpRequest

from coaching.forms import CommentForm
from coaching.selectors import assigned_routines, comment_thread
from progress.models import SessionLog
from progress.panels import OFFERS_START


def assigned_routines_panel(request: HttpRequest, *, user, today: date, **objects) -> dict | None:
    assigned = assigned_routines(user, today)
    if not assigned:
        return None
    # The Start buttons this panel shows (due today, not done yet): the dashboard shows no other.
    starts = [row.assignment.routine_id for row in assigned if row.due_today and not row.done_today]
    return {"assigned": assigned, OFFERS_START: starts}


def session_comments_panel(
    request: HttpRequest, *, session: SessionLog, comment_form: CommentForm | None = None, **objects
) -> dict | None:
    """Only while the trainer whose assignment this session was still sees it."""
    assignment = session.assignment
    if assignment is None or not assignment.link.is_active:
        return None
    comments = comment_thread(session, request.user)
    return {
        "session": session,
        "trainer": assignment.link.trainer,
        "comments": comments,
        "has_new": any(comment.is_new for comment in comments),
        "comment_form": comment_form or CommentForm(),
    }
