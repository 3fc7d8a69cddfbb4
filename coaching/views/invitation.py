"""Following an invitation link: the person sees who invited them and exactly what that trainer
would see, then accepts or declines. Broken, used or stale links get a page that says why."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
        # The person followed a link sent to this address: that proves they own it, so signing
        # up with it needs no second confirmation email (allauth reads this from the session).
        get_adapter().stash_verified_email(request, link.email)
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


def _wrong_account(request: HtmxHttpRequest, link, token: str) -> HttpResponse:
    """A 404 that explains, without showing whom the invitation is for."""
    here = reverse("coaching:invitation_respond", args=[token])  # where logging out comes back to
    context = {"link": link, "token": token, "here": here}
    return render(request, "coaching/invitation_wrong_account.html", context, status=404)


def _invalid(request: HtmxHttpRequest, problem: InvitationInvalid) -> HttpResponse:
    status = 404 if problem.reason == "tampered" else 410
    return render(request, "coaching/invitation_invalid.html", {"problem": problem}, status=status)
