"""Writes of the safety screening (accounts.services)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from accounts.screening import Tier2, WarningSign
from accounts.services import (
    clearance_confirm,
    screening_ask_again,
    screening_save,
)
from accounts.signals import conditions_changed
from tests.factories import TrainerClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def save(user, **answers):
    values = {
        "warning_signs": [],
        "tier2_answers": [],
        "pregnancy_week": None,
        "surgery_areas": [],
        "pain_areas": [],
    }
    return screening_save(user=user, **(values | answers))


def test_a_new_warning_sign_undoes_a_clinicians_clearance():
    person = UserFactory(warning_signs=[WarningSign.CANCER], cleared_at=timezone.now() - timedelta(days=3))

    save(person, warning_signs=[WarningSign.CANCER, WarningSign.NIGHT_PAIN])

    person.refresh_from_db()
    assert person.cleared_at is None


def test_the_same_warning_signs_again_keep_the_clearance():
    cleared = timezone.now() - timedelta(days=3)
    person = UserFactory(warning_signs=[WarningSign.CANCER, WarningSign.NIGHT_PAIN], cleared_at=cleared)

    save(person, warning_signs=[WarningSign.CANCER])

    person.refresh_from_db()
    assert person.cleared_at == cleared


def test_a_week_of_pregnancy_is_kept_only_with_the_pregnancy():
    person = UserFactory(tier2_answers=[Tier2.PREGNANCY], pregnancy_week=12)

    save(person, tier2_answers=[Tier2.OSTEOPOROSIS], pregnancy_week=12)

    person.refresh_from_db()
    assert (person.tier2_answers, person.pregnancy_week) == ([Tier2.OSTEOPOROSIS], None)


def test_unknown_values_are_dropped_and_the_order_is_the_questions():
    person = UserFactory()

    save(person, warning_signs=["made_up", WarningSign.FRACTURE, WarningSign.CHEST_PAIN])

    person.refresh_from_db()
    assert person.warning_signs == [WarningSign.CHEST_PAIN, WarningSign.FRACTURE]


def test_a_new_time_zone_with_the_first_answers_moves_reminders(reminder_at_eight):
    person, schedule = reminder_at_eight

    save(person, time_zone="Asia/Tokyo")

    schedule.refresh_from_db()
    assert schedule.next_due_at.astimezone(person.zone).time() == time(8, 0)


@pytest.fixture
def reminder_at_eight():
    from notifications.services import reminder_schedule_save

    person = UserFactory(time_zone="Europe/London", screened_at=None)
    return person, reminder_schedule_save(user=person, weekdays=list(range(7)), local_time=time(8, 0))


def test_answers_refresh_the_trainers_roster():
    link = TrainerClientFactory()
    version = link.trainer.dashboard_version

    save(link.client, warning_signs=[WarningSign.CANCER])

    link.trainer.refresh_from_db()
    assert link.trainer.dashboard_version > version


def test_asking_again_keeps_a_short_reason():
    person = UserFactory()

    screening_ask_again(user=person, reason="x" * 500)

    person.refresh_from_db()
    assert len(person.screening_due_reason) == 200


def test_a_clearance_needs_a_warning_sign_to_clear():
    person = UserFactory(warning_signs=[])

    clearance_confirm(user=person)

    person.refresh_from_db()
    assert person.cleared_at is None


def test_the_signal_is_sent_only_when_the_conditions_change():
    person = UserFactory(tier2_answers=[Tier2.OSTEOPOROSIS])
    heard = []

    def listen(sender, *, user, before, after, **kwargs):
        heard.append((before, after))

    conditions_changed.connect(listen)
    try:
        save(person, tier2_answers=[Tier2.OSTEOPOROSIS])  # as before
        save(person, tier2_answers=[])
    finally:
        conditions_changed.disconnect(listen)

    assert heard == [({"osteoporosis"}, set())]
