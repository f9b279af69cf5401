"""python manage.py import_people FILE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.imports import MAX_FILE_BYTES, ImportFailed, import_people, read_text


class Command(BaseCommand):
    help = "Import or update people from a CSV file; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change; write nothing",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            with file.open("rb") as handle:  # enough to tell it is too large, no more
                raw = handle.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"{file}: cannot read it ({error})") from error
        try:
            report = import_people(read_text(raw), dry_run=dry_run)
        except ImportFailed as failed:
            for problem in failed.report.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{len(failed.report.problems)} problem(s) found; nothing was written."
            ) from None
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
