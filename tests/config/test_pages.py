import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_home_page_invites_a_newcomer_to_browse_and_sign_up(client):
    body = client.get(reverse("home")).content.decode()

    assert reverse("routines:exercise_list") in body
    assert reverse("account_signup") in body
    assert "not medical advice" in body


def test_the_home_page_answers_head_for_visitors_and_people_logged_in(client):
    assert client.head(reverse("home")).status_code == 200
    client.force_login(UserFactory())
    assert client.head(reverse("home")).status_code == 200


def test_a_logged_in_person_sees_log_out_instead_of_sign_up(client):
    client.force_login(UserFactory())

    body = client.get(reverse("home")).content.decode()

    assert "Log out" in body
    assert reverse("account_signup") not in body


def test_before_you_start_covers_who_should_not_stretch_partners_and_warning_signs(client):
    response = client.get(reverse("routines:before_you_start"))

    body = response.content.decode().lower()
    assert response.status_code == 200
    assert "not medical advice" in body
    for topic in ["osteoporosis", "surgery", "numbness", "partner", "stop"]:
        assert topic in body, topic


def test_pages_forbid_inline_scripts_with_a_content_security_policy(client):
    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_htmx_is_served_from_our_own_static_files(client):
    body = client.get(reverse("home")).content.decode()

    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in body
    assert "//" not in body.split("htmx.min.js")[0].rsplit("<script", 1)[1]


def test_a_missing_page_is_a_helpful_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Browse the exercise library" in response.content.decode()


def test_a_post_to_a_read_only_page_is_refused(client):
    assert client.post(reverse("routines:exercise_list")).status_code == 405
