"""Every read endpoint: what a read token sees, what others get, and a list
that costs the same queries for 3 rows as for 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import TokenClient
from tests.ladders.factories import (
    PlacementFactory,
    StretchAssignmentFactory,
    published_ladder,
)
from tests.mentorship.factories import PublishedPairingFactory, SignUpFactory
from tests.onboarding.factories import PlanTaskFactory
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def _ladder(n):
    return published_ladder(slug=f"ladder-{n}-{UserFactory().pk}")


def _stretch(n):
    assignment = StretchAssignmentFactory()
    assignment.participations.create(person=UserFactory())
    return assignment


def _plan(n):
    task = PlanTaskFactory()
    PlanTaskFactory(plan=task.plan, status="done")
    return task.plan


MAKERS = {
    "/api/v1/teams/": lambda n: UserFactory(team=TeamFactory()),
    "/api/v1/ladders/": _ladder,
    "/api/v1/placements/": lambda n: PlacementFactory(),
    "/api/v1/stretch-assignments/": _stretch,
    "/api/v1/rotation-cycles/": lambda n: SignUpFactory().cycle,
    "/api/v1/signups/": lambda n: SignUpFactory(),
    "/api/v1/pairings/": lambda n: PublishedPairingFactory(),
    "/api/v1/onboarding-plans/": _plan,
}


@pytest.mark.parametrize("path", MAKERS)
def test_a_list_costs_the_same_queries_for_3_and_30_rows(reader, path):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = reader.get(path, {"page_size": 100})
            assert response.status_code == 200, response.json()
        return len(queries)

    count()
    for n in range(3):
        MAKERS[path](n)
    three = count()
    for n in range(27):
        MAKERS[path](n + 3)
    assert count() == three
    assert len(reader.get(path, {"page_size": 100}).json()["results"]) >= 30


@pytest.mark.parametrize("path", MAKERS)
def test_no_token_is_401_and_a_scim_token_is_403(token_client, path):
    assert TokenClient(None).get(path).status_code == 401
    assert token_client("scim").get(path).status_code == 403


def test_read_endpoints_refuse_writes(writer):
    assert writer.post("/api/v1/teams/", {"name": "X"}).status_code == 405


def test_a_ladder_shows_levels_expectations_and_competencies(reader):
    published_ladder(slug="engineering")
    (ladder,) = reader.get("/api/v1/ladders/").json()["results"]
    assert ladder["slug"] == "engineering"
    assert [level["code"] for level in ladder["levels"]] == ["L1", "L2", "L3", "L4"]
    assert {e["competency"] for e in ladder["levels"][0]["expectations"]} == {
        "code",
        "design",
        "people",
    }
    assert len(ladder["competencies"]) == 3


def test_onboarding_plans_show_progress(reader):
    plan = _plan(0)
    (row,) = reader.get("/api/v1/onboarding-plans/").json()["results"]
    assert row["id"] == plan.pk
    assert (row["tasks_total"], row["tasks_done"], row["progress"]) == (2, 1, 50)


def test_only_published_pairings_are_listed(reader):
    from tests.mentorship.factories import PairingFactory

    PairingFactory()
    published = PublishedPairingFactory()
    rows = reader.get("/api/v1/pairings/").json()["results"]
    assert [r["id"] for r in rows] == [published.pk]
