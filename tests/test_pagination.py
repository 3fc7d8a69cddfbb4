"""The one pager (templates/_partials/pagination.html) on every list that has pages: it keeps the
list's filters on every page, names itself and the current page for screen readers, and on the
exercise library also works through htmx."""

from datetime import timedelta

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from coaching.roster import Flag
from progress.selectors import local_today
from tests.factories import (
    ExerciseFactory,
    MuscleFactory,
    TrainerClientFactory,
    UserFactory,
    assignment_create,
)

pytestmark = pytest.mark.django_db


def pager(label: str, current: str, *links: str) -> str:
    """The pager as a person's browser gets it, for assertContains(html=True)."""
    previous = [link for link in links if 'rel="prev"' in link]
    following = [link for link in links if 'rel="next"' in link]
    return (
        f'<nav class="pagination" aria-label="{label}">'
        + "".join(previous)
        + f'<span aria-current="page">{current}</span>'
        + "".join(following)
        + "</nav>"
    )


def test_history_keeps_its_date_filter_on_older_and_newer_pages(client, log_session):
    person = UserFactory()
    client.force_login(person)
    today = local_today(person)
    for days_ago in range(25):
        log_session(person, today - timedelta(days=days_ago))
    since = (today - timedelta(days=20)).isoformat()
    url = reverse("progress:history")

    first = client.get(url, {"date_from": since})
    second = client.get(url, {"date_from": since, "page": 2})

    older = f'<a href="?date_from={since}&amp;page=2" rel="next">Older</a>'
    newer = f'<a href="?date_from={since}&amp;page=1" rel="prev">Newer</a>'
    assert len(second.context["page"]) == 1  # 21 sessions since then, 20 a page
    assertContains(first, pager("Pages of sessions", "Page 1 of 2", older), html=True)
    assertContains(second, pager("Pages of sessions", "Page 2 of 2", newer), html=True)


def test_the_roster_keeps_the_chosen_flag_and_sort_on_the_next_page(client, monkeypatch):
    monkeypatch.setattr("coaching.roster.ROSTER_PAGE_SIZE", 2)
    # Three clients who accepted four weeks ago and have not had a session since.
    trainer = TrainerClientFactory().trainer
    TrainerClientFactory.create_batch(2, trainer=trainer)
    client.force_login(trainer)

    response = client.get(reverse("coaching:roster"), {"flag": Flag.INACTIVE, "sort": "name"})

    following = '<a href="?flag=inactive&amp;sort=name&amp;page=2" rel="next">Next</a>'
    assertContains(response, pager("Pages of clients", "Page 1 of 2", following), html=True)


def test_a_trainer_pages_through_a_clients_sessions(client, monkeypatch, log_session):
    monkeypatch.setattr("coaching.views.clients.SESSIONS_PAGE_SIZE", 2)
    link = TrainerClientFactory()
    plan = assignment_create(link, exercises=[ExerciseFactory()])
    for days_ago in range(3):
        log_session(link.client, local_today(link.client) - timedelta(days=days_ago), routine=plan.routine)
    client.force_login(link.trainer)
    url = reverse("coaching:client_detail", args=[link.pk])

    first, second = client.get(url), client.get(url, {"page": 2})

    older = '<a href="?page=2" rel="next">Older</a>'
    newer = '<a href="?page=1" rel="prev">Newer</a>'
    assertContains(first, pager("Pages of sessions", "Page 1 of 2", older), html=True)
    assertContains(second, pager("Pages of sessions", "Page 2 of 2", newer), html=True)


def test_a_single_page_shows_no_pager(client, log_session):
    person = UserFactory()
    client.force_login(person)
    log_session(person, local_today(person))

    assertNotContains(client.get(reverse("progress:history")), 'class="pagination"')


def test_the_exercise_pager_fetches_only_the_results_with_htmx_and_works_without(client):
    muscle = MuscleFactory(slug="rhomboids")
    ExerciseFactory.create_batch(30, targets=[muscle])
    url = reverse("routines:exercise_list")

    page = client.get(url, {"muscle": "rhomboids"})
    fragment = client.get(url, {"muscle": "rhomboids", "page": 2}, headers={"HX-Request": "true"})

    assertContains(
        page,
        '<nav class="pagination" aria-label="Pages of exercises" hx-target="#results"'
        ' hx-swap="outerHTML show:#results:top" hx-push-url="true">'
        '<span aria-current="page">Page 1 of 2</span>'
        '<a href="?muscle=rhomboids&amp;page=2"'
        f' hx-get="{url}?muscle=rhomboids&amp;page=2" rel="next">Next</a>'
        "</nav>",
        html=True,
    )
    body = fragment.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert '<span aria-current="page">Page 2 of 2</span>' in body
    assert f'hx-get="{url}?muscle=rhomboids&amp;page=1"' in body
