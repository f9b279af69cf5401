"""The people import page in the admin (UserAdmin.import_view)."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people.models import Team, User
from tests.people.factories import PeopleTeamFactory, UserFactory

URL = reverse("admin:people_user_import")
HEADER = "email,name,title,team,manager_email,start_date,timezone"
GOOD_FILE = "\n".join(
    [
        HEADER,
        "ada@example.com,Ada Lovelace,Engineer,Payments,grace@example.com,2024-03-01,Europe/London",
        "grace@example.com,Grace Hopper,Director,Platform,,2020-01-15,America/New_York",
        "linus@example.com,Linus Torvalds,Engineer,Payments,grace@example.com,,",
    ]
)


def upload(text: str, *, dry_run: bool) -> dict:
    data = {"file": SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return data


def written_rows() -> tuple[int, int, int]:
    return User.objects.count(), Team.objects.count(), User.history.count()


@pytest.fixture
def people_team_client(client, db):
    client.force_login(PeopleTeamFactory(email="hr@example.com"))
    return client


def test_it_shows_the_upload_form_to_the_people_team(people_team_client):
    response = people_team_client.get(URL)

    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_it_shows_the_summary_of_a_dry_run_and_writes_nothing(people_team_client):
    before = written_rows()

    response = people_team_client.post(URL, upload(GOOD_FILE, dry_run=True))

    assert response.status_code == 200
    assert response.context["report"].created == 3
    assert (
        "3 rows: 3 people would be created, 0 updated, 0 unchanged; 2 teams would be created."
        in response.content.decode()
    )
    assert written_rows() == before


def test_it_lists_the_problems_of_a_bad_file_with_line_numbers_and_writes_nothing(
    people_team_client,
):
    bad_file = GOOD_FILE + "\nbob@example.com,,,,,2024-13-01,\ncarol@example.com,Carol,,,,,Mars"
    before = written_rows()

    response = people_team_client.post(URL, upload(bad_file, dry_run=False))

    assert response.status_code == 200
    assert response.context["problems"] == [
        "line 5, column name: name is required",
        'line 5, column start_date: "2024-13-01" is not a date as YYYY-MM-DD',
        'line 6, column timezone: "Mars" is not an IANA timezone name (e.g. Europe/Berlin)',
    ]
    content = response.content.decode()
    assert "line 5, column name: name is required" in content
    assert "line 6, column timezone:" in content
    assert written_rows() == before


def test_it_refuses_a_file_that_is_not_utf8(people_team_client):
    latin1 = SimpleUploadedFile("people.csv", (HEADER + "\nzoe@example.com,Zoë").encode("cp1252"))

    response = people_team_client.post(URL, {"file": latin1})

    assert response.context["problems"] == [
        "line 2: not UTF-8 text (byte 0xeb); export the file as CSV (UTF-8)"
    ]
    assert not User.objects.filter(email="zoe@example.com").exists()


def test_it_imports_the_file_and_redirects_to_the_people_list(people_team_client):
    response = people_team_client.post(URL, upload(GOOD_FILE, dry_run=False))

    assert response.status_code == 302
    assert response.url == reverse("admin:people_user_changelist")
    ada = User.objects.get(email="ada@example.com")
    assert ada.manager.email == "grace@example.com"
    assert ada.history.latest().history_user.email == "hr@example.com"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Imported. 3 rows: 3 people were created, 0 updated, 0 unchanged; 2 teams were created."
    ]


def test_it_sends_an_engineer_who_is_not_staff_to_the_admin_login(client, db):
    client.force_login(UserFactory(email="eng@example.com"))
    before = written_rows()

    for response in (client.get(URL), client.post(URL, upload(GOOD_FILE, dry_run=False))):
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    assert written_rows() == before


def test_it_keeps_out_a_staff_engineer_who_is_not_in_the_people_team(client, db):
    client.force_login(UserFactory(email="staff.eng@example.com", is_staff=True))
    before = written_rows()

    for response in (client.get(URL), client.post(URL, upload(GOOD_FILE, dry_run=False))):
        assert response.status_code == 302
        assert response.url == reverse("admin:index")
    assert written_rows() == before
