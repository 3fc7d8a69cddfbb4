from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.http import HtmxHttpRequest
from routines.families import family_members
from routines.forms import ExerciseFilterForm
from routines.models import Exercise
from routines.selectors import exercise_search

EXERCISES_PER_PAGE = 24


@require_GET
def exercise_list(request: HtmxHttpRequest) -> HttpResponse:
    form = ExerciseFilterForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        exercises = exercise_search(
            q=data["q"],
            kind=data["kind"],
            muscle_slug=data["muscle"].slug if data["muscle"] else "",
            equipment_slug=data["equipment"].slug if data["equipment"] else "",
            needs=data["needs"],
            who=data["who"],
        )
    else:
        exercises = Exercise.objects.none()
    page = Paginator(exercises, EXERCISES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)

    template = "routines/exercise_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "filtered": any(request.GET.get(k) for k in form.fields),
            "query": query.urlencode(),
        },
    )


@require_GET
def exercise_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    # A retired exercise's old address says it is gone for good, and why (links and bookmarks
    # to it exist); an unpublished one is simply not found.
    retired = Exercise.objects.retired().filter(slug=slug).first()
    if retired is not None:
        return render(request, "routines/exercise_retired.html", {"exercise": retired}, status=410)
    exercise = get_object_or_404(
        Exercise.objects.published().with_lookups().prefetch_related("steps"), slug=slug
    )
    context = {"exercise": exercise, "family": family_members(exercise)}
    return render(request, "routines/exercise_detail.html", context)


@require_GET
def before_you_start(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "pages/before_you_start.html")


@require_GET
def what_we_left_out(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "pages/what_we_left_out.html")
