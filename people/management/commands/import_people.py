"""python manage.py import_people FILE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.imports import ImportFailed, import_people


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
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read it as UTF-8 text ({error})") from error
        try:
            report = import_people(text, dry_run=dry_run)
        except ImportFailed as failed:
            for problem in failed.report.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{len(failed.report.problems)} problem(s) found; nothing was written."
            ) from None
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
