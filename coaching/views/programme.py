"""The trainer and the programme "Upper-back reset, 6 weeks": assigning it (the standard one or
their own version), making their own version, and holding a client at their level."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import HtmxHttpRequest
from coaching import selectors
from coaching.forms import ProgrammeAssignForm, ProgrammeCopyForm, ProgrammeHoldForm
from coaching.services import (
    AssignmentError,
    client_programme_hold,
    programme_assign,
    programme_copy_make,
)
from coaching.views.clients import client_page
from coaching.views.decorators import trainer_required
from routines.services import RoutineLimitError


@require_http_methods(["GET", "POST"])
@login_required
@trainer_required
def programme_assign_view(request: HtmxHttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ProgrammeAssignForm(request.POST, trainer=request.user)
        if form.is_valid():
            track, copy = form.chosen()
            try:
                done = programme_assign(
                    trainer=request.user,
                    links=form.cleaned_data["clients"],
                    track=track,
                    copy=copy,
                    instructions=form.cleaned_data["instructions"],
                )
            except AssignmentError as problem:
                form.add_error("clients", str(problem))
                context = {"form": form, "copy_form": ProgrammeCopyForm()}
                return render(request, "coaching/programme_assign.html", context, status=409)
            if done.started:
                names = ", ".join(link.client_name for link in done.started)
                messages.success(request, f"The programme has started for {names}.")
            if done.already:
                names = ", ".join(link.client_name for link in done.already)
                messages.info(request, f"Already following the programme, so left as they are: {names}.")
            if len(done.started) == 1 and not done.already:
                return redirect("coaching:client_detail", pk=done.started[0].pk)
            return redirect("coaching:roster")
        status = 422
    else:
        form = ProgrammeAssignForm(initial={"clients": request.GET.getlist("client")}, trainer=request.user)
    context = {"form": form, "copy_form": ProgrammeCopyForm()}
    return render(request, "coaching/programme_assign.html", context, status=status)


@require_POST
@login_required
@trainer_required
def programme_copy_view(request: HtmxHttpRequest) -> HttpResponse:
    form = ProgrammeCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the three tracks.")
        return redirect("coaching:programme_assign")
    try:
        copy = programme_copy_make(trainer=request.user, track=form.cleaned_data["track"])
    except RoutineLimitError as problem:
        messages.error(request, f"Your version of the programme needs two routines of its own. {problem}")
        return redirect("coaching:programme_assign")
    messages.success(
        request,
        "Your version is ready: change its session here (and its desk break in your routines), "
        "then assign it from “Assign the programme”.",
    )
    return redirect("routines:routine_edit", pk=copy.session_routine_id)


@require_POST
@login_required
def client_programme_hold_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    link = selectors.get_client_link_for_trainer(request.user, pk)
    form = ProgrammeHoldForm(request.POST)
    if not form.is_valid():
        # Only a forged or broken form gets here (the page's button sends 0 or 1): change nothing.
        messages.error(request, form.errors["hold"][0])
        return client_page(request, link, status=422)
    hold = form.cleaned_data["hold"]
    if client_programme_hold(link=link, hold=hold):
        if hold:
            messages.success(request, f"{link.client_name} stays at this level until you let it move on.")
        else:
            messages.success(request, f"{link.client_name}’s programme moves on again by its rules.")
    else:
        messages.info(request, f"{link.client_name} is not following the programme.")
    return redirect("coaching:client_detail", pk=link.pk)
