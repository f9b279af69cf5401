"""Everyone under a manager, at any size: direct reports first, then everyone
below searched and a page at a time, in the same queries for 3 or 30."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people import views
from tests.pages import main
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(db):
    boss = UserFactory(name="Bea Boss")
    lead = UserFactory(name="Lee Lead", manager=boss, team=TeamFactory(name="Alpha"))
    UserFactory(name="Ann Alpha", manager=lead, team=TeamFactory(name="Alpha"))
    UserFactory(name="Bo Beta", manager=lead, title="Designer", team=TeamFactory(name="Beta"))
    return boss


def test_it_searches_everyone_below_by_name_title_or_team(client, boss):
    client.force_login(boss)
    url = reverse("people:my_team")
    body = main(client.get(url, {"q": "beta"}))
    assert "Bo Beta" in body and "Ann Alpha" not in body and "1 of 3 match" in body
    body = main(client.get(url, {"q": "designer"}))
    assert "Bo Beta" in body and "Ann Alpha" not in body
    body = main(client.get(url, {"q": "nobody-here"}))
    assert "Nobody under you matches" in body


def test_it_pages_everyone_below_keeping_the_search(client, boss, monkeypatch):
    monkeypatch.setattr(views, "TEAM_PAGE_SIZE", 2)
    for k in range(4):
        UserFactory(name=f"Alpha Person {k}", manager=boss, team=TeamFactory(name="Alpha"))
    client.force_login(boss)
    body = main(client.get(reverse("people:my_team"), {"q": "alpha"}))
    assert "Page 1 of 3" in body and "q=alpha&amp;page=2" in body


def test_it_shows_some_direct_reports_and_says_how_many_more(client, boss, monkeypatch):
    monkeypatch.setattr(views, "DIRECT_SHOWN", 1)
    UserFactory(name="Zed Direct", manager=boss)
    client.force_login(boss)
    body = main(client.get(reverse("people:my_team")))
    assert "2 direct reports, 2 further down." in body
    assert "And 1 more: search for them below." in body


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_searches_in_the_same_queries_for_3_and_30_people(client, boss):
    client.force_login(boss)
    url = reverse("people:my_team") + "?q=person"
    UserFactory.create_batch(3, name="A person", manager=boss)
    few = _queries(client, url)
    UserFactory.create_batch(27, name="A person", manager=boss)
    many = _queries(client, url)
    assert few == many
