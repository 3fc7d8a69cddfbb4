"""{% link %}: the layout's links, each reversed once per process (config/links.py)."""

from django.template import engines
from django.urls import reverse, set_script_prefix


def render(source: str) -> str:
    return engines["django"].from_string("{% load links %}" + source).render({})


def test_it_gives_the_path_the_url_tag_gives():
    assert render("{% link 'progress:history' %}") == reverse("progress:history")
    assert render("{% link 'home' %}") == "/"


def test_it_follows_the_script_prefix_of_a_site_served_under_a_path():
    assert render("{% link 'progress:history' %}") == "/progress/history/"
    set_script_prefix("/unknot/")
    try:
        assert render("{% link 'progress:history' %}") == "/unknot/progress/history/"
    finally:
        set_script_prefix("/")
    assert render("{% link 'progress:history' %}") == "/progress/history/"


def test_it_can_name_a_variable_as_the_url_tag_can():
    assert render("{% link 'accounts:seek_help' as url %}<a href='{{ url }}'>") == (
        f"<a href='{reverse('accounts:seek_help')}'>"
    )
