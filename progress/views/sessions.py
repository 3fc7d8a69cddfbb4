"""A person's sessions: history, logging one done away from the app, correcting and deleting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import HtmxHttpRequest
from progress import panels
from progress.forms import HistoryFilterForm, SessionLogForm, default_times
from progress.models import PAIN_RISING, SessionLog
from progress.selectors import get_session_for_user, local_today, pain_trend, session_history
from progress.services import session_log_delete, session_log_record_manual, session_log_update

SESSIONS_PER_PAGE = 20
RATING_AND_FLAG_FIELDS = SessionLog.RATING_AND_FLAG_FIELDS


def session_saved_messages(request: HtmxHttpRequest, session: SessionLog, saved: str) -> None:
    """The confirmation after saving a session, and the suggestion to ease off when this session
    makes the person's pain a rising trend. Neutral when there is advice beside it (a red flag,
    high pain, stopped early, pain rising): "Well done" does not belong next to advice to stop."""
    trend = pain_trend(request.user, local_today(request.user))
    makes_trend = trend.rising and session.pk in trend.session_ids
    if session.shows_guidance or makes_trend:
        messages.info(request, f"{saved}.")
    else:
        messages.success(request, f"{saved}. Well done.")
    if makes_trend:
        messages.warning(request, f"{PAIN_RISING.heading}. {PAIN_RISING.advice}")


@require_GET
@login_required
def history(request: HtmxHttpRequest) -> HttpResponse:
    form = HistoryFilterForm(request.GET, user=request.user)
    if form.is_valid():
        sessions = session_history(request.user, **form.cleaned_data)
    else:  # the form shows what is wrong with the filters, above an empty list
        sessions = SessionLog.objects.none()
    page = Paginator(sessions, SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(request.GET.get(name) for name in form.fields)
    context = {"form": form, "page": page, "query": query.urlencode(), "filtered": filtered}
    return render(request, "progress/history.html", context)


@require_GET
@login_required
def session_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(
        request.user,
        pk,
        SessionLog.objects.select_related("routine", "assignment__link__trainer").prefetch_related(
            "exercise_logs__exercise"
        ),
    )
    return session_detail_render(request, session)


def session_detail_render(
    request: HtmxHttpRequest, session: SessionLog, *, comment_form=None, status: int = 200
) -> HttpResponse:
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
def session_new(request: HtmxHttpRequest) -> HttpResponse:
    if request.method != "POST":
        initial = default_times(request.user) | {"routine": request.GET.get("routine")}
        form = SessionLogForm(user=request.user, initial=initial)
        return render(request, "progress/session_form.html", {"form": form})
    form = SessionLogForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "progress/session_form.html", {"form": form}, status=422)
    data = form.cleaned_data
    session = session_log_record_manual(
        user=request.user,
        routine=data["routine"],
        exercises=data["exercises"],
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        notes=data["notes"],
        feelings=form.feelings(),
        **{name: data[name] for name in RATING_AND_FLAG_FIELDS},
    )
    session_saved_messages(request, session, "Session logged")
    return redirect(session)


@require_http_methods(["GET", "POST"])
@login_required
def session_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
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
def session_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    if request.method == "POST":
        session_log_delete(session=session)
        messages.success(request, "Session deleted.")
        return redirect("progress:history")
    return render(request, "progress/session_confirm_delete.html", {"session": session})
