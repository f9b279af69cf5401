"""Writes for the API app: tokens. Writes about people go through
people/services/; this app only translates requests into those calls."""

import hashlib
import secrets
import string

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError

from .models import ApiToken, ScimIdentity, Scope

TOKEN_START = "grw_"
_ALPHABET = string.ascii_lowercase + string.digits


def token_hash(token: str) -> str:
    # The secret is 256 random bits: a plain SHA-256 is enough (no password
    # stretching needed), and it lets a request be checked in one lookup.
    return hashlib.sha256(token.encode()).hexdigest()


def parse_scopes(text: str) -> list[str]:
    """'read,write' -> ['read', 'write'], refusing what is not a scope."""
    scopes = sorted({part.strip().lower() for part in text.split(",") if part.strip()})
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown or not scopes:
        raise ApplicationError(
            f"Scopes are some of {', '.join(Scope.values)}, comma-separated"
            + (f"; not {', '.join(unknown)}." if unknown else "."),
            field="scopes",
        )
    return scopes


@transaction.atomic
def token_create(*, name: str, scopes: list[str], created_by=None) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ApplicationError("A token needs a name.", field="name")
    if ApiToken.objects.filter(name=name).exists():
        raise ApplicationError(f"There is already a token named {name}.", field="name")
    scopes = parse_scopes(",".join(scopes))
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        name=name,
        prefix=prefix,
        secret_hash=token_hash(secret),
        scopes=scopes,
        created_by=created_by,
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> bool:
    """Revoke at once; returns False if it was already revoked."""
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def token_mark_used(*, token: ApiToken) -> None:
    """Record use at most once a minute, so a busy sync does not write a row
    per request."""
    now = timezone.now()
    if token.last_used_at and (now - token.last_used_at).total_seconds() < 60:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def scim_external_id_set(*, person, external_id: str | None, new: bool = False) -> None:
    """Keep the identity provider's externalId as sent (RFC 7643 3.1).
    `new`: the person was just created, so there is no identity to look up."""
    current = None if new else ScimIdentity.objects.filter(person=person).first()
    if not external_id:
        if current is not None:
            current.delete()
        return
    if current is not None and current.external_id == external_id:
        return
    taken = ScimIdentity.objects.filter(external_id=external_id).exclude(person=person)
    if taken.exists():
        raise ApplicationError(f"externalId {external_id} already belongs to someone.")
    if current is None:
        ScimIdentity.objects.create(person=person, external_id=external_id)
    else:
        current.external_id = external_id
        current.save(update_fields=["external_id"])
