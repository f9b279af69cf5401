"""The whole ladder in Chromium (issue 9): from "My ladder" to the matrix of
every level by every competency, tracks side by side; on a 375 px phone the
page stays as wide as the screen and the table scrolls inside its box, with
the competency column kept in view."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.ladders.factories import PlacementFactory
from tests.ladders.test_ladder_pages import two_track_ladder

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def placed(org):
    revision = two_track_ladder()
    PlacementFactory(person=org.engineer, level=revision.levels.get(code="L3"))
    return org


def open_matrix(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My ladder").click()
    page.get_by_role("main").get_by_role("link", name="Engineering", exact=True).click()
    expect(page.get_by_role("heading", name="Individual contributor track")).to_be_visible()
    page.get_by_role("link", name="The whole ladder: every level by every competency").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("every level by every competency")


def test_an_engineer_reads_the_whole_ladder_tracks_side_by_side(page, placed):
    sign_in(page, placed.engineer)
    open_matrix(page)

    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Individual contributor")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Manager", exact=True)).to_be_visible()
    headers = table.locator("thead tr").nth(1).locator("th").all_inner_texts()
    assert [h.split("\n")[0] for h in headers] == ["Competency", "L1", "L2", "L3", "L4", "M1", "M2"]
    expect(table.get_by_role("rowheader", name="Code")).to_be_visible()
    expect(table.get_by_text("L4 does Design well")).to_be_visible()

    # Examples fold away under each expectation.
    examples = table.get_by_text("M2 example").first
    expect(examples).to_be_hidden()
    table.locator("details.matrix-examples summary").last.click()
    expect(table.get_by_text("M2 example").last).to_be_visible()


def test_on_a_phone_the_matrix_scrolls_inside_its_box(page, placed):
    page.set_viewport_size(PHONE)
    sign_in(page, placed.engineer)
    open_matrix(page)

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE["width"], f"the page is {page_width - PHONE['width']} px too wide"
    box = page.locator(".matrix-wrap")
    scroll_width, client_width = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert scroll_width > client_width  # the table scrolls sideways inside its box

    competency = page.get_by_role("rowheader", name="Code")
    left_before = competency.bounding_box()["x"]
    box.evaluate("b => b.scrollBy(600, 0)")
    expect(page.get_by_text("M2 example").first).to_be_attached()
    assert box.evaluate("b => b.scrollLeft") > 0
    assert abs(competency.bounding_box()["x"] - left_before) < 2  # the column stays in view
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_the_ladder_and_compare_pages_fit_the_screen(page, placed):
    page.set_viewport_size(PHONE)
    sign_in(page, placed.engineer)
    for path in ("/ladders/ladder/engineering/", "/ladders/ladder/engineering/compare/?from=L3"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width - PHONE['width']} px too wide"
