"""Following an invitation link: the person sees who invited them and exactly what that trainer
would see, then accepts or declines. Broken, used or stale links get a page that says why."""

from urllib.parse import urlsplit

from allauth.account.utils import get_next_redirect_url
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import HtmxHttpRequest
from coaching.forms import SharingForm
from coaching.services import InvitationInvalid, invitation_accept, invitation_decline, invitation_from_token


@require_GET
def invitation_respond(request: HtmxHttpRequest, token: str) -> HttpResponse:
    try:
        link = invitation_from_token(token)
    except InvitationInvalid as problem:
        return _invalid(request, problem)
    user = request.user
    context = {"link": link, "token": token}
    if not user.is_authenticated:
        # Signing up from here with the invited address needs no confirmation email: the sign-up
        # carries this link (`next`), and invitation_vouches_for (below) checks it then.
        # Nothing is stashed in the session on the way: this may be a shared computer.
        context["signup_url"] = reverse("account_signup") + "?next=" + request.path
        context["login_url"] = reverse("account_login") + "?next=" + request.path
        return render(request, "coaching/invitation_respond.html", context)
    if not link.is_addressed_to(user):
        return _wrong_account(request, link, token)
    context["form"] = SharingForm(instance=link)
    return render(request, "coaching/invitation_respond.html", context)


@require_POST
@login_required
def invitation_answer(request: HtmxHttpRequest, token: str) -> HttpResponse:
    try:
        link = invitation_from_token(token)
    except InvitationInvalid as problem:
        return _invalid(request, problem)
    user = request.user
    if not link.is_addressed_to(user):
        return _wrong_account(request, link, token)
    answer = request.POST.get("answer")
    if answer not in {"accept", "decline"}:
        messages.error(request, "Choose Accept or Decline.")
        return redirect("coaching:invitation_respond", token=token)
    if answer == "decline":
        try:
            invitation_decline(link=link)
        except InvitationInvalid as problem:
            return _invalid(request, problem)
        messages.info(request, f"You declined {link.trainer}’s invitation. They won’t see anything of yours.")
        return redirect("home")
    form = SharingForm(request.POST, instance=link)
    if not form.is_valid():  # checkboxes cannot be invalid, but a form is the one place that parses them
        context = {"link": link, "form": form, "token": token}
        return render(request, "coaching/invitation_respond.html", context, status=422)
    try:
        invitation_accept(link=link, client=user, **form.cleaned_data)
    except InvitationInvalid as problem:
        return _invalid(request, problem)
    messages.success(
        request, f"You are now a client of {link.trainer}. Routines they assign appear on your dashboard."
    )
    return redirect("home")


def invitation_vouches_for(request: HttpRequest, email: str) -> bool:
    """Whether this sign-up request came from an open invitation sent to `email` (its `next` is
    the invitation's page): following the emailed link proves the person owns the address.
    Registered with accounts.signup in CoachingConfig.ready()."""
    next_url = get_next_redirect_url(request)
    if not next_url:
        return False
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return False
    if match.view_name != "coaching:invitation_respond":
        return False
    try:
        link = invitation_from_token(match.kwargs["token"])
    except InvitationInvalid:
        return False
    return link.email.lower() == email.lower()


def _wrong_account(request: HtmxHttpRequest, link, token: str) -> HttpResponse:
    """A 404 that explains, without showing whom the invitation is for."""
    here = reverse("coaching:invitation_respond", args=[token])  # where logging out comes back to
    context = {"link": link, "token": token, "here": here}
    return render(request, "coaching/invitation_wrong_account.html", context, status=404)


def _invalid(request: HtmxHttpRequest, problem: InvitationInvalid) -> HttpResponse:
    status = 404 if problem.reason == "tampered" else 410
    return render(request, "coaching/invitation_invalid.html", {"problem": problem}, status=status)
