import pytest

from tests.factories import UserFactory


@pytest.fixture
def person(client):
    """Someone in London, logged in with `client` (a module may define its own)."""
    user = UserFactory(time_zone="Europe/London")
    client.force_login(user)
    return user
