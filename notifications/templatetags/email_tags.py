"""Template filters for the emails the outbox sends: rendered once for every message, thousands a
minute when many people chose the same time, so what costs little on a page adds up here."""

from datetime import date
from functools import lru_cache

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def day(value: date, format: str) -> str:
    """The `date` filter for a day, remembered per process: `{{ first_day|day:"l j F" }}`. Writing
    out a day costs as much as a dozen other values of an email (its weekday and month are
    translated on each call), and the days a weekly summary names are mostly the same for
    everyone it goes to that day. What is not a day (None, "", a string) is written as nothing,
    as `date` writes it."""
    if not isinstance(value, date):
        return ""
    return _day_label(value, format, get_language())


@lru_cache(maxsize=1024)
def _day_label(value: date, format: str, language: str | None) -> str:
    return date_format(value, format)
