"""Routines: the list, a routine's page, create, duplicate, delete, and the builder."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import HtmxHttpRequest
from accounts.screening import conditions_for
from routines.families import variant_neighbours_of, variant_step_message
from routines.forms import (
    AddExerciseForm,
    BuilderSearchForm,
    MoveItemForm,
    RoutineForm,
    RoutineItemForm,
    RoutineSearchForm,
    StepItemForm,
)
from routines.models import MAX_ROUTINE_ITEMS, Routine
from routines.panels import ROUTINE_DETAIL, panels_render
from routines.selectors import (
    exercise_search,
    exercise_suggestions,
    get_item_for_user,
    get_routine_for_user,
    get_visible_routine,
    routine_items_with_swaps_planned,
    routines_of,
    starter_cards,
)
from routines.services import (
    RoutineFullError,
    RoutineLimitError,
    routine_copy,
    routine_copy_to_play,
    routine_create,
    routine_delete,
    routine_item_add,
    routine_item_keep_original,
    routine_item_move,
    routine_item_remove,
    routine_item_step,
    routine_item_update,
    routine_item_use_alternative,
    routine_update,
)

SEARCH_RESULTS_LIMIT = 12
ROUTINES_PER_PAGE = 12


@require_GET
@login_required
def routine_list(request: HtmxHttpRequest) -> HttpResponse:
    """One's routines, a page at a time and searchable (a GET form; with htmx the results narrow as
    the person types, from the `results` partial), then the starters."""
    form = RoutineSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    routines = routines_of(request.user, q=q) if form.is_valid() else Routine.objects.none()
    page = Paginator(routines, ROUTINES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "q": q, "query": query.urlencode()}
    if request.htmx and not request.htmx.boosted:
        return render(request, "routines/routine_list.html#results", context)
    context["starters"] = starter_cards(request.user)
    return render(request, "routines/routine_list.html", context)


@require_GET
@login_required
def routine_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    routine = get_visible_routine(request.user, pk)
    # A copy a trainer assigned: coaching.models.Assignment, read through its reverse one-to-one
    # (routines sits below coaching and does not import it).
    assignment = getattr(routine, "assignment", None)
    context = {
        "routine": routine,
        "assignment": assignment,
        "items": routine_items_with_swaps_planned(routine, request.user),
        # What the apps above add here: the player's "Pick up where you left off?" (progress).
        "panels": panels_render(ROUTINE_DETAIL, request, routine=routine),
    }
    return render(request, "routines/routine_detail.html", context)


@require_POST
@login_required
def routine_use(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """ "Customize": copy a starter routine (or duplicate one's own) and open the copy in the builder."""
    routine = get_visible_routine(request.user, pk)
    try:
        copy = routine_copy(routine=routine, to_user=request.user)
    except RoutineLimitError as problem:
        messages.error(request, str(problem))
        return render(request, "routines/routine_limit.html", {"routine": routine}, status=409)
    messages.success(
        request, f"“{copy.title}” is now in your routines. Change anything you like.{_swaps_said(copy)}"
    )
    return redirect("routines:routine_edit", pk=copy.pk)


@require_POST
@login_required
def routine_start_now(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """ "Start now" on a starter: one tap to the player, with the person's own copy made (or their
    earlier one used again) on the way. One's own routine goes straight to the player."""
    routine = get_visible_routine(request.user, pk)
    if not routine.is_starter:
        return redirect("progress:player_start", pk=routine.pk)
    try:
        copy, created = routine_copy_to_play(routine=routine, user=request.user)
    except RoutineLimitError as problem:
        messages.error(request, str(problem))
        return render(request, "routines/routine_limit.html", {"routine": routine}, status=409)
    if created:
        messages.success(
            request, f"“{copy.title}” is now in your routines, to play or change any time.{_swaps_said(copy)}"
        )
    return redirect("progress:player_start", pk=copy.pk)


def _swaps_said(copy: Routine) -> str:
    swapped = copy.swapped_count
    if not swapped:
        return ""
    return f" We swapped {swapped} exercise{pluralize(swapped)} for a safer one for you: each says why."


@require_http_methods(["GET", "POST"])
@login_required
def routine_new(request: HtmxHttpRequest) -> HttpResponse:
    form = RoutineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                routine = routine_create(owner=request.user, **form.cleaned_data)
            except RoutineLimitError as problem:
                form.add_error(None, str(problem))
                return render(request, "routines/routine_new.html", {"form": form}, status=409)
            messages.success(request, "Routine created. Now add some exercises.")
            return redirect("routines:routine_edit", pk=routine.pk)
        return render(request, "routines/routine_new.html", {"form": form}, status=422)
    return render(request, "routines/routine_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def routine_delete_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    routine = get_routine_for_user(request.user, pk)
    if request.method == "POST":
        title = routine.title
        routine_delete(routine=routine)
        messages.success(request, f"Deleted “{title}”.")
        return redirect("routines:routine_list")
    return render(request, "routines/routine_confirm_delete.html", {"routine": routine})


@require_http_methods(["GET", "POST"])
@login_required
def routine_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The builder. GET ?q= searches the library (htmx gets just the results); POST saves the title."""
    routine = get_routine_for_user(request.user, pk)
    details_form = RoutineForm(request.POST if request.method == "POST" else None, instance=routine)
    if request.method == "POST":
        if details_form.is_valid():
            routine_update(routine=routine, **details_form.cleaned_data)
            messages.success(request, "Saved.")
            return redirect("routines:routine_edit", pk=routine.pk)
        return _render_builder(request, routine, details_form=details_form, status=422)
    if request.htmx and request.htmx.target == "search-results":
        return _render_builder(request, routine, partial="search")
    return _render_builder(request, routine, details_form=details_form)


@require_POST
@login_required
def routine_item_add_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    routine = get_routine_for_user(request.user, pk)
    form = AddExerciseForm(request.POST)
    if not form.is_valid():
        return _render_builder(request, routine, add_form=form, partial="items", status=422)
    try:
        item = routine_item_add(routine=routine, exercise=form.cleaned_data["exercise"])
    except RoutineFullError as exc:
        form.add_error("exercise", str(exc))
        return _render_builder(request, routine, add_form=form, partial="items", status=422)
    return _after_change(request, routine, f"Added {item.exercise.name}.")


@require_POST
@login_required
def routine_item_update_view(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, item_pk)
    form = RoutineItemForm(request.POST, instance=item, prefix=f"item-{item.pk}")
    if not form.is_valid():
        return _render_builder(request, item.routine, invalid_item_form=form, partial="items", status=422)
    routine_item_update(item=item, **form.cleaned_data)
    return _after_change(request, item.routine, f"Saved {item.exercise.name}.")


@require_POST
@login_required
def routine_item_move_view(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, item_pk)
    form = MoveItemForm(request.POST)
    if not form.is_valid():
        return _after_change(request, item.routine, "Nothing moved: use the Up or Down buttons.")
    direction = form.cleaned_data["direction"]
    routine_item_move(item=item, direction=direction)
    return _after_change(request, item.routine, f"Moved {item.exercise.name} {direction}.")


@require_POST
@login_required
def routine_item_step_view(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Easier or Harder: the item becomes the next variant of its exercise that suits the person."""
    item = get_item_for_user(request.user, pk, item_pk)
    form = StepItemForm(request.POST)
    if not form.is_valid():
        return _after_change(request, item.routine, "Nothing changed: use the Easier or Harder buttons.")
    before = item.exercise
    variant = routine_item_step(item=item, step=form.step, conditions=conditions_for(request.user))
    return _after_change(request, item.routine, variant_step_message(before, variant, form.step))


@require_POST
@login_required
def routine_item_remove_view(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, item_pk)
    routine_item_remove(item=item)
    return _after_change(request, item.routine, f"Removed {item.exercise.name}.")


@require_POST
@login_required
def routine_item_keep_original_view(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Keep the exercise a swap replaced, after reading why it may not suit the person."""
    item = get_item_for_user(request.user, pk, item_pk)
    if routine_item_keep_original(item=item):
        messages.success(
            request,
            f"You kept {item.swapped_from.name}. Its caution stays beside it, and you can go back to "
            "the safer alternative at any time.",
        )
    return redirect(f"{item.routine.get_absolute_url()}#item-{item.pk}")


@require_POST
@login_required
def routine_item_use_alternative_view(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Undo "keep the original": swap the exercise for its safer alternative again."""
    item = get_item_for_user(request.user, pk, item_pk)
    if not item.is_kept_original:
        return redirect(f"{item.routine.get_absolute_url()}#item-{item.pk}")
    conditions = conditions_for(request.user)
    swap = routine_item_use_alternative(item=item, conditions=conditions)
    if swap is not None:
        messages.success(request, f"{swap.alternative.name} is back in place of {swap.original.name}.")
    elif item.exercise.unsuitable_for(conditions) is None:
        messages.info(request, f"{item.exercise.name} suits your answers as they are now, so it stays.")
    else:
        messages.info(
            request,
            f"Nothing in the library suits your answers better than {item.exercise.name} at the moment, "
            "so it stays, with its caution beside it.",
        )
    return redirect(f"{item.routine.get_absolute_url()}#item-{item.pk}")


def _after_change(request: HtmxHttpRequest, routine: Routine, message: str) -> HttpResponse:
    """htmx gets the refreshed item list; without JavaScript, back to the builder (post/redirect/get)."""
    if request.htmx:
        return _render_builder(request, routine, partial="items", status_message=message)
    messages.success(request, message)
    return redirect("routines:routine_edit", pk=routine.pk)


def _render_builder(
    request: HtmxHttpRequest,
    routine: Routine,
    *,
    details_form: RoutineForm | None = None,
    add_form: AddExerciseForm | None = None,
    invalid_item_form: RoutineItemForm | None = None,
    partial: str | None = None,
    status_message: str = "",
    status: int = 200,
) -> HttpResponse:
    routine = Routine.objects.with_items().get(pk=routine.pk)
    items = list(routine.items.all())
    # Easier and harder variants that suit the person, for every item from one query.
    neighbours = variant_neighbours_of((item.exercise for item in items), conditions_for(request.user))
    item_forms = []
    for item in items:
        if invalid_item_form is not None and invalid_item_form.instance.pk == item.pk:
            form = invalid_item_form
        else:
            form = RoutineItemForm(instance=item, prefix=f"item-{item.pk}")
        easier, harder = neighbours[item.exercise_id]
        item_forms.append((item, form, easier, harder))

    search_form = BuilderSearchForm(request.GET)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    if query:
        results = list(exercise_search(q=query)[:SEARCH_RESULTS_LIMIT])
    else:
        results = exercise_suggestions(user=request.user, exclude_ids={item.exercise_id for item in items})

    template = "routines/builder.html"
    if partial and request.htmx:
        template += f"#{partial}"
    context = {
        "routine": routine,
        "items": items,
        "item_forms": item_forms,
        "details_form": details_form or RoutineForm(instance=routine),
        "add_form": add_form,
        "search_form": search_form,
        "query": query,
        "results": results,
        "is_full": len(items) >= MAX_ROUTINE_ITEMS,
        "max_items": MAX_ROUTINE_ITEMS,
        "status_message": status_message,
    }
    return render(request, template, context, status=status)
