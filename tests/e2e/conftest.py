"""Real-browser fixtures: Playwright drives Debian's chromium against pytest-django's live server."""

import copy
import os

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from playwright.sync_api import sync_playwright

from routines.library_load import LibraryLoadResult, library_load
from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still plain synchronous calls, so Django's async-safety guard can stand down.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _site_is_the_live_server(live_server, settings) -> None:
    """Links in emails, and journeys.log_in's cookie, lead to the server under test."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def page(browser, live_server, transactional_db, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        os.makedirs("test-artifacts", exist_ok=True)
        page.screenshot(path=f"test-artifacts/{request.node.name}.png", full_page=True)
    context.close()


# This process's first load of the library into empty tables: what it returned, and the rows it
# wrote, table by table.
_first_load: tuple[LibraryLoadResult, dict[type, list[dict]]] | None = None


@pytest.fixture
def library(transactional_db) -> LibraryLoadResult:
    """The shipped library, as library_load() leaves empty tables. A browser test's rows are
    deleted after it, so the library cannot be loaded once for a module as elsewhere
    (tests/conftest.py), and loading takes about a second. So the first load in this process is
    kept, and later tests get its rows back, one bulk insert per table: the same rows, ids and all.
    Where the tables are not empty, library_load() runs, as it would."""
    global _first_load
    models = list(apps.get_app_config("routines").get_models(include_auto_created=True))
    if any(model.objects.exists() for model in models):
        return library_load()
    if _first_load is None:
        result = library_load()
        _first_load = copy.deepcopy(result), {model: list(model.objects.values()) for model in models}
        return result
    result, rows = _first_load
    with transaction.atomic():  # foreign keys are checked at the commit, so the order does not matter
        for model, values in rows.items():
            model.objects.bulk_create(model(**row) for row in values)
        with connection.cursor() as cursor:  # new rows' ids come after the copied ones
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    return copy.deepcopy(result)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so the page fixture can screenshot a failure.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
