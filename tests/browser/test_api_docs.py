"""The API docs page renders its operations in the browser with nothing
fetched from outside the app (drf-spectacular-sidecar, no CDN)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.people.factories import PeopleTeamFactory

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_operations_offline(page, live_server):
    sign_in(page, PeopleTeamFactory())
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto("/api/docs/")
    expect(page.get_by_text("Growth API").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/people/bulk/")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert outside == []
