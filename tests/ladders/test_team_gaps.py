"""The team heat map for someone with many people below them: a row per team
with the share below their level per competency, a drill-down into one team,
and what both cost."""

import pytest
from django.urls import reverse

from ladders.selectors.team_gaps import team_gap_summary
from tests.ladders.factories import PlacementFactory, published_ladder
from tests.ladders.test_ladder_views import _queries, finalised, level, main
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(db):
    return published_ladder()


@pytest.fixture
def grouped(monkeypatch):
    """Any team counts as large: the page groups by team from the third person."""
    monkeypatch.setattr("ladders.views.ladder.PERSON_GRID_LIMIT", 2)


def add_person(boss, ladder, team, ratings=None, manager=None):
    person = UserFactory(manager=manager or boss, team=team)
    PlacementFactory(person=person, level=level(ladder, "L2"))
    if ratings:
        finalised(person, boss, level(ladder, "L2"), ratings)
    return person


@pytest.fixture
def two_teams(ladder):
    """A boss with Alpha (3 assessed, 1 not) and Beta (2 assessed), and one
    person without a team, some of them two levels down."""
    boss = UserFactory(name="Bea Boss")
    alpha, beta = TeamFactory(name="Alpha"), TeamFactory(name="Beta")
    lead = add_person(boss, ladder, alpha, {"code": 2, "design": 3, "people": 4})
    add_person(boss, ladder, alpha, {"code": 1, "design": 3, "people": 3}, manager=lead)
    add_person(boss, ladder, alpha, {"code": 3, "design": 3, "people": 1}, manager=lead)
    add_person(boss, ladder, alpha)
    add_person(boss, ladder, beta, {"code": 4, "design": 2, "people": 4})
    add_person(boss, ladder, beta, {"code": 3, "design": 1, "people": 4}, manager=lead)
    add_person(boss, ladder, None, {"code": 1, "design": 1, "people": 1})
    return boss, alpha, beta


def test_it_counts_people_below_their_level_per_team_and_competency(two_teams):
    boss, _, _ = two_teams
    summary = team_gap_summary(manager=boss)
    assert [c.code for c in summary.competencies] == ["code", "design", "people"]
    rows = {row.name: row for row in summary.rows}
    assert list(rows) == ["Alpha", "Beta", "No team"]  # teams by name, nobody's team last
    assert (rows["Alpha"].people, rows["Alpha"].assessed) == (4, 3)
    assert rows["Alpha"].below == [2, 0, 1] and rows["Alpha"].rated == [3, 3, 3]
    assert [share for share, _, _ in rows["Alpha"].cells] == [67, 0, 33]
    assert rows["Beta"].below == [0, 2, 0]
    assert rows["No team"].key == "none" and rows["No team"].below == [1, 1, 1]
    assert summary.overall.people == 7 and summary.overall.below == [3, 3, 2]


def test_it_uses_only_the_latest_finalised_assessment(two_teams, ladder):
    boss, alpha, _ = two_teams
    person = add_person(boss, ladder, alpha, {"code": 1, "design": 1, "people": 1})
    finalised(person, boss, level(ladder, "L2"), {"code": 4, "design": 4, "people": 4}, days_ago=1)
    row = next(r for r in team_gap_summary(manager=boss).rows if r.name == "Alpha")
    assert row.below == [2, 0, 1] and row.rated == [4, 4, 4]


def test_it_shows_a_row_per_team_with_a_link_into_each(client, two_teams, grouped):
    boss, alpha, _ = two_teams
    client.force_login(boss)
    body = main(client.get(reverse("ladders:team_gaps")))
    assert "7 people in 3 teams, 6 with a finalised assessment" in body
    assert f'href="?team={alpha.pk}">Alpha</a>' in body and 'href="?team=none">No team' in body
    assert ">67%<" in body and "(2 of 3)" in body


def test_it_keeps_the_person_grid_for_a_small_team(client, two_teams):
    boss, _, _ = two_teams
    client.force_login(boss)
    body = main(client.get(reverse("ladders:team_gaps")))
    assert "People by competency" in body and "?team=" not in body


def test_it_drills_down_into_one_team_with_its_own_totals(client, two_teams, grouped):
    boss, alpha, beta = two_teams
    client.force_login(boss)
    body = main(client.get(reverse("ladders:team_gaps"), {"team": alpha.pk}))
    for person in alpha.members.all():
        assert person.name in body
    assert "Alpha: where my people are thin" in body
    assert "4 people in this team under you, 3 with a finalised assessment" in body
    for person in beta.members.all():
        assert person.name not in body
    assert "← All teams under me" in body


def test_it_drills_down_into_people_without_a_team(client, two_teams, grouped):
    boss, _, _ = two_teams
    client.force_login(boss)
    body = main(client.get(reverse("ladders:team_gaps"), {"team": "none"}))
    loner = boss.reports.get(team=None)
    assert loner.name in body and "1 person in this team" in body


def test_it_paginates_a_large_team_keeping_the_team(client, ladder, grouped, monkeypatch):
    monkeypatch.setattr("ladders.views.ladder.DRILL_DOWN_PAGE_SIZE", 2)
    boss, team = UserFactory(), TeamFactory(name="Gamma")
    for _ in range(5):
        add_person(boss, ladder, team, {"code": 2, "design": 3, "people": 3})
    client.force_login(boss)
    body = main(client.get(reverse("ladders:team_gaps"), {"team": team.pk}))
    assert "Page 1 of 3" in body and f"team={team.pk}&amp;page=2" in body
    assert ">5<" in body  # the footer counts the whole team, not the page


@pytest.mark.parametrize("key", ["abc", "-1", "99999", "none"])
def test_it_answers_404_for_a_team_with_nobody_under_the_manager(client, ladder, key, grouped):
    boss = UserFactory()
    add_person(boss, ladder, TeamFactory(name="Delta"), {"code": 3, "design": 3, "people": 3})
    client.force_login(boss)
    assert client.get(reverse("ladders:team_gaps"), {"team": key}).status_code == 404


@pytest.mark.parametrize(
    "role,status", [("manager", 200), ("director", 200), ("hr", 200), ("peer", 404)]
)
def test_it_shows_a_managers_team_drill_down_only_to_the_chain_and_hr(client, org, role, status):
    published_ladder()
    client.force_login(getattr(org, role))
    url = reverse("ladders:person_team_gaps", args=[org.manager.pk])
    assert client.get(url, {"team": org.payments.pk}).status_code == status


def test_it_builds_the_team_rows_in_the_same_queries_for_3_and_30_teams(client, ladder, grouped):
    boss = UserFactory()
    client.force_login(boss)

    def add_teams(count):
        for _ in range(count):
            team = TeamFactory()
            add_person(boss, ladder, team, {"code": 3, "design": 2, "people": 4})
            add_person(boss, ladder, team)

    add_teams(3)
    few = _queries(client, reverse("ladders:team_gaps"))
    add_teams(27)
    many = _queries(client, reverse("ladders:team_gaps"))
    assert few == many


def test_it_drills_down_in_the_same_queries_for_3_and_30_people(client, ladder, grouped):
    boss, team = UserFactory(), TeamFactory(name="Epsilon")
    client.force_login(boss)
    url = reverse("ladders:team_gaps") + f"?team={team.pk}"
    for _ in range(3):
        add_person(boss, ladder, team, {"code": 3, "design": 2, "people": 4})
    few = _queries(client, url)
    for _ in range(27):
        add_person(boss, ladder, team, {"code": 3, "design": 2, "people": 4})
    many = _queries(client, url)
    assert few == many
