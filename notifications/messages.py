"""Building emails: every message has a plain-text and an HTML part, from templates.

`templates/<name>.txt` is the text part, `templates/<name>.html` the HTML part, and
`templates/<name>_subject.txt` the subject line (one line, the site prefix added here).

The templates of reminders and weekly summaries, rendered for every message sent, are inside
`{% localize off %}`: their numbers come out as Python writes them, which in our one language
(en-gb, no thousands separator) is what localizing gives, without three locale look-ups for each
number. A date there must go through a filter (`day`, `date`): bare, it would come out in
Django's default format ("Nov. 30, 2026"), not en-gb's ("30 Nov 2026").
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string

from accounts.mail_headers import AUTOMATED_EMAIL_HEADERS
from accounts.paths import path_of
from notifications.mime import PreparedEmail

# Every email's subject starts with this: ours, and allauth's (ACCOUNT_EMAIL_SUBJECT_PREFIX).
SUBJECT_PREFIX = settings.EMAIL_SUBJECT_PREFIX


def site_url(path: str) -> str:
    """An absolute link for an email: emails sent outside a request have no host to build it from."""
    return settings.SITE_URL + path


def site_link(name: str) -> str:
    """The absolute link to the page named `name`, whose URL takes no arguments: the settings, the
    dashboard. Its path is worked out once per process (accounts.paths): every message sent
    carries two or three such links."""
    return site_url(path_of(name))


def site_domain() -> str:
    """The site's host name, for identifiers that must be globally unique: Message-IDs, calendar UIDs."""
    return urlsplit(settings.SITE_URL).hostname or "unknot.localhost"


def email_message_build(*, template: str, context: dict, to: str) -> PreparedEmail:
    context = {**context, "site_url": settings.SITE_URL}
    # One line whatever a name contains: a line break in a header would make the send fail.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = PreparedEmail(
        subject=SUBJECT_PREFIX + subject,
        body=render_to_string(f"{template}.txt", context),
        to=[to],
        headers=dict(AUTOMATED_EMAIL_HEADERS),
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
