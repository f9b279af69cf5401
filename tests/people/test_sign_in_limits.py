"""Failed sign-ins are throttled per client address and account, and per client
address: guessing is slowed down, and nobody can lock a colleague out.
Client addresses are read behind TRUSTED_PROXY_COUNT proxies."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, RequestFactory
from django.urls import reverse

from people.adapters import client_address
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
THROTTLED = "Too many failed login attempts"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
PROXY = "10.0.0.2"


def person(email, **extra):
    user = UserFactory(email=email, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_in(client, email, password, *, url=None, **meta):
    return client.post(
        url or reverse("account_login"), {"login": email, "password": password}, **meta
    )


def test_it_lets_the_owner_sign_in_after_someone_else_guessed_their_password(client):
    owner = person("owner@example.com")
    for _ in range(6):
        sign_in(client, owner.email, "guess", REMOTE_ADDR=ATTACKER)

    response = sign_in(Client(), owner.email, PASSWORD, REMOTE_ADDR=OWNER)

    assert response.status_code == 302


def test_it_throttles_the_guesser_even_when_they_find_the_password(client):
    owner = person("owner@example.com")
    for _ in range(5):
        assert THROTTLED not in sign_in(client, owner.email, "guess", REMOTE_ADDR=ATTACKER).text

    response = sign_in(client, owner.email, PASSWORD, REMOTE_ADDR=ATTACKER)

    assert response.status_code == 200
    assert THROTTLED in response.text


def test_it_throttles_an_address_that_tries_many_accounts_but_not_the_others(client):
    for number in range(10):
        sign_in(client, f"someone{number}@example.com", "guess", REMOTE_ADDR=ATTACKER)
    colleague = person("colleague@example.com")

    from_attacker = sign_in(client, colleague.email, PASSWORD, REMOTE_ADDR=ATTACKER)
    from_colleague = sign_in(Client(), colleague.email, PASSWORD, REMOTE_ADDR=OWNER)

    assert THROTTLED in from_attacker.text
    assert from_colleague.status_code == 302


def test_it_does_not_count_successful_sign_ins():
    owner = person("owner@example.com")
    for _ in range(12):
        assert sign_in(Client(), owner.email, PASSWORD, REMOTE_ADDR=OWNER).status_code == 302


def test_it_tells_people_behind_one_proxy_apart_by_the_address_the_proxy_adds(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    owner = person("owner@example.com")
    for number in range(6):
        # The attacker writes a different left-most address each time; only the
        # proxy's entry on the right counts, so it does not help them.
        spoofed = f"192.0.2.{number}, {ATTACKER}"
        sign_in(client, owner.email, "guess", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=spoofed)

    from_attacker = sign_in(
        client, owner.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    from_owner = sign_in(
        Client(), owner.email, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OWNER
    )

    assert THROTTLED in from_attacker.text
    assert from_owner.status_code == 302


def test_it_throttles_the_admin_login_the_same_way(client):
    staff = person("admin@example.com", is_staff=True, is_superuser=True)
    admin_login = client.post(
        reverse("admin:login"), {"username": staff.email, "password": "guess"}, REMOTE_ADDR=ATTACKER
    )
    # Django's own admin form never sees the password: it is sent to allauth's.
    assert admin_login.status_code == 302
    protected_login = admin_login.url
    assert protected_login.startswith(reverse("account_login"))
    for _ in range(5):
        sign_in(client, staff.email, "guess", url=protected_login, REMOTE_ADDR=ATTACKER)

    from_attacker = sign_in(
        client, staff.email, PASSWORD, url=protected_login, REMOTE_ADDR=ATTACKER
    )
    owner = Client()
    from_owner = sign_in(owner, staff.email, PASSWORD, url=protected_login, REMOTE_ADDR=OWNER)

    assert THROTTLED in from_attacker.text
    assert from_owner.status_code == 302 and from_owner.url.startswith("/admin/")
    assert owner.get(reverse("admin:index"), REMOTE_ADDR=OWNER).status_code == 200


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, None, PROXY),
        (0, "192.0.2.1", PROXY),  # no trusted proxy: a client-written header is ignored
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),  # left-most written by the client
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.1", "192.0.2.1"),
        (1, " 192.0.2.1:4711 ", "192.0.2.1"),  # some proxies add the port
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (2, "192.0.2.1", PROXY),  # fewer hops than proxies: the peer, never a 500
        (1, "not-an-address", PROXY),
    ],
)
def test_it_reads_the_client_address_from_the_right(settings, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, headers=headers)

    assert client_address(request) == expected
