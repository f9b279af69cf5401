"""API tokens: the command, the admin, and how requests with a bad, revoked,
missing or out-of-scope token are answered."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from api.models import ApiToken
from api.services import token_create, token_revoke
from tests.api.conftest import TokenClient
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_token_last_and_it_works():
    output = run("create", "HR sync", "--scope", "read,write")
    secret = output.strip().splitlines()[-1]
    token = ApiToken.objects.get(name="HR sync")
    assert token.scopes == ["read", "write"]
    assert secret not in (token.secret_hash, token.prefix)  # stored hashed
    assert TokenClient(secret).get("/api/v1/people/").status_code == 200
    assert "HR sync\tread,write\tactive\tlast used" in run("list")


def test_the_command_revokes_by_name_and_refuses_unknown_scopes():
    secret = run("create", "Okta", "--scope", "scim").strip().splitlines()[-1]
    assert "Revoked Okta" in run("revoke", "Okta")
    response = TokenClient(secret).get("/scim/v2/Users")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]
    with pytest.raises(CommandError, match="not admin"):
        run("create", "Bad", "--scope", "read,admin")
    with pytest.raises(CommandError, match="No token named"):
        run("revoke", "Nobody")


@pytest.mark.parametrize(
    ("scopes", "method", "expected"),
    [
        ((), "get", 401),
        (("read",), "get", 200),
        (("write",), "get", 403),
        (("scim",), "get", 403),
        (("read",), "post", 403),
        (("read", "write"), "post", 400),  # allowed: refused only for its empty body
    ],
)
def test_each_scope_on_the_rest_api(scopes, method, expected):
    secret = token_create(name="t", scopes=list(scopes))[1] if scopes else None
    client = TokenClient(secret)
    response = getattr(client, method)("/api/v1/people/", {} if method == "post" else None)
    assert response.status_code == expected
    body = response.json()
    if expected == 200:
        assert "results" in body
    else:
        assert body["status"] == expected
        assert body["message"]


def test_a_wrong_or_revoked_token_is_401_with_a_json_error():
    token, secret = token_create(name="t", scopes=["read"])
    assert TokenClient(secret[:-2] + "xx").get("/api/v1/people/").status_code == 401
    token_revoke(token=token)
    response = TokenClient(secret).get("/api/v1/people/")
    assert response.status_code == 401
    assert response.json()["message"] == "This token has been revoked."
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_records_when_it_was_last_used():
    token, secret = token_create(name="t", scopes=["read"])
    TokenClient(secret).get("/api/v1/people/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_tokens_are_throttled_each_on_its_own(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_token": "2/min"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    api_settings.reload()
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        busy = TokenClient(token_create(name="busy", scopes=["read"])[1])
        other = TokenClient(token_create(name="other", scopes=["read"])[1])
        assert [busy.get("/api/v1/teams/").status_code for _ in range(3)] == [200, 200, 429]
        assert busy.get("/api/v1/teams/").json()["code"] == "throttled"
        assert other.get("/api/v1/teams/").status_code == 200
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK}
        api_settings.reload()
        SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


# --- the admin ----------------------------------------------------------------------


def test_the_people_team_creates_a_token_in_the_admin_and_sees_it_once(client, people_team_member):
    client.force_login(people_team_member)
    response = client.post(
        "/admin/api/apitoken/add/", {"name": "Entra", "scopes": ["scim"]}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Entra")
    assert token.created_by == people_team_member
    shown = [str(m) for m in response.context["messages"] if "grw_" in str(m)]
    assert len(shown) == 1
    secret = shown[0].split("is ", 1)[1].split(" ")[0]
    assert TokenClient(secret).get("/scim/v2/Users").status_code == 200
    listing = client.get("/admin/api/apitoken/")
    assert "Last used at" in listing.content.decode()
    assert secret not in listing.content.decode()


def test_the_people_team_revokes_from_the_admin(client, people_team_member):
    client.force_login(people_team_member)
    token, _ = token_create(name="Old", scopes=["read"])
    client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_staff_outside_the_people_team_cannot_see_tokens(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/api/apitoken/").status_code == 403
