"""allauth adapters: who may create an account, by password or single sign-on.

Sign-up is closed except for addresses in ALLOWED_SIGNUP_DOMAINS. Invited
people already have an account and set their password from the invitation
link. With single sign-on, an existing person is signed in by their verified
email (SOCIALACCOUNT_EMAIL_AUTHENTICATION); a new one only from an allowed
domain, because providers such as Google do not check the Workspace domain."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.ALLOWED_SIGNUP_DOMAINS


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return bool(settings.ALLOWED_SIGNUP_DOMAINS)

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
