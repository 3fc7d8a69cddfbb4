"""The installable app: the web app manifest, the service worker and the offline page.

The service worker (templates/pwa/sw.js, plain JavaScript rendered with the version and the
files to precache) is served from the site root, so its scope is the whole app. Its version is a
hash of the static files (whitenoise's manifest in production, their sizes and times otherwise)
and of the offline pages' templates, plus `RELEASE` when a deploy sets it: any change gives the
browser a new worker, which replaces the old one and its caches.

Per-account caches: every HTML page for a person who is logged in carries `X-Unknot-Account`, an
opaque id (an HMAC of their id, useless to anyone else); the worker caches such pages under that
id and serves only the current account's. Pages for visitors carry none and are never cached.
"""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_safe

from accounts.http import HtmxHttpRequest

ACCOUNT_HEADER = "X-Unknot-Account"
THEME_COLOUR = "#0b5566"  # --accent in static/css/app.css
BACKGROUND_COLOUR = "#ffffff"  # --paper

# The app shell: what every page needs, fetched when the worker installs.
SHELL_STATIC = [
    "css/app.css",
    "js/forms.js",
    "js/offline.js",
    "js/countdown.js",
    "js/player-keys.js",
    "js/offline-player.js",
    "vendor/htmx/htmx.min.js",
    "icons/unknot.svg",
    "icons/unknot-192.png",
]
# Templates whose pages the worker keeps (the offline page, the offline player and "Before you
# start"): a change to them must reach devices, so they count in the version.
# Their includes too (tests/config/test_pwa.py checks that every one is listed).
SHELL_TEMPLATES = [
    "base.html",
    "_partials/messages.html",
    "_partials/screening_prompt.html",
    "pages/offline.html",
    "pages/before_you_start.html",
    "progress/player_offline.html",
    "progress/_player_shortcuts.html",
    "pwa/_offline_nav.html",
    "pwa/_device_note.html",
    "pwa/sw.js",
]


def account_cache_id(user) -> str:
    """An opaque, stable id for a person's caches on a device: not their id or email."""
    return salted_hmac("config.pwa.account_cache", str(user.pk)).hexdigest()[:20]


@functools.cache
def _manifest_hash() -> str:
    """Production: whitenoise's manifest names every static file's hash; it is fixed per release."""
    return hashlib.sha256(json.dumps(staticfiles_storage.hashed_files, sort_keys=True).encode()).hexdigest()


def _files_hash() -> str:
    """Development and tests: each file's name, size and time of change, read on every request
    for the worker, so an edited script reaches the browser without a restart."""
    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in sorted(finder.list([]), key=lambda found: found[0]):
            stat = Path(storage.path(path)).stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _static_hash() -> str:
    static = _manifest_hash() if getattr(staticfiles_storage, "hashed_files", None) else _files_hash()
    digest = hashlib.sha256(static.encode())
    for name in SHELL_TEMPLATES:
        digest.update(Path(settings.BASE_DIR / "templates" / name).read_bytes())
    return digest.hexdigest()


def service_worker_version() -> str:
    return hashlib.sha256(f"{_static_hash()}:{settings.RELEASE}".encode()).hexdigest()[:12]


def account_header(get_response):
    """Middleware: mark the HTML pages of a person who is logged in with their cache id."""

    def middleware(request):
        response = get_response(request)
        # The content type first: other responses (the health check, files) never load the user.
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response[ACCOUNT_HEADER] = account_cache_id(user)
        return response

    return middleware


def offline_account(request) -> dict:
    """Context processor: the theme colour (the manifest's), and the cache id on every page of a
    person who is logged in, for static/js/offline.js (the IndexedDB of their saved routines and
    waiting logs)."""
    context = {"theme_colour": THEME_COLOUR}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context["offline_account"] = account_cache_id(user)
    return context


def _icon(path: str, size: int, purpose: str) -> dict:
    return {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}


@require_safe
def manifest(request: HtmxHttpRequest) -> JsonResponse:
    data = {
        "name": "Unknot: stretching for a stiff upper back",
        "short_name": "Unknot",
        "description": "Guided stretches for a stiff upper back, with a timer that works offline.",
        "id": "/",
        "start_url": "/?source=app",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            _icon("icons/unknot-192.png", 192, "any"),
            _icon("icons/unknot-512.png", 512, "any"),
            _icon("icons/unknot-maskable-512.png", 512, "maskable"),
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def service_worker(request: HtmxHttpRequest) -> HttpResponse:
    config = {
        "version": service_worker_version(),
        "precache": [static(path) for path in SHELL_STATIC],
        "static_prefix": settings.STATIC_URL,  # "/static/" (static("") has no manifest entry)
        "offline_url": reverse("offline"),
        "offline_player_url": reverse("progress:player_offline"),
        # Pages the same for everyone, kept for reading offline: the address they stand in for.
        "kept_pages": {reverse("routines:before_you_start"): reverse("offline_before_you_start")},
        "account_header": ACCOUNT_HEADER,
    }
    # JSON with <, > and & escaped, so nothing in it can end the script early.
    escaped = json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    context = {"config": escaped}
    response = render(request, "pwa/sw.js", context, content_type="text/javascript")
    # Browsers check for a new worker on each visit; no copy may stand in the way of a release.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HtmxHttpRequest) -> HttpResponse:
    """What the worker shows when a page is not available offline: the same for everyone (it is
    fetched without cookies), listing the routines this device keeps, by offline.js."""
    return render(request, "pages/offline.html", {"version": service_worker_version()})


@require_safe
def offline_before_you_start(request: HtmxHttpRequest) -> HttpResponse:
    """The page "Before you start" as the worker keeps it for offline use: the safety advice after
    a session stopped offline links to it. Fetched without cookies, with the offline pages' header."""
    return render(request, "pages/before_you_start.html", {"offline_shell": True})
