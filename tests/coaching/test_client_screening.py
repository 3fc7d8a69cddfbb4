"""What a trainer sees of a client's safety screening: always its status (due, done, see a
clinician first), on the roster and the client page; the tier-2 answers only when the client
shares them; never the warning signs."""

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from accounts.screening import Area, Tier2, WarningSign
from coaching.models import TrainerClient
from tests.factories import TrainerClientFactory, TrainerFactory, UserFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "warning_signs": [WarningSign.CANCER],
    "tier2_answers": [Tier2.PREGNANCY, Tier2.HYPERMOBILITY],
    "pregnancy_week": 22,
    "pain_areas": [Area.NECK],
}


@pytest.fixture
def trainer(client):
    trainer = TrainerFactory()
    client.force_login(trainer)
    return trainer


def link_with(trainer, name: str, **client_fields) -> TrainerClient:
    return TrainerClientFactory(trainer=trainer, client=UserFactory(display_name=name, **client_fields))


def roster_row(client, name: str) -> str:
    page = client.get(reverse("coaching:roster")).content.decode()
    return page.split(f">{name}</a>")[1].split("</tr>")[0]


def test_the_roster_shows_every_clients_status_whatever_they_share(client, trainer):
    for name, fields in [
        ("Ada", {"screened_at": None}),
        ("Bo", {}),
        ("Cy", {"warning_signs": [WarningSign.NIGHT_PAIN]}),
        ("Di", {"warning_signs": [WarningSign.NIGHT_PAIN], "cleared_at": timezone.now()}),
        ("Ed", {"screening_due_reason": "You reported tingling after your session on 3 November."}),
    ]:
        link_with(trainer, name, **fields)

    assertContains(
        client.get(reverse("coaching:roster")),
        '<th scope="col" role="columnheader">Safety check</th>',
        html=True,
    )
    assert '<span class="tag">Due</span>' in roster_row(client, "Ada")
    assert '<td role="cell" data-label="Safety check"><span>Done</span>' in roster_row(client, "Bo")
    assert '<span class="flag-tag">⚠ See a clinician first</span>' in roster_row(client, "Cy")
    assert "Done" in roster_row(client, "Di")
    assert '<span class="tag">Due</span>' in roster_row(client, "Ed")
    assert "tingling" not in client.get(reverse("coaching:roster")).content.decode()


def test_a_client_answering_shows_on_the_roster_at_once(client, trainer):
    link = link_with(trainer, "Kim", screened_at=None)
    assert "Due" in roster_row(client, "Kim")

    client.force_login(link.client)
    client.post(
        reverse("accounts:welcome"),
        {"time_zone": "Europe/London", "no_warning_signs": "on", "no_tier2": "on"},
    )
    client.force_login(trainer)

    assert "Done" in roster_row(client, "Kim")


def test_the_client_page_shows_the_status_but_not_the_answers_unless_shared(client, trainer):
    link = link_with(trainer, "Kim", **ANSWERS)
    assert not link.share_screening

    response = client.get(reverse("coaching:client_detail", args=[link.pk]))

    assertContains(response, "<h2>Safety check</h2>", html=True)
    assertContains(response, "See a clinician first")
    assertContains(response, "Kim does not share their safety answers.")
    assertNotContains(response, Tier2.HYPERMOBILITY.label)
    assertNotContains(response, "Pregnancy")
    assertNotContains(response, WarningSign.CANCER.label)


def test_shared_tier_two_answers_show_on_the_client_page_but_never_the_warning_signs(client, trainer):
    link = link_with(trainer, "Kim", **ANSWERS)
    link.share_screening = True
    link.save()

    response = client.get(reverse("coaching:client_detail", args=[link.pk]))

    assertContains(response, "<li>Pregnancy, about week 22 now</li>", html=True)
    assertContains(response, f"<li>{Tier2.HYPERMOBILITY.label}</li>", html=True)
    assertContains(response, "<li>Pain now: neck</li>", html=True)
    assertNotContains(response, WarningSign.CANCER.label)
    assertContains(response, "their safety answers that change which exercises suit them")


def test_a_client_not_screened_yet_shows_as_asked_before_their_next_routine(client, trainer):
    link = link_with(trainer, "Kim", screened_at=None)
    link.share_screening = True
    link.save()

    response = client.get(reverse("coaching:client_detail", args=[link.pk]))

    assertContains(response, "Kim has not answered the safety questions yet")
    assertNotContains(response, "None of the conditions")


def test_the_client_chooses_to_share_their_answers_and_can_stop(client):
    link = TrainerClientFactory()
    client.force_login(link.client)
    url = reverse("coaching:trainer_link", args=[link.pk])
    page = client.get(url)

    assertContains(page, "My safety answers that change which exercises suit me")
    assertContains(
        page, "always sees whether your safety check is due, done, or says to see a clinician first"
    )
    client.post(url, {"share_ratings": "on", "share_screening": "on"})
    link.refresh_from_db()
    assert (link.share_screening, link.share_notes) == (True, False)

    client.post(url, {"share_ratings": "on"})
    link.refresh_from_db()
    assert not link.share_screening
