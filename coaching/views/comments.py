"""Posting a comment on a session, from either side: the client's session page and the trainer's
view of it (client_side.session_comment, clients.client_session)."""

from django.contrib import messages

from accounts.http import HtmxHttpRequest
from coaching.forms import CommentForm
from coaching.services import CommentLimitError, session_comment_add
from progress.models import SessionLog


def comment_post(request: HtmxHttpRequest, session: SessionLog) -> tuple[CommentForm, int | None]:
    """Add the posted comment as the person logged in. Returns the form and None when it was
    added (the caller redirects), or the form with its errors and the status to answer: 422 for
    an empty or too long comment, 429 past the hourly limit. What was typed stays in the form."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        return form, 422
    try:
        session_comment_add(session=session, author=request.user, body=form.cleaned_data["body"])
    except CommentLimitError as problem:
        form.add_error(None, str(problem))
        return form, 429
    messages.success(request, "Comment sent.")
    return form, None
