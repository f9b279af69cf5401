"""The ladder journey in Chromium: an engineer reads their ladder and its
chart, compares two levels and self-assesses; their manager assesses and
finalises; the engineer then applies to a stretch assignment."""

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from ladders.models import Assessment
from tests.browser.conftest import sign_in
from tests.ladders.factories import PlacementFactory, StretchAssignmentFactory, published_ladder

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def fill_side(page: Page, rating: str, evidence: str) -> None:
    """Rate every competency on the form and write a line of evidence."""
    for fieldset in page.locator("fieldset.competency-fieldset").all():
        fieldset.get_by_label("Rating").select_option(value=rating)
        fieldset.get_by_label("Evidence").fill(
            f"{evidence} ({fieldset.locator('legend').inner_text()})"
        )


@pytest.fixture
def ladder_org(org):
    revision = published_ladder()
    PlacementFactory(person=org.engineer, level=revision.levels.get(code="L2"))
    StretchAssignmentFactory(
        title="Run the incident review programme",
        posted_by=org.other_manager,
        seats=2,
        competencies=[revision.competencies.get(code="people")],
        starts_on=dt.date.today() + dt.timedelta(days=7),
        ends_on=dt.date.today() + dt.timedelta(days=60),
    )
    return org


def test_engineer_and_manager_walk_through_ladder_assessment_and_stretch(
    page, browser, live_server, ladder_org
):
    org = ladder_org
    # The engineer reads where they stand and compares their level with the next.
    sign_in(page, org.engineer)
    nav(page).get_by_role("link", name="My ladder").click()
    expect(page.get_by_role("heading", name="Where I stand", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Ratings against what the level expects")).to_be_visible()
    page.get_by_role("link", name="Compare L2 with L3").click()
    expect(
        page.get_by_role("heading", name=re.compile("From Engineer L2 to Engineer L3"))
    ).to_be_visible()
    expect(page.get_by_text("3 of 3 competencies expect something different")).to_be_visible()

    # The manager starts an assessment from the engineer's page.
    manager_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(manager_page, org.manager)
    manager_page.goto(f"/ladders/people/{org.engineer.pk}/assessments/")
    manager_page.get_by_role("button", name="Start an assessment").click()
    expect(manager_page.get_by_text(re.compile("started", re.I)).first).to_be_visible()

    # The engineer fills in and submits their side.
    nav(page).get_by_role("link", name="Assessments").click()
    page.get_by_role("link", name="Fill in your self-assessment").click()
    fill_side(page, "3", "Self evidence")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".message-success")).to_be_visible()

    # The manager cannot see it yet; fills in their own side and submits.
    manager_page.goto(f"/ladders/assessments/{Assessment.objects.get().pk}/")
    expect(manager_page.get_by_text("Self evidence")).to_have_count(0)
    fill_side(manager_page, "2", "Manager evidence")
    manager_page.get_by_role("button", name="Submit").click()

    # Both in: side by side, then the manager finalises.
    expect(manager_page.get_by_role("heading", name="Side by side")).to_be_visible()
    expect(manager_page.get_by_text(re.compile("Self evidence")).first).to_be_visible()
    expect(manager_page.get_by_text(re.compile("differs by 1")).first).to_be_visible()
    manager_page.get_by_label("Closing summary").fill("Good year; focus on design next.")
    manager_page.get_by_role("button", name="Finalise assessment").click()
    expect(manager_page.get_by_role("heading", name="Closing summary")).to_be_visible()

    # The engineer's ladder page now charts the ratings and lists the gaps.
    nav(page).get_by_role("link", name="My ladder").click()
    expect(page.locator("polygon.radar-rating")).to_have_count(1)
    expect(page.get_by_role("region", name="Gaps").get_by_text("below this level")).to_have_count(3)

    # And applies to a stretch assignment that builds one of them.
    nav(page).get_by_role("link", name="Stretch assignments").click()
    page.get_by_role("link", name="Run the incident review programme").click()
    page.get_by_label(re.compile("Why|Motivation", re.I)).fill("I want to grow in people skills.")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.get_by_text(re.compile("1 of 2 seats taken"))).to_be_visible()
