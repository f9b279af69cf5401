"""Every main page, on the demo organisation, as each role sees it: no page is
wider than a 375 px phone screen (wide tables scroll inside their own box),
and axe-core (bundled by axe-playwright-python, so it runs offline) finds no
WCAG 2.0/2.1 A or AA violation there. One width keeps the run short; the
phone is where layouts break (the desktop pages were checked the same way
when this test was written, with no violation)."""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import reverse

from mentorship.models import RotationCycle
from onboarding.models import OnboardingPlan
from people.demo import DEMO_PASSWORD
from people.models import User
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 375, "height": 812}
WCAG_A_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", force=True, stdout=StringIO())
    return {user.email: user for user in User.objects.filter(email__endswith="@example.com")}


def main_pages(demo) -> dict[str, list[str]]:
    """Email of the role -> the pages it uses most."""
    engineer = demo["marco.romano@example.com"]
    manager = demo["funmilayo.balogun@example.com"]
    report = manager.reports.filter(is_active=True).order_by("name").first()
    winter = RotationCycle.objects.get(status=RotationCycle.Status.OPEN)
    autumn = RotationCycle.objects.get(status=RotationCycle.Status.CLOSED)
    new_hire = demo["sofia.marchetti@example.com"]
    plan = OnboardingPlan.objects.get(new_hire=new_hire)
    return {
        engineer.email: [
            reverse("home"),
            reverse("people:person_list"),
            reverse("people:team_list"),
            reverse("people:team_detail", args=[engineer.team_id]),
            reverse("people:person_detail", args=[engineer.pk]),
            reverse("ladders:person_ladder", args=[engineer.pk]),
            reverse("ladders:ladder_detail", args=["engineering"]),
            reverse("ladders:level_compare", args=["engineering"]),
            reverse("ladders:assessment_todo"),
            reverse("ladders:stretch_list"),
            reverse("ladders:stretch_mine"),
            reverse("mentorship:cycle_list"),
            reverse("mentorship:cycle_detail", args=[winter.pk]),
            reverse("mentorship:my_rotation"),
            reverse("onboarding:my_checklist"),
            reverse("onboarding:my_tasks"),
        ],
        manager.email: [
            reverse("people:my_team"),
            reverse("ladders:team_gaps"),
            reverse("ladders:person_ladder", args=[report.pk]),
            reverse("ladders:assessment_list", args=[report.pk]),
            reverse("mentorship:team_participation"),
            reverse("onboarding:team_progress"),
        ],
        "anna.visser@example.com": [  # the CTO: everyone below, grouped by team
            reverse("people:my_team"),
            reverse("ladders:team_gaps"),
            reverse("ladders:team_gaps") + f"?team={engineer.team_id}",
        ],
        "hr@example.com": [
            reverse("mentorship:health"),
            reverse("onboarding:reports"),
            reverse("onboarding:plan_detail", args=[plan.pk]),
            reverse("admin:mentorship_rotationcycle_review", args=[autumn.pk]),
        ],
        new_hire.email: [
            reverse("onboarding:my_checklist"),
            reverse("onboarding:plan_detail", args=[plan.pk]),
        ],
    }


def check_page(page, axe, url: str) -> list[str]:
    """What is wrong with one page on a phone, in words."""
    response = page.goto(url)
    if response is None or response.status != 200:
        return [f"{url}: answered {response.status if response else 'nothing'}"]
    problems = []
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{url}: {width} px wide on a {PHONE['width']} px screen")
    for violation in axe.run(page, options=WCAG_A_AA).response["violations"]:
        where = "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        problems.append(f"{url}: {violation['id']} ({where})")
    return problems


def test_every_main_page_fits_a_phone_and_passes_axe(browser, live_server, demo):
    axe = Axe()
    problems = []
    for email, urls in main_pages(demo).items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        sign_in(page, demo[email], password=DEMO_PASSWORD)
        for url in urls:
            problems += check_page(page, axe, url)
        context.close()
    assert problems == []


def test_the_phone_check_sees_a_page_that_is_too_wide(page, org):
    """The width measure is real: a page made wider than the screen fails it."""
    page.set_viewport_size(PHONE)
    sign_in(page, org.engineer)
    page.goto(reverse("home"))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.evaluate("document.querySelector('main').style.minWidth = '500px'")
    assert page.evaluate("document.scrollingElement.scrollWidth") > PHONE["width"]
