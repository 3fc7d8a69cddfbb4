"""email_tags' `day` filter: Django's `date` filter for a day, remembered per process."""

from datetime import date

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter

from notifications.templatetags.email_tags import day


@pytest.mark.parametrize("value", [date(2026, 11, 27), date(2027, 1, 1)])
def test_a_day_is_written_as_the_date_filter_writes_it(value):
    assert day(value, "l j F") == date_filter(value, "l j F")
    assert day(value, "l j F") == day(value, "l j F")  # and the same again from memory


def test_no_day_is_written_as_nothing_as_the_date_filter_does():
    template = Template(
        '{% load email_tags %}[{{ missing|day:"l j F" }}][{{ empty|day:"D j M" }}][{{ text|day:"j F" }}]'
    )

    assert template.render(Context({"missing": None, "empty": "", "text": "2026-11-27"})) == "[][][]"
