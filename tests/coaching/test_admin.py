import pytest
from django.urls import reverse

from tests.factories import TrainerClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_find_trainers_and_can_make_someone_one_in_the_admin(staff_client):
    trainer = UserFactory(is_trainer=True)
    person = UserFactory()

    trainers = staff_client.get(reverse("admin:accounts_user_changelist"), {"is_trainer__exact": "1"})
    change_page = staff_client.get(reverse("admin:accounts_user_change", args=[person.pk]))

    assert trainer.email in trainers.content.decode()
    assert person.email not in trainers.content.decode()
    assert 'name="is_trainer"' in change_page.content.decode()


def test_staff_see_who_coaches_whom_and_filter_by_status(staff_client):
    link = TrainerClientFactory()

    page = staff_client.get(reverse("admin:coaching_trainerclient_changelist"), {"status__exact": "active"})

    assert link.client.email in page.content.decode()
