import re
from itertools import pairwise

import pytest
from django.urls import reverse

from routines.models import Exercise

# The library is loaded once for the module (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("library_for_the_module", "library")

PAGE = reverse("routines:what_we_left_out")


def links(body: str) -> list[str]:
    return re.findall(r'href="([^"#]+)"', body.split("<main", 1)[1].split("</main>", 1)[0])


def test_it_covers_cracking_a_partner_pressing_the_massage_bar_and_the_other_corrections(client):
    response = client.get(PAGE)

    assert response.status_code == 200
    body = response.content.decode()
    for heading in [
        "<h1>What we left out, and why</h1>",
        "Cracking your own back</h2>",
        "A partner pressing on your spine, or lifting you until it pops</h2>",
        "A massage bar under your spine</h2>",
        "Other things we corrected</h2>",
        "Repeating a move three to five times to get a crack</h3>",
        "“A pop shows it worked” and “it prevents injuries”</h3>",
    ]:
        assert heading in body, heading
    assert body.count("<strong>Why we left it out.</strong>") == 3
    assert (
        body.count("<strong>What to do instead.</strong>")
        + body.count("<strong>What we offer instead.</strong>")
        == 3
    )


def test_its_headings_go_down_one_level_at_a_time(client):
    body = client.get(PAGE).content.decode().split("<main", 1)[1]

    levels = [int(level) for level in re.findall(r"<h([1-6])", body)]

    assert levels[0] == 1
    assert all(later <= earlier + 1 for earlier, later in pairwise(levels))


def test_every_link_on_it_answers_200_and_it_links_only_offered_exercises(client):
    hrefs = links(client.get(PAGE).content.decode())
    exercise_slugs = [
        href.split("/")[2] for href in hrefs if href.startswith("/exercises/") and href != "/exercises/"
    ]

    assert len(set(exercise_slugs)) >= 15
    assert set(exercise_slugs) <= set(Exercise.objects.published().values_list("slug", flat=True))
    for href in set(hrefs):
        assert client.get(href).status_code == 200, href


def test_it_agrees_with_the_massage_bar_exercise_that_the_bar_never_goes_on_the_spine(client):
    body = client.get(PAGE).content.decode()
    massage_bar = Exercise.objects.get(slug="massage-bar-release")
    placing = massage_bar.steps.get(order=2).text

    assert "not on the bony ridge in the middle" in placing
    assert "never on the ridge in the middle" in " ".join(body.split())


@pytest.mark.parametrize(
    "url",
    [
        reverse("routines:exercise_list"),
        reverse("routines:before_you_start"),
        reverse("routines:exercise_detail", args=["partner-upper-back-pop"]),  # a retired exercise (410)
        reverse("routines:exercise_detail", args=["cat-cow"]),
    ],
)
def test_it_is_linked_from_the_library_before_you_start_and_a_retired_exercises_address(client, url):
    assert PAGE in links(client.get(url).content.decode())
