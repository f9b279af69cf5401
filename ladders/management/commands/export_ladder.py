"""python manage.py export_ladder SLUG [-o FILE] [--draft]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ladders.exchange import dump
from ladders.models import Ladder, Revision
from ladders.services.exchange_io import revision_to_dict
from ladders.services.revisions import published_revision


class Command(BaseCommand):
    help = "Export a ladder's latest published revision (or its draft) as YAML or JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="file to write (.json for JSON); default: standard output",
        )
        parser.add_argument("--draft", action="store_true", help="export the draft instead")

    def handle(self, *args, slug: str, output: Path | None, draft: bool, **options):
        ladder = Ladder.objects.filter(slug=slug).first()
        if ladder is None:
            known = ", ".join(Ladder.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f'No ladder "{slug}" (known: {known}).')
        revision = (
            ladder.revisions.filter(status=Revision.Status.DRAFT).first()
            if draft
            else published_revision(ladder=ladder)
        )
        if revision is None:
            raise CommandError(
                f'Ladder "{slug}" has no {"draft" if draft else "published"} revision.'
            )
        text = dump(revision_to_dict(revision), as_json=bool(output and output.suffix == ".json"))
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output} (revision {revision.number}).")
        else:
            self.stdout.write(text, ending="")
