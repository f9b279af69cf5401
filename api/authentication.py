"""`Authorization: Bearer <token>` for the API and SCIM. A token acts for the
people team within its scopes (api/permissions.py)."""

from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions

from .selectors import token_for_secret
from .services import token_mark_used


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None  # another scheme: not ours (the docs page uses the session)
        token = token_for_secret(secret.strip())
        if token is None:
            raise exceptions.AuthenticationFailed("This token is not valid.")
        if token.is_revoked:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        token_mark_used(token=token)
        user = token.created_by if token.created_by_id else AnonymousUser()
        return user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) when the token is missing or wrong.
        return f'{self.keyword} realm="api"'
