"""Reads for the API app: finding the token a request carries."""

import hmac

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from ladders.models import Placement
from ladders.selectors.standing import CURRENT_FIRST
from people.models import Team, User

from .models import ApiToken
from .services import TOKEN_START, token_hash


def token_for_secret(secret: str) -> ApiToken | None:
    """The token with this secret, revoked or not, or None."""
    if not secret.startswith(TOKEN_START):
        return None
    prefix = secret[len(TOKEN_START) :].split("_", 1)[0]
    token = ApiToken.objects.filter(prefix=prefix).select_related("created_by").first()
    if token is None or not hmac.compare_digest(token.secret_hash, token_hash(secret)):
        return None
    return token


def people_for_api() -> QuerySet[User]:
    """Everyone, leavers included, with team, manager and current level in
    one query (the level is the latest placement, as ladders defines it)."""
    latest = Placement.objects.filter(person=OuterRef("pk")).order_by(*CURRENT_FIRST)
    return User.objects.select_related("team", "manager").annotate(
        level_code=Subquery(latest.values("level__code")[:1]),
        ladder_slug=Subquery(latest.values("level__revision__ladder__slug")[:1]),
    )


def teams_for_api() -> QuerySet[Team]:
    active = Count("members", filter=Q(members__is_active=True), distinct=True)
    return Team.objects.select_related("parent").annotate(member_count=active)
