"""The installable app's server side: the manifest, the service worker's script and version, the
offline page, and the account header that keeps the worker's caches per account."""

import json
import re
import struct

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils.functional import empty

from config.pwa import ACCOUNT_HEADER, SHELL_TEMPLATES, account_cache_id, service_worker_version
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_its_colours_and_icons(client):
    response = client.get(reverse("web_manifest"))

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Unknot: stretching for a stiff upper back"
    assert manifest["short_name"] == "Unknot"
    assert (manifest["start_url"], manifest["scope"]) == ("/?source=app", "/")
    assert manifest["display"] == "standalone"
    css = (django_settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    assert f"--accent: {manifest['theme_color']};" in css
    assert f"--paper: {manifest['background_color']};" in css
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}


@pytest.mark.parametrize(("name", "size"), [("unknot-192.png", 192), ("unknot-512.png", 512)])
def test_the_icons_are_pngs_of_their_size(name, size):
    with open(finders.find(f"icons/{name}"), "rb") as icon:
        data = icon.read()

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (size, size)


def test_every_page_links_the_manifest_and_loads_the_offline_script(client):
    page = client.get(reverse("routines:before_you_start")).content.decode()

    assert f'<link rel="manifest" href="{reverse("web_manifest")}">' in page
    assert 'src="/static/js/offline.js"' in page
    assert 'data-service-worker="/sw.js"' in page


def test_the_service_worker_is_served_from_the_root_fresh_and_under_the_csp(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = response.content.decode()
    config = json.loads(script.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["version"] == service_worker_version()
    assert "/static/css/app.css" in config["precache"]
    assert (config["offline_url"], config["offline_player_url"]) == ("/offline/", "/offline/play/")
    assert "/static/js/player-keys.js" in config["precache"]  # the players' shortcuts, online and off
    # "Before you start", kept for the safety advice of the offline player to link to.
    assert config["kept_pages"] == {
        reverse("routines:before_you_start"): reverse("offline_before_you_start"),
    }


def test_a_release_changes_the_version(settings):
    settings.RELEASE = "one"
    first = service_worker_version()
    settings.RELEASE = "two"

    assert service_worker_version() != first


def test_every_template_the_kept_pages_include_counts_in_the_version():
    # An edit to any of them must reach devices: the worker's version is their hash.
    included = set()
    for name in SHELL_TEMPLATES:
        source = (django_settings.BASE_DIR / "templates" / name).read_text()
        included.update(re.findall(r"""{% include ["']([^"']+)["']""", source))

    assert included
    assert included <= set(SHELL_TEMPLATES)


def test_pages_of_a_person_logged_in_carry_their_opaque_cache_id(client):
    person = UserFactory()
    client.force_login(person)

    page = client.get(reverse("routines:routine_list"))
    data = client.get(reverse("web_manifest"))

    cache_id = account_cache_id(person)
    assert page[ACCOUNT_HEADER] == cache_id
    assert f'<meta name="unknot-account" content="{cache_id}">' in page.content.decode()
    assert str(person.pk) != cache_id
    assert account_cache_id(UserFactory()) != cache_id
    assert ACCOUNT_HEADER not in data  # only pages are kept by the worker


def test_visitors_pages_carry_no_account(client):
    page = client.get(reverse("routines:before_you_start"))

    assert ACCOUNT_HEADER not in page
    assert b"unknot-account" not in page.content


def test_the_offline_page_is_the_same_for_everyone(client):
    visitor_page = client.get(reverse("offline")).content
    client.force_login(UserFactory(display_name="Robin"))

    response = client.get(reverse("offline"))

    assert response.status_code == 200
    assert b"Robin" not in response.content
    assert b"You\xe2\x80\x99re offline" in visitor_page


def test_the_kept_before_you_start_is_the_same_for_everyone_with_the_offline_header(client):
    visitor_page = client.get(reverse("offline_before_you_start")).content.decode()
    client.force_login(UserFactory(display_name="Robin"))

    response = client.get(reverse("offline_before_you_start"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Before you start</h1>" in page
    assert "Warning signs: stop and get help" in page
    assert "Robin" not in page
    # Offline, the header leads to what the device keeps, not to logging in or out.
    assert f'<a href="{reverse("offline")}">Saved on this device</a>' in visitor_page
    assert "Log in" not in visitor_page
    assert "Log out" not in page
    # Search engines are pointed at the page it copies; the page itself names no other.
    assert f'<link rel="canonical" href="{reverse("routines:before_you_start")}">' in page
    assert "canonical" not in client.get(reverse("routines:before_you_start")).content.decode()


def test_the_settings_page_says_what_the_device_keeps(client):
    client.force_login(UserFactory())

    page = client.get(reverse("accounts:settings")).content.decode()

    assert "<h2>On this device</h2>" in page
    assert "deleted when you log out" in page
    assert "data-clear-device hidden" in page  # offered by offline.js where there is a device store


def test_with_the_production_storage_the_worker_precaches_the_hashed_files(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},  # production's
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    staticfiles_storage._wrapped = empty  # the storage of the settings above
    try:
        response = client.get("/sw.js")
        manifest = client.get(reverse("web_manifest")).json()
        home = client.get("/")
        home_again = client.get("/")  # the files' URLs from memory this time
    finally:
        staticfiles_storage._wrapped = empty

    assert response.status_code == 200
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', home.content.decode())[1]
    assert re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", stylesheet)
    assert stylesheet in home_again.content.decode()
    config = json.loads(response.content.decode().split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["static_prefix"] == "/static/"
    assert all(re.fullmatch(r"/static/.+\.[0-9a-f]{12}\.\w+", url) for url in config["precache"])
    assert all(
        re.fullmatch(r"/static/icons/.+\.[0-9a-f]{12}\.png", icon["src"]) for icon in manifest["icons"]
    )


def test_pages_have_the_manifests_theme_colour(client):
    page = client.get(reverse("routines:before_you_start")).content.decode()
    colour = client.get(reverse("web_manifest")).json()["theme_color"]

    assert f'<meta name="theme-color" content="{colour}">' in page
