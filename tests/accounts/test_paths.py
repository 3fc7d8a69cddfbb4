"""accounts.paths: paths reversed once per process, for the layout, the emails and the roster."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse, set_script_prefix

from accounts.paths import path_builder, path_of


def test_a_built_path_is_the_one_reverse_gives_for_each_value():
    client_page = path_builder("coaching:client_detail", "pk", "987654321")
    unsubscribe = path_builder("notifications:unsubscribe", "token", "unsubscribe-token-stand-in")

    for pk in (1, 42, 987654321):
        assert client_page(pk) == reverse("coaching:client_detail", kwargs={"pk": pk})
    assert unsubscribe("eyJ1c2VyIjo1fQ:1tG:abc") == reverse(
        "notifications:unsubscribe", kwargs={"token": "eyJ1c2VyIjo1fQ:1tG:abc"}
    )
    assert path_of("progress:history") == reverse("progress:history")


def test_paths_follow_the_script_prefix_of_a_site_served_under_a_path():
    set_script_prefix("/unknot/")
    try:
        assert path_builder("progress:player_start", "pk", "987654321")(7) == "/unknot/routines/7/play/"
        assert path_of("progress:history") == "/unknot/progress/history/"
    finally:
        set_script_prefix("/")
    assert path_builder("progress:player_start", "pk", "987654321")(7) == "/routines/7/play/"


def test_a_stand_in_that_is_not_alone_in_the_path_is_refused():
    with pytest.raises(ImproperlyConfigured):
        path_builder("notifications:unsubscribe", "token", "s")  # the s of "emails" too
