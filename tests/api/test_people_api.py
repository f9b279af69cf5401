"""/api/v1/people/: reading, creating and updating people by email or employee
id, idempotently, through the people services (onboarding starts)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job
from people.models import User
from tests.ladders.factories import PlacementFactory
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


def test_it_lists_people_with_team_manager_level_and_dates(reader):
    manager = UserFactory(email="boss@example.com", employee_id="E1")
    person = UserFactory(
        email="ada@example.com",
        manager=manager,
        team=TeamFactory(name="Payments"),
        start_date=dt.date(2026, 1, 5),
    )
    placement = PlacementFactory(person=person)
    response = reader.get(PEOPLE, {"email": "ada@example.com"})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["team"] == "Payments"
    assert row["manager_email"] == "boss@example.com"
    assert row["manager_employee_id"] == "E1"
    assert row["level"] == placement.level.code
    assert row["start_date"] == "2026-01-05"
    assert row["end_date"] is None
    assert row["active"] is True


def test_the_list_costs_the_same_queries_for_3_and_30_people(reader):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(PEOPLE, {"page_size": 100}).status_code == 200
        return len(queries)

    count()  # the token's first use is recorded once; measure after it
    for _ in range(3):
        PlacementFactory(person=UserFactory(manager=UserFactory()))
    three = count()
    for _ in range(27):
        PlacementFactory(person=UserFactory(manager=UserFactory()))
    assert count() == three


def test_it_pages_with_a_cursor(reader):
    UserFactory.create_batch(5)
    first = reader.get(PEOPLE, {"page_size": 2}).json()
    assert len(first["results"]) == 2
    second = reader.get(first["next"]).json()
    assert {r["id"] for r in second["results"]}.isdisjoint({r["id"] for r in first["results"]})


def test_updated_since_returns_only_people_changed_since(reader, writer):
    UserFactory(email="old@example.com")
    since = User.objects.get(email="old@example.com").updated_at
    writer.put(f"{PEOPLE}by-email/new@example.com/", {"name": "New Person"})
    rows = reader.get(PEOPLE, {"updated_since": (since + dt.timedelta(microseconds=1)).isoformat()})
    assert [r["email"] for r in rows.json()["results"]] == ["new@example.com"]


def test_a_filter_with_a_bad_value_names_the_field(reader):
    response = reader.get(PEOPLE, {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert "updated_since" in response.json()["fields"]


def test_creating_a_person_starts_onboarding_as_the_admin_does(writer):
    response = writer.post(
        PEOPLE, {"email": "New@Example.com", "name": "Nia New", "start_date": "2027-01-04"}
    )
    assert response.status_code == 201, response.json()
    person = User.objects.get(email="new@example.com")
    assert response.json()["id"] == person.pk
    assert Job.objects.filter(task="onboarding.tasks.plans_create_task").count() == 1


def test_put_by_email_twice_creates_once_and_changes_nothing_the_second_time(writer):
    body = {
        "name": "Ada Lovelace",
        "title": "Engineer",
        "team": "Payments",
        "timezone": "Europe/London",
    }
    first = writer.put(f"{PEOPLE}by-email/ada@example.com/", body)
    person = User.objects.get(email="ada@example.com")
    history, updated_at = person.history.count(), person.updated_at
    second = writer.put(f"{PEOPLE}by-email/ada@example.com/", body)
    assert (first.status_code, second.status_code) == (201, 200)
    assert User.objects.filter(email="ada@example.com").count() == 1
    person.refresh_from_db()
    assert person.history.count() == history
    assert person.updated_at == updated_at
    assert second.json() == first.json()


def test_put_by_employee_id_links_and_then_renames(writer):
    UserFactory(email="ada@example.com", employee_id=None)
    linked = writer.put(f"{PEOPLE}by-employee-id/E42/", {"email": "ada@example.com"})
    assert linked.status_code == 200
    assert User.objects.get(email="ada@example.com").employee_id == "E42"
    renamed = writer.put(f"{PEOPLE}by-employee-id/E42/", {"email": "ada.l@example.com"})
    assert renamed.json()["email"] == "ada.l@example.com"
    assert User.objects.filter(employee_id="E42").count() == 1


def test_patch_by_email_of_nobody_is_404_and_creates_nobody(writer):
    response = writer.patch(f"{PEOPLE}by-email/ghost@example.com/", {"title": "X"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not User.objects.filter(email="ghost@example.com").exists()


def test_active_false_makes_the_person_leave(writer):
    UserFactory(email="ada@example.com")
    response = writer.patch(
        f"{PEOPLE}by-email/ada@example.com/", {"active": False, "end_date": "2026-11-30"}
    )
    assert response.status_code == 200
    person = User.objects.get(email="ada@example.com")
    assert (person.is_active, person.end_date) == (False, dt.date(2026, 11, 30))


def test_a_manager_loop_is_refused_naming_the_field_and_nothing_changes(writer):
    boss = UserFactory(email="boss@example.com")
    UserFactory(email="ada@example.com", manager=boss)
    response = writer.patch(
        f"{PEOPLE}by-email/boss@example.com/", {"manager_email": "ada@example.com"}
    )
    assert response.status_code == 400
    assert "loop" in response.json()["fields"]["manager"][0]
    boss.refresh_from_db()
    assert boss.manager is None


def test_bad_input_names_each_field(writer):
    response = writer.post(PEOPLE, {"email": "not-an-email", "name": "X", "timezone": "Mars/Base"})
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"email", "timezone"}


def test_posting_an_email_that_exists_is_refused(writer):
    UserFactory(email="ada@example.com")
    response = writer.post(PEOPLE, {"email": "ADA@example.com", "name": "Ada"})
    assert response.status_code == 400
    assert "already belongs" in response.json()["fields"]["email"][0]


def test_bulk_creates_managers_first_whatever_the_order(writer):
    rows = [
        {
            "email": "dev@example.com",
            "name": "Dev",
            "manager_employee_id": "E1",
            "employee_id": "E2",
        },
        {"email": "boss@example.com", "name": "Boss", "employee_id": "E1", "team": "Core"},
    ]
    response = writer.post(f"{PEOPLE}bulk/", {"people": rows})
    assert response.status_code == 200, response.json()
    assert response.json()["created"] == 2
    assert User.objects.get(email="dev@example.com").manager.email == "boss@example.com"
    again = writer.post(f"{PEOPLE}bulk/", {"people": rows}).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_a_bad_row_in_a_bulk_changes_nothing_and_is_named(writer):
    rows = [
        {"email": "a@example.com", "name": "A"},
        {"email": "b@example.com", "name": "B", "manager_email": "nobody@example.com"},
    ]
    response = writer.post(f"{PEOPLE}bulk/", {"people": rows})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["people[1].manager_email"]
    assert not User.objects.filter(email="a@example.com").exists()


def test_an_unchanged_bulk_resync_costs_the_same_queries_for_3_and_30(writer):
    def rows(n):
        return [{"email": f"p{i}@example.com", "name": f"P {i}", "team": "Core"} for i in range(n)]

    def resync(n) -> int:
        writer.post(f"{PEOPLE}bulk/", {"people": rows(n)})
        with CaptureQueriesContext(connection) as queries:
            assert writer.post(f"{PEOPLE}bulk/", {"people": rows(n)}).json()["unchanged"] == n
        return len(queries)

    assert resync(3) == resync(30)


def test_a_bulk_mixing_unchanged_changed_and_bad_rows_names_the_bad_row_by_its_index(writer):
    rows = [{"email": f"p{i}@example.com", "name": f"P {i}"} for i in range(3)]
    writer.post(f"{PEOPLE}bulk/", {"people": rows})
    rows[1] = {**rows[1], "title": "Lead"}
    rows[2] = {**rows[2], "start_date": "not a date"}
    response = writer.post(f"{PEOPLE}bulk/", {"people": rows})
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["people[2].start_date"]
    assert User.objects.get(email="p1@example.com").title == ""
    rows[2].pop("start_date")
    done = writer.post(f"{PEOPLE}bulk/", {"people": rows}).json()
    assert (done["updated"], done["unchanged"]) == (1, 2)
    assert [r["status"] for r in done["people"]] == ["unchanged", "updated", "unchanged"]


def test_a_bulk_that_is_not_a_list_is_refused(writer):
    response = writer.post(f"{PEOPLE}bulk/", {"people": {"email": "a@example.com"}})
    assert response.status_code == 400
    assert "people" in response.json()["fields"]
