from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.accounts import DEMO_PASSWORD, demo_accounts_create
from demo.coaching import demo_coaching_create
from demo.history import (
    DEMO_DAYS,
    DEMO_STARTER_SLUGS,
    DemoDataError,
    demo_history_create,
    demo_reminders_create,
)
from demo.programme import demo_programme_create


class Command(BaseCommand):
    help = (
        "Create the demo accounts used by `make run` (development only): eight weeks of sessions "
        "for the demo person, and a demo trainer with three clients whose roster shows every flag. "
        "Needs the library (load_library). Safe to run again."
    )

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
            if not user.is_staff:
                self._history_create(user)
                self._reminders_create(user)
                if demo_programme_create(user=user) is not None:
                    self.stdout.write(
                        f"  {'':28} following “Upper-back reset, 6 weeks”: see This week’s plan"
                    )
        self._coaching_create()
        self.stdout.write("")

    def _history_create(self, user) -> None:
        try:
            count = demo_history_create(user=user, today=timezone.localdate(timezone=user.zone))
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        weeks, routines = DEMO_DAYS // 7, len(DEMO_STARTER_SLUGS)
        if count:
            self.stdout.write(
                f"  {'':28} {count} sessions over the last {weeks} weeks, on {routines} routines"
            )
        else:
            self.stdout.write(f"  {'':28} {weeks} weeks of sessions (already there)")

    def _reminders_create(self, user) -> None:
        soon = demo_reminders_create(user=user, now=timezone.now())[-1]
        self.stdout.write(
            f"  {'':28} a reminder at {soon.local_time:%H:%M} ({user.time_zone}): the worker prints it "
            "below within a couple of minutes"
        )

    def _coaching_create(self) -> None:
        try:
            demo = demo_coaching_create()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        note = "" if demo.sessions else " (already there)"
        self.stdout.write(f"  {demo.trainer.email:28} a trainer: their clients are at /coach/{note}")
        for story, client in demo.clients:
            role = f"the trainer's client, {story.story}, in {client.time_zone}"
            self.stdout.write(f"  {client.email:28} {role}{note}")
        if demo.sessions:
            self.stdout.write(f"  {'':28} {demo.sessions} sessions of their assignments")
