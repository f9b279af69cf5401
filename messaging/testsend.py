"""The admin's preview and "send a test to myself": a text rendered with
sample data around a real person, and sent to the person editing it, at
once (not on the job path: they are waiting to see it)."""

from django.conf import settings
from django.core.mail import EmailMessage

from people.errors import ApplicationError
from people.models import User

from . import slack
from .models import MessageText
from .preferences import slack_configured
from .texts import KINDS, render_email, render_text


def sample_rendering(*, text: MessageText, person: User) -> tuple[str | None, str]:
    """(subject, body) for an email kind, (None, text) for a Slack one."""
    kind = KINDS[text.kind]
    context = kind.sample(person)
    if kind.is_email:
        return render_email(text.kind, context, subject=text.subject, body=text.body)
    return None, render_text(text.kind, context, source=text.body)


def test_send(*, text: MessageText, person: User) -> str:
    """Send ``text`` with sample data to ``person``; says where it went."""
    subject, body = sample_rendering(text=text, person=person)
    if subject is not None:
        if not person.email:
            raise ApplicationError("You have no email address to send the test to.")
        EmailMessage(
            subject=f"[Test] {subject}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        ).send()
        return f"by email ({person.email})"
    if not slack_configured():
        raise ApplicationError(
            "Slack is not configured here (SLACK_BOT_TOKEN), so a Slack text cannot be tested."
        )
    try:
        slack.post_to_people(slack.client(), [person.email], f"[Test] {body}")
    except slack.SlackRefused as refusal:
        raise ApplicationError(f"Slack refused the test: {refusal}") from refusal
    except slack.SlackUnavailable as error:
        raise ApplicationError(f"Slack could not be reached, try again: {error}") from error
    return "on Slack"
