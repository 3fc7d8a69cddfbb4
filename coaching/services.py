"""Writes of coaching: invitations, links, assignments and comments.

Emails go through the outbox (notifications.outbox): written with the change, sent after it commits,
so a rolled-back write never sends one and a mail server that is down only delays it.
"""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_dashboard_changed
from coaching.models import Assignment, ProgrammeCopy, SessionComment, TrainerClient
from notifications.models import EmailKind
from notifications.outbox import delivery_create
from notifications.services import assignment_reminder_create, link_reminders_stop
from progress.enrolment import (
    ProgrammeError,
    ProgrammeRoomError,
    programme_hold,
    programme_routines_build,
    programme_start,
)
from progress.models import Enrolment, SessionLog
from progress.programme import WEEKS as PROGRAMME_WEEKS
from routines.models import MAX_ROUTINES_PER_PERSON, Routine
from routines.services import RoutineLimitError, routine_copy, routine_copy_refresh

INVITATION_SALT = "coaching.invitation"
# "Send again" is for a lost email, not for pressing someone: at most this often, this many times.
RESEND_AFTER = timedelta(hours=1)
# The same assignment or comment again within this time is a double click, not a second one.
REPEAT_WINDOW = timedelta(minutes=1)
MAX_SENDS = 3


class InvitationError(Exception):
    """An invitation that cannot be sent; the message is for the trainer."""


class InvitationInvalid(Exception):
    """An invitation link that does not work; the message is for the person who followed it."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # "tampered", "expired", "used", "revoked", "replaced"


# --- Invitations -----------------------------------------------------------------------------


def invitation_token(link: TrainerClient) -> str:
    """The signed, timestamped token in an invitation email: the link and its current nonce."""
    return signing.dumps({"link": link.pk, "nonce": link.invite_nonce}, salt=INVITATION_SALT)


def invitation_from_token(token: str) -> TrainerClient:
    """The open invitation a token names. Raises InvitationInvalid with a reason a person can read."""
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationInvalid(
            "expired", "This invitation has expired. Ask your trainer to send it again."
        ) from None
    except signing.BadSignature:
        raise InvitationInvalid(
            "tampered", "This invitation link is not valid. Check that you copied all of it."
        ) from None
    # Signed by us, but maybe with an old or a made-up shape (the secret key can leak, salts get
    # reused): only a whole number that fits the column names a link.
    link_id = data.get("link") if isinstance(data, dict) else None
    link = (
        TrainerClient.objects.select_related("trainer").filter(pk=link_id).first()
        if type(link_id) is int and 0 < link_id < 2**63
        else None
    )
    if link is None:
        raise InvitationInvalid("revoked", "This invitation was withdrawn.")
    if link.status == TrainerClient.Status.REVOKED:
        raise InvitationInvalid("revoked", "This invitation was withdrawn by the trainer.")
    if link.status != TrainerClient.Status.INVITED:
        raise InvitationInvalid("used", "This invitation has already been answered.")
    if link.invite_nonce != data.get("nonce"):
        raise InvitationInvalid(
            "replaced", "A newer email replaced this invitation. Use the link in the latest one."
        )
    return link


def invitation_send(*, trainer: User, email: str, message: str = "") -> TrainerClient:
    """Invite `email` to be the trainer's client, and email them the link (through the outbox).

    Raises InvitationError for oneself, an address already linked or invited, and past the daily limit.
    """
    email = User.objects.normalize_email(email.strip())
    if email.lower() == trainer.email.lower():
        raise InvitationError("That is your own address. Invite your clients by theirs.")
    open_links = TrainerClient.objects.filter(trainer=trainer, email__iexact=email)
    if (
        open_links.active().exists()
        or trainer.client_links.active().filter(client__email__iexact=email).exists()
    ):
        raise InvitationError(f"{email} is already one of your clients.")
    if open_links.pending().exists():
        raise InvitationError(
            f"You have already invited {email}. Use “Send again” below if they lost the email."
        )
    # Every invitation made in the last day counts, withdrawn or answered too: the limit is on
    # emails to people, so withdrawing and inviting again does not get around it.
    since = timezone.now() - timedelta(days=1)
    if trainer.client_links.filter(created_at__gte=since).count() >= settings.INVITATIONS_PER_DAY:
        raise InvitationError(
            f"You can send at most {settings.INVITATIONS_PER_DAY} invitations a day. Try again tomorrow."
        )
    try:
        with transaction.atomic():
            link = TrainerClient.objects.create(
                trainer=trainer,
                email=email,
                message=message.strip(),
                invite_nonce=secrets.token_hex(16),
                invited_at=timezone.now(),
            )
    except IntegrityError:  # the same invitation sent twice at once
        raise InvitationError(f"You have already invited {email}.") from None
    _invitation_delivery_create(link)
    user_dashboard_changed(user=trainer)  # the roster counts invitations waiting
    return link


def invitation_resend(*, link: TrainerClient) -> TrainerClient:
    """Send the invitation again with a fresh link; links in earlier emails stop working.
    Raises InvitationError when it was answered meanwhile, or was sent too recently or too often."""
    if link.send_count >= MAX_SENDS:
        raise InvitationError(f"You have sent this invitation {MAX_SENDS} times. Ask {link.email} in person.")
    if link.invited_at > timezone.now() - RESEND_AFTER:
        raise InvitationError("You sent it less than an hour ago. Give the email a little time to arrive.")
    nonce, now = secrets.token_hex(16), timezone.now()
    updated = TrainerClient.objects.filter(pk=link.pk, status=TrainerClient.Status.INVITED).update(
        invite_nonce=nonce, invited_at=now, send_count=models.F("send_count") + 1
    )
    if not updated:
        raise InvitationError(f"{link.email} has already answered this invitation.")
    link.refresh_from_db()
    _invitation_delivery_create(link)
    return link


def invitation_revoke(*, link: TrainerClient) -> None:
    """Withdraw an invitation. Raises InvitationError when it was answered meanwhile."""
    updated = TrainerClient.objects.filter(pk=link.pk, status=TrainerClient.Status.INVITED).update(
        status=TrainerClient.Status.REVOKED, ended_at=timezone.now()
    )
    if not updated:
        raise InvitationError(f"{link.email} has already answered this invitation.")
    user_dashboard_changed(user=link.trainer)


@transaction.atomic
def invitation_accept(
    *,
    link: TrainerClient,
    client: User,
    share_ratings: bool,
    share_red_flags: bool,
    share_notes: bool,
    share_screening: bool = False,
) -> TrainerClient:
    """Make `client` the trainer's client, sharing what they chose. Raises InvitationInvalid when
    the invitation was answered meanwhile (a second tab, a double click)."""
    updated = TrainerClient.objects.filter(pk=link.pk, status=TrainerClient.Status.INVITED).update(
        status=TrainerClient.Status.ACTIVE,
        client=client,
        accepted_at=timezone.now(),
        share_ratings=share_ratings,
        share_red_flags=share_red_flags,
        share_notes=share_notes,
        share_screening=share_screening,
    )
    if not updated:
        raise InvitationInvalid("used", "This invitation has already been answered.")
    link.refresh_from_db()
    user_dashboard_changed(user=link.trainer)
    return link


def invitation_decline(*, link: TrainerClient) -> None:
    """Raises InvitationInvalid when the invitation was answered or withdrawn meanwhile."""
    updated = TrainerClient.objects.filter(pk=link.pk, status=TrainerClient.Status.INVITED).update(
        status=TrainerClient.Status.DECLINED, ended_at=timezone.now()
    )
    if not updated:
        raise InvitationInvalid("used", "This invitation has already been answered.")
    user_dashboard_changed(user=link.trainer)


def _invitation_delivery_create(link: TrainerClient) -> None:
    # One delivery per link and nonce: "Send again" makes a new nonce, so a new email.
    delivery_create(
        kind=EmailKind.INVITATION,
        period_key=f"invitation-{link.pk}-{link.invite_nonce}",
        to_email=link.email,
        context={"link": link.pk, "nonce": link.invite_nonce},
    )


# --- Links -----------------------------------------------------------------------------------


def link_end(*, link: TrainerClient) -> None:
    """End a link, from either side. The trainer loses access at once; the client keeps
    everything (their sessions, and the copies of assigned routines, which are theirs)."""
    TrainerClient.objects.filter(pk=link.pk, status=TrainerClient.Status.ACTIVE).update(
        status=TrainerClient.Status.ENDED, ended_at=timezone.now()
    )
    # A hold is the trainer's call while they coach: it goes with them (the client has no control
    # to lift it, and the former trainer can no longer reach it).
    Enrolment.objects.active().filter(user_id=link.client_id, held_by_id=link.trainer_id).update(
        held_at=None, held_by=None
    )
    link_reminders_stop(link=link)
    user_dashboard_changed(user=link.trainer)
    user_dashboard_changed(user=link.client)


def link_sharing_update(
    *,
    link: TrainerClient,
    share_ratings: bool,
    share_red_flags: bool,
    share_notes: bool,
    share_screening: bool,
) -> TrainerClient:
    link.share_ratings, link.share_red_flags, link.share_notes = share_ratings, share_red_flags, share_notes
    link.share_screening = share_screening
    link.save(update_fields=["share_ratings", "share_red_flags", "share_notes", "share_screening"])
    user_dashboard_changed(user=link.trainer)
    return link


# --- Assignments -----------------------------------------------------------------------------


@transaction.atomic
def routine_assign(
    *,
    routine: Routine,
    links: Iterable[TrainerClient],
    weekdays: list[int],
    starts_on: date,
    ends_on: date | None,
    instructions: str,
) -> list[Assignment]:
    """Give each client their own copy of the trainer's routine, due on `weekdays`. Each copy is
    adapted for that client's conditions, not the trainer's (routines.services.routine_copy swaps
    what does not suit them, and the client's page says why).

    A repeat within a minute (a double click, a resubmitted form) returns the assignment already
    made instead of a second copy; the links are locked so two requests cannot both pass the check.
    """
    now = timezone.now()
    assignments = []
    links = list(
        TrainerClient.objects.select_related("client")
        .select_for_update(of=("self",))
        .filter(pk__in=[link.pk for link in links])
        .order_by("pk")
    )
    recent = {
        assignment.link_id: assignment
        for assignment in Assignment.objects.filter(
            link__in=links, source_routine=routine, created_at__gte=now - REPEAT_WINDOW
        )
    }
    for link in links:
        if link.pk in recent:
            assignments.append(recent[link.pk])
            continue
        try:
            copy = routine_copy(routine=routine, to_user=link.client)
        except RoutineLimitError:
            # Nothing is assigned to anyone (the transaction is undone): the trainer can leave
            # that client out, or ask them to make room.
            raise AssignmentError(
                f"{link.client_name} has {MAX_ROUTINES_PER_PERSON} routines, the most one account can "
                "keep, so nothing was assigned. Ask them to delete one they no longer use, or assign "
                "to the others without them."
            ) from None
        assignment = Assignment.objects.create(
            link=link,
            routine=copy,
            source_routine=routine,
            weekdays=sorted(set(weekdays)),
            starts_on=starts_on,
            ends_on=ends_on,
            instructions=instructions.strip(),
            synced_at=now,
        )
        assignment_reminder_create(assignment=assignment)  # the client can change or stop it
        assignments.append(assignment)
    user_dashboard_changed(user=routine.owner)
    return assignments


class AssignmentError(Exception):
    """An assignment change that cannot be made; the message is for the trainer."""


@transaction.atomic
def assignment_copy_update(*, assignment: Assignment) -> Assignment:
    """Replace the client's copy with the trainer's routine as it is now (title, description, items),
    adapted for the client as a new copy is, keeping the originals they chose to keep
    (routines.services.routine_copy_refresh). Raises AssignmentError when the trainer's routine
    is gone or has no exercises."""
    source = Routine.objects.select_for_update().filter(pk=assignment.source_routine_id).first()
    if source is None:
        raise AssignmentError("You deleted the routine this was assigned from, so there is nothing to copy.")
    if not source.items.exists():
        raise AssignmentError(f"“{source.title}” has no exercises: add some before updating the copy.")
    copy = Routine.objects.select_for_update().get(pk=assignment.routine_id)
    routine_copy_refresh(copy=copy, source=source)
    assignment.synced_at = timezone.now()
    assignment.save(update_fields=["synced_at"])
    return assignment


# --- Comments and alerts ---------------------------------------------------------------------


class CommentLimitError(Exception):
    """The author wrote COMMENTS_PER_HOUR comments in the last hour; the message says when to try."""


# Comments anyone may write in an hour, over all sessions: a conversation never needs more, and a
# script cannot fill a thread (or the other side's roster and dashboard) with thousands.
COMMENTS_PER_HOUR = 30


def session_comment_add(*, session: SessionLog, author: User, body: str) -> SessionComment:
    """Raises CommentLimitError past COMMENTS_PER_HOUR (counted in the database, so it holds
    while the cache is down). An identical repeat within a minute returns the first comment."""
    body = body.strip()
    now = timezone.now()
    repeat = SessionComment.objects.filter(
        session=session, author=author, body=body, created_at__gte=now - REPEAT_WINDOW
    )
    if (comment := repeat.first()) is not None:
        return comment
    recent = SessionComment.objects.filter(author=author, created_at__gte=now - timedelta(hours=1))
    if recent.count() >= COMMENTS_PER_HOUR:
        raise CommentLimitError(
            f"You have written {COMMENTS_PER_HOUR} comments in the last hour, the most we take. "
            "Your comment is still below: send it a little later."
        )
    comment = SessionComment.objects.create(session=session, author=author, body=body)
    # Answering is reading: what the other side wrote before is no longer new to the author.
    comments_mark_read(session=session, reader=author)
    user_dashboard_changed(user=session.user)  # the roster (through the client) counts new comments
    return comment


def comments_mark_read(*, session: SessionLog, reader: User) -> int:
    """Mark what the other side wrote on this session as read by `reader`."""
    marked = (
        SessionComment.objects.filter(session=session, read_at=None)
        .exclude(author=reader)
        .update(read_at=timezone.now())
    )
    if marked:
        user_dashboard_changed(user=session.user)  # the roster counts unread comments
    return marked


def red_flag_alert_create(*, session: SessionLog) -> bool:
    """Queue an email to the trainer whose assignment this session was, when it needs attention
    and the client shares safety alerts with them. One per session, however often it is edited.
    Returns whether one was queued."""
    if not session.needs_attention or session.assignment_id is None:
        return False
    link = (
        TrainerClient.objects.active()
        .filter(assignments=session.assignment_id, share_red_flags=True)
        .select_related("trainer")
        .first()
    )
    if link is None or not link.trainer.alert_emails:
        return False
    return (
        delivery_create(
            kind=EmailKind.RED_FLAG_ALERT,
            period_key=f"session-{session.pk}",
            user=link.trainer,
            context={"session": session.pk},
        )
        is not None
    )


# --- The programme ("Upper-back reset, 6 weeks"; progress.enrolment) -----------------------

# When a trainer assigns the programme, its routines are assignments too, so the trainer sees
# their sessions and alerts as for any routine they assign: the session on Monday, Wednesday and
# Friday (with a reminder the client may change), the desk break every day (no reminder).
PROGRAMME_DAYS = {"session": [0, 2, 4], "desk": [0, 1, 2, 3, 4, 5, 6]}
PROGRAMME_REMINDED = {"session"}


@transaction.atomic
def programme_copy_make(*, trainer: User, track: str) -> ProgrammeCopy:
    """The trainer's own version of the programme on `track`: its two routines as the trainer's,
    to change in the builder and then assign. Raises RoutineLimitError when the trainer has no room
    for its two routines."""
    routines = programme_routines_build(owner=trainer, track=track)
    copy = ProgrammeCopy.objects.create(
        trainer=trainer, track=track, session_routine=routines["session"], desk_routine=routines["desk"]
    )
    user_dashboard_changed(user=trainer)
    return copy


@dataclass
class ProgrammeAssigned:
    started: list[TrainerClient]
    already: list[TrainerClient]  # following the programme already: left as they are


@transaction.atomic
def programme_assign(
    *,
    trainer: User,
    links: Iterable[TrainerClient],
    track: str,
    copy: ProgrammeCopy | None = None,
    instructions: str = "",
) -> ProgrammeAssigned:
    """Start the programme for each client: the standard one on `track`, or the trainer's own
    version (`copy`), each client's routines copied and adapted to their own safety answers.
    A client already following it is left as they are (they can stop it themselves)."""
    now = timezone.now()
    links = list(
        TrainerClient.objects.select_related("client")
        .select_for_update(of=("self",))
        .filter(pk__in=[link.pk for link in links], trainer=trainer, status=TrainerClient.Status.ACTIVE)
        .order_by("pk")
    )
    done = ProgrammeAssigned(started=[], already=[])
    for link in links:
        try:
            enrolment = programme_start(
                user=link.client,
                track=copy.track if copy else track,
                sources=copy.sources if copy else None,
                assigned_by=trainer,
            )
        except ProgrammeRoomError:
            # Nothing is started for anyone (the transaction is undone), as when assigning a routine.
            raise AssignmentError(
                f"{link.client_name} has {MAX_ROUTINES_PER_PERSON} routines, the most one account can "
                "keep, and the programme needs two of its own, so it was not assigned. Ask them to "
                "delete two they no longer use, or assign it to the others without them."
            ) from None
        except ProgrammeError:
            done.already.append(link)
            continue
        ends_on = enrolment.started_on + timedelta(weeks=PROGRAMME_WEEKS) - timedelta(days=1)
        for part in enrolment.routines.select_related("routine"):
            assignment = Assignment.objects.create(
                link=link,
                routine=part.routine,
                source_routine=copy.sources[part.slot] if copy else None,
                weekdays=PROGRAMME_DAYS[part.slot],
                starts_on=enrolment.started_on,
                ends_on=ends_on,
                instructions=instructions.strip(),
                synced_at=now,
            )
            if part.slot in PROGRAMME_REMINDED:
                assignment_reminder_create(assignment=assignment)
        done.started.append(link)
    user_dashboard_changed(user=trainer)
    return done


def client_programme_hold(*, link: TrainerClient, hold: bool) -> bool:
    """Keep the client at their programme level (nothing steps up), or let it move on again.
    False when the client is not following the programme."""
    enrolment = Enrolment.objects.active().filter(user=link.client).first()
    if enrolment is None:
        return False
    programme_hold(enrolment=enrolment, trainer=link.trainer, hold=hold)
    return True
