"""The client's side: what they share with each trainer, ending a link, and replying to comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import HtmxHttpRequest
from coaching import selectors
from coaching.forms import SharingForm
from coaching.services import (
    comments_mark_read,
    link_end,
    link_sharing_update,
)
from coaching.views.comments import comment_post
from progress.views.sessions import session_detail_render


@require_http_methods(["GET", "POST"])
@login_required
def trainer_link(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    link = selectors.get_trainer_link_for_client(request.user, pk)
    status = 200
    if request.method == "POST":
        form = SharingForm(request.POST, instance=link)
        if form.is_valid():
            link_sharing_update(link=link, **form.cleaned_data)
            messages.success(request, f"Saved. {link.trainer} now sees what you ticked.")
            return redirect("coaching:trainer_link", pk=link.pk)
        status = 422
    else:
        form = SharingForm(instance=link)
    return render(request, "coaching/trainer_link.html", {"link": link, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def trainer_link_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    link = selectors.get_trainer_link_for_client(request.user, pk)
    if request.method == "POST":
        link_end(link=link)
        messages.success(
            request, f"{link.trainer} no longer sees your sessions. Your routines and history stay yours."
        )
        return redirect("accounts:settings")
    return render(request, "coaching/link_confirm_end.html", {"link": link, "other": link.trainer})


@require_POST
@login_required
def session_comment(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_commentable_session_for_client(request.user, pk)
    form, status = comment_post(request, session)
    if status is None:
        return redirect(session)
    # Back to the session page, with the message and what was typed.
    return session_detail_render(request, session, comment_form=form, status=status)


@require_POST
@login_required
def session_comments_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_commentable_session_for_client(request.user, pk)
    comments_mark_read(session=session, reader=request.user)
    messages.success(request, "Comments marked as read.")
    return redirect(session)
