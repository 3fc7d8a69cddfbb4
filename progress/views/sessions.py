from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from progress.models import SessionLog


@require_GET
@login_required
def session_detail(request, pk: int):
    session = get_object_or_404(
        SessionLog.objects.prefetch_related("exercise_logs__exercise"), pk=pk, user=request.user
    )
    return render(request, "progress/session_detail.html", {"session": session})


def history(request):
    raise NotImplementedError


def session_new(request):
    raise NotImplementedError


def session_edit(request, pk: int):
    raise NotImplementedError


def session_delete(request, pk: int):
    raise NotImplementedError
