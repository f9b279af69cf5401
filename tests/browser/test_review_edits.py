"""The people team's review edits survive a re-run, in Chromium with a real
Celery worker on Redis (issue 9): a removed pair is not proposed again, a swap
and a pair made by hand are kept, and the page says so."""

import re

import pytest
from playwright.sync_api import expect

from mentorship.models import MatchRun, Role, RotationCycle
from mentorship.services.matching_run import match_run_execute, match_run_start
from tests.browser.conftest import sign_in
from tests.browser.test_mentorship_journeys import reload_until_visible
from tests.ladders.factories import published_ladder
from tests.mentorship.factories import PreferenceFactory, RotationCycleFactory, signed_up
from tests.people.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.usefixtures("transactional_db")]


def person(name, team):
    email = name.lower().replace(" ", ".") + "@example.com"
    return UserFactory(name=name, email=email, team=TeamFactory(name=team))


@pytest.fixture
def in_review():
    """Ann teaches design (room for two), Ben design and testing, Cat people (one).
    The engine pairs Ben-Xia, Ann-Yan, Cat-Zoe; Wes (people) is left out."""
    revision = published_ladder(competencies=("design", "testing", "people"))
    cycle = RotationCycleFactory(
        ladder=revision.ladder, status=RotationCycle.Status.MATCHING, name="Winter rotation"
    )

    def sign(name, team, role, goals, **fields):
        level = "L4" if role == Role.MENTOR else "L2"
        who = person(name, team)
        return signed_up(cycle, revision, role=role, level=level, goals=goals, person=who, **fields)

    people = {
        "ann": sign("Ann Mentor", "Search", Role.MENTOR, ("design",), capacity=2),
        "ben": sign("Ben Mentor", "Identity", Role.MENTOR, ("design", "testing")),
        "cat": sign("Cat Mentor", "Billing", Role.MENTOR, ("people",)),
        "xia": sign("Xia Mentee", "Payments", Role.MENTEE, ("design", "testing")),
        "yan": sign("Yan Mentee", "Ops", Role.MENTEE, ("design",)),
        "zoe": sign("Zoe Mentee", "Data", Role.MENTEE, ("people",)),
        "wes": sign("Wes Mentee", "Growth", Role.MENTEE, ("people",)),
    }
    # Zoe and Wes want the same; Zoe names Cat first, so the engine's choice is
    # not a tie that its tie-break could decide either way.
    PreferenceFactory(mentee=people["zoe"], mentor=people["cat"], rank=1)
    run = match_run_start(cycle=cycle)
    match_run_execute(match_run_id=run.pk)
    run.refresh_from_db()
    pairs = {(p.mentor_id, p.mentee_id) for p in run.pairings.all()}
    s = people
    expected = {(s["ben"].pk, s["xia"].pk), (s["ann"].pk, s["yan"].pk), (s["cat"].pk, s["zoe"].pk)}
    assert pairs == expected
    return cycle, run, people


def row(page, mentor, mentee):
    return (
        page.get_by_role("row")
        .filter(has_text=str(mentor.person))
        .filter(has_text=str(mentee.person))
    )


def test_removing_swapping_and_pairing_by_hand_survive_a_re_run(page, org, in_review, worker):
    cycle, run, s = in_review
    sign_in(page, org.hr)
    page.goto(f"/admin/mentorship/rotationcycle/{cycle.pk}/review/")
    expect(page.get_by_role("heading", name="Pairings (3)")).to_be_visible()
    # The people team reads about the mentee, not to them.
    expect(row(page, s["ben"], s["xia"])).to_contain_text("both their learning goals")

    # Remove Cat with Zoe.
    page.get_by_role("button", name=f"Remove {s['cat'].person} with {s['zoe'].person}").click()
    expect(page.locator(".messagelist")).to_contain_text("will not pair them again")
    expect(page.get_by_role("heading", name="Pairs removed (1)")).to_be_visible()
    figures = page.get_by_role("region", name=re.compile("figures"))
    expect(figures.get_by_role("row", name="Mentees matched")).to_contain_text("2")
    expect(figures.get_by_role("row", name="Pairs crossing teams")).to_contain_text("2")

    # Swap the mentors of Xia and Yan.
    to_xia, to_yan = run.pairings.get(mentee=s["xia"]), run.pairings.get(mentee=s["yan"])
    # The pickers are search fields: a label from their list ends with the pairing's id.
    page.get_by_label("First pairing").fill(f"{to_xia} (#{to_xia.pk})")
    page.get_by_label("Second pairing").fill(f"{to_yan} (#{to_yan.pk})")
    page.get_by_role("button", name="Swap the mentors").click()
    expect(page.locator(".messagelist")).to_contain_text("a re-run keeps the swap")

    # Pair Wes, left out, with Ann by hand: a refused pair first, with the rule.
    # The pickers are search fields too: typed words that name one person, or a label.
    page.get_by_label(re.compile("^Unmatched mentee:?$")).fill("Wes")
    page.get_by_label(re.compile("^Mentor")).fill("Ben Mentor")
    page.get_by_role("button", name="Pair them").click()
    expect(page.locator(".errorlist")).to_contain_text("already has 1 of the 1 mentee")
    expect(page.get_by_label(re.compile("^Unmatched mentee:?$"))).to_have_value("Wes")
    ann = s["ann"]
    page.get_by_label(re.compile("^Mentor")).fill(f"Ann Mentor, Search (#{ann.pk})")
    page.get_by_role("button", name="Pair them").click()
    expect(page.locator(".messagelist")).to_contain_text("Paired Ann Mentor with Wes Mentee")
    expect(page.get_by_role("heading", name="Pairings (3)")).to_be_visible()

    # Re-run: a worker computes the new run; every decision is still there.
    page.get_by_role("button", name="Re-run keeping locks").click()
    expect(page.locator(".messagelist")).to_contain_text("re-running")
    newest = MatchRun.objects.filter(cycle=cycle).latest()
    reload_until_visible(page, page.get_by_role("heading", name=f"Run {newest.pk}: figures"))
    newest.refresh_from_db()  # read before the worker finished; the page shows it done now
    assert newest.pk != run.pk and newest.status == MatchRun.Status.DONE

    for mentor, mentee in (("ann", "xia"), ("ben", "yan"), ("ann", "wes")):
        expect(row(page, s[mentor], s[mentee])).to_contain_text("Locked")
    expect(row(page, s["cat"], s["zoe"])).to_have_count(0)
    expect(page.get_by_role("heading", name="Pairs removed (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Decisions this run could not keep")).to_have_count(0)
    unmatched = page.get_by_role("region", name=re.compile("Unmatched"))
    expect(unmatched).to_contain_text("Zoe Mentee")
    # About Zoe, not to her: the people team reads the reason in the third person.
    expect(unmatched).to_contain_text(f"The people team removed {s['zoe'].person}'s pair")
