"""People pages: what each role sees, what answers 404, and query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pages import get, main
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def results(response) -> str:
    """The rows of the page's table, without the filter form's options."""
    body = main(response)
    return body[body.index("<tbody>") : body.index("</tbody>")] if "<tbody>" in body else ""


def nav(response) -> str:
    body = response.content.decode()
    return body[body.index('<nav class="main-nav"') : body.index("</nav>")]


# --- every page needs a signed-in person ------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("home", []),
        ("people:person_list", []),
        ("people:my_team", []),
        ("people:team_list", []),
    ],
)
def test_it_sends_anonymous_visitors_to_sign_in(client, org, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_sends_anonymous_visitors_to_sign_in_from_a_person_page(client, org):
    for name in ("people:person_detail", "people:person_reports"):
        response = client.get(reverse(name, args=[org.manager.pk]))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_it_sends_anonymous_visitors_to_sign_in_from_a_team_page(client, org):
    response = client.get(reverse("people:team_detail", args=[org.payments.pk]))
    assert response.status_code == 302


# --- the person page: public profile for colleagues, details for the chain --------

PRIVATE_MARK = "Start date"


@pytest.mark.parametrize(
    "role,sees_details",
    [
        ("engineer", True),  # the person
        ("manager", True),  # their manager
        ("director", True),  # skip-level manager
        ("cto", True),  # top of the chain
        ("hr", True),  # the people team
        ("peer", False),  # a colleague elsewhere
        ("other_manager", False),  # a manager outside the chain
    ],
)
def test_it_shows_a_person_page_with_details_only_to_the_chain(client, org, role, sees_details):
    response = get(
        client, getattr(org, role), reverse("people:person_detail", args=[org.engineer.pk])
    )
    assert response.status_code == 200
    assert org.engineer.name in main(response)
    assert (PRIVATE_MARK in main(response)) is sees_details


def test_it_shows_the_reporting_line_from_the_top(client, org):
    body = main(get(client, org.engineer, reverse("people:person_detail", args=[org.engineer.pk])))
    positions = [body.index(p.name) for p in (org.cto, org.director, org.manager)]
    assert positions == sorted(positions)


def test_it_answers_404_for_someone_who_left_except_to_the_people_team(client, org):
    org.peer.is_active = False
    org.peer.save()
    url = reverse("people:person_detail", args=[org.peer.pk])
    assert get(client, org.engineer, url).status_code == 404
    client.logout()
    assert get(client, org.hr, url).status_code == 200


def test_it_answers_404_for_a_person_that_does_not_exist(client, org):
    assert (
        get(client, org.engineer, reverse("people:person_detail", args=[99999])).status_code == 404
    )


# --- everyone under a manager: the manager, their chain and the people team -------


@pytest.mark.parametrize(
    "role,status",
    [
        ("manager", 200),
        ("director", 200),
        ("cto", 200),
        ("hr", 200),
        ("engineer", 404),
        ("peer", 404),
        ("other_manager", 404),
    ],
)
def test_it_shows_a_managers_whole_team_only_to_the_chain(client, org, role, status):
    response = get(
        client, getattr(org, role), reverse("people:person_reports", args=[org.manager.pk])
    )
    assert response.status_code == status
    if status == 200:
        body = main(response)
        assert org.engineer.name in body and org.peer.name not in body


def test_it_shows_my_team_all_the_way_down(client, org):
    body = main(get(client, org.director, reverse("people:my_team")))
    for person in (org.manager, org.other_manager, org.engineer, org.peer):
        assert person.name in body
    assert org.cto.name not in body


def test_it_explains_an_empty_team_to_someone_without_reports(client, org):
    body = main(get(client, org.engineer, reverse("people:my_team")))
    assert "You have no reports" in body


# --- navigation fits the role ------------------------------------------------------


def test_it_offers_my_team_to_managers_and_the_admin_to_the_people_team(client, org):
    links = nav(get(client, org.manager, reverse("home")))
    assert reverse("people:my_team") in links and reverse("admin:index") not in links
    client.logout()
    links = nav(get(client, org.engineer, reverse("home")))
    assert reverse("people:my_team") not in links and reverse("admin:index") not in links
    client.logout()
    links = nav(get(client, org.hr, reverse("home")))
    assert reverse("admin:index") in links


# --- directory -----------------------------------------------------------------------


def test_it_filters_the_directory_by_free_text_team_manager_and_title(client, org):
    url = reverse("people:person_list")
    client.force_login(org.engineer)
    body = results(client.get(url, {"q": "pia"}))
    assert org.peer.name in body and org.manager.name not in body
    body = results(client.get(url, {"team": org.search.pk}))
    assert org.peer.name in body and org.engineer.name not in body
    body = results(client.get(url, {"manager": org.manager.pk}))
    assert org.engineer.name in body and org.peer.name not in body
    body = results(client.get(url, {"title": "director"}))
    assert org.director.name in body and org.engineer.name not in body


def test_it_says_when_nobody_matches(client, org):
    client.force_login(org.engineer)
    body = main(client.get(reverse("people:person_list"), {"q": "zzzz-nobody"}))
    assert "Nobody matches these filters" in body


def test_it_paginates_the_directory_keeping_the_filters(client, org):
    team = TeamFactory(name="Big")
    UserFactory.create_batch(30, team=team)
    client.force_login(org.engineer)
    body = main(client.get(reverse("people:person_list"), {"team": team.pk}))
    assert "Page 1 of 2" in body
    assert f"team={team.pk}" in body and "page=2" in body


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_makes_the_same_number_of_queries_for_3_and_30_people_in_the_directory(client, org):
    team = TeamFactory(name="Growing")
    manager = UserFactory(team=team)
    client.force_login(org.engineer)
    url = reverse("people:person_list") + f"?team={team.pk}"
    UserFactory.create_batch(2, team=team, manager=manager)
    few = _queries(client, url)
    UserFactory.create_batch(27, team=team, manager=manager)
    many = _queries(client, url)
    assert few == many


def test_it_makes_the_same_number_of_queries_for_3_and_30_reports_on_my_team(client, org):
    boss = UserFactory()
    sub = UserFactory(manager=boss)
    client.force_login(boss)
    url = reverse("people:my_team")
    UserFactory.create_batch(2, manager=sub)
    few = _queries(client, url)
    UserFactory.create_batch(14, manager=sub)
    UserFactory.create_batch(13, manager=boss)
    many = _queries(client, url)
    assert few == many


# --- teams -----------------------------------------------------------------------------


def test_it_lists_teams_and_their_members(client, org):
    client.force_login(org.peer)
    body = main(client.get(reverse("people:team_list")))
    assert "Payments" in body and "Search" in body
    body = main(client.get(reverse("people:team_detail", args=[org.payments.pk])))
    assert org.engineer.name in body and org.peer.name not in body


def test_it_answers_404_for_a_team_that_does_not_exist(client, org):
    assert get(client, org.peer, reverse("people:team_detail", args=[9999])).status_code == 404
