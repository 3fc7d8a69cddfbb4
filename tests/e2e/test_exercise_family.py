"""Exercise families in a real browser: the library narrowed to band exercises, an exercise's page
with its easier and harder variants, and stepping an item up and down in the builder (htmx swaps
the list; the item keeps its place)."""

import pytest
from playwright.sync_api import expect

from routines.models import Exercise
from tests.e2e.journeys import assert_headings_in_order, check_layout_and_screenshot, log_in
from tests.factories import RoutineFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_person_finds_band_work_reads_a_family_and_steps_an_item_up_and_down(page, library):
    person = UserFactory()
    routine = RoutineFactory(
        owner=person,
        title="Upper-back strength",
        exercises=[Exercise.objects.get(slug="chin-tuck"), Exercise.objects.get(slug="wall-slide")],
    )
    log_in(page, person)

    page.goto("/exercises/")
    page.get_by_label("What you need").select_option("band")
    results = page.locator("#results")
    expect(results.get_by_role("heading", level=2)).to_have_text("3 exercises")
    expect(results).to_contain_text("Band pull-apart")
    expect(results).not_to_contain_text("Wall slide")
    assert "needs=band" in page.url

    page.goto("/exercises/wall-slide/")
    family = page.locator("section.family")
    expect(family.get_by_role("heading", level=2)).to_have_text("Easier and harder variants")
    expect(family).to_contain_text("Wall slide is level 2 of 5")
    expect(family.locator('li[aria-current="true"]')).to_contain_text("Wall slide (this exercise)")
    assert_headings_in_order(page)
    check_layout_and_screenshot(page, "exercise-family", family.get_by_role("link", name="Lying Y raise"))
    family.get_by_role("link", name="Lying W raise").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lying W raise")

    page.goto(f"/routines/{routine.pk}/edit/")
    items = page.locator("#builder-items")
    check_layout_and_screenshot(
        page,
        "builder-family",
        page.get_by_role("button", name="Harder: Lying W raise in place of Wall slide"),
    )
    page.get_by_role("button", name="Harder: Lying W raise in place of Wall slide").click()
    expect(items.get_by_role("status")).to_have_text(
        "Lying W raise in place of Wall slide, starting at its own dose."
    )
    expect(items.locator("li.item").nth(1).get_by_role("heading", level=3)).to_have_text("Lying W raise")
    expect(items.locator("li.item").nth(0).get_by_role("heading", level=3)).to_have_text("Chin tuck")
    assert page.url.endswith(f"/routines/{routine.pk}/edit/")  # htmx swapped the list in place

    page.get_by_role("button", name="Easier: Wall slide in place of Lying W raise").click()
    expect(items.locator("li.item").nth(1).get_by_role("heading", level=3)).to_have_text("Wall slide")
    assert [item.exercise.slug for item in routine.items.order_by("order")] == ["chin-tuck", "wall-slide"]
