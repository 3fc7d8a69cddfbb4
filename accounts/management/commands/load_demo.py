from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo accounts used by `make run` (development only). Safe to run again."

    def handle(self, *args, **options) -> None:
        if settings.DJANGO_ENV == "production":
            raise CommandError("Demo accounts have a published password: they are not created in production.")
        accounts = demo_accounts_create()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for user, created in accounts:
            role = "staff, can use /admin/" if user.is_staff else "a person who stretches"
            note = "" if created else " (already there)"
            self.stdout.write(f"  {user.email:28} {role}{note}")
        self.stdout.write("")
