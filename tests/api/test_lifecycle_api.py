"""The API and SCIM change people through the lifecycle services: each
request announces the right events exactly once (people/hooks.py)."""

import datetime as dt

import pytest

from people.models import User
from people.rules import organisation_today
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db
PEOPLE = "/api/v1/people/"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
TODAY = organisation_today()
LATER = TODAY + dt.timedelta(days=30)


def test_api_create_with_a_last_day_to_come_announces_both_once(writer, heard):
    body = {"email": "ada@example.com", "name": "Ada", "end_date": LATER.isoformat()}
    assert writer.put(f"{PEOPLE}by-email/ada@example.com/", body).status_code == 201
    assert writer.put(f"{PEOPLE}by-email/ada@example.com/", body).status_code == 200
    ada = User.objects.get(email="ada@example.com")
    assert heard == [("person_added", [ada.pk]), ("person_leaving", [ada.pk])]


def test_api_a_last_day_that_has_come_means_leaving_now(writer, heard):
    person = UserFactory(email="ada@example.com")
    body = {"end_date": TODAY.isoformat()}
    assert writer.patch(f"{PEOPLE}by-email/ada@example.com/", body).status_code == 200
    person.refresh_from_db()
    assert (person.is_active, person.end_date) == (False, TODAY)
    assert heard == [("person_leaving", [person.pk]), ("person_left", [person.pk])]


def test_api_active_false_then_true(writer, heard):
    person = UserFactory(email="ada@example.com")
    url = f"{PEOPLE}by-email/ada@example.com/"
    assert writer.patch(url, {"active": False}).status_code == 200
    assert writer.patch(url, {"active": False}).status_code == 200  # again: nothing more
    assert writer.patch(url, {"active": True, "end_date": LATER.isoformat()}).status_code == 200
    person.refresh_from_db()
    assert (person.is_active, person.end_date) == (True, LATER)
    pk = [person.pk]
    assert heard == [
        ("person_leaving", pk),
        ("person_left", pk),
        ("person_returned", pk),
        ("person_leaving", pk),
    ]


def test_api_refuses_a_last_day_and_active_that_disagree(writer, heard):
    person = UserFactory(email="ada@example.com")
    body = {"active": False, "end_date": LATER.isoformat()}
    response = writer.patch(f"{PEOPLE}by-email/ada@example.com/", body)
    assert response.status_code == 400
    assert "still to come" in str(response.json())
    person.refresh_from_db()
    assert (person.is_active, person.end_date, heard) == (True, None, [])


def test_scim_create_deactivate_and_reactivate_announce_once_each(scim, heard):
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "nia@okta.local",
        "name": {"givenName": "Nia", "familyName": "New"},
        "emails": [{"primary": True, "value": "nia@okta.local", "type": "work"}],
        "active": True,
    }
    created = scim.post("/scim/v2/Users", body).json()
    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}
    on = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": True}}]}
    for patch in (off, off, on):
        assert scim.patch(f"/scim/v2/Users/{created['id']}", patch).status_code == 200
    pk = [int(created["id"])]
    assert heard == [
        ("person_added", pk),
        ("person_leaving", pk),
        ("person_left", pk),
        ("person_returned", pk),
    ]


def test_scim_delete_is_leaving_once(scim, heard):
    person = UserFactory()
    assert scim.delete(f"/scim/v2/Users/{person.pk}").status_code == 204
    assert heard == [("person_leaving", [person.pk]), ("person_left", [person.pk])]
