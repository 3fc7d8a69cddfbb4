import pytest

from tests.factories import UserFactory
from tests.progress.test_session_log_record import record

pytestmark = pytest.mark.django_db


def test_the_owner_sees_their_session(client):
    from datetime import UTC, datetime

    person = UserFactory()
    session, _ = record(person, datetime(2026, 5, 1, 8, tzinfo=UTC))
    client.force_login(person)

    response = client.get(session.get_absolute_url())

    assert response.status_code == 200
    assert "6 → 4" in response.content.decode()


def test_anyone_else_gets_not_found_and_visitors_must_log_in(client):
    from datetime import UTC, datetime

    session, _ = record(UserFactory(), datetime(2026, 5, 1, 8, tzinfo=UTC))

    assert client.get(session.get_absolute_url()).status_code == 302
    client.force_login(UserFactory())
    assert client.get(session.get_absolute_url()).status_code == 404
