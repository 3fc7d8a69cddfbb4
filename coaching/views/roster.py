"""The trainer's side: the roster of clients, and invitations."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching import selectors
from coaching.forms import InvitationForm, RosterFilterForm
from coaching.services import InvitationError, invitation_resend, invitation_revoke, invitation_send
from coaching.views.decorators import trainer_required

ROSTER_PAGE_SIZE = 50
# The roster is computed once and cached under everything it depends on: the trainer's
# dashboard_version, which every write to their links, invitations and assignments bumps, and so
# does every write to an active client's sessions, comments or profile
# (accounts.services.user_dashboard_changed); and the quarter hour, as each client's "today"
# turns at their own midnight. A cached roster is never behind the data, and at most 15 minutes
# behind the clock. A request served from the cache costs one query: the trainer, for the login.
ROSTER_CACHE_SECONDS = 15 * 60


@require_GET
@login_required
@trainer_required
def roster(request):
    trainer = request.user
    filters = RosterFilterForm(request.GET)
    flag, sort = filters.values()
    page_number = _page_number(request.GET.get("page", ""))
    slot = int(timezone.now().timestamp() // ROSTER_CACHE_SECONDS)
    key = f"roster:4:{trainer.pk}:{trainer.dashboard_version}:{slot}"
    # The table is cached as rendered, per filter, sort and page: rendering 50 rows costs more
    # than computing them once did.
    results_key = f"{key}:{flag}:{sort}:{page_number}"
    results = cache.get(results_key)
    if results is None:
        rows = cache.get(key)
        if rows is None:
            rows = selectors.roster(trainer)
            cache.set(key, rows, ROSTER_CACHE_SECONDS)
        shown = selectors.roster_sorted(rows, sort=sort, flag=flag)
        context = {
            "page": Paginator(shown, ROSTER_PAGE_SIZE).get_page(page_number),
            "flag": flag,
            "sort": sort,
            "flag_choices": filters.fields["flag"].choices,
            "sort_choices": filters.fields["sort"].choices,
            "has_clients": bool(rows),
            "filtered": bool(flag),
            "query": urlencode({"flag": flag, "sort": sort}),
        }
        results = {
            "html": render_to_string("coaching/roster.html#results", context, request=request),
            "pending_count": trainer.client_links.pending().count(),
        }
        cache.set(results_key, results, ROSTER_CACHE_SECONDS)
    return render(request, "coaching/roster.html", results)


def _page_number(value: str) -> int:
    """A page number from the query string: anything else is the first page (the Paginator
    turns a number past the end into the last page)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else 1


@require_http_methods(["GET", "POST"])
@login_required
@trainer_required
def invitation_list(request):
    trainer = request.user
    status = 200
    if request.method == "POST":
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                link = invitation_send(
                    trainer=trainer,
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                )
            except InvitationError as error:
                form.add_error("email", str(error))
            else:
                messages.success(request, f"Invitation sent to {link.email}.")
                return redirect("coaching:invitation_list")
        status = 422
    else:
        form = InvitationForm()
    context = {
        "form": form,
        "pending": trainer.client_links.pending().order_by("-invited_at"),
        "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
    }
    return render(request, "coaching/invitations.html", context, status=status)


@require_POST
@login_required
def invitation_resend_view(request, pk: int):
    link = selectors.get_invitation_for_trainer(request.user, pk)
    try:
        invitation_resend(link=link)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Sent again to {link.email}. The link in the earlier email no longer works."
        )
    return redirect("coaching:invitation_list")


@require_POST
@login_required
def invitation_revoke_view(request, pk: int):
    link = selectors.get_invitation_for_trainer(request.user, pk)
    try:
        invitation_revoke(link=link)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation to {link.email} withdrawn. Its link no longer works.")
    return redirect("coaching:invitation_list")
