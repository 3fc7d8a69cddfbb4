"""The demo accounts `make run` prints: a person who stretches and a staff editor."""

from django.utils import timezone

from accounts.models import User
from accounts.services import user_create_verified

DEMO_PASSWORD = "stretch-demo-2026"
DEMO_ACCOUNTS = [
    # email, display name, time zone, is_staff
    ("demo@unknot.localhost", "Sam (demo)", "Europe/London", False),
    ("staff@unknot.localhost", "Staff editor (demo)", "Europe/London", True),
]


def demo_accounts_create() -> list[tuple[User, bool]]:
    """The demo accounts, as after onboarding (screening answered: none of the conditions), so a
    newcomer trying them lands on the dashboard rather than the welcome questions."""
    accounts = [
        user_create_verified(
            email=email,
            password=DEMO_PASSWORD,
            display_name=name,
            time_zone=zone,
            is_staff=staff,
        )
        for email, name, zone, staff in DEMO_ACCOUNTS
    ]
    User.objects.filter(pk__in=[user.pk for user, _ in accounts], screened_at=None).update(
        screened_at=timezone.now(), screening_flags=[]
    )
    return accounts
