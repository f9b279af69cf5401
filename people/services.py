"""Writes about people: reporting lines, teams and invitations."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.jobs import job_enqueue

from . import hooks
from .errors import ApplicationError
from .models import Team, User
from .selectors import manager_chain_ids


def reporting_loop_error(*, person: User, manager: User | None) -> str | None:
    """The reason a manager change would make a loop, or None if it would not."""
    if manager is None or person.pk is None:
        return None
    if manager.pk == person.pk:
        return f"{person} cannot be their own manager."
    if person.pk in manager_chain_ids(person_id=manager.pk):
        return (
            f"{manager} already reports to {person} (directly or further down), "
            f"so {person} cannot report to {manager}: that would make a loop."
        )
    return None


@transaction.atomic
def person_set_manager(*, person: User, manager: User | None) -> User:
    error = reporting_loop_error(person=person, manager=manager)
    if error:
        raise ApplicationError(error, field="manager")
    person.manager = manager
    person.save(update_fields=["manager"])
    return person


@transaction.atomic
def person_create(
    *,
    email: str,
    name: str,
    title: str = "",
    team: Team | None = None,
    manager: User | None = None,
    start_date=None,
    timezone_name: str = "UTC",
) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(f"{email} already belongs to someone.", field="email")
    person = User(
        email=email.strip().lower(),
        name=name.strip(),
        title=title.strip(),
        team=team,
        manager=manager,
        start_date=start_date,
        timezone=timezone_name,
    )
    person.set_unusable_password()
    person.full_clean()
    person.save()
    hooks.people_added([person.pk])
    return person


@transaction.atomic
def team_create(*, name: str, parent: Team | None = None) -> Team:
    team = Team(name=name.strip(), parent=parent)
    team.full_clean()
    team.save()
    return team


def invitation_send(*, person: User, invited_by: User | None = None) -> User:
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
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from .invitations import invitation_url

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
