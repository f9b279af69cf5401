"""The default cache keeps answering while Redis is down: sign-in never answers
500, failed attempts are still counted (in memory), and counting goes back to
Redis once it answers again. Uses a real redis-server on a spare port."""

import logging
import shutil
import socket
import time

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from tests.conftest import REQUIRE_SERVICES
from tests.core.processes import PrivateRedis
from tests.people.factories import UserFactory

PASSWORD = "correct horse battery"
RETRY_AFTER = 0.5  # seconds; production waits 5
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        message = "needs redis-server on the PATH: apt-get install redis-server"
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES is set but this test {message}", pytrace=False)
        pytest.skip(f"not run here: {message}")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


def resilient_cache(location: str, **options) -> dict:
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "cache",
            "OPTIONS": {"FALLBACK_RETRY_AFTER": RETRY_AFTER, **options},
        }
    }


def sign_in(email, password, address):
    return Client().post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_it_keeps_sign_in_working_while_redis_is_down_and_counts_in_redis_after(
    redis_server, settings
):
    settings.CACHES = resilient_cache(redis_server.url)
    owner = UserFactory(email="owner@example.com")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    assert sign_in(owner.email, "guess", ATTACKER).status_code == 200
    assert redis_server.keys("cache:*login_failed*"), "failures are counted in Redis"

    redis_server.stop()
    answers = [sign_in(owner.email, PASSWORD, OWNER).status_code]
    answers += [sign_in(owner.email, "guess", ATTACKER).status_code for _ in range(5)]
    still_throttled = sign_in(owner.email, PASSWORD, ATTACKER)
    answers += [still_throttled.status_code, sign_in(owner.email, PASSWORD, OWNER).status_code]

    assert answers == [302, 200, 200, 200, 200, 200, 200, 302]
    assert "Too many failed login attempts" in still_throttled.text, "counted in memory meanwhile"

    redis_server.start()  # empty: it keeps nothing on disk
    time.sleep(RETRY_AFTER + 0.1)
    assert sign_in(owner.email, "guess", ATTACKER).status_code == 200
    assert redis_server.keys("cache:*login_failed*"), "counting is back in Redis"
    assert sign_in(owner.email, PASSWORD, OWNER).status_code == 302


def test_it_waits_for_an_unresponsive_redis_once_per_interval_and_logs_once(settings, caplog):
    # A socket that accepts connections and never answers: every Redis call
    # would wait for the read timeout if the cache kept asking.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        location = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        settings.CACHES = resilient_cache(location, socket_timeout=0.3)
        cache = caches["default"]

        with caplog.at_level(logging.WARNING, logger="core.cache"):
            started = time.monotonic()
            cache.set("greeting", "hello")
            first_call = time.monotonic() - started
            started = time.monotonic()
            for _ in range(50):
                assert cache.get("greeting") == "hello"
            next_calls = time.monotonic() - started

    assert 0.25 < first_call < 2
    assert next_calls < 0.1
    unreachable = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(unreachable) == 1
    assert ":" + location.rsplit(":", 1)[-1] in unreachable[0].getMessage()
