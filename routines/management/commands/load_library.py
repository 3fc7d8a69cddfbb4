from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from routines.library_file import LIBRARY_DIR, LibraryFileError
from routines.library_load import library_load


class Command(BaseCommand):
    help = "Load the shipped exercises and starter routines (routines/library/). Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dir",
            default=str(LIBRARY_DIR),
            help="Folder with exercises.yaml (and routines.yaml) to load instead.",
        )

    def handle(self, *args, dir: str, **options) -> None:
        try:
            result = library_load(directory=Path(dir))
        except LibraryFileError as exc:
            raise CommandError(f"{exc}\nNothing was changed.") from exc
        self.stdout.write(
            f"Exercise library: {len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged; starter routines written: {len(result.routines_written)}."
        )
        if result.kept_customised:
            self.stdout.write(
                self.style.WARNING(
                    "Kept staff edits (use “Reset to library version” in the admin to take the file's): "
                    + ", ".join(result.kept_customised)
                )
            )
        if result.retired or result.routines_without_retired:
            self.stdout.write(
                f"Retired: {', '.join(result.retired) or 'none new'}; "
                f"routines that lost a retired exercise: {len(result.routines_without_retired)}."
            )
