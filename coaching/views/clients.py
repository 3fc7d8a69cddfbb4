"""The trainer's side of one client: their assignments, shared sessions and comments; assigning
routines; ending the link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import HtmxHttpRequest
from coaching import selectors
from coaching.forms import AssignForm, ClientAssignForm, CommentForm
from coaching.models import TrainerClient
from coaching.services import (
    AssignmentError,
    assignment_copy_update,
    comments_mark_read,
    link_end,
    routine_assign,
)
from coaching.views.comments import comment_post
from routines.selectors import get_routine_for_user

SESSIONS_PAGE_SIZE = 20


@require_GET
@login_required
def client_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return client_page(request, selectors.get_client_link_for_trainer(request.user, pk))


def client_page(request: HtmxHttpRequest, link: TrainerClient, status: int = 200) -> HttpResponse:
    """The trainer's page about one client (also after a form on it was refused)."""
    sessions = (
        selectors.shared_sessions(link)
        .select_related("assignment")
        .prefetch_related("comments")
        .order_by("-started_at")
    )
    programme = selectors.client_programme(link)
    context = {
        "link": link,
        "programme": programme,
        "programme_changes": selectors.client_programme_changes(programme),
        "screening": selectors.client_screening(link),
        "assignments": selectors.client_assignments(link),
        "page": Paginator(sessions, SESSIONS_PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render(request, "coaching/client_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def client_session(request: HtmxHttpRequest, pk: int, session_pk: int) -> HttpResponse:
    link = selectors.get_client_link_for_trainer(request.user, pk)
    session = selectors.get_shared_session(link, session_pk)
    status = 200
    if request.method == "POST":
        form, status = comment_post(request, session)
        if status is None:
            return redirect("coaching:client_session", pk=link.pk, session_pk=session.pk)
    else:
        form = CommentForm()
    comments = selectors.comment_thread(session, request.user)
    has_new = any(comment.is_new for comment in comments)
    context = {"link": link, "session": session, "comments": comments, "has_new": has_new, "form": form}
    return render(request, "coaching/client_session.html", context, status=status)


@require_POST
@login_required
def client_session_read(request: HtmxHttpRequest, pk: int, session_pk: int) -> HttpResponse:
    link = selectors.get_client_link_for_trainer(request.user, pk)
    session = selectors.get_shared_session(link, session_pk)
    comments_mark_read(session=session, reader=request.user)
    messages.success(request, "Comments marked as read.")
    return redirect("coaching:client_session", pk=link.pk, session_pk=session.pk)


@require_http_methods(["GET", "POST"])
@login_required
def client_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    link = selectors.get_client_link_for_trainer(request.user, pk)
    if request.method == "POST":
        link_end(link=link)
        messages.success(
            request, f"You no longer coach {link.client_name}. They keep their routines and sessions."
        )
        return redirect("coaching:roster")
    return render(request, "coaching/link_confirm_end.html", {"link": link, "other": link.client_name})


@require_POST
@login_required
def assignment_update_copy(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for_trainer(request.user, pk)
    try:
        assignment_copy_update(assignment=assignment)
    except AssignmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{assignment.link.client_name}’s copy now matches your routine.")
    return redirect("coaching:client_detail", pk=assignment.link_id)


@require_http_methods(["GET", "POST"])
@login_required
def routine_assign_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    routine = get_routine_for_user(request.user, pk)
    status = 200
    if not request.user.is_trainer:
        messages.info(request, "To assign routines, tick “I coach clients” in your settings first.")
        return redirect("accounts:settings")
    if not routine.items.exists():
        messages.info(request, "Add at least one exercise before you assign this routine.")
        return redirect("routines:routine_edit", pk=routine.pk)
    if request.method == "POST":
        form = AssignForm(request.POST, trainer=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                assignments = routine_assign(
                    routine=routine,
                    links=data["clients"],
                    weekdays=data["weekdays"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    instructions=data["instructions"],
                )
            except AssignmentError as problem:
                form.add_error("clients", str(problem))
                return render(request, "coaching/assign.html", {"routine": routine, "form": form}, status=409)
            names = ", ".join(assignment.link.client_name for assignment in assignments)
            messages.success(request, f"Assigned “{routine.title}” to {names}.")
            if len(assignments) == 1:
                return redirect("coaching:client_detail", pk=assignments[0].link_id)
            return redirect("coaching:roster")
        status = 422
    else:
        initial = {"clients": request.GET.getlist("client")}
        form = AssignForm(initial=initial, trainer=request.user)
    return render(request, "coaching/assign.html", {"routine": routine, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def client_assign(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """ "Assign a routine" from a client's page: which of the trainer's routines, on which days."""
    link = selectors.get_client_link_for_trainer(request.user, pk)
    if not request.user.is_trainer:
        messages.info(request, "To assign routines, tick “I coach clients” in your settings first.")
        return redirect("accounts:settings")
    status = 200
    if request.method == "POST":
        form = ClientAssignForm(request.POST, trainer=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                routine_assign(
                    routine=data["routine"],
                    links=[link],
                    weekdays=data["weekdays"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    instructions=data["instructions"],
                )
            except AssignmentError as problem:
                form.add_error(None, str(problem))
                return render(
                    request, "coaching/client_assign.html", {"link": link, "form": form}, status=409
                )
            messages.success(request, f"Assigned “{data['routine'].title}” to {link.client_name}.")
            return redirect("coaching:client_detail", pk=link.pk)
        status = 422
    else:
        form = ClientAssignForm(trainer=request.user)
    return render(request, "coaching/client_assign.html", {"link": link, "form": form}, status=status)
