"""One-click unsubscribe links: which kinds of email a person can turn off, and the signed token
in each such email that names the person and the kind, and the link it goes in."""

from django.core import signing

from accounts.models import User
from accounts.paths import path_builder
from notifications.messages import site_url
from notifications.models import EmailKind

UNSUBSCRIBE_SALT = "progress.unsubscribe"  # unchanged since the links were first sent: they keep working
# The kinds a person can turn off, and the User field that does it.
PREFERENCE_FIELDS = {
    EmailKind.REMINDER: "reminder_emails",
    EmailKind.WEEKLY_SUMMARY: "weekly_summary_emails",
    EmailKind.TRAINER_DIGEST: "trainer_digest_emails",
    EmailKind.RED_FLAG_ALERT: "alert_emails",
}


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"user": user.pk, "kind": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user, kind: str) -> str:
    """The absolute one-click unsubscribe link in `user`'s emails of `kind`. Its path is reversed
    once per process (accounts.paths): reverse() was a sixth of building a reminder. A token needs
    no quoting in a URL (URL-safe base64, dots and colons)."""
    path = path_builder("notifications:unsubscribe", "token", "unsubscribe-token-stand-in")
    return site_url(path(unsubscribe_token(user, kind)))


class UnsubscribeInvalid(Exception):
    pass


def unsubscribe_from_token(token: str) -> tuple[User, str]:
    """The (person, kind) a token names. Raises UnsubscribeInvalid for a tampered or unknown
    token, and for an account deleted since the email went out. Tokens do not expire: an
    unsubscribe link in an old email must keep working."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise UnsubscribeInvalid from None
    if not isinstance(data, dict) or data.get("kind") not in PREFERENCE_FIELDS:
        raise UnsubscribeInvalid
    user = User.objects.filter(pk=data.get("user")).first()
    if user is None:
        raise UnsubscribeInvalid
    return user, data["kind"]
