from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from progress.rollups import rollups_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the dashboard's and the roster's rollups from the sessions (progress.rollups): "
        "everyone's, or only the people given by email. Safe to run again, and while the site runs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("emails", nargs="*", help="Only these people (by email).")

    def handle(self, *args, emails: list[str], **options) -> None:
        user_ids = None
        if emails:
            user_ids = list(get_user_model().objects.filter(email__in=emails).values_list("pk", flat=True))
        people = rollups_rebuild(user_ids=user_ids)
        self.stdout.write(f"Rollups rebuilt for {people} {'person' if people == 1 else 'people'}.")
