"""Sign-in: closed sign-up, allowed domains, rate limits, the admin's login,
short sessions, and single sign-on configured from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse

from people.models import User
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def signup(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "name": "Sam Sign",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )


def test_it_keeps_sign_up_closed_when_no_domain_is_allowed(client, settings):
    settings.ALLOWED_SIGNUP_DOMAINS = []
    response = signup(client, "someone@example.com")
    assert "Sign Up Closed" in response.content.decode() or response.status_code == 403
    assert not User.objects.filter(email="someone@example.com").exists()


def test_it_refuses_sign_up_from_another_domain_and_keeps_what_was_typed(client, settings):
    settings.ALLOWED_SIGNUP_DOMAINS = ["example.com"]
    response = signup(client, "someone@elsewhere.org")
    body = response.content.decode()
    assert "open to addresses at example.com only" in body
    assert 'value="someone@elsewhere.org"' in body and 'value="Sam Sign"' in body
    assert not User.objects.filter(email="someone@elsewhere.org").exists()


def test_it_lets_an_allowed_domain_sign_up_and_asks_to_verify_the_email(client, settings):
    settings.ALLOWED_SIGNUP_DOMAINS = ["example.com"]
    signup(client, "Sam.Sign@Example.com")
    person = User.objects.get(email="sam.sign@example.com")
    assert person.name == "Sam Sign"
    assert not EmailAddress.objects.get(user=person).verified
    assert "confirm" in mail.outbox[0].subject.lower()


def test_it_signs_in_with_email_and_password(client):
    person = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "ada@example.com", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_it_ends_sessions_with_the_browser_and_within_a_working_day(client):
    person = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    client.post(
        reverse("account_login"), {"login": "ada@example.com", "password": "correct horse battery"}
    )
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= 12 * 3600
    assert not client.cookies[settings.SESSION_COOKIE_NAME]["max-age"]


def test_it_blocks_sign_in_after_repeated_failures_even_with_the_right_password(client):
    person = UserFactory(email="target@example.com")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    for _ in range(5):
        client.post(reverse("account_login"), {"login": person.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": "correct horse battery"}
    )
    assert response.status_code != 302
    assert "Too many failed login attempts" in response.content.decode()


def test_it_sends_the_admin_login_through_the_protected_sign_in(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.post(
        reverse("admin:login"), {"username": "a@example.com", "password": "guess"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def _start(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_DEBUG", "OIDC_CLIENT_ID"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=60,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = _start({"DJANGO_DEBUG": "false", "ALLOWED_HOSTS": "growth.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = _start({"DJANGO_DEBUG": "false", "SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_it_configures_single_sign_on_from_the_environment_only():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');"
            "django.setup(); from django.conf import settings;"
            "app = settings.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0];"
            "print(app['provider_id'], app['client_id'], app['settings']['server_url'],"
            " settings.SOCIALACCOUNT_PROVIDERS['openid_connect']['OAUTH_PKCE_ENABLED'])",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "OIDC_CLIENT_ID": "growth-app",
            "OIDC_CLIENT_SECRET": "s3cret",
            "OIDC_SERVER_URL": "https://login.example.org",
            "OIDC_PROVIDER_ID": "okta",
        },
    )
    assert result.stdout.split() == ["okta", "growth-app", "https://login.example.org", "True"]


def test_it_offers_single_sign_on_on_the_login_page_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "okta",
                    "name": "Okta",
                    "client_id": "id",
                    "secret": "s",
                    "settings": {"server_url": "https://login.example.org"},
                }
            ],
        }
    }
    body = client.get(reverse("account_login")).content.decode()
    assert "Okta" in body
