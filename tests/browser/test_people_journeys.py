"""The main people journeys, driven through Chromium the way a person would:
links and buttons by their names, fields by their labels."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in, verified

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))


def nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_stylesheet_is_served_and_applied(page, org):
    sign_in(page, org.engineer)
    assert page.request.get("/static/css/app.css").status == 200
    header = page.get_by_role("banner")
    expect(header).to_have_css("background-color", "rgb(21, 32, 66)")


def test_engineer_finds_a_colleague_then_opens_their_own_page(page, org):
    sign_in(page, org.engineer)

    nav(page).get_by_role("link", name="Directory").click()
    expect(page.get_by_role("heading", name="Directory", level=1)).to_be_visible()
    shoot(page, "directory-1280")
    page.get_by_label("Search", exact=True).fill("Pia")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 person", exact=True)).to_be_visible()
    page.get_by_role("link", name="Pia Laine").click()

    expect(page.get_by_role("heading", name="Pia Laine", level=1)).to_be_visible()
    expect(page.locator(".lead")).to_have_text("Software Engineer · Search")
    line = page.get_by_role("region", name="Reporting line").get_by_role("listitem")
    expect(line).to_have_text(
        [
            re.compile("Chloe Okafor"),
            re.compile("Dev Rao"),
            re.compile("Omar Haddad"),
            "Pia Laine",
        ]
    )
    expect(page.get_by_role("heading", name=re.compile("^Details"))).to_have_count(0)

    page.get_by_role("banner").get_by_role("link", name="Eli Novak").click()
    expect(page.get_by_role("heading", name="Eli Novak You", level=1)).to_be_visible()
    details = page.get_by_role("region", name=re.compile("^Details"))
    expect(details).to_contain_text("Start date")
    expect(details).to_contain_text("Timezone")
    expect(details).to_contain_text("Europe/London")


def test_manager_sees_direct_reports_and_people_further_down(page, org):
    sign_in(page, org.director)

    nav(page).get_by_role("link", name="My team").click()
    expect(page.get_by_role("heading", name="My team", level=1)).to_be_visible()
    direct = page.get_by_role("region", name="Direct reports")
    expect(direct.get_by_role("link")).to_have_text(["Mia Chen", "Omar Haddad"])
    # Everyone below, direct reports included, searchable and paged (issue 13).
    everyone = page.get_by_role("region", name="Everyone under you")
    expect(everyone.get_by_role("link")).to_have_text(
        ["Eli Novak", "Mia Chen", "Omar Haddad", "Pia Laine"]
    )


def test_wrong_password_shows_an_error_and_keeps_the_email(page, org):
    verified(org.engineer)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("engineer@example.com")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()

    error = page.get_by_text("password you specified are not correct")
    expect(error).to_be_visible()
    expect(error).to_have_css("color", "rgb(179, 38, 30)")  # styled inside the sign-in card
    expect(page.get_by_label("Email")).to_have_value("engineer@example.com")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_signing_out_then_a_protected_page_asks_to_sign_in(page, org):
    sign_in(page, org.manager)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto("/my-team/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/my-team/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_people_team_opens_the_admin_people_list(page, org):
    sign_in(page, org.hr)

    nav(page).get_by_role("link", name="People admin").click()
    expect(page.get_by_role("heading", name="People team")).to_be_visible()
    page.get_by_role("link", name="Users", exact=True).click()
    expect(page.get_by_role("heading", name="Select user to change")).to_be_visible()
    expect(page.get_by_role("link", name="Pia Laine")).to_be_visible()


def test_narrow_directory_fits_and_the_skip_link_shows_on_focus(page, org):
    page.set_viewport_size({"width": 375, "height": 700})
    sign_in(page, org.engineer)
    page.goto("/people/")
    expect(page.get_by_role("heading", name="Directory", level=1)).to_be_visible()
    shoot(page, "directory-375")

    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at 375px wide"

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
