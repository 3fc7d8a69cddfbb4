"""Writes that concern accounts."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Contraindication, Goal, User
from accounts.signals import time_zone_changed


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


def user_profile_update(
    *,
    user: User,
    display_name: str,
    time_zone: str,
    goals: list[str],
    screening_flags: list[str],
    screening_answered: bool,
    weekly_goal_sessions: int | None = None,
    weekly_goal_minutes: int | None = None,
    is_trainer: bool | None = None,
) -> User:
    """Save the onboarding / settings answers (validated by accounts.forms.ProfileForm).

    The safety screening:
    - answered (a condition ticked, or "none of these" with no flags): the flags are stored and
      `screened_at` says when this answer was given. Saving the same answer again (say, after
      changing only the time zone) keeps the old `screened_at`, so it still dates the answer;
    - not answered (everything left blank): skipping. The flags are cleared and `screened_at`
      is emptied, so the app keeps asking. For someone who had answered before, this is what
      the form showed them when they unticked everything, so the page and the data agree.
    """
    flags = [value for value in Contraindication.values if value in screening_flags]
    if not screening_answered:
        user.screening_flags, user.screened_at = [], None
    elif user.screened_at is None or set(user.screening_flags) != set(flags):
        user.screening_flags, user.screened_at = flags, timezone.now()
    zone_changed = user.time_zone != time_zone
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
    user.save(update_fields=[*User.PROFILE_FIELDS, "screened_at"])
    user_dashboard_changed(user=user)  # their name and time zone are on their trainers' rosters
    if zone_changed:  # reminders keep their local time in the new zone (notifications)
        time_zone_changed.send(sender=User, user=user)
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
    user_dashboard_changed(user=user)
    User.objects.filter(trainer_links__trainer=user, trainer_links__status="active").update(
        dashboard_version=F("dashboard_version") + 1
    )
    user.delete()


def user_dashboard_changed(*, user: User) -> None:
    """Call after any write that changes the person's dashboard: its cached copy is rebuilt.

    Their trainers' rosters show their sessions too (coaching.selectors.roster_page_cached), so
    the versions of the trainers they have an active link with are bumped as well.
    """
    User.objects.filter(pk=user.pk).update(dashboard_version=F("dashboard_version") + 1)
    User.objects.filter(client_links__client=user, client_links__status="active").update(
        dashboard_version=F("dashboard_version") + 1
    )
