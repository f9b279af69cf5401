"""Sign-in backends: Django's and allauth's, refusing whoever may not sign in
by people.rules.may_sign_in (inactive, or their last day has come). Django
asks user_can_authenticate both when a password is checked and on every
request with a session, so someone whose last day has come is signed out at
once, before the daily sweep deactivates them."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from .rules import may_sign_in


class _LastDayRefused:
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and may_sign_in(user)  # type: ignore[misc]


class ModelBackend(_LastDayRefused, DjangoModelBackend):
    pass


class AuthenticationBackend(_LastDayRefused, AllauthBackend):
    pass
