"""People CSV files built to hurt, and files with many kinds of problems at once.
Each problem is a line-level message, all of them come out in one pass, and
nothing is written. (Before: a NUL byte or a 131,073-character field answered
500, and a stray quote in the last row imported one person named
"Open quote,Engineer,Probe team,...".)"""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from people import imports
from people.imports import ImportFailed, import_people, read_text
from people.models import User
from tests.people.test_imports import GOOD_ROWS, HEADER, csv_file, problems_of, written_rows

pytestmark = pytest.mark.django_db

NEVER_CLOSED = (
    "line 4: a quote opened here is never closed: the rest of the file would be read as "
    "one value; nothing was read from this row"
)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            [GOOD_ROWS[1], "ada@example.com,Ada\x00Lovelace,,,,,"],
            ["line 3, column name: contains a NUL byte; remove it"],
            id="NUL byte",
        ),
        pytest.param(
            [GOOD_ROWS[1], GOOD_ROWS[0], 'probe@example.com,"Open quote,Engineer,Probe team,,,'],
            [NEVER_CLOSED],
            id="stray quote in the last row",
        ),
        pytest.param(
            [
                'probe@example.com,"Open quote,Engineer,Probe team,,,',
                GOOD_ROWS[1],
                GOOD_ROWS[0],
            ],
            [NEVER_CLOSED.replace("line 4", "line 2")],
            id="stray quote in a middle row",
        ),
        pytest.param(
            [GOOD_ROWS[1], 'ada@example.com,"Ada" Lovelace,,,,,', GOOD_ROWS[0]],
            [
                'line 3: a quote in the middle of a value; write a quote inside a value as "" '
                "and quote the whole value"
            ],
            id="text after a closing quote",
        ),
        pytest.param(
            [GOOD_ROWS[1], f"ada@example.com,{'A' * 131_073},,,,,"],
            [
                "line 3: a value longer than 131,072 characters (a stray or unclosed quote?); "
                "nothing was read from this row"
            ],
            id="field over csv's limit",
        ),
        pytest.param(
            [GOOD_ROWS[1], 'ada@example.com,Ada Lovelace,"Engineer\nPayments",,,,'],
            [
                "line 3, column title: a value runs over lines 3-4: no column may hold a line "
                "break (a stray or unclosed quote?)"
            ],
            id="line break in a value",
        ),
    ],
)
def test_it_refuses_a_malformed_row_with_a_line_level_message(rows, expected):
    before = written_rows()

    assert problems_of(csv_file(*rows)) == expected
    assert written_rows() == before


def test_it_names_the_line_of_the_first_byte_that_is_not_utf8():
    raw = csv_file(GOOD_ROWS[1], "zoe@example.com,Zoë,,,,,").encode("latin-1")

    with pytest.raises(ImportFailed) as failed:
        read_text(raw)

    assert [str(p) for p in failed.value.report.problems] == [
        "line 3: not UTF-8 text (byte 0xeb); export the file as CSV (UTF-8)"
    ]


def test_it_refuses_a_file_over_the_size_limit_before_decoding_it():
    with pytest.raises(ImportFailed) as failed:
        read_text(b"x" * (imports.MAX_FILE_BYTES + 1))

    assert [str(p) for p in failed.value.report.problems] == [
        "file: larger than 10.0 MB, the most a file may be"
    ]


def test_it_reports_cell_problems_and_cross_row_problems_in_one_pass():
    text = csv_file(
        "ada@example.com,Ada Lovelace,,,grace@example.com,2024-13-01,",  # bad date
        "grace@example.com,Grace Hopper,,,ada@example.com,,",  # ... and a loop with Ada
        "linus@example.com,Linus,,,nobody@example.com,,Mars/Olympus",  # bad tz, unknown boss
        "LINUS@example.com,Linus Again,,,,,",  # duplicate
    )

    assert problems_of(text) == [
        "line 2, column manager_email: reporting loop: ada@example.com -> grace@example.com"
        " -> ada@example.com (lines 2, 3)",
        'line 2, column start_date: "2024-13-01" is not a date as YYYY-MM-DD',
        'line 4, column manager_email: unknown manager "nobody@example.com": '
        "not in the file nor among existing people",
        'line 4, column timezone: "Mars/Olympus" is not an IANA timezone name (e.g. Europe/Berlin)',
        "line 5, column email: linus@example.com already appears on line 4",
    ]


def test_a_manager_on_a_row_with_a_bad_cell_is_still_known():
    text = csv_file(
        "grace@example.com,Grace Hopper,,,,someday,",
        "ada@example.com,Ada Lovelace,,,grace@example.com,,",
    )

    assert problems_of(text) == ['line 2, column start_date: "someday" is not a date as YYYY-MM-DD']


def test_the_command_refuses_a_file_over_the_limit_without_reading_it_all(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + "\n").encode() + b"x" * (imports.MAX_FILE_BYTES + 10))
    err = StringIO()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_people", str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue() == f"{path}: file: larger than 10.0 MB, the most a file may be\n"


def test_the_command_lists_a_nul_byte_by_line(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(csv_file(GOOD_ROWS[1], "ada@example.com,Ada\x00,,,,,"), encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_people", str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue() == f"{path}: line 3, column name: contains a NUL byte; remove it\n"
    assert not User.objects.exists()


# --- the admin -------------------------------------------------------------------------

URL = reverse("admin:people_user_import")


def test_the_admin_form_states_the_size_limit(admin_client):
    assert "at most 10.0 MB" in admin_client.get(URL).content.decode()


def test_the_admin_refuses_an_upload_over_the_limit_on_the_form(admin_client):
    upload = SimpleUploadedFile("people.csv", b"x" * (imports.MAX_FILE_BYTES + 1))

    response = admin_client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is larger than 10.0 MB, the most accepted here."]
    }


def test_the_admin_lists_a_stray_quote_and_imports_nobody(admin_client):
    text = csv_file(GOOD_ROWS[1], GOOD_ROWS[0], 'probe@example.com,"Open quote,Engineer,,,,')
    upload = SimpleUploadedFile("people.csv", text.encode())

    response = admin_client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert response.context["problems"] == [NEVER_CLOSED]
    assert User.objects.filter(email__in=["grace@example.com", "probe@example.com"]).count() == 0


def test_import_people_refuses_text_over_the_limit_too():
    with pytest.raises(ImportFailed) as failed:
        import_people("x" * (imports.MAX_FILE_BYTES + 1))

    assert [str(p) for p in failed.value.report.problems] == [
        "file: larger than 10.0 MB, the most a file may be"
    ]
