"""The kinds of email, and what each one says: a registry that the apps fill with their builders.

Notifications sits below coaching, which owns what its emails say (the invitation, the red-flag
alert, the trainer digest); notifications cannot import it, so each app registers its builders
in its AppConfig.ready(): `email_kind_register` for the message built when a delivery is sent,
and `weekly_email_register` for the figures a weekly email fixes when the dispatcher writes it.

A builder returns (template, context) and raises DeliverySkipped when the email should not go out
after all (the person stretched in the meantime, the client stopped sharing alerts, the
invitation was answered); the delivery is then recorded as skipped with that reason.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from accounts.models import User
from notifications.messages import email_message_build, site_domain, site_link
from notifications.mime import PreparedEmail
from notifications.models import Delivery
from notifications.unsubscribe import PREFERENCE_FIELDS, unsubscribe_url

MessageBuilder = Callable[[Delivery], tuple[str, dict]]
# Reads what a chunk of deliveries of one kind needs, in a fixed number of queries, and leaves it
# on each delivery for its builder (which must still work without it, for a delivery sent alone).
ChunkPreparer = Callable[[list[Delivery]], None]
# For each (person, local day the weekly email is sent): the figures the email will show, or None
# when there is nothing to send them. Called once per dispatcher batch, so a fixed number of queries.
WeeklyBuilder = Callable[[list[tuple[User, date]]], dict[int, dict | None]]


class DeliverySkipped(Exception):
    """Raised while building an email that should not go out after all; the message says why."""


def iso_week_key(day: date) -> str:
    """One per ISO week: "2026-W49"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class WeeklyEmail:
    kind: str
    wanted: Callable[[User], bool]  # whether this person gets this weekly email at all
    build: WeeklyBuilder
    # Which occurrence an email sent on a local day is (the outbox's unique key does the rest).
    period_key: Callable[[date], str] = iso_week_key


_message_builders: dict[str, MessageBuilder] = {}
_chunk_preparers: dict[str, ChunkPreparer] = {}
_weekly_emails: dict[str, WeeklyEmail] = {}


def email_kind_register(kind: str, build: MessageBuilder, *, prepare: ChunkPreparer | None = None) -> None:
    if _message_builders.get(kind, build) is not build:
        raise ValueError(f"Email kind {kind!r} already has a builder.")
    _message_builders[kind] = build
    if prepare is not None:
        _chunk_preparers[kind] = prepare


def deliveries_prepare(deliveries: list[Delivery]) -> None:
    """Before a chunk is built: each kind's preparer, once for its deliveries in the chunk."""
    by_kind: dict[str, list[Delivery]] = {}
    for delivery in deliveries:
        by_kind.setdefault(delivery.kind, []).append(delivery)
    for kind, of_kind in by_kind.items():
        if prepare := _chunk_preparers.get(kind):
            prepare(of_kind)


def weekly_email_register(
    kind: str,
    *,
    wanted: Callable[[User], bool],
    build: WeeklyBuilder,
    period_key: Callable[[date], str] = iso_week_key,
) -> None:
    _weekly_emails[kind] = WeeklyEmail(kind=kind, wanted=wanted, build=build, period_key=period_key)


def weekly_emails() -> list[WeeklyEmail]:
    return list(_weekly_emails.values())


def delivery_message_build(delivery: Delivery) -> PreparedEmail:
    """The message for one delivery, with its stable Message-ID and, for the kinds a person can
    turn off, the one-click unsubscribe headers. Raises DeliverySkipped."""
    build = _message_builders[delivery.kind]
    if not delivery.recipient:  # a backend would drop it silently, and it would count as sent
        raise DeliverySkipped("No address to send to.")
    if delivery.user_id and not delivery.user.is_active:
        raise DeliverySkipped("The account is closed.")
    if delivery.kind in PREFERENCE_FIELDS and not getattr(delivery.user, PREFERENCE_FIELDS[delivery.kind]):
        raise DeliverySkipped("Turned off in the person's email settings.")
    template, context = build(delivery)
    unsubscribe = ""
    if delivery.kind in PREFERENCE_FIELDS:
        unsubscribe = unsubscribe_url(delivery.user, delivery.kind)
    context = {
        **context,
        "delivery": delivery,
        "settings_url": site_link("notifications:settings") if delivery.user_id else "",
        "unsubscribe_url": unsubscribe,
        "kind_label": delivery.get_kind_display().lower(),
    }
    message = email_message_build(template=template, context=context, to=delivery.recipient)
    # Stable per delivery: a copy sent again after a crash has the same Message-ID.
    message.extra_headers["Message-ID"] = f"<delivery-{delivery.pk}.{delivery.kind}@{site_domain()}>"
    if unsubscribe:
        # RFC 8058: mail clients show an unsubscribe button that POSTs to this address.
        message.extra_headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
