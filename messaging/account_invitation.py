"""The words of the account invitation, in the people team's: `people` sends
it (people/services/invitations.py) but may not import messaging, so
config/wiring.py names ``invitation_email`` as ``INVITATION_EMAIL`` and
people resolves it from there."""

from people.models import User

from .notify import email_words


def invitation_email(*, person: User, url: str, days: int) -> tuple[str, str]:
    """(subject, body) of the invitation to ``person``: ``url`` is their link
    to choose a password, valid for ``days`` days (also ``{{ link }}``)."""
    context = {"person": person, "url": url, "days": days}
    return email_words("account_invitation.email", person=person, link=url, context=context)
