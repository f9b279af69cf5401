"""The CSV people import, through import_people and through `manage.py import_people`."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.imports import ImportFailed, import_people
from people.models import Team, User
from tests.people.factories import UserFactory

HEADER = "email,name,title,team,manager_email,start_date,timezone"
EXPECTED = f"expected: {HEADER} (and optionally end_date, active)"

# Grace manages Ada and Linus but is listed after Ada.
GOOD_ROWS = [
    "ada@example.com,Ada Lovelace,Engineer,Payments,grace@example.com,2024-03-01,Europe/London",
    "grace@example.com,Grace Hopper,Director,Platform,,2020-01-15,America/New_York",
    "linus@example.com,Linus Torvalds,Engineer,Payments,grace@example.com,,",
]


def csv_file(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def problems_of(text: str) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_people(text)
    return [str(problem) for problem in failed.value.report.problems]


def written_rows() -> dict[str, int]:
    return {
        "people": User.objects.count(),
        "teams": Team.objects.count(),
        "people history": User.history.count(),
        "teams history": Team.history.count(),
    }


def run_command(path, *args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_people", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def command_fails(path, match: str | None = None) -> str:
    """What the command printed on stderr before failing with a CommandError."""
    err = StringIO()
    with pytest.raises(CommandError, match=match):
        call_command("import_people", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


@pytest.fixture
def people_file(tmp_path):
    """A file people.csv with the good rows, UTF-8; tests write their own text over it."""
    path = tmp_path / "people.csv"
    path.write_text(csv_file(*GOOD_ROWS), encoding="utf-8")
    return path


# --- A good file ---------------------------------------------------------------


def test_it_creates_people_teams_and_managers(db):
    report = import_people(csv_file(*GOOD_ROWS))

    ada = User.objects.get(email="ada@example.com")
    grace = User.objects.get(email="grace@example.com")
    linus = User.objects.get(email="linus@example.com")
    assert (ada.name, ada.title, ada.team.name) == ("Ada Lovelace", "Engineer", "Payments")
    assert (ada.start_date, ada.timezone) == (date(2024, 3, 1), "Europe/London")
    assert grace.manager is None
    assert grace.team.name == "Platform"
    assert (linus.start_date, linus.timezone) == (None, "UTC")
    assert set(Team.objects.values_list("name", flat=True)) == {"Payments", "Platform"}
    assert not ada.has_usable_password()
    assert (report.created, report.updated, report.unchanged, report.teams_created) == (3, 0, 0, 2)


def test_it_sets_a_manager_who_appears_after_their_report(db):
    import_people(csv_file(*GOOD_ROWS))

    grace = User.objects.get(email="grace@example.com")
    assert User.objects.get(email="ada@example.com").manager == grace
    assert User.objects.get(email="linus@example.com").manager == grace


def test_it_records_who_imported_in_history(db):
    actor = UserFactory(email="hr@example.com")

    import_people(csv_file(*GOOD_ROWS), actor=actor)

    record = User.history.filter(email="ada@example.com").latest()
    assert record.history_user == actor
    assert record.history_change_reason == "people import"


def test_it_writes_one_history_record_per_new_person_showing_their_manager(db):
    import_people(csv_file(*GOOD_ROWS))

    history = User.history.filter(email="ada@example.com")
    assert [(h.history_type, h.manager.email) for h in history] == [("+", "grace@example.com")]


def test_it_reads_a_row_with_fewer_values_as_empty_columns(db):
    import_people(csv_file("ada@example.com,Ada Lovelace"))

    ada = User.objects.get(email="ada@example.com")
    assert (ada.title, ada.team, ada.manager, ada.timezone) == ("", None, None, "UTC")


def test_it_finds_an_existing_manager_by_email_in_any_case(db):
    boss = UserFactory(email="boss@example.com")

    import_people(csv_file("Ada@Example.com,Ada Lovelace,,,BOSS@example.com,,"))

    assert User.objects.get(email="ada@example.com").manager == boss


# --- Bad rows: each one reported with its line and column ----------------------

BAD_FILES = [
    pytest.param(
        [GOOD_ROWS[1], ",Ada Lovelace,Engineer,Payments,,,"],
        "line 3, column email: email is required",
        id="missing email",
    ),
    pytest.param(
        [GOOD_ROWS[1], "ada@example.com,,Engineer,Payments,,,"],
        "line 3, column name: name is required",
        id="missing name",
    ),
    pytest.param(
        [GOOD_ROWS[1], "ada@example.com,Ada Lovelace,Engineer,Payments,nobody@example.com,,"],
        "line 3, column manager_email: unknown manager",
        id="unknown manager",
    ),
    pytest.param(
        [
            GOOD_ROWS[1],
            "ada@example.com,Ada Lovelace,,,bob@example.com,,",
            "bob@example.com,Bob Bloggs,,,ada@example.com,,",
        ],
        "line 3, column manager_email: reporting loop: ada@example.com -> bob@example.com"
        " -> ada@example.com (lines 3, 4)",
        id="loop in the file",
    ),
    pytest.param(
        [GOOD_ROWS[1], "ada@example.com,Ada,,,,,", "ADA@example.com,Ada Again,,,,,"],
        "line 4, column email: ada@example.com already appears on line 3",
        id="duplicate email",
    ),
    pytest.param(
        [GOOD_ROWS[1], "ada@example.com,Ada Lovelace,,,,01/03/2024,"],
        'line 3, column start_date: "01/03/2024" is not a date as YYYY-MM-DD',
        id="bad date",
    ),
    pytest.param(
        [GOOD_ROWS[1], "ada@example.com,Ada Lovelace,,,,2024-02-30,"],
        'line 3, column start_date: "2024-02-30" is not a date',
        id="impossible date",
    ),
    pytest.param(
        [GOOD_ROWS[1], "ada@example.com,Ada Lovelace,,,,,London"],
        'line 3, column timezone: "London" is not an IANA timezone name',
        id="bad timezone",
    ),
    pytest.param(
        [GOOD_ROWS[1], f"{'a' * 250}@example.com,Ada Lovelace,,,,,"],
        "line 3, column email: longer than 254 characters",
        id="email too long for the column",
    ),
    pytest.param(
        [GOOD_ROWS[1], "ada@example.com,Ada Lovelace,,,,,UTC,extra"],
        "line 3: more values than columns",
        id="too many values",
    ),
    pytest.param(
        [GOOD_ROWS[1], "ada@example.com,Ada Lovelace,,,ada@example.com,,"],
        "line 3, column manager_email: a person cannot manage themselves",
        id="own manager",
    ),
]


@pytest.mark.parametrize(("rows", "problem"), BAD_FILES)
def test_it_reports_a_bad_row_with_its_line_and_column(db, rows, problem):
    problems = problems_of(csv_file(*rows))

    assert any(p.startswith(problem) for p in problems), problems


@pytest.mark.parametrize(("rows", "problem"), BAD_FILES)
def test_it_reports_a_bad_row_once(db, rows, problem):
    assert len(problems_of(csv_file(*rows))) == 1


def test_it_reports_a_loop_formed_with_someone_already_in_the_database(org):
    # In the database the engineer reports to the manager, who reports to the director.
    text = csv_file("director@example.com,Dev Rao,Director,Payments,engineer@example.com,,")

    assert problems_of(text) == [
        "line 2, column manager_email: reporting loop: director@example.com"
        " -> engineer@example.com -> manager@example.com -> director@example.com (lines 2)"
    ]
    assert User.objects.get(email="director@example.com").manager == org.cto


def test_it_reports_a_wrong_header_on_line_1(db):
    text = csv_file(GOOD_ROWS[1], header="email,name,role,team,manager_email,start_date,timezone")

    assert problems_of(text) == [
        "line 1: missing column(s) title; unknown column(s) role; " + EXPECTED
    ]


def test_it_reports_a_repeated_column_in_the_header(db):
    text = csv_file(GOOD_ROWS[1] + ",UTC", header=HEADER + ",timezone")

    assert problems_of(text) == [f"line 1: repeated column(s) timezone; {EXPECTED}"]


def test_it_reports_every_bad_row_not_just_the_first(db):
    text = csv_file(
        "ada@example.com,Ada Lovelace,,,,2024-13-01,",
        GOOD_ROWS[1],
        "bob@example.com,,,,,,Mars/Olympus",
    )

    assert problems_of(text) == [
        'line 2, column start_date: "2024-13-01" is not a date as YYYY-MM-DD',
        "line 4, column name: name is required",
        'line 4, column timezone: "Mars/Olympus" is not an IANA timezone name (e.g. Europe/Berlin)',
    ]


def test_it_refuses_a_line_break_in_a_value_and_keeps_later_line_numbers_right(db):
    # Changed on purpose: a title over three lines used to be imported. No column
    # holds a line break, and one is how a stray quote swallows the next rows.
    text = csv_file(
        'ada@example.com,Ada Lovelace,"Staff Engineer,\nPayments\nand Billing",Payments,,,',
        GOOD_ROWS[1],
        "bob@example.com,Bob Bloggs,,,,yesterday,",
    )

    assert problems_of(text) == [
        "line 2, column title: a value runs over lines 2-4: no column may hold a line break "
        "(a stray or unclosed quote?)",
        'line 6, column start_date: "yesterday" is not a date as YYYY-MM-DD',
    ]


def test_it_keeps_line_numbers_right_after_a_blank_line(db):
    text = csv_file(GOOD_ROWS[1], "", "bob@example.com,Bob Bloggs,,,,yesterday,")

    assert problems_of(text) == [
        'line 4, column start_date: "yesterday" is not a date as YYYY-MM-DD'
    ]


def test_it_writes_nothing_when_one_row_among_good_ones_is_bad(db):
    UserFactory(email="someone@example.com")
    before = written_rows()

    with pytest.raises(ImportFailed):
        import_people(csv_file(*GOOD_ROWS, "bob@example.com,Bob Bloggs,,Search,,,Mars/Olympus"))

    assert written_rows() == before


def test_it_writes_nothing_when_only_a_cross_row_check_fails(db):
    before = written_rows()

    with pytest.raises(ImportFailed):
        import_people(csv_file(*GOOD_ROWS, "bob@example.com,Bob,,Search,nobody@example.com,,"))

    assert written_rows() == before


# --- Dry run, repeat imports and updates ---------------------------------------


def test_it_writes_nothing_on_a_dry_run_but_reports_the_counts(org):
    before = written_rows()
    text = csv_file(
        *GOOD_ROWS,
        "engineer@example.com,Eli Novak,Senior Engineer,Payments,manager@example.com,,"
        "Europe/London",
    )

    report = import_people(text, dry_run=True)

    assert written_rows() == before
    assert User.objects.get(email="engineer@example.com").title == "Software Engineer"
    assert (report.created, report.updated, report.unchanged, report.teams_created) == (3, 1, 0, 1)
    assert report.summary() == (
        "4 rows: 3 people would be created, 1 updated, 0 unchanged; 1 teams would be created."
    )


def test_it_changes_nothing_when_the_same_file_is_imported_twice(db):
    import_people(csv_file(*GOOD_ROWS))
    after_first = written_rows()

    report = import_people(csv_file(*GOOD_ROWS))

    assert (report.created, report.updated, report.unchanged, report.teams_created) == (0, 0, 3, 0)
    assert written_rows() == after_first


def test_it_updates_only_what_differs_and_keeps_the_change_in_history(org):
    engineer_history = org.engineer.history.count()
    manager_history = org.manager.history.count()
    text = csv_file(
        "engineer@example.com,Eli Novak,Senior Engineer,Payments,manager@example.com,,"
        "Europe/London",
        "manager@example.com,Mia Chen,Engineering Manager,Payments,director@example.com,,"
        "Europe/London",
    )

    report = import_people(text, actor=org.hr)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    org.engineer.refresh_from_db()
    assert org.engineer.title == "Senior Engineer"
    assert org.engineer.manager == org.manager
    latest, previous = org.engineer.history.all()[:2]
    assert org.engineer.history.count() == engineer_history + 1
    assert latest.history_type == "~"
    assert latest.history_user == org.hr
    assert latest.diff_against(previous).changed_fields == ["title"]
    assert org.manager.history.count() == manager_history  # unchanged: no new record


def test_it_moves_an_existing_person_under_a_new_manager_from_the_file(org):
    text = csv_file(
        "engineer@example.com,Eli Novak,Software Engineer,Search,newboss@example.com,,"
        "Europe/London",
        "newboss@example.com,Nora Boss,Engineering Manager,Search,director@example.com,,",
    )

    report = import_people(text)

    org.engineer.refresh_from_db()
    assert org.engineer.manager.email == "newboss@example.com"
    assert org.engineer.team == org.search
    assert (report.created, report.updated) == (1, 1)


# --- Queries do not grow with rows ----------------------------------------------


def people_csv(count: int, *, prefix: str) -> str:
    """count people in teams of ten; each team's manager is listed after their reports
    and reports to the last person in the file."""
    rows = []
    for i in range(count):
        manager = (i // 10) * 10 + 9 if i % 10 != 9 else count - 1
        manager_email = f"{prefix}{manager}@example.com" if manager != i else ""
        rows.append(
            f"{prefix}{i}@example.com,Person {i},Engineer,{prefix} team {i // 10},"
            f"{manager_email},2024-01-01,Europe/Paris"
        )
    return csv_file(*rows)


def queries_to_import(text: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        import_people(text)
    return len(queries)


@pytest.mark.postgres
def test_it_uses_the_same_number_of_queries_for_300_rows_as_for_30(db):
    few = queries_to_import(people_csv(30, prefix="few"))
    many = queries_to_import(people_csv(300, prefix="many"))

    assert User.objects.count() == 330
    assert many == few


def test_it_does_not_query_once_per_row(db):
    # SQLite takes at most 999 parameters a statement, so Django cuts each bulk
    # write into batches of a few dozen rows: queries grow with batches, not rows.
    few = queries_to_import(people_csv(30, prefix="few"))
    many = queries_to_import(people_csv(300, prefix="many"))

    assert User.objects.count() == 330
    assert many - few < (300 - 30) // 10


def test_it_uses_the_same_number_of_queries_to_reimport_30_rows_as_300(db):
    few, many = people_csv(30, prefix="few"), people_csv(300, prefix="many")
    import_people(few)
    import_people(many)

    assert queries_to_import(few) == queries_to_import(many)


# --- The management command ------------------------------------------------------


def test_the_command_imports_a_file_and_prints_the_summary(db, people_file):
    out, err = run_command(people_file)

    assert "3 rows: 3 people were created, 0 updated, 0 unchanged; 2 teams were created." in out
    assert err == ""
    assert User.objects.get(email="ada@example.com").manager.email == "grace@example.com"


def test_the_command_reads_a_file_saved_with_a_byte_order_mark(db, people_file):
    people_file.write_text(csv_file(*GOOD_ROWS), encoding="utf-8-sig")

    run_command(people_file)

    assert User.objects.count() == 3


def test_the_command_writes_nothing_on_a_dry_run(db, people_file):
    before = written_rows()

    out, _ = run_command(people_file, "--dry-run")

    assert "Dry run, nothing written. 3 rows: 3 people would be created" in out
    assert written_rows() == before


def test_the_command_lists_each_problem_as_file_line_column_message(db, people_file):
    path = people_file
    path.write_text(
        csv_file(
            *GOOD_ROWS,
            "bob@example.com,Bob Bloggs,,,,2024-13-01,",
            "carol@example.com,Carol,,,,,Mars/Olympus",
        ),
        encoding="utf-8",
    )
    before = written_rows()

    err = command_fails(path, match=r"2 problem\(s\) found; nothing was written")

    assert err.splitlines() == [
        f'{path}: line 5, column start_date: "2024-13-01" is not a date as YYYY-MM-DD',
        f'{path}: line 6, column timezone: "Mars/Olympus" is not an IANA timezone name'
        " (e.g. Europe/Berlin)",
    ]
    assert written_rows() == before


def test_the_command_reports_a_wrong_header(db, people_file):
    path = people_file
    path.write_text("email;name\nada@example.com;Ada\n", encoding="utf-8")

    err = command_fails(path)

    assert err.startswith(f"{path}: line 1: missing column(s) email, name, title")


def test_the_command_refuses_a_file_that_is_not_utf8(db, people_file):
    path = people_file
    path.write_bytes(csv_file("zoe@example.com,Zoë,,,,,").encode("latin-1"))

    err = command_fails(path, match="nothing was written")

    assert err == (f"{path}: line 2: not UTF-8 text (byte 0xeb); export the file as CSV (UTF-8)\n")
