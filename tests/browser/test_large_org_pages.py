"""Pages built for a large organisation, in Chromium: the team heat map grouped
by team with a drill-down into one team, the searchable list of everyone
under a manager, and the match review's search and swap pickers."""

import pytest
from playwright.sync_api import expect

from mentorship.models import MatchRun, Role, RotationCycle
from mentorship.services.matching_run import match_run_execute
from tests.browser.conftest import sign_in
from tests.ladders.factories import PlacementFactory, published_ladder
from tests.ladders.test_ladder_views import finalised
from tests.mentorship.factories import RotationCycleFactory, signed_up
from tests.people.factories import PeopleTeamFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def big_boss(monkeypatch):
    """A manager over two teams; any team counts as large (grouped by team)."""
    monkeypatch.setattr("ladders.views.ladder.PERSON_GRID_LIMIT", 2)
    revision = published_ladder()
    l2 = revision.levels.get(code="L2")
    boss = UserFactory(name="Bea Boss", team=None)
    lead = UserFactory(name="Lee Lead", manager=boss, team=TeamFactory(name="Alpha"))
    people = [
        ("Ann Alpha", "Alpha", {"code": 1, "design": 3, "people": 3}),
        ("Abe Alpha", "Alpha", {"code": 3, "design": 3, "people": 3}),
        ("Bo Beta", "Beta", {"code": 4, "design": 2, "people": 4}),
    ]
    for name, team, ratings in people:
        person = UserFactory(name=name, manager=lead, team=TeamFactory(name=team))
        PlacementFactory(person=person, level=l2)
        finalised(person, lead, l2, ratings)
    PlacementFactory(person=lead, level=l2)
    return boss


def test_a_manager_drills_down_from_teams_to_people_and_back(page, big_boss):
    sign_in(page, big_boss)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My team").click()
    page.get_by_role("link", name="Where the team is thin (ladder gaps)").click()

    table = page.get_by_role("table", name="Teams by competency")
    alpha = table.get_by_role("row").filter(has=page.get_by_role("link", name="Alpha"))
    expect(alpha).to_contain_text("50%")  # Ann of Ann and Abe rated below on Code
    expect(table.get_by_role("row").filter(has_text="Bo Beta")).to_have_count(0)

    alpha.get_by_role("link", name="Alpha").click()
    expect(page.get_by_role("heading", name="Alpha: where my people are thin")).to_be_visible()
    people = page.get_by_role("table", name="People in Alpha by competency")
    for name in ("Ann Alpha", "Abe Alpha", "Lee Lead"):
        expect(people.get_by_role("link", name=name)).to_be_visible()
    expect(people.get_by_role("link", name="Bo Beta")).to_have_count(0)

    page.get_by_role("link", name="← All teams under me").click()
    expect(page.get_by_role("table", name="Teams by competency")).to_be_visible()


def test_a_manager_searches_everyone_under_them(page, big_boss):
    sign_in(page, big_boss)
    page.goto("/my-team/")
    expect(page.get_by_text("1 direct report, 3 further down.")).to_be_visible()
    page.get_by_label("Search by name, email, title or team").fill("beta")
    page.get_by_role("button", name="Search").click()
    found = page.get_by_role("region", name="Everyone under you")
    expect(found.get_by_role("link", name="Bo Beta")).to_be_visible()
    expect(found.get_by_role("link", name="Ann Alpha")).to_have_count(0)
    expect(page.get_by_text("1 of 4 match “beta”.")).to_be_visible()


@pytest.fixture
def in_review():
    """Two mentors and two mentees who can be paired either way, matched."""
    revision = published_ladder(competencies=("design", "testing", "people"))
    cycle = RotationCycleFactory(
        ladder=revision.ladder, status=RotationCycle.Status.MATCHING, name="Winter 2026"
    )
    for name, team, role, goals in [
        ("Mara Mentor", "Search", Role.MENTOR, ("design",)),
        ("Milo Mentor", "Identity", Role.MENTOR, ("design", "testing")),
        ("Tess Mentee", "Payments", Role.MENTEE, ("design", "testing")),
        ("Theo Mentee", "Billing", Role.MENTEE, ("design",)),
    ]:
        person = UserFactory(name=name, team=TeamFactory(name=team))
        level = "L4" if role == Role.MENTOR else "L2"
        signed_up(cycle, revision, role=role, level=level, goals=goals, person=person)
    run = MatchRun.objects.create(cycle=cycle)
    match_run_execute(match_run_id=run.pk)
    return cycle, run


def test_the_people_team_searches_the_review_and_swaps_with_the_pickers(page, in_review):
    cycle, run = in_review
    before = {p.mentee.person.name: p.mentor.person.name for p in run.pairings.all()}
    sign_in(page, PeopleTeamFactory(name="Harriet Ross"))
    page.goto(f"/admin/mentorship/rotationcycle/{cycle.pk}/review/")
    expect(page.get_by_role("heading", name="Pairings (2)")).to_be_visible()

    # The search narrows the pairings to one person's.
    page.get_by_label("Find people in this run").fill("tess")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="Pairings (1 of 2 match “tess”)")).to_be_visible()

    # A row's "Swap…" fills the first picker; the second lists matches as one types.
    page.get_by_role("link", name="Swap the mentor of Tess Mentee").click()
    first = page.get_by_label("First pairing")
    expect(first).to_have_value(f"{before['Tess Mentee']} with Tess Mentee (#{_pk(run, 'Tess')})")
    second = page.get_by_label("Second pairing")
    second.press_sequentially("theo")
    offered = page.locator("#pairing_b-choices option")
    expect(offered).to_have_count(1)
    label = offered.first.get_attribute("value")
    assert label == f"{before['Theo Mentee']} with Theo Mentee (#{_pk(run, 'Theo')})"
    second.fill(label)  # what choosing the entry from the list does
    page.get_by_role("button", name="Swap the mentors").click()

    expect(page.locator(".messagelist")).to_contain_text("Swapped the mentors of Tess Mentee")
    after = {p.mentee.person.name: p.mentor.person.name for p in run.pairings.all()}
    assert after == {"Tess Mentee": before["Theo Mentee"], "Theo Mentee": before["Tess Mentee"]}
    expect(page.get_by_label("Find people in this run")).to_have_value("tess")  # same page


def _pk(run, mentee_name: str) -> int:
    return run.pairings.get(mentee__person__name__startswith=mentee_name).pk
