"""The onboarding journey in Chromium: a new hire signs in, sees their first
week, marks a task done and the progress bar moves, and confirms a pairing
task; their buddy signs in and confirms it too, from tasks assigned to them."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from onboarding.models import AssigneeRole, Kind, OnboardingPlan, PlanTask
from tests.browser.conftest import sign_in
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def labelled(action: str, task: str) -> re.Pattern:
    """A button's accessible name: the action, then the task in hidden text
    (Chromium may put a space before the hidden part)."""
    return re.compile(rf"^{action}\s?: {task}$")


def progress_of(page: Page):
    return page.get_by_role("region", name="Progress")


@pytest.fixture
def first_week(org):
    """The engineer started on Monday of this week (so today is in week 1),
    with Bo as buddy: one task done before day one, three this week."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday())
    org.engineer.start_date = start
    org.engineer.save()
    buddy = UserFactory(name="Bo Brandt", email="bo@example.com", team=org.payments)
    plan = OnboardingPlanFactory(
        new_hire=org.engineer,
        buddy=buddy,
        buddy_status=OnboardingPlan.BuddyStatus.ASSIGNED,
        buddy_note="Same team (Payments), no other new hire",
    )
    PlanTaskFactory(
        plan=plan,
        title="Sign the contract",
        due_on=start - dt.timedelta(days=3),
        status=PlanTask.Status.DONE,
    )
    PlanTaskFactory(plan=plan, title="Set up your laptop", due_on=start)
    PlanTaskFactory(
        plan=plan,
        title="Pair on a first bug",
        kind=Kind.PAIRING,
        due_on=start + dt.timedelta(days=2),
        partner=buddy,
    )
    PlanTaskFactory(
        plan=plan,
        title="Coffee with your buddy",
        due_on=start + dt.timedelta(days=3),
        assignee_role=AssigneeRole.BUDDY,
        assignee=buddy,
    )
    return plan


def test_new_hire_ticks_off_their_first_week_and_their_buddy_confirms_a_pairing(
    page, browser, live_server, org, first_week
):
    buddy = first_week.buddy

    # The new hire lands on their plan and sees this week.
    sign_in(page, org.engineer)
    page.goto("/onboarding/")
    expect(page.get_by_role("heading", name="My onboarding", level=1)).to_be_visible()
    week_one = page.get_by_role("region", name=re.compile(r"^Week 1"))
    expect(week_one.get_by_text("This week")).to_be_visible()
    expect(week_one.get_by_role("heading", name="Set up your laptop")).to_be_visible()
    expect(page.get_by_text("Bo Brandt").first).to_be_visible()
    expect(progress_of(page).get_by_text("1 of 4 done, 25%")).to_be_visible()
    expect(progress_of(page).locator("progress")).to_have_attribute("value", "1")

    # Marks a task done: back at the task (issue 9), told so beside it, and the bar moves.
    week_one.get_by_role("button", name=labelled("Mark done", "Set up your laptop")).click()
    expect(page.locator(".messages .message-success")).to_have_text("Done: “Set up your laptop”.")
    expect(page).to_have_url(re.compile(r"/onboarding/plans/\d+/#task-\d+$"))
    flash = page.locator(".task-flash")
    expect(flash).to_have_text("Done: “Set up your laptop”. 2 of 4 done, 50%.")
    expect(flash).to_be_in_viewport()
    expect(progress_of(page).get_by_text("2 of 4 done, 50%")).to_be_visible()
    expect(progress_of(page).locator("progress")).to_have_attribute("value", "2")

    # Confirms their side of the pairing with a line about it.
    page.get_by_label("What did you do or learn?").fill("Fixed the retry bug; learned deploys")
    page.get_by_role("button", name=labelled("Confirm pairing", "Pair on a first bug")).click()
    expect(page.locator(".message-success")).to_contain_text("once the other side confirms")
    expect(page.get_by_text("Not yet confirmed by Bo Brandt")).to_be_visible()

    # The buddy signs in, finds the pairing among their tasks and confirms it.
    buddy_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(buddy_page, buddy)
    buddy_page.goto("/onboarding/tasks/")
    expect(buddy_page.get_by_role("heading", name="Tasks assigned to me", level=1)).to_be_visible()
    group = buddy_page.get_by_role("region", name=re.compile("Eli Novak"))
    expect(group.get_by_role("heading", name="Coffee with your buddy")).to_be_visible()
    expect(group.get_by_text("Fixed the retry bug; learned deploys")).to_be_visible()
    group.get_by_label("What did you do or learn?").fill("Walked Eli through the deploy flow")
    group.get_by_role("button", name=labelled("Confirm pairing", "Pair on a first bug")).click()
    expect(buddy_page.locator(".message-success")).to_contain_text("Pairing done")

    # The new hire sees it done, with both lines, and the bar moves again.
    page.reload()
    expect(progress_of(page).get_by_text("3 of 4 done, 75%")).to_be_visible()
    expect(page.get_by_text("Walked Eli through the deploy flow")).to_be_visible()
    first_week.refresh_from_db()
    assert first_week.first_pairing_done_at is not None

    # The buddy may not open the new hire's plan itself.
    response = buddy_page.goto(f"/onboarding/plans/{first_week.pk}/")
    assert response.status == 404
