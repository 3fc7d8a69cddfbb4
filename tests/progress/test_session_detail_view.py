from datetime import date

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_owner_sees_their_session(client, log_session):
    person = UserFactory()
    session = log_session(person, date(2026, 5, 1), before=6, after=4)
    client.force_login(person)

    response = client.get(session.get_absolute_url())

    assert response.status_code == 200
    assert "6 → 4" in response.content.decode()


def test_anyone_else_gets_not_found_and_visitors_must_log_in(client, log_session):
    session = log_session(UserFactory(), date(2026, 5, 1))

    assert client.get(session.get_absolute_url()).status_code == 302
    client.force_login(UserFactory())
    assert client.get(session.get_absolute_url()).status_code == 404
