"""The OpenAPI schema validates with drf-spectacular's own check, and the
schema and docs are for tokens and the people team only."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_with_no_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yaml"))
    text = (tmp_path / "s.yaml").read_text()
    assert "/api/v1/people/bulk/" in text
    assert "bearerToken" in text


def test_the_schema_is_served_to_a_token_and_the_people_team(reader, client, people_team_member):
    assert reader.get("/api/schema/").status_code == 200
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(people_team_member)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "cdn" not in docs.content.decode().lower()
