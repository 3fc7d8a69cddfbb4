"""Celery tasks: thin wrappers that call the services."""

import logging

from celery import shared_task

from progress.enrolment import programme_weeks_turn

logger = logging.getLogger(__name__)


@shared_task(name="progress.programme_weeks_turn", ignore_result=True)
def programme_weeks_turn_task() -> None:
    """Every 15 minutes, from beat (config/settings.py CELERY_BEAT_SCHEDULE): each person's week
    turns at their own local midnight, within a quarter of an hour."""
    report = programme_weeks_turn()
    if report.turned or report.finished or report.paused:
        logger.info("Programme weeks: %s", report)
