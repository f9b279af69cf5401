"""How much a person may send: the size of each upload and of each free-text
field. One place, so the forms, the importers and the README say the same."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.template.defaultfilters import filesizeformat

# Free text (descriptions, evidence, notes, goals...): about three pages. A
# page that shows it stays readable, and no one stores a novel by accident.
TEXT_MAX_CHARS = 10_000
# A ladder file: the default ladder is 43 kB, a 10 x 80 ladder about 0.5 MB.
LADDER_FILE_MAX_BYTES = 2 * 1024 * 1024
# A people CSV: about 100 bytes a person, so some 100,000 people.
PEOPLE_CSV_MAX_BYTES = 10 * 1024 * 1024


def size_in_words(size: int) -> str:
    return str(filesizeformat(size)).replace("\xa0", " ")


def read_file_head(file: Path, limit: int) -> bytes:
    """The first ``limit + 1`` bytes of a file a command imports: enough to
    tell it is over the limit, no more. An unreadable file is a CommandError
    that names it."""
    try:
        with file.open("rb") as handle:
            return handle.read(limit + 1)
    except OSError as error:
        raise CommandError(f"{file}: cannot read it ({error})") from error


def upload_size_validator(limit: int):
    """A form field validator refusing an upload over `limit` bytes, before it is read."""

    def validate(upload) -> None:
        if upload is not None and upload.size > limit:
            raise ValidationError(
                f"The file is larger than {size_in_words(limit)}, the most accepted here.",
                code="file_too_large",
            )

    return validate


class TextLengthValidator(MaxLengthValidator):
    """Counts a line break as one character, as the browser's maxlength does:
    the form sends each one as CR LF, and a text the browser let through must
    not be refused for its line breaks."""

    def clean(self, x) -> int:
        return len(x.replace("\r\n", "\n"))


def bound_text(field: forms.Field, limit: int = TEXT_MAX_CHARS) -> forms.Field:
    """Give a free-text form field a length limit that the browser enforces
    (maxlength), the server checks, and the help text states."""
    if not isinstance(field, forms.CharField):
        return field
    if field.max_length is None or field.max_length > limit:
        field.max_length = limit
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)] + [
        TextLengthValidator(field.max_length)
    ]
    field.widget.attrs["maxlength"] = str(field.max_length)
    stated = f"At most {field.max_length:,} characters."
    if stated not in str(field.help_text):
        field.help_text = f"{field.help_text} {stated}".strip()
    return field


class BoundedTextAdmin:
    """Admin pages (and inlines): every TextField's form field gets the limit."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.TextField) and field is not None:
            bound_text(field)
        return field
