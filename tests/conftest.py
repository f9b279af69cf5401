"""Shared fixtures, and the rule for tests that need real services.

Tests marked postgres, redis or browser need PostgreSQL (DATABASE_URL),
Redis (REDIS_URL) or Debian's Chromium. Without them the suite still runs
everything else and names what it could not run; with REQUIRE_SERVICES=1
(as .ci/run sets) a missing service fails those tests instead of skipping.
"""

import os
import shutil
import socket
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.db import connection

from tests.people.factories import PeopleTeamFactory, TeamFactory, UserFactory
from tests.workers import running_worker

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def _redis_reachable() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def _missing_service(item) -> str | None:
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if item.get_closest_marker("redis") and not _redis_reachable():
        return "needs Redis and a real Celery worker: set REDIS_URL=redis://..."
    if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
        return f"needs Chromium at {CHROMIUM}: apt-get install chromium"
    return None


def pytest_runtest_setup(item):
    reason = _missing_service(item)
    if reason is None:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES is set but this test {reason}", pytrace=False)
    pytest.skip(f"not run here: {reason}")


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    reasons: dict[str, int] = {}
    for report in skipped:
        message = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        if "not run here" in message:
            key = message.split("not run here: ", 1)[-1]
            reasons[key] = reasons.get(key, 0) + 1
    if reasons:
        terminalreporter.section("tests that could not run on this machine")
        for reason, count in reasons.items():
            terminalreporter.write_line(f"{count} test(s) {reason}")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a person; tests create hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """allauth counts rate limits in the cache; one test's attempts must not
    lock the next test out."""
    from django.core.cache import cache

    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        # Redis: FLUSHDB would also empty the Celery queue in the same database.
        client = cache._cache.get_client(write=True)
        for key in client.scan_iter(f"{cache.key_prefix}:*"):
            client.delete(key)
    else:
        cache.clear()


@pytest.fixture
def demo_allowed(settings):
    """seed_demo may run: pytest-django turns DEBUG off, and the command refuses then."""
    settings.DEBUG = True


@pytest.fixture
def worker():
    """A real Celery worker (a thread here) on Redis; see tests/workers.py."""
    with running_worker():
        yield


@pytest.fixture
def team(db):
    return TeamFactory(name="Payments")


@pytest.fixture
def people_team_member(db):
    return PeopleTeamFactory(email="hr@example.com", name="Harriet Ross")


@pytest.fixture
def org(db):
    """A small reporting line: cto <- director <- manager <- engineer, and a peer
    of the engineer under another manager, and the people team."""
    payments = TeamFactory(name="Payments")
    search = TeamFactory(name="Search")
    cto = UserFactory(email="cto@example.com", name="Chloe Okafor", title="CTO", team=None)
    director = UserFactory(
        email="director@example.com", name="Dev Rao", title="Director", manager=cto, team=payments
    )
    manager = UserFactory(
        email="manager@example.com",
        name="Mia Chen",
        title="Engineering Manager",
        manager=director,
        team=payments,
    )
    engineer = UserFactory(
        email="engineer@example.com", name="Eli Novak", manager=manager, team=payments
    )
    other_manager = UserFactory(
        email="other.manager@example.com",
        name="Omar Haddad",
        title="Engineering Manager",
        manager=director,
        team=search,
    )
    peer = UserFactory(
        email="peer@example.com", name="Pia Laine", manager=other_manager, team=search
    )
    hr = PeopleTeamFactory(email="hr@example.com", name="Harriet Ross", team=None)
    return SimpleNamespace(
        cto=cto,
        director=director,
        manager=manager,
        engineer=engineer,
        other_manager=other_manager,
        peer=peer,
        hr=hr,
        payments=payments,
        search=search,
    )
