"""The dispatcher leaves a heartbeat each run, and one for the send workers through their queue."""

import pytest

from notifications.models import Heartbeat
from notifications.tasks import dispatch_due_emails_task

pytestmark = pytest.mark.django_db


def test_each_dispatcher_run_leaves_a_heartbeat_for_itself_and_one_for_the_send_workers():
    dispatch_due_emails_task.apply()  # eager here: the worker's heartbeat task runs in this process

    assert set(Heartbeat.objects.values_list("name", flat=True)) == {"dispatcher", "worker"}
