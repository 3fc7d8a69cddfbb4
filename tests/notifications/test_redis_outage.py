"""With Redis down, people still log in, see their dashboard, log a session and unsubscribe; the
emails those writes queue go out once Redis is back.

Redis here is a redis-server of the test's own (`spare_redis`), used as both the cache and the
broker, and stopped for real: clients get "connection refused", as when it crashed.
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import config.cache
from config.celery_app import app
from notifications.models import Delivery, EmailKind
from notifications.unsubscribe import unsubscribe_token
from progress.models import SessionLog
from progress.selectors import local_today
from tests.factories import PASSWORD, ExerciseFactory, TrainerClientFactory, assignment_create
from tests.notifications.test_delivery_worker import sweep_after

pytestmark = [pytest.mark.real_worker, pytest.mark.django_db(transaction=True)]

LOGIN = reverse("account_login")


def broker_reset() -> None:
    """Forget the connections Celery pooled, so that the next message uses app.conf.broker_url."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_of_our_own(spare_redis, settings, monkeypatch, resilient_cache_on_spare_redis):
    """The cache, the sessions' cache and the broker on `spare_redis`, as production sets them up.
    Listed before `worker`, so that the worker uses it too."""
    monkeypatch.setattr(config.cache, "RETRY_AFTER", 0.2)  # the cache tries Redis again sooner
    settings.REDIS_URL = spare_redis.url
    resilient_cache_on_spare_redis()
    previous = app.conf.broker_url
    app.conf.broker_url = spare_redis.url
    broker_reset()
    yield spare_redis
    app.conf.broker_url = previous
    broker_reset()


def test_with_redis_down_people_log_in_use_the_app_and_their_emails_go_out_once_it_is_back(
    redis_of_our_own, smtp_server, worker
):
    link = TrainerClientFactory()
    plan = assignment_create(link, exercises=[ExerciseFactory()])
    person = link.client
    person.date_joined = timezone.now() - timedelta(days=30)
    person.save()
    earlier = Client()  # a device logged in before the outage: its session is cached in Redis
    assert earlier.post(LOGIN, {"login": person.email, "password": PASSWORD}).status_code == 302
    assert earlier.get("/").status_code == 200

    redis_of_our_own.stop()

    browser = Client()
    assert browser.post(LOGIN, {"login": person.email, "password": PASSWORD}).status_code == 302
    dashboard = browser.get("/")
    assert dashboard.status_code == 200
    assert "dashboard" in [
        template.name.split("/")[-1].removesuffix(".html") for template in dashboard.templates
    ]

    yesterday = (local_today(person) - timedelta(days=1)).isoformat()
    logged = browser.post(
        reverse("progress:session_new"),
        {
            "date": yesterday,
            "start_time": "18:00",
            "end_time": "18:20",
            "routine": plan.routine.pk,
            "tightness_before": "6",
            "tightness_after": "4",
            "pain": "8",
            "tingling": "on",
        },
    )
    assert logged.status_code == 302
    assert SessionLog.objects.filter(user=person).count() == 1
    alert = Delivery.objects.get(kind=EmailKind.RED_FLAG_ALERT)
    assert alert.status == Delivery.Status.PENDING  # the broker was down: it waits in PostgreSQL

    unsubscribe = reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(person, EmailKind.WEEKLY_SUMMARY)}
    )
    one_click = Client(enforce_csrf_checks=True).post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 200
    person.refresh_from_db()
    assert person.weekly_summary_emails is False

    # Login rate limits still limit: 5 failures per address in 5 minutes, then refused.
    guesser = Client()
    for _ in range(5):
        assert (
            "Too many tries. Wait a few minutes"
            not in guesser.post(LOGIN, {"login": person.email, "password": "wrong"}).content.decode()
        )
    refused = guesser.post(LOGIN, {"login": person.email, "password": PASSWORD})
    assert "Too many tries. Wait a few minutes" in refused.content.decode()

    # The earlier device logs out during the outage; a copy of its cookie (another tab, or a thief)
    # must not work afterwards.
    old_cookie = earlier.cookies[settings.SESSION_COOKIE_NAME].value
    assert earlier.post(reverse("account_logout")).status_code == 302

    redis_of_our_own.start()  # back, with what it held before
    time.sleep(0.3)  # config.cache.RETRY_AFTER

    assert browser.get("/").status_code == 200
    # Redis' old copy of the session that logged out is not used to log that cookie back in.
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    assert copy.get("/").context["user"].is_authenticated is False

    # The alert goes out: the sweeper enqueues it once its lease ran out, and a worker sends it.
    worker()
    assert sweep_after(timezone.now() + timedelta(seconds=settings.EMAIL_LEASE_SECONDS)) == 1
    [message] = smtp_server.wait_for_messages(1)
    assert message["To"] == link.trainer.email
