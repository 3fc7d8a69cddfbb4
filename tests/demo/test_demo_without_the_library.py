"""The demo without the shipped library: it says to load the library first, and writes nothing.

Kept apart from test_demo_coaching.py and test_demo_history.py, whose tests all see the library
they load once for each module (tests/conftest.py, library_for_the_module)."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from coaching.models import TrainerClient
from demo.coaching import demo_coaching_create
from demo.history import DemoDataError, demo_history_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 30)  # as in test_demo_history.py


def test_without_the_library_it_says_to_load_it():
    with pytest.raises(DemoDataError, match="load_library"):
        demo_coaching_create()

    assert not TrainerClient.objects.exists()


def test_without_the_starter_routines_it_says_to_load_the_library():
    with pytest.raises(DemoDataError, match="load_library"):
        demo_history_create(user=UserFactory(), today=TODAY)


def test_load_demo_without_the_library_says_to_load_it():
    with pytest.raises(CommandError, match="load_library"):
        call_command("load_demo")
