"""Invitation links: signed, valid for a week, and void once used or replaced.

The token carries the invitation time, so a newer invitation (or a password
already set) makes older links useless without storing tokens anywhere."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import User

_SALT = "people.invitation"


def invitation_token(person: User) -> str:
    if person.invited_at is None:
        raise ValueError(f"{person} has not been invited")
    return signing.dumps({"id": person.pk, "at": person.invited_at.isoformat()}, salt=_SALT)


def invitation_url(person: User) -> str:
    path = reverse("people:invitation_accept", args=[invitation_token(person)])
    return settings.SITE_URL.rstrip("/") + path


def invitation_person(token: str) -> User | None:
    """The person a still-valid token invites, or None."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.INVITATION_VALID_FOR)
    except signing.BadSignature:
        return None
    person = User.objects.filter(pk=data.get("id"), is_active=True).first()
    if person is None or person.invited_at is None or person.has_usable_password():
        return None
    if person.invited_at.isoformat() != data.get("at"):
        return None
    return person
