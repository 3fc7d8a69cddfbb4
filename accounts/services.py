"""Writes that concern accounts."""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "stretch-demo-2026"
DEMO_ACCOUNTS = [
    # email, display name, time zone, is_staff
    ("demo@unknot.localhost", "Sam (demo)", "Europe/London", False),
    ("staff@unknot.localhost", "Staff editor (demo)", "Europe/London", True),
]


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


def demo_accounts_create() -> list[tuple[User, bool]]:
    return [
        user_create_verified(
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            time_zone=zone,
            is_staff=staff,
        )
        for email, name, zone, staff in DEMO_ACCOUNTS
    ]
