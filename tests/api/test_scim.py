"""/scim/v2/ as Okta and Entra ID call it. The bodies follow the examples in
Okta's SCIM 2.0 guide and Microsoft's "Develop a SCIM endpoint" tutorial
(their userName, name, emails, externalId, the enterprise extension, and
Entra's PATCH quirks: capitalised ops, "False" as a string, path-less values)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job
from people.models import Team
from tests.api.conftest import TokenClient
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

OKTA_CREATE = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "test.user@okta.local",
    "name": {"givenName": "Test", "familyName": "User"},
    "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}],
    "displayName": "Test User",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": True,
}

ENTRA_CREATE = {
    "schemas": [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com",
    "active": True,
    "emails": [
        {
            "primary": True,
            "type": "work",
            "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com",
        }
    ],
    "meta": {"resourceType": "User"},
    "name": {
        "formatted": "givenName familyName",
        "familyName": "familyName",
        "givenName": "givenName",
    },
    "roles": [],
    ENTERPRISE: {"employeeNumber": "701984", "department": "Tour Operations"},
}


def test_every_endpoint_refuses_no_token_and_the_wrong_scope(token_client, scim):
    api_only = token_client("read", "write")
    for path in ("/scim/v2/Users", "/scim/v2/Groups", "/scim/v2/ServiceProviderConfig"):
        nobody = TokenClient(None).get(path)
        assert nobody.status_code == 401
        assert nobody.json()["schemas"] == [ERROR]
        assert nobody.json()["status"] == "401"
        wrong = api_only.get(path)
        assert wrong.status_code == 403
        assert wrong.json()["status"] == "403"
        assert scim.get(path).status_code == 200
    bad = TokenClient("grw_nothing_here").get("/scim/v2/Users")
    assert bad.status_code == 401


def test_okta_creates_a_user_who_then_starts_onboarding(scim):
    response = scim.post("/scim/v2/Users", OKTA_CREATE)
    assert response.status_code == 201, response.json()
    body = response.json()
    person = User.objects.get(email="test.user@okta.local")
    assert body["id"] == str(person.pk)
    assert body["userName"] == "test.user@okta.local"
    assert body["externalId"] == "00ujl29u0le5T6Aj10h7"
    assert body["name"]["givenName"] == "Test"
    assert person.name == "Test User"
    assert response["Location"].endswith(f"/scim/v2/Users/{person.pk}")
    assert Job.objects.filter(task="onboarding.tasks.plans_create_task").count() == 1


def test_entra_creates_a_user_with_an_employee_number(scim):
    response = scim.post("/scim/v2/Users", ENTRA_CREATE)
    assert response.status_code == 201, response.json()
    person = User.objects.get(employee_id="701984")
    assert person.email == ENTRA_CREATE["userName"].lower()
    assert person.name == "givenName familyName"
    assert response.json()[ENTERPRISE]["employeeNumber"] == "701984"


def test_a_second_create_of_the_same_user_is_a_uniqueness_error(scim):
    scim.post("/scim/v2/Users", OKTA_CREATE)
    response = scim.post("/scim/v2/Users", OKTA_CREATE)
    assert response.status_code == 409
    assert response.json() == {
        "schemas": [ERROR],
        "status": "409",
        "scimType": "uniqueness",
        "detail": "A user with userName test.user@okta.local already exists.",
    }
    assert User.objects.filter(email="test.user@okta.local").count() == 1


def test_filter_by_user_name_finds_one_or_none(scim):
    UserFactory(email="test.user@okta.local")
    found = scim.get("/scim/v2/Users", {"filter": 'userName eq "Test.User@okta.local"'}).json()
    assert found["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert found["totalResults"] == 1
    assert found["Resources"][0]["userName"] == "test.user@okta.local"
    none = scim.get("/scim/v2/Users", {"filter": 'userName eq "nobody@okta.local"'}).json()
    assert (none["totalResults"], none["Resources"]) == (0, [])


def test_filter_by_external_id_as_entra_checks(scim):
    scim.post("/scim/v2/Users", ENTRA_CREATE)
    found = scim.get("/scim/v2/Users", {"filter": f'externalId eq "{ENTRA_CREATE["externalId"]}"'})
    assert found.json()["totalResults"] == 1


def test_an_unsupported_filter_is_an_invalid_filter_error(scim):
    response = scim.get("/scim/v2/Users", {"filter": 'userName co "okta"'})
    assert response.status_code == 400
    assert response.json()["scimType"] == "invalidFilter"


def test_start_index_and_count_page_through_users(scim):
    people = UserFactory.create_batch(5)
    page = scim.get("/scim/v2/Users", {"startIndex": 2, "count": 2}).json()
    assert (page["totalResults"], page["startIndex"], page["itemsPerPage"]) == (5, 2, 2)
    ids = sorted(p.pk for p in people)
    assert [r["id"] for r in page["Resources"]] == [str(ids[1]), str(ids[2])]


def test_get_one_user_and_404_in_scim_format(scim):
    person = UserFactory()
    assert scim.get(f"/scim/v2/Users/{person.pk}").json()["id"] == str(person.pk)
    missing = scim.get("/scim/v2/Users/999999")
    assert missing.status_code == 404
    assert missing.json()["status"] == "404"


def test_okta_deactivates_with_a_path_less_replace(scim):
    person = UserFactory()
    session = SessionStore()
    session["_auth_user_id"] = str(person.pk)
    session.create()
    body = {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}
    response = scim.patch(f"/scim/v2/Users/{person.pk}", body)
    assert response.status_code == 200
    assert response.json()["active"] is False
    person.refresh_from_db()
    assert person.is_active is False
    assert person.end_date is not None
    assert not SessionStore().exists(session.session_key)


def test_entra_deactivates_with_a_string_false(scim):
    person = UserFactory()
    body = {
        "schemas": [PATCH],
        "Operations": [{"op": "Replace", "path": "active", "value": "False"}],
    }
    assert scim.patch(f"/scim/v2/Users/{person.pk}", body).status_code == 200
    person.refresh_from_db()
    assert person.is_active is False
    again = {"schemas": [PATCH], "Operations": [{"op": "Replace", "value": {"active": "True"}}]}
    assert scim.patch(f"/scim/v2/Users/{person.pk}", again).json()["active"] is True


def test_entra_patches_email_name_and_manager(scim):
    manager = UserFactory()
    person = UserFactory(name="Old Name")
    body = {
        "schemas": [PATCH],
        "Operations": [
            {
                "op": "Replace",
                "path": 'emails[type eq "work"].value',
                "value": "updated@microsoft.com",
            },
            {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(manager.pk)},
            {"op": "Add", "path": "externalId", "value": "ext-1"},
        ],
    }
    response = scim.patch(f"/scim/v2/Users/{person.pk}", body)
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert person.email == "updated@microsoft.com"
    assert person.name == "Old updatedFamilyName"
    assert person.manager == manager
    assert response.json()["externalId"] == "ext-1"


def test_a_patch_that_changes_nothing_writes_nothing(scim):
    person = UserFactory(title="Engineer")
    before = person.history.count()
    body = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "title", "value": "Engineer"}],
    }
    scim.patch(f"/scim/v2/Users/{person.pk}", body)
    assert person.history.count() == before


def test_put_replaces_the_user(scim):
    created = scim.post("/scim/v2/Users", OKTA_CREATE).json()
    replaced = {
        **OKTA_CREATE,
        "name": {"givenName": "Renamed", "familyName": "User"},
        "displayName": None,
    }
    replaced.pop("displayName")
    response = scim.put(f"/scim/v2/Users/{created['id']}", replaced)
    assert response.status_code == 200, response.json()
    assert User.objects.get(pk=created["id"]).name == "Renamed User"


def test_delete_makes_the_person_leave_and_keeps_the_row(scim):
    person = UserFactory()
    assert scim.delete(f"/scim/v2/Users/{person.pk}").status_code == 204
    person.refresh_from_db()
    assert person.is_active is False


def test_a_create_costs_a_constant_number_of_queries(scim):
    def create(n: int) -> int:
        body = {**OKTA_CREATE, "userName": f"u{n}@okta.local", "externalId": f"x{n}"}
        body["emails"] = [{"primary": True, "value": f"u{n}@okta.local", "type": "work"}]
        with CaptureQueriesContext(connection) as queries:
            assert scim.post("/scim/v2/Users", body).status_code == 201
        return len(queries)

    create(0)
    UserFactory.create_batch(20)
    assert create(1) == create(2)


# --- Groups ----------------------------------------------------------------------


def test_okta_creates_a_group_and_adds_and_removes_members(scim):
    ada, bo = UserFactory(team=None), UserFactory(team=None)
    created = scim.post(
        "/scim/v2/Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Payments",
            "members": [],
        },
    )
    assert created.status_code == 201, created.json()
    group = created.json()["id"]
    add = {
        "schemas": [PATCH],
        "Operations": [
            {
                "op": "add",
                "path": "members",
                "value": [{"value": str(ada.pk), "display": ada.email}, {"value": str(bo.pk)}],
            }
        ],
    }
    assert scim.patch(f"/scim/v2/Groups/{group}", add).status_code == 204
    team = Team.objects.get(name="Payments")
    assert set(team.members.all()) == {ada, bo}
    remove = {
        "schemas": [PATCH],
        "Operations": [{"op": "remove", "path": f'members[value eq "{ada.pk}"]'}],
    }
    assert scim.patch(f"/scim/v2/Groups/{group}", remove).status_code == 204
    assert list(team.members.all()) == [bo]
    members = scim.get(f"/scim/v2/Groups/{group}").json()["members"]
    assert members == [{"value": str(bo.pk), "display": bo.email, "type": "User"}]


def test_entra_removes_members_with_a_value_list_and_renames(scim):
    team = TeamFactory(name="Search")
    ada = UserFactory(team=team)
    body = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "Remove", "path": "members", "value": [{"value": str(ada.pk)}]},
            {"op": "Replace", "path": "displayName", "value": "Search & Discovery"},
        ],
    }
    assert scim.patch(f"/scim/v2/Groups/{team.pk}", body).status_code == 204
    ada.refresh_from_db()
    team.refresh_from_db()
    assert ada.team is None
    assert team.name == "Search & Discovery"


def test_groups_filter_by_display_name_without_members(scim):
    TeamFactory(name="Payments")
    TeamFactory(name="Search")
    found = scim.get(
        "/scim/v2/Groups", {"filter": 'displayName eq "payments"', "excludedAttributes": "members"}
    ).json()
    assert found["totalResults"] == 1
    assert "members" not in found["Resources"][0]


def test_discovery_endpoints(scim):
    config = scim.get("/scim/v2/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["filter"]["supported"] is True
    types = scim.get("/scim/v2/ResourceTypes").json()
    assert {t["id"] for t in types["Resources"]} == {"User", "Group"}
    schemas = scim.get("/scim/v2/Schemas").json()
    assert "urn:ietf:params:scim:schemas:core:2.0:User" in {s["id"] for s in schemas["Resources"]}
    one = scim.get("/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")
    assert one.json()["name"] == "Group"


def test_okta_renames_a_group_with_a_path_less_replace_and_puts_members(scim):
    team = TeamFactory(name="Web")
    ada, bo = UserFactory(team=team), UserFactory(team=None)
    rename = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "replace", "value": {"id": str(team.pk), "displayName": "Web Platform"}}
        ],
    }
    assert scim.patch(f"/scim/v2/Groups/{team.pk}", rename).status_code == 204
    put = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": str(team.pk),
        "displayName": "Web Platform",
        "members": [{"value": str(bo.pk), "display": bo.email}],
    }
    response = scim.put(f"/scim/v2/Groups/{team.pk}", put)
    assert response.status_code == 200
    assert [m["value"] for m in response.json()["members"]] == [str(bo.pk)]
    ada.refresh_from_db()
    assert ada.team is None
    team.refresh_from_db()
    assert team.name == "Web Platform"


def test_entra_checks_membership_with_an_and_filter(scim):
    team = TeamFactory(name="Data")
    ada, bo = UserFactory(team=team), UserFactory(team=None)
    query = f'id eq "{team.pk}" and members eq "{ada.pk}"'
    assert (
        scim.get("/scim/v2/Groups", {"filter": query, "excludedAttributes": "members"}).json()[
            "totalResults"
        ]
        == 1
    )
    query = f'id eq "{team.pk}" and members eq "{bo.pk}"'
    assert scim.get("/scim/v2/Groups", {"filter": query}).json()["totalResults"] == 0


def test_deleting_a_group_empties_the_team_and_keeps_it(scim):
    team = TeamFactory(name="Ops")
    ada = UserFactory(team=team)
    assert scim.delete(f"/scim/v2/Groups/{team.pk}").status_code == 204
    ada.refresh_from_db()
    assert ada.team is None
    assert Team.objects.filter(pk=team.pk).exists()
