"""No people CSV crashes the import: whatever the bytes, the import either gives
a report or raises ImportFailed listing line-level problems, and a dry run writes
nothing. The number of examples is bounded so the suite stays fast."""

import csv
import io

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from people.imports import COLUMNS, ImportFailed, ImportReport, import_people, read_text
from people.models import User

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
HEADER = ",".join(COLUMNS)

# Cells that look like the real thing, with the characters that break CSV files.
cells = st.one_of(
    st.sampled_from(["ada@example.com", "grace@example.com", "Ada", "2024-03-01", "UTC", ""]),
    st.text(alphabet='ab@.,"\n\r\x00 -:/', max_size=20),
    st.text(max_size=20),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=9), max_size=8)


def import_or_refuse(text: str) -> None:
    people_before = User.objects.count()
    try:
        report = import_people(text, dry_run=True)
    except ImportFailed as refused:
        problems = refused.report.problems
        assert problems and all(str(p).startswith(("line ", "file: ")) for p in problems)
    else:
        assert isinstance(report, ImportReport)
    assert User.objects.count() == people_before


@FUZZ
@given(raw=st.binary(max_size=300))
@example(raw=b"email,name\x00")
@example(raw=b'"' + b"x" * 140_000)
def test_any_bytes_are_imported_or_refused(raw):
    try:
        text = read_text(raw)
    except ImportFailed as refused:
        assert refused.report.problems
        return
    import_or_refuse(text)


@FUZZ
@given(body=st.text(alphabet='ab@.,"\n\r\x00 ', max_size=200))
def test_any_near_miss_under_a_good_header_is_imported_or_refused(body):
    import_or_refuse(HEADER + "\n" + body)


@FUZZ
@given(records=rows)
def test_any_cells_written_as_proper_csv_are_imported_or_refused(records):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(records)
    import_or_refuse(out.getvalue())
