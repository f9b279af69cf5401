"""allauth adapters: who may create an account, by password or single sign-on.

Sign-up is closed except for addresses in ALLOWED_SIGNUP_DOMAINS. Invited
people already have an account and set their password from the invitation
link. With single sign-on, an existing person is signed in by their verified
email (SOCIALACCOUNT_EMAIL_AUTHENTICATION); a new one only from an allowed
domain, because providers such as Google do not check the Workspace domain.

Failed sign-ins are counted per client address and account, and per client
address (ACCOUNT_RATE_LIMITS["login_failed"]): whoever guesses a colleague's
password is throttled, and the colleague, from their own address, is not."""

import ipaddress
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .rules import may_sign_in

logger = logging.getLogger(__name__)
_warned_short_forwarded_for = False


def _ip_or_none(value: str) -> str | None:
    """The address in `value`, normalised; some proxies append a port."""
    value = value.strip()
    candidates = [value]
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        candidates.append(value[1 : value.index("]")])
    elif value.count(":") == 1:  # 203.0.113.7:443
        candidates.append(value.split(":", 1)[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address behind settings.TRUSTED_PROXY_COUNT proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For, so the client is the TRUSTED_PROXY_COUNT-th entry from the
    right; entries further left were written by the client and prove nothing.
    With no trusted proxy the header is ignored: the peer is the client.
    """
    global _warned_short_forwarded_for
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        header = request.headers.get("X-Forwarded-For", "")
        hops = [hop for hop in header.split(",") if hop.strip()]
        address = _ip_or_none(hops[-count]) if len(hops) >= count else None
        if address:
            return address
        if not _warned_short_forwarded_for:
            _warned_short_forwarded_for = True
            logger.warning(
                "TRUSTED_PROXY_COUNT is %s but a request came with X-Forwarded-For %r; "
                "using the peer address instead. Check the number of proxies in front.",
                count,
                header,
            )
    return _ip_or_none(request.META.get("REMOTE_ADDR", ""))


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.ALLOWED_SIGNUP_DOMAINS


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine the client's address.")
        return address

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials) -> str:
        # allauth keys failed sign-ins by the account alone, so anyone who knows
        # an email could lock its owner out. Keyed by address and account, the
        # guesser is throttled and the owner signs in from their own address.
        # (A private hook: tests/people/test_sign_in_limits.py pins the behaviour.)
        account_key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{self.get_client_ip(request)}|{account_key}"

    def is_open_for_signup(self, request) -> bool:
        return bool(settings.ALLOWED_SIGNUP_DOMAINS)

    def pre_login(self, request, user, **kwargs):
        # allauth checks only is_active, for passwords (the backends hand it
        # the refused user to explain) and single sign-on alike: ask the rule.
        if not may_sign_in(user):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).lower()
        if not email_domain_allowed(email):
            allowed = ", ".join(settings.ALLOWED_SIGNUP_DOMAINS)
            raise forms.ValidationError(
                f"Sign-up is open to addresses at {allowed} only. "
                "Ask the people team for an invitation."
            )
        return email


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        email = (sociallogin.user.email or "").lower()
        return bool(email) and email_domain_allowed(email)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").lower()
        user.name = (
            data.get("name")
            or " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
            or user.email
        )
        return user
