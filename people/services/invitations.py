"""Invitations to sign in for the first time: recorded, sent once by a task,
accepted with a first password."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

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
        person = User.objects.get(pk=person_id)
        context = {"person": person, "url": invitation_url(person), "days": _valid_days()}
        send_mail(
            subject="You're invited to Growth",
            message=render_to_string("people/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
    return True


def _valid_days() -> int:
    return settings.INVITATION_VALID_FOR.days


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
