"""Production settings pass `check --deploy` in every configuration the README
recommends, and every response carries a strict Content-Security-Policy."""

import base64
import hashlib
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import simple_history
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "growth.example.org",
    "DATABASE_URL": "postgres://growth:secret@db.example.org:5432/growth",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "SITE_URL": "https://growth.example.org",
    "EMAIL_HOST": "smtp.example.org",
}
# The README's configurations: its production example, the same behind a TLS
# proxy that already redirects to HTTPS, with single sign-on, and what .ci/run checks.
CONFIGURATIONS = {
    "production": PRODUCTION,
    "behind a redirecting proxy": {
        **PRODUCTION,
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "CSRF_TRUSTED_ORIGINS": "https://growth.example.org",
    },
    "with single sign-on": {
        **PRODUCTION,
        "OIDC_CLIENT_ID": "growth",
        "OIDC_CLIENT_SECRET": "s3cret",
        "OIDC_SERVER_URL": "https://login.example.org",
    },
    "CI": {
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "growth.example.org",
    },
}
OUR_VARIABLES = {
    *PRODUCTION,
    *CONFIGURATIONS["behind a redirecting proxy"],
    "OIDC_CLIENT_ID",
    "SECURE_HSTS_SECONDS",
    # Set by the browser tests' conftest in this process; check --deploy rightly warns.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_check_deploy(env: dict) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k not in OUR_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**inherited, **env},
        timeout=120,
    )


@pytest.mark.parametrize("name", CONFIGURATIONS)
def test_it_passes_check_deploy_in_each_recommended_configuration(name):
    result = run_check_deploy(CONFIGURATIONS[name])

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_silences_only_the_redirect_warning_behind_a_redirecting_proxy():
    without_hsts = {**CONFIGURATIONS["behind a redirecting proxy"], "SECURE_HSTS_SECONDS": "0"}

    result = run_check_deploy(without_hsts)

    assert result.returncode != 0
    assert "security.W004" in result.stderr  # HSTS off is still reported
    assert "security.W008" not in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_login", "home", "admin:login"])
def test_it_sends_a_strict_content_security_policy(client, url_name):
    policy = client.get(reverse(url_name))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_it_allows_only_style_attributes_that_a_template_really_writes():
    """'unsafe-hashes' admits exact style attribute values; each hash in the
    policy must still match one in a third-party template we render."""
    styles = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    allowed = {s.strip("'").removeprefix("sha256-") for s in styles if s.startswith("'sha256-")}
    template = Path(simple_history.__file__).parent / "templates/simple_history"
    written = {
        base64.b64encode(hashlib.sha256(value.encode()).digest()).decode()
        for path in template.glob("*.html")
        for value in re.findall(r'style="([^"]*)"', path.read_text())
    }
    assert allowed and allowed <= written


def test_it_keeps_templates_free_of_inline_scripts_handlers_and_styles():
    offending = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\ssrc=)|<style|\son[a-z]+=|\sstyle=|javascript:", text):
            offending.append(str(path.relative_to(ROOT)))
    assert offending == []


def test_it_refuses_to_start_with_a_proxy_count_that_is_not_a_number():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "TRUSTED_PROXY_COUNT": "one"},
        timeout=120,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be a whole number of proxies (0 or more), not 'one'" in (
        result.stderr
    )
