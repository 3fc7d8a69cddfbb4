"""Writes that concern accounts."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Goal, User
from accounts.screening import (
    Area,
    Tier2,
    WarningSign,
    can_confirm_unchanged,
    conditions_for,
    pregnancy_week_now,
)
from accounts.signals import conditions_changed, time_zone_changed


@transaction.atomic
def user_create_verified(
    *,
    email: str,
    password: str,
    display_name: str = "",
    time_zone: str = "UTC",
    is_staff: bool = False,
) -> tuple[User, bool]:
    """An account that can log in at once (its email marked verified). Returns (user, created).

    An existing account with that email is returned unchanged, so running it again is harmless.
    """
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(
        email=email,
        password=password,
        display_name=display_name,
        time_zone=time_zone,
        is_staff=is_staff,
        is_superuser=is_staff,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user, True


def email_claimed(email: str, *, other_than: User | None = None) -> bool:
    """Whether an account holds `email` for real: as its login, or confirmed. An address someone
    only typed in at /accounts/email/ and never confirmed is not a claim. `other_than`: an
    account whose own addresses do not count (staff giving someone an address they hold)."""
    users = User.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email, verified=True)
    if other_than is not None:
        users, addresses = users.exclude(pk=other_than.pk), addresses.exclude(user=other_than)
    return users.exists() or addresses.exists()


def email_pending_claims_release(*, email: str) -> int:
    """Someone signs up with `email`: unconfirmed requests by other accounts to change to it are
    dropped (their confirmation links stop working), so an address typed in by someone else never
    blocks its owner's sign-up. Returns how many were dropped."""
    return (
        EmailAddress.objects.filter(email__iexact=email, verified=False, primary=False)
        .exclude(user__email__iexact=email)
        .delete()[0]
    )


@transaction.atomic
def user_email_set_by_staff(*, user: User) -> bool:
    """Staff changed the account's address in the admin (accounts.admin). allauth keeps its own
    list of each account's addresses, and logs people in by it: the new address replaces every
    one of them, not yet confirmed, so the old address no longer logs in, and the person
    confirms the new one the first time they log in with it (the confirmation is mandatory). A
    mistyped address then shows at once, as a confirmation that never arrives. Other accounts'
    unconfirmed requests to change to it are dropped, as at sign-up. An address the person had
    confirmed already (theirs in another case, or one they had added) stays confirmed. Returns
    whether the new address is confirmed."""
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    elif not address.primary:  # an address they had added themselves
        address.primary = True
        address.save(update_fields=["primary"])
    email_pending_claims_release(email=user.email)
    return address.verified


def user_profile_update(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    goals: list[str],
    weekly_goal_sessions: int | None = None,
    weekly_goal_minutes: int | None = None,
    is_trainer: bool | None = None,
) -> User:
    """Save the settings page (validated by accounts.forms.ProfileForm). The safety screening has
    its own services below."""
    zone_changed = user.time_zone != time_zone
    name_changed = user.display_name != display_name
    user.display_name = display_name
    user.time_zone = time_zone
    user.goals = [value for value in Goal.values if value in goals]
    if weekly_goal_sessions is not None:
        user.weekly_goal_sessions = weekly_goal_sessions
    if weekly_goal_minutes is not None:
        user.weekly_goal_minutes = weekly_goal_minutes
    if is_trainer is not None:
        user.is_trainer = is_trainer
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=list(User.PROFILE_FIELDS))
    # Their name and time zone are on their trainers' rosters; a trainer's name on their clients'
    # dashboards too.
    if name_changed:
        user_name_changed(user=user)
    else:
        user_dashboard_changed(user=user)
    if zone_changed:  # reminders keep their local time in the new zone (notifications)
        time_zone_changed.send(sender=User, user=user)
    return user


# --- The safety screening (accounts/screening.py has the questions and the rules) -------------

SCREENING_FIELDS = [
    "warning_signs",
    "tier2_answers",
    "pregnancy_week",
    "surgery_areas",
    "pain_areas",
    "screened_at",
    "cleared_at",
    "screening_due_reason",
]


def screening_save(
    *,
    user: User,
    warning_signs: list[str],
    tier2_answers: list[str],
    pregnancy_week: int | None,
    surgery_areas: list[str],
    pain_areas: list[str],
    time_zone: str | None = None,
) -> User:
    """Store both tiers of answers (validated by accounts.forms.ScreeningForm), given now.

    A warning sign the person had not answered before undoes a clinician's clearance: it was
    about the signs they had then. The reason for asking again is answered. The first screening
    also takes the time zone (`time_zone`), which moves reminders like a change in settings.
    When the conditions the answers add up to change, `conditions_changed` is sent (routines
    adapts the person's routines to them).
    """
    before = _conditions_as_answered(user)
    signs = [value for value in WarningSign.values if value in warning_signs]
    if set(signs) - set(user.warning_signs or []):
        user.cleared_at = None
    user.warning_signs = signs
    user.tier2_answers = [value for value in Tier2.values if value in tier2_answers]
    user.pregnancy_week = pregnancy_week if Tier2.PREGNANCY in user.tier2_answers else None
    user.surgery_areas = [value for value in Area.values if value in surgery_areas]
    user.pain_areas = [value for value in Area.values if value in pain_areas]
    user.screened_at = timezone.now()
    user.screening_due_reason = ""
    fields = list(SCREENING_FIELDS)
    zone_changed = time_zone is not None and time_zone != user.time_zone
    if zone_changed:
        user.time_zone = time_zone
        fields.append("time_zone")
    user.full_clean(validate_unique=False, validate_constraints=False)
    user.save(update_fields=fields)
    user_dashboard_changed(user=user)  # their trainers' rosters show the screening's status
    if zone_changed:
        time_zone_changed.send(sender=User, user=user)
    _conditions_changed_announce(user, before)
    return user


def screening_confirm_unchanged(*, user: User) -> User:
    """The person's "nothing has changed": the answers given last time are given again, now. A
    pregnancy week is moved on to today's. Only when accounts.screening.can_confirm_unchanged allows
    it (not after a session that raised a red flag or high pain)."""
    if not can_confirm_unchanged(user):
        raise ValueError("These answers cannot be confirmed in one tap.")
    before = _conditions_as_answered(user)
    user.pregnancy_week = pregnancy_week_now(user)
    user.screened_at = timezone.now()
    user.screening_due_reason = ""
    user.save(update_fields=["pregnancy_week", "screened_at", "screening_due_reason"])
    user_dashboard_changed(user=user)
    _conditions_changed_announce(user, before)  # a pregnancy may have passed about 16 weeks
    return user


def _conditions_as_answered(user: User) -> set[str]:
    """The conditions of the answers as they were given (a pregnancy at the week given then):
    what the person's routines were last adapted to."""
    return conditions_for(user, now=user.screened_at)


def _conditions_changed_announce(user: User, before: set[str]) -> None:
    after = conditions_for(user)
    if after != before:
        conditions_changed.send(sender=User, user=user, before=before, after=after)


def screening_ask_again(*, user: User, reason: str) -> None:
    """Ask the safety questions again before the next routine, saying why (a short sentence)."""
    reason = reason[: User._meta.get_field("screening_due_reason").max_length]
    User.objects.filter(pk=user.pk).update(screening_due_reason=reason)
    user.screening_due_reason = reason
    user_dashboard_changed(user=user)


def clearance_confirm(*, user: User) -> User:
    """The person says a clinician has checked them and said they can exercise: the routines open
    again. Dated, and kept until they answer a new warning sign or take it back."""
    if user.warning_signs and user.cleared_at is None:
        user.cleared_at = timezone.now()
        user.save(update_fields=["cleared_at"])
        user_dashboard_changed(user=user)
    return user


def clearance_withdraw(*, user: User) -> User:
    """Taken back in the safety settings: the routines are locked again."""
    if user.cleared_at is not None:
        user.cleared_at = None
        user.save(update_fields=["cleared_at"])
        user_dashboard_changed(user=user)
    return user


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the person's account and everything that is theirs, in one transaction.

    Deleting the User row does it all through on_delete=CASCADE: their routines and routine items,
    session logs and exercise logs, allauth's email addresses, admin log entries. Other people's
    rows that merely point at theirs are kept and let go (SET_NULL), such as a routine copied from
    one of theirs. Their logins in other browsers end too: the user those sessions name is gone.

    Trainer links (either side), their assignments and comments cascade the same way; a client
    keeps the routine copies a trainer gave them when the trainer deletes their account. Later
    models that belong to a person (reminder schedules, …) must use
    on_delete=CASCADE towards the User, or be removed here before the user, so that deleting an
    account never leaves their data behind (a PROTECT would make this raise instead).
    """
    # Their trainers' rosters and their clients' dashboards show them: rebuild those first.
    user_name_changed(user=user)
    user.delete()


def user_name_changed(*, user: User) -> None:
    """Call when how the person is named changes (their display name, or their email, which a
    roster shows and a name falls back to), and when they leave: a trainer's name is on their
    active clients' dashboards ("from Robin"), a client's on their trainers' rosters, and both are
    cached under versions that this bumps."""
    user_dashboard_changed(user=user)
    User.objects.filter(trainer_links__trainer=user, trainer_links__status="active").update(
        dashboard_version=F("dashboard_version") + 1
    )


def user_dashboard_changed(*, user: User) -> None:
    """Call after any write that changes the person's dashboard: its cached copy is rebuilt.

    Their trainers' rosters show their sessions too (coaching.roster.roster_page_cached), so
    the versions of the trainers they have an active link with are bumped as well.
    """
    User.objects.filter(pk=user.pk).update(dashboard_version=F("dashboard_version") + 1)
    User.objects.filter(client_links__client=user, client_links__status="active").update(
        dashboard_version=F("dashboard_version") + 1
    )
