"""A person's sessions: history, logging one done away from the app, correcting and deleting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from progress import panels
from progress.forms import HistoryFilterForm, SessionLogForm, default_times
from progress.models import SessionLog
from progress.services import ExerciseLogEntry, session_log_delete, session_log_record, session_log_update

SESSIONS_PER_PAGE = 20
RATING_AND_FLAG_FIELDS = SessionLog.RATING_AND_FLAG_FIELDS


def get_session_for_user(user, pk: int, queryset=None) -> SessionLog:
    """A session of the person's own, or 404 for anyone else's."""
    sessions = SessionLog.objects.select_related("user", "routine") if queryset is None else queryset
    return get_object_or_404(sessions, pk=pk, user=user)


@require_GET
@login_required
def history(request):
    form = HistoryFilterForm(request.GET, user=request.user)
    sessions = SessionLog.objects.filter(user=request.user).order_by("-started_at")
    if form.is_valid():
        if form.cleaned_data["routine"]:
            sessions = sessions.filter(routine=form.cleaned_data["routine"])
        if form.cleaned_data["date_from"]:
            sessions = sessions.filter(local_date__gte=form.cleaned_data["date_from"])
        if form.cleaned_data["date_to"]:
            sessions = sessions.filter(local_date__lte=form.cleaned_data["date_to"])
    else:
        sessions = sessions.none()
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(request.GET.get(name) for name in form.fields)
    context = {"form": form, "page": page, "query": query.urlencode(), "filtered": filtered}
    return render(request, "progress/history.html", context)


@require_GET
@login_required
def session_detail(request, pk: int):
    session = get_session_for_user(
        request.user,
        pk,
        SessionLog.objects.select_related("routine", "assignment__link__trainer").prefetch_related(
            "exercise_logs__exercise"
        ),
    )
    return session_detail_render(request, session)


def session_detail_render(request, session: SessionLog, *, comment_form=None, status: int = 200):
    """The session page, with the panels other apps add (the comment thread with a trainer who
    sees this session: coaching)."""
    context = {
        "session": session,
        "panels": panels.panels_render(
            panels.SESSION_DETAIL, request, session=session, comment_form=comment_form
        ),
    }
    return render(request, "progress/session_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def session_new(request):
    if request.method != "POST":
        form = SessionLogForm(user=request.user, initial=default_times(request.user))
        return render(request, "progress/session_form.html", {"form": form})
    form = SessionLogForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "progress/session_form.html", {"form": form}, status=422)
    data = form.cleaned_data
    routine = data["routine"]
    # Everything counts as done at its planned dose: a routine's items, or the library's defaults.
    planned = (
        [(item.exercise_id, item.dose) for item in routine.items.order_by("order")]
        if routine is not None
        else [(exercise.pk, exercise.dose) for exercise in data["exercises"]]
    )
    exercises = [ExerciseLogEntry(pk, dose.seconds, dose.reps, False) for pk, dose in planned]
    session, _ = session_log_record(
        user=request.user,
        routine=routine,
        client_token=None,
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        notes=data["notes"],
        exercises=exercises,
        **{name: data[name] for name in RATING_AND_FLAG_FIELDS},
    )
    messages.success(request, "Session logged.")
    return redirect(session)


@require_http_methods(["GET", "POST"])
@login_required
def session_edit(request, pk: int):
    session = get_session_for_user(request.user, pk)
    if request.method != "POST":
        form = SessionLogForm(user=request.user, editing=session, initial=SessionLogForm.initial_for(session))
        return render(request, "progress/session_form.html", {"form": form, "session": session})
    form = SessionLogForm(request.POST, user=request.user, editing=session)
    if not form.is_valid():
        return render(request, "progress/session_form.html", {"form": form, "session": session}, status=422)
    data = form.cleaned_data
    session_log_update(
        session=session,
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        notes=data["notes"],
        **{name: data[name] for name in RATING_AND_FLAG_FIELDS},
    )
    messages.success(request, "Session updated.")
    return redirect(session)


@require_http_methods(["GET", "POST"])
@login_required
def session_delete(request, pk: int):
    session = get_session_for_user(request.user, pk)
    if request.method == "POST":
        session_log_delete(session=session)
        messages.success(request, "Session deleted.")
        return redirect("progress:history")
    return render(request, "progress/session_confirm_delete.html", {"session": session})
