"""The CSV import and the person lifecycle: end_date and active columns, people
missing from a full export, and the events each announces exactly once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from people.imports import ImportFailed, import_people
from people.models import User
from people.rules import organisation_today

HEADER = "email,name,title,team,manager_email,start_date,timezone,end_date,active"
TODAY = organisation_today()
LATER = TODAY + timedelta(days=30)
EARLIER = TODAY - timedelta(days=3)


def row(person, *, end_date="", active="", manager=None) -> str:
    manager_email = manager.email if manager else (person.manager.email if person.manager else "")
    team = person.team.name if person.team else ""
    return ",".join(
        [
            person.email,
            person.name,
            person.title,
            team,
            manager_email,
            "",
            person.timezone,
            str(end_date),
            active,
        ]
    )


def csv_file(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def state(*people) -> list[tuple]:
    return [
        User.objects.values_list("is_active", "end_date").get(pk=person.pk) for person in people
    ]


def everyone_but(org, *left_out) -> list[str]:
    people = [org.cto, org.director, org.manager, org.engineer, org.other_manager, org.peer]
    return [row(p) for p in people if p not in left_out]


def test_a_last_day_to_come_is_set_and_announced_once(org, heard):
    text = csv_file(*everyone_but(org, org.engineer), row(org.engineer, end_date=LATER))
    report = import_people(text)
    assert state(org.engineer) == [(True, LATER)]
    assert (report.last_days_set, report.updated) == (1, 1)
    import_people(text)  # the same file again: nothing more
    assert heard == [("person_leaving", [org.engineer.pk])]


def test_a_last_day_that_has_come_or_active_false_means_leaving_now(org, heard):
    text = csv_file(
        *everyone_but(org, org.engineer, org.peer),
        row(org.engineer, end_date=EARLIER),
        row(org.peer, active="false"),
    )
    report = import_people(text)
    assert state(org.engineer, org.peer) == [(False, EARLIER), (False, TODAY)]
    assert [leaver.email for leaver in report.leavers] == [org.engineer.email, org.peer.email]
    both = sorted([org.engineer.pk, org.peer.pk])
    assert heard == [("person_leaving", both), ("person_left", both)]
    again = import_people(text)
    assert (again.updated, again.unchanged, again.leavers) == (0, 6, [])
    assert len(heard) == 2


def test_active_true_brings_back_someone_who_left(org, heard):
    org.peer.is_active, org.peer.end_date = False, EARLIER
    org.peer.save()
    report = import_people(csv_file(*everyone_but(org, org.peer), row(org.peer, active="yes")))
    assert state(org.peer) == [(True, None)] and report.returned == 1
    assert heard == [("person_returned", [org.peer.pk])]


def test_new_people_are_announced_once_for_the_whole_file(org, heard):
    text = csv_file(
        "ada@example.com,Ada Lovelace,Engineer,Payments,,,UTC,,",
        f"bo@example.com,Bo Brandt,Engineer,Payments,,,UTC,{LATER},true",
        f"gone@example.com,Gone Before,Engineer,Payments,,,UTC,{EARLIER},",
    )
    report = import_people(text)
    ada, bo = User.objects.get(email="ada@example.com"), User.objects.get(email="bo@example.com")
    assert (report.created, report.skipped) == (2, 1)
    assert not User.objects.filter(email="gone@example.com").exists()
    assert heard == [("person_added", sorted([ada.pk, bo.pk])), ("person_leaving", [bo.pk])]


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        (
            {"active": "maybe"},
            'line 2, column active: "maybe" is not true or false (yes/no and 1/0 work too; '
            "leave it empty to keep them as they are)",
        ),
        (
            {"end_date": "31/12/2026"},
            'line 2, column end_date: "31/12/2026" is not a date as YYYY-MM-DD',
        ),
        (
            {"end_date": LATER, "active": "false"},
            f"line 2, column active: active is false but their last day, {LATER}, is still to "
            "come: leave active empty and they leave on that day, or give the day they left",
        ),
        (
            {"end_date": EARLIER, "active": "true"},
            f"line 2, column active: active is true but their last day, {EARLIER}, has come: "
            "clear end_date to rehire them, or set active to false",
        ),
    ],
)
def test_a_bad_leaving_value_is_named_with_line_and_column_and_nothing_changes(
    org, heard, cells, problem
):
    text = csv_file(row(org.engineer, **cells), *everyone_but(org, org.engineer))
    with pytest.raises(ImportFailed) as failed:
        import_people(text, missing_are_leavers=True)
    assert [str(p) for p in failed.value.report.problems] == [problem]
    assert state(org.engineer) == [(True, None)] and heard == []


def test_a_manager_who_left_before_being_added_is_refused(org):
    text = csv_file(
        f"gone@example.com,Gone Before,Engineer,Payments,,,UTC,{EARLIER},",
        "ada@example.com,Ada Lovelace,Engineer,Payments,gone@example.com,,UTC,,",
    )
    with pytest.raises(ImportFailed) as failed:
        import_people(text)
    assert [str(p) for p in failed.value.report.problems] == [
        "line 3, column manager_email: gone@example.com left before being added here "
        "(line 2), so cannot be a manager: name their current manager"
    ]


def test_missing_are_leavers_dry_run_lists_them_and_changes_nothing(org):
    text = csv_file(*everyone_but(org, org.peer, org.other_manager))
    report = import_people(text, dry_run=True, missing_are_leavers=True, actor=org.hr)
    assert [(leaver.name, leaver.email, leaver.why) for leaver in report.leavers] == [
        (org.other_manager.name, org.other_manager.email, "missing from the file"),
        (org.peer.name, org.peer.email, "missing from the file"),
    ]
    assert User.objects.filter(is_active=False).count() == 0


def test_missing_are_leavers_leave_once_and_whoever_imports_stays(org, heard):
    text = csv_file(*everyone_but(org, org.peer, org.other_manager))
    import_people(text, missing_are_leavers=True, actor=org.hr)
    pair = sorted([org.peer.pk, org.other_manager.pk])
    assert heard == [("person_leaving", pair), ("person_left", pair)]
    assert state(org.peer, org.other_manager, org.hr) == [
        (False, TODAY),
        (False, TODAY),
        (True, None),
    ]
    import_people(text, missing_are_leavers=True, actor=org.hr)
    assert len(heard) == 2  # idempotent


def test_more_leavers_than_the_safe_share_need_the_number_confirmed(org, heard):
    text = csv_file(row(org.cto))  # a partial file: five of seven would leave
    with pytest.raises(ImportFailed) as failed:
        import_people(text, missing_are_leavers=True, actor=org.hr)
    (problem,) = failed.value.report.problems
    assert "would deactivate 5 of the 7 active people" in str(problem)
    assert "--confirm-leavers 5" in str(problem)
    assert User.objects.filter(is_active=False).count() == 0 and heard == []
    with pytest.raises(ImportFailed):
        import_people(text, missing_are_leavers=True, actor=org.hr, confirm_leavers=4)
    report = import_people(text, missing_are_leavers=True, actor=org.hr, confirm_leavers=5)
    assert len(report.leavers) == 5
    assert User.objects.filter(is_active=False).count() == 5


def test_the_command_lists_leavers_first_on_a_dry_run(org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(csv_file(row(org.cto)))
    out = StringIO()
    call_command("import_people", str(path), "--dry-run", "--missing-are-leavers", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "6 people would leave:"
    assert f"  {org.hr.name} <{org.hr.email}> (missing from the file)" in lines
    assert "--confirm-leavers 6" in lines[7] and lines[8].startswith("Dry run, nothing written.")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_people", str(path), "--missing-are-leavers", stderr=StringIO())
    assert User.objects.filter(is_active=False).count() == 0


def test_the_admin_import_shows_leavers_then_applies(client, org, heard):
    client.force_login(org.hr)
    text = csv_file(*everyone_but(org, org.peer))

    def upload(**fields):
        data = {"file": SimpleUploadedFile("people.csv", text.encode()), **fields}
        return client.post(reverse("admin:people_user_import"), data, follow=True)

    body = upload(dry_run="on", missing_are_leavers="on").content.decode()
    assert "1 person would leave" in body and org.peer.email in body
    assert state(org.peer) == [(True, None)]
    heard.clear()  # the dry run's announcements rolled back with it
    body = upload(missing_are_leavers="on").content.decode()
    assert f"1 people left: {org.peer.name} &lt;{org.peer.email}&gt;" in body
    assert state(org.peer) == [(False, TODAY)]
    assert heard == [("person_leaving", [org.peer.pk]), ("person_left", [org.peer.pk])]


def test_superusers_missing_from_the_file_stay(org):
    admin = User.objects.create_superuser("root@example.com", name="Root")
    import_people(csv_file(*everyone_but(org)), missing_are_leavers=True, actor=org.hr)
    assert state(admin) == [(True, None)]
