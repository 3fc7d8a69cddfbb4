from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from routines.library_file import EXERCISES_FILE, LibraryFileError
from routines.services import library_load


class Command(BaseCommand):
    help = "Load the shipped exercise library (routines/library/exercises.yaml). Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", default=str(EXERCISES_FILE), help="Library file to load instead.")

    def handle(self, *args, file: str, **options) -> None:
        try:
            result = library_load(path=Path(file))
        except LibraryFileError as exc:
            raise CommandError(f"{exc}\nNothing was changed.") from exc
        self.stdout.write(
            f"Exercise library: {len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
        if result.kept_customised:
            self.stdout.write(
                self.style.WARNING(
                    "Kept staff edits (use “Reset to library version” in the admin to take the file's): "
                    + ", ".join(result.kept_customised)
                )
            )
