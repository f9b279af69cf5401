"""python manage.py import_ladder FILE [--dry-run] [--publish]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.limits import read_file_head
from ladders.exchange import MAX_FILE_BYTES, LadderFileError, check, read_file
from ladders.services.revisions import ladder_import


class Command(BaseCommand):
    help = "Import a ladder from YAML or JSON (docs/ladder-format.md) into its draft revision."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")
        parser.add_argument(
            "--publish", action="store_true", help="publish the imported draft as a new revision"
        )

    def handle(self, *args, file: Path, dry_run: bool, publish: bool, **options):
        raw = read_file_head(file, MAX_FILE_BYTES)
        try:
            data = check(read_file(raw, filename=file.name))
        except LadderFileError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{len(error.problems)} problem(s); nothing was written.") from None
        summary = (
            f"{data.name}: {len(data.levels)} levels, {len(data.competencies)} "
            f"competencies, {len(data.expectations)} expectations"
        )
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Dry run, nothing written. {summary}."))
            return
        with transaction.atomic():
            revision = ladder_import(data=data, publish=publish)
        state = "published as" if publish else "saved as draft"
        self.stdout.write(self.style.SUCCESS(f"{summary}; {state} revision {revision.number}."))
        for change in revision.changes if publish else []:
            self.stdout.write(f"  {change}")
