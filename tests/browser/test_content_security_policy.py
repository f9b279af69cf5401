"""Every page works under the Content-Security-Policy: on the demo organisation,
each role follows the links it is shown (the site's pages, and the admin for the
administrator), and Chromium must report no CSP violation and no console error.

One page per URL shape (/people/12/ and /people/13/ are the same template), so
the crawl stays short while reaching every kind of page a role can open.
"""

import re
from collections import deque
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from people.demo import ADMIN_EMAIL, DEMO_PASSWORD, HR_EMAIL
from people.models import User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# Chromium fires this event for every blocked script, style, image or frame.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
    ` at ${event.sourceFile || location.pathname}:${event.lineNumber}` +
    (event.sample ? ` (${event.sample})` : "")
  );
});
"""
# Links that leave, download or sign out rather than show a page; delete
# confirmations and old history versions repeat what the crawl already sees.
SKIP = re.compile(r"^/(static|media)/|/accounts/logout/|export|\.csv|/delete/|/history/\d+/")

SITE_ROLES = {
    "engineer": "marco.romano@example.com",
    "manager": "funmilayo.balogun@example.com",
    "new hire": "andres.lopez@example.com",
    "people team": HR_EMAIL,
}


@pytest.fixture
def demo(settings):
    call_command("seed_demo", force=True, stdout=StringIO())


def watch(page: Page) -> list[str]:
    """Collect console errors and uncaught exceptions from now on."""
    problems: list[str] = []

    def on_console(message) -> None:
        # The admin's pages name no icon, so Chromium asks for /favicon.ico.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"console: {message.text} ({message.location['url']})")

    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


def shape(path: str) -> str:
    return re.sub(r"/\d+(?=/)", "/N", path)


def same_site_links(page: Page, within: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    origin = urlsplit(page.url)
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        same_site = (url.scheme, url.netloc) == (origin.scheme, origin.netloc)
        if same_site and url.path.startswith(within) and not SKIP.search(url.path):
            paths.append(url.path)
    return paths


def crawl(page: Page, start: str, depth: int, *, within: str = "/", avoid: str = "/admin/"):
    """Visit one page per URL shape reachable in `depth` clicks under `within`
    (but not `avoid`); the CSP violations seen on each page, by path."""
    seen = {shape(start)}
    queue = deque([(start, 0)])
    found: dict[str, list[str]] = {}
    while queue:
        path, level = queue.popleft()
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue
            raise
        assert response is not None and response.status < 400, f"{path} answered {response}"
        found[path] = page.evaluate("window.__cspViolations")
        if level == depth:
            continue
        for link in same_site_links(page, within):
            if shape(link) not in seen and not link.startswith(avoid):
                seen.add(shape(link))
                queue.append((link, level + 1))
    return found


def test_every_page_each_role_reaches_works_under_the_policy(browser, live_server, demo):
    violations, problems, visited = {}, {}, {}
    for role, email in SITE_ROLES.items():
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        seen = watch(page)
        sign_in(page, User.objects.get(email=email), password=DEMO_PASSWORD)
        found = crawl(page, "/", 2)
        context.close()
        visited[role] = len(found)
        violations.update({f"{role} {path}": v for path, v in found.items() if v})
        if seen:
            problems[role] = seen

    assert min(visited.values()) >= 8, visited
    assert violations == {}
    assert problems == {}


def test_every_admin_page_works_under_the_policy(page, demo):
    problems = watch(page)
    sign_in(page, User.objects.get(email=ADMIN_EMAIL), password=DEMO_PASSWORD)

    found = crawl(page, "/admin/", 3, within="/admin/", avoid="/admin/logout/")

    assert len(found) >= 40, sorted(found)
    assert {path: v for path, v in found.items() if v} == {}
    assert problems == []


def test_admin_widgets_work_under_the_policy(page, demo):
    """Scripts that build markup at run time: the autocomplete and the calendar."""
    problems = watch(page)
    sign_in(page, User.objects.get(email=ADMIN_EMAIL), password=DEMO_PASSWORD)
    person = User.objects.get(email="marco.romano@example.com")
    page.goto(f"/admin/people/user/{person.pk}/change/")

    page.locator("#id_manager + .select2").click()
    page.locator(".select2-search__field").fill("Fun")
    expect(page.get_by_role("option", name="Funmilayo Balogun")).to_be_visible()
    page.keyboard.press("Escape")
    page.locator("#id_start_date ~ .datetimeshortcuts .date-icon").click()
    expect(page.locator(".calendarbox").first).to_be_visible()

    assert page.evaluate("window.__cspViolations") == []
    assert problems == []


def test_it_notices_a_violation_when_there_is_one(page, org):
    """The check above would pass vacuously if violations were never seen."""
    problems = watch(page)
    sign_in(page, org.engineer)
    page.evaluate("""document.body.insertAdjacentHTML("beforeend", '<p style="color: red">')""")
    page.wait_for_timeout(200)

    assert any("style-src" in v for v in page.evaluate("window.__cspViolations"))
    assert any("Content Security Policy" in problem for problem in problems)
