"""Invitations to sign in for the first time: recorded, sent once by a task
in the people team's words (settings.INVITATION_EMAIL), accepted with a
first password."""

import functools
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.jobs import job_enqueue

from ..errors import ApplicationError
from ..invitations import invitation_url
from ..models import User


def invitation_send(*, person: User) -> User:
    """Record the invitation and send its email once the transaction commits."""
    if not person.is_active:
        raise ApplicationError(f"{person} has left; they cannot be invited.")
    if person.has_usable_password():
        raise ApplicationError(f"{person} can already sign in.")
    with transaction.atomic():
        person.invited_at = timezone.now()
        person.invitation_sent_at = None
        person.save(update_fields=["invited_at", "invitation_sent_at"])
        job_enqueue("people.tasks.invitation_send_task", person.pk, person.invited_at.isoformat())
    return person


def invitation_deliver(*, person_id: int, invited_at: str) -> bool:
    """Send the invitation email. Safe to run twice: it claims the invitation
    by clearing the marker in a conditional UPDATE, and only the run that
    wins the claim sends. Returns whether this run sent it."""
    with transaction.atomic():
        claimed = User.objects.filter(
            pk=person_id, invited_at=invited_at, invitation_sent_at__isnull=True
        ).update(invitation_sent_at=timezone.now())
        if claimed != 1:
            return False
        person = User.objects.select_related("team", "manager").get(pk=person_id)
        subject, body = invitation_email(settings.INVITATION_EMAIL)(
            person=person, url=invitation_url(person), days=settings.INVITATION_VALID_FOR.days
        )
        send_mail(
            subject=subject,
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
    return True


class InvitationEmail(Protocol):
    def __call__(self, *, person: User, url: str, days: int) -> tuple[str, str]: ...


@functools.cache
def invitation_email(path: str) -> InvitationEmail:
    """The function settings.INVITATION_EMAIL names (config/wiring.py): the
    people team edits the invitation's words in messaging, which people may
    not import. Resolved on first use, when every app is loaded; cached by
    the path itself, so override_settings in tests just works."""
    return import_string(path)


@transaction.atomic
def invitation_accept(*, person: User, password: str) -> User:
    """Set the first password; the invitation proved the email address."""
    from allauth.account.models import EmailAddress

    person.set_password(password)
    person.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )
    return person
