"""The trainer's side: the roster of clients, and invitations."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import HtmxHttpRequest
from coaching import selectors
from coaching.forms import InvitationForm, roster_filter_values
from coaching.roster import roster_page_cached
from coaching.services import InvitationError, invitation_resend, invitation_revoke, invitation_send
from coaching.views.decorators import trainer_required


@require_GET
@login_required
@trainer_required
def roster(request: HtmxHttpRequest) -> HttpResponse:
    flag, sort = roster_filter_values(request.GET)
    page_number = _page_number(request.GET.get("page", ""))
    results = roster_page_cached(request, request.user, flag=flag, sort=sort, page_number=page_number)
    return render(request, "coaching/roster.html", results)


def _page_number(value: str) -> int:
    """A page number from the query string: anything else is the first page (the Paginator
    turns a number past the end into the last page)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else 1


@require_http_methods(["GET", "POST"])
@login_required
@trainer_required
def invitation_list(request: HtmxHttpRequest) -> HttpResponse:
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
def invitation_resend_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
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
def invitation_revoke_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    link = selectors.get_invitation_for_trainer(request.user, pk)
    try:
        invitation_revoke(link=link)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitation to {link.email} withdrawn. Its link no longer works.")
    return redirect("coaching:invitation_list")
