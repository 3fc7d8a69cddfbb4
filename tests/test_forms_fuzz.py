"""Every form of the app, filled in by hypothesis as its owner: never a 5xx, and a 4xx changes nothing.

The forms are found, not listed: every page of the project (the URL walk of test_privacy.py, with
its world of a client, their trainer and their objects) is opened by the account it belongs to,
and each <form> on it is read for its action, method, field names and the values it offers
(options, radios, checkboxes, what is filled in). URLs that only answer POST are posted to with
the fields of the forms that point at them. Hypothesis then sends each endpoint values drawn from
what the form offers, the awkward values people and scripts type (empty, signs, huge numbers,
impossible dates, control characters, line separators, very long text) and arbitrary text, with
fields left out at random, with and without htmx's header.

Each example runs in a savepoint that is rolled back, so examples do not see each other's writes.
max_examples is kept small per endpoint: together they are a few hundred requests.
"""

import os
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_privacy
from tests.test_privacy import URLS, World, entitled, url_kwargs

# The fixtures: a client, their trainer, and their objects.
world, world_for_the_module = test_privacy.world, test_privacy.world_for_the_module

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PROJECT_APPS = ("accounts", "routines", "progress", "notifications", "coaching")
OMIT = object()
AWKWARD = [
    "",
    " ",
    "0",
    "1",
    "-1",
    "10",
    "11",
    "1.5",
    "1e3",
    "NaN",
    "99999999999999999999999",
    "abc",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "25:61",
    "\x00",
    "a\r\nb",
    "a\u2028b\u0085c",
    "x" * 5000,
    "<b>bold</b>",
    "on",
]
FUZZ_SETTINGS = settings(
    # Per endpoint; FORMS_FUZZ_EXAMPLES=500 for a longer hunt.
    max_examples=int(os.environ.get("FORMS_FUZZ_EXAMPLES", "6")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class FormParser(HTMLParser):
    """The forms of a page: (method, action, {field name: values the page offers})."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, set[str]]]] = []
        self._fields: dict[str, set[str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._fields = defaultdict(set)
            self.forms.append((attr.get("method", "get").lower(), attr.get("action", ""), self._fields))
        elif self._fields is None:
            return
        elif tag in ("input", "button") and attr.get("name"):
            self._fields[attr["name"]].add(attr.get("value", ""))
        elif tag == "select" and attr.get("name"):
            self._select = attr["name"]
            self._fields[self._select]
        elif tag == "option" and self._select:
            self._fields[self._select].add(attr.get("value", ""))
        elif tag == "textarea" and attr.get("name"):
            self._textarea = attr["name"]
            self._fields[self._textarea]

    def handle_data(self, data: str) -> None:
        if self._textarea and self._fields is not None:
            self._fields[self._textarea].add(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def snapshot() -> dict:
    """Every row of the project's own models, each table as JSON in primary key order (PostgreSQL's
    json_agg). One query for them all: it runs after most of the few hundred requests, and a query
    per model took as long as the requests."""
    models = [model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()]
    quote = connection.ops.quote_name
    tables = [
        f"(SELECT json_agg(t ORDER BY t.{quote(meta.pk.column)})::text FROM {quote(meta.db_table)} t)"
        for meta in (model._meta for model in models)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(tables)}")
        return dict(zip([model._meta.label for model in models], cursor.fetchone(), strict=True))


def endpoints(client, world: World) -> list[tuple[str, str, object, dict[str, set[str]]]]:
    """(method, path, owner, fields) for every form of the project, and every POST-only URL."""
    found: dict[tuple[str, str], tuple[object, dict[str, set[str]]]] = {}
    post_only = []
    # A run in the player, so that its step and finish pages show their forms.
    client.force_login(world.client)
    started = client.post(
        reverse("progress:player_start", args=[world.routine.pk]), {"tightness_before": "3"}
    )
    assert started.status_code == 302
    for route, name, params in URLS:
        path = reverse(name, kwargs=url_kwargs(route, params, world))
        owner = entitled(route, world)
        client.force_login(owner)
        response = client.get(path)
        if response.status_code == 405:
            post_only.append((path, owner))
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for method, action, fields in parser.forms:
            target = urlsplit(action).path or path
            try:
                resolve(target)
            except Resolver404:
                continue
            if target.startswith(("/accounts/", "/admin/")):
                continue  # allauth's and Django's own forms
            _, known = found.setdefault((method, target), (owner, defaultdict(set)))
            for field, values in fields.items():
                known[field] |= values
    for path, owner in post_only:
        found.setdefault(("post", path), (owner, defaultdict(set)))
    return sorted((method, path, owner, dict(fields)) for (method, path), (owner, fields) in found.items())


def value_strategy(offered: set[str]) -> st.SearchStrategy:
    one = st.one_of(st.sampled_from(sorted(offered | set(AWKWARD))), st.text(max_size=40))
    return st.one_of(st.just(OMIT), one, st.lists(one, min_size=2, max_size=3))


def test_the_walk_finds_the_forms_people_fill_in(client, world):
    found = {(method, path) for method, path, _, _ in endpoints(client, world)}

    assert ("post", reverse("progress:session_new")) in found
    assert ("post", reverse("progress:session_edit", args=[world.session.pk])) in found
    assert ("post", reverse("routines:routine_new")) in found
    assert ("post", reverse("accounts:settings")) in found
    assert ("post", reverse("coaching:invitation_list")) in found
    assert ("get", reverse("progress:history")) in found
    assert ("post", reverse("progress:player_step", args=[world.routine.pk, 1])) in found
    assert len(found) > 40


def test_every_form_answers_generated_values_without_a_server_error(client, world):
    forms = endpoints(client, world)
    client.raise_request_exception = False  # a 500 is a response to assert on, not an exception here

    for method, path, owner, fields in forms:
        client.force_login(owner)
        before = snapshot()  # every example is rolled back, so each starts from here
        FUZZ_SETTINGS(given(data=st.data())(_example_for(client, method, path, fields, before)))()


def _example_for(client, method: str, path: str, fields: dict[str, set[str]], before: dict):
    def example(data) -> None:
        _one_example(client, method, path, fields, before, data)

    return example


def _one_example(client, method: str, path: str, fields: dict[str, set[str]], before: dict, data) -> None:
    names = sorted(fields) or ["title", "name", "body", "answer", "pain"]
    chosen = {name: data.draw(value_strategy(fields.get(name, set())), label=name) for name in names}
    payload = {name: value for name, value in chosen.items() if value is not OMIT}
    htmx = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans(), label="htmx") else {}
    with transaction.atomic():
        send = client.post if method == "post" else client.get
        response = send(path, payload, **htmx)
        assert response.status_code < 500, f"{method.upper()} {path} {payload!r}: {response.status_code}"
        if response.status_code >= 400 or method == "get":
            assert snapshot() == before, f"{method.upper()} {path} {payload!r} changed rows"
        transaction.set_rollback(True)
