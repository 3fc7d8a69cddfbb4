"""The demo accounts `make run` prints: a person who stretches and a staff editor."""

from accounts.models import User
from accounts.services import screening_save, user_create_verified

DEMO_PASSWORD = "stretch-demo-2026"
DEMO_ACCOUNTS = [
    # email, display name, time zone, is_staff
    ("demo@unknot.localhost", "Sam (demo)", "Europe/London", False),
    ("staff@unknot.localhost", "Staff editor (demo)", "Europe/London", True),
]


def demo_accounts_create() -> list[tuple[User, bool]]:
    """The demo accounts, as after onboarding (the safety screening answered "none of these" in
    both tiers), so a newcomer trying them lands on the dashboard rather than the welcome page."""
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
    for user, _ in accounts:
        if user.screened_at is None:
            screening_answered_none(user)
    return accounts


def screening_answered_none(user) -> None:
    """As if the person had answered "none of these" to both tiers of the safety screening."""
    screening_save(
        user=user, warning_signs=[], tier2_answers=[], pregnancy_week=None, surgery_areas=[], pain_areas=[]
    )
