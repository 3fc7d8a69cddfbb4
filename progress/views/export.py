"""Download your data: the page that explains the files, and the files, streamed (progress/export.py).

There are no ids in these URLs: every file is built from request.user alone, so there is nobody
else's data to ask for.
"""

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.http import HtmxHttpRequest
from progress.export import data_json_chunks, exercise_logs_csv_chunks, sessions_csv_chunks

CSV = "text/csv; charset=utf-8"


@require_GET
@login_required
def export_page(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "progress/export.html")


@require_GET
@login_required
@never_cache
def export_sessions_csv(request: HtmxHttpRequest) -> StreamingHttpResponse:
    return _download(request, sessions_csv_chunks(request.user), "sessions", "csv", CSV)


@require_GET
@login_required
@never_cache
def export_exercises_csv(request: HtmxHttpRequest) -> StreamingHttpResponse:
    return _download(request, exercise_logs_csv_chunks(request.user), "exercises", "csv", CSV)


@require_GET
@login_required
@never_cache
def export_json(request: HtmxHttpRequest) -> StreamingHttpResponse:
    return _download(request, data_json_chunks(request.user), "data", "json", "application/json")


def _download(
    request: HtmxHttpRequest, chunks: Iterator[bytes], name: str, extension: str, content_type: str
) -> StreamingHttpResponse:
    # Named after the person's own today, e.g. unknot-sessions-2026-11-24.csv.
    today = timezone.localdate(timezone=request.user.zone)
    filename = f"unknot-{name}-{today.isoformat()}.{extension}"
    return StreamingHttpResponse(
        chunks,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )
