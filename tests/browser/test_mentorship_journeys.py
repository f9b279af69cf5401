"""The rotation journey in Chromium, with a real Celery worker on Redis: two
engineers sign up as mentor and mentee, the people team closes sign-ups in
the admin, the worker computes the match, the people team reviews and
publishes it, and the mentee reads who their mentor is and why."""

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorship.models import Pairing, RotationCycle
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, sign_in
from tests.ladders.factories import PlacementFactory, published_ladder
from tests.mentorship.factories import RotationCycleFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.usefixtures("transactional_db")]

MATCH_TIMEOUT = 30.0  # seconds for the worker to compute the run


@pytest.fixture
def rotation_org(org):
    """The engineer (Payments, L2) and their peer (Search, L4) on a published
    ladder, and a cycle whose sign-up window is open today."""
    revision = published_ladder(levels=("L1", "L2", "L3", "L4"), competencies=("code", "design"))
    PlacementFactory(person=org.engineer, level=revision.levels.get(code="L2"))
    PlacementFactory(person=org.peer, level=revision.levels.get(code="L4"))
    today = timezone.localdate()
    org.cycle = RotationCycleFactory(
        name="Winter rotation",
        theme="Reliability and on-call",
        ladder=revision.ladder,
        status=RotationCycle.Status.OPEN,
        signup_opens_on=today - dt.timedelta(days=3),
        signup_closes_on=today + dt.timedelta(days=7),
        starts_on=today + dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=56),
    )
    return org


def new_page(browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


def nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def open_cycle_page(page: Page, cycle_name: str) -> None:
    nav(page).get_by_role("link", name="Rotations").click()
    page.get_by_role("link", name=cycle_name, exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(cycle_name), level=1)).to_be_visible()


def reload_until_visible(page: Page, locator, timeout: float = MATCH_TIMEOUT) -> None:
    """The review page is not live: reload it until the worker's result shows."""
    deadline = time.monotonic() + timeout
    while not locator.count():
        assert time.monotonic() < deadline, f"not shown after {timeout} s: {locator}"
        page.wait_for_timeout(250)
        page.reload()
    expect(locator).to_be_visible()


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_a_pair_signs_up_is_matched_by_a_worker_reviewed_published_and_explained(
    page, browser, live_server, rotation_org, worker
):
    org = rotation_org
    cycle = org.cycle

    # The peer offers to mentor a project teaching design.
    mentor_page = new_page(browser, live_server)
    sign_in(mentor_page, org.peer)
    open_cycle_page(mentor_page, cycle.name)
    mentor_page.get_by_role("link", name="Sign up as a mentor").click()
    mentor_page.get_by_label("Design").check()
    mentor_page.get_by_label("Project title").fill("Make checkout retries safe")
    mentor_page.get_by_label("Expected outcome").fill("Idempotent retries and a runbook.")
    mentor_page.get_by_label("How many mentees can you take?").fill("1")
    mentor_page.get_by_role("button", name="Sign up as a mentor").click()
    expect(mentor_page.locator(".message-success")).to_contain_text("as a mentor")
    mentor_page.context.close()

    # The engineer signs up to learn design, and ranks the peer first.
    sign_in(page, org.engineer)
    open_cycle_page(page, cycle.name)
    page.get_by_role("link", name="Sign up as a mentee").click()
    page.get_by_label("Design").check()
    page.get_by_label("What do you want to learn?").fill("Design services that fail safely.")
    page.get_by_label("First choice").select_option(
        label=f"{org.peer.name}, Search: “Make checkout retries safe”"
    )
    page.get_by_role("button", name="Sign up as a mentee").click()
    expect(page.locator(".message-success")).to_contain_text("as a mentee")
    expect(page.get_by_role("heading", name="My rotation", level=1)).to_be_visible()

    # The people team closes sign-ups from the cycle list in the admin.
    hr_page = new_page(browser, live_server)
    sign_in(hr_page, org.hr)
    hr_page.goto("/admin/mentorship/rotationcycle/")
    row = hr_page.get_by_role("row").filter(has_text=cycle.name)
    row.get_by_role("checkbox").check()
    hr_page.locator("select[name=action]").select_option(label="Close sign-ups and match")
    hr_page.get_by_role("button", name="Go").click()
    expect(hr_page.locator(".messagelist")).to_contain_text("the match is being computed")

    # The worker computes the run; the review page shows it once it is done.
    hr_page.get_by_role("row").filter(has_text=cycle.name).get_by_role(
        "link", name="Review the match"
    ).click()
    expect(hr_page.get_by_role("heading", name=f"Review the match: {cycle.name}")).to_be_visible()
    reload_until_visible(hr_page, hr_page.get_by_role("heading", name="Pairings (1)"))
    pair = (
        hr_page.get_by_role("row").filter(has_text=org.peer.name).filter(has_text=org.engineer.name)
    )
    # The review page is about the mentee; the mentee's own page (below) speaks to them.
    expect(pair).to_contain_text("Teaches Design, their learning goal")
    expect(pair).to_contain_text(f"{org.engineer.name}'s first choice")
    expect(pair).to_contain_text("Crosses teams: Payments → Search")
    expect(hr_page.get_by_role("heading", name="Unmatched (0)")).to_be_visible()

    # The people team publishes; the worker emails the pair.
    hr_page.get_by_role("button", name="Publish the match").click()
    expect(hr_page.locator(".messagelist")).to_contain_text("Published 1 pairings")
    assert Pairing.objects.get().status == Pairing.Status.PUBLISHED
    assert wait_for(lambda: {org.engineer.email, org.peer.email} <= recipients(), MATCH_TIMEOUT)
    hr_page.context.close()

    # The mentee sees their mentor, the project and why they were paired.
    nav(page).get_by_role("link", name="Rotations").click()
    page.get_by_role("navigation", name="Rotations").get_by_role("link", name="My rotation").click()
    partner = page.locator("article.partner")
    expect(partner.get_by_role("heading", name=f"Your mentor: {org.peer.name}")).to_be_visible()
    expect(partner).to_contain_text("Make checkout retries safe")
    expect(partner.get_by_role("heading", name="Why you were paired")).to_be_visible()
    expect(partner.get_by_role("listitem").filter(has_text="Teaches Design")).to_have_text(
        "Teaches Design, your learning goal"
    )
    expect(partner.get_by_role("listitem").filter(has_text="Your first choice")).to_be_visible()
