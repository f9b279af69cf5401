"""Which scope a request needs: read for GET, write for changes, scim for
/scim/v2/. A view may name its scope in `token_scope`."""

from rest_framework import exceptions, permissions

from people.access import is_people_team

from .models import ApiToken, Scope


def required_scope(request, view) -> str:
    scope = getattr(view, "token_scope", None)
    if scope:
        return scope
    return Scope.READ if request.method in permissions.SAFE_METHODS else Scope.WRITE


class TokenScope(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False  # DRF turns this into 401 with no credentials
        scope = required_scope(request, view)
        if not token.allows(scope):
            raise exceptions.PermissionDenied(
                f"This token has no '{scope}' scope (it has: {', '.join(token.scopes)})."
            )
        return True


class DocsReader(permissions.BasePermission):
    """The schema and the docs page: any valid token, or the people team
    signed in (the docs page fetches the schema with the session)."""

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiToken):
            return True
        return is_people_team(request.user)
