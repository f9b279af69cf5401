"""python manage.py import_people FILE [--dry-run] [--missing-are-leavers] [--confirm-leavers N]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.limits import read_file_head
from people.imports import MAX_FILE_BYTES, ImportFailed, import_people, read_text


class Command(BaseCommand):
    help = "Import or update people from a CSV file; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, leavers first; write nothing",
        )
        parser.add_argument(
            "--missing-are-leavers",
            action="store_true",
            help="the file is a full export: active people missing from it leave today",
        )
        parser.add_argument(
            "--confirm-leavers",
            type=int,
            metavar="N",
            help="needed when more than 10%% of active people would leave: the number of "
            "leavers the dry run listed",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        raw = read_file_head(file, MAX_FILE_BYTES)
        try:
            report = import_people(
                read_text(raw),
                dry_run=dry_run,
                missing_are_leavers=options["missing_are_leavers"],
                confirm_leavers=options["confirm_leavers"],
            )
        except ImportFailed as failed:
            for problem in failed.report.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(
                f"{len(failed.report.problems)} problem(s) found; nothing was written."
            ) from None
        self._leavers(report)
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))

    def _leavers(self, report) -> None:
        if not report.leavers:
            return
        verb = "would leave" if report.dry_run else "left"
        self.stdout.write(f"{len(report.leavers)} people {verb}:")
        for leaver in report.leavers:
            self.stdout.write(f"  {leaver}")
        if report.needs_confirmation and report.dry_run:
            self.stdout.write(
                self.style.WARNING(
                    f"That is more than the share allowed without confirmation: to apply, "
                    f"run again without --dry-run and with --confirm-leavers {len(report.leavers)}."
                )
            )
