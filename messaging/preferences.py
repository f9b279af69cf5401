"""Email, Slack or both: each person's choice, and who hears what by which channel."""

from django.conf import settings
from django.db import transaction

from people.errors import ApplicationError
from people.models import User
from people.rules import organisation_today

from .models import Channel, ContactPreference


def slack_configured() -> bool:
    return bool(settings.SLACK_BOT_TOKEN)


def channel_of(person: User) -> str:
    """The person's choice; both by default. Without Slack everything is email."""
    if not slack_configured():
        return Channel.EMAIL
    preference = ContactPreference.objects.filter(person=person).first()
    return preference.channel if preference else Channel.BOTH


def wants_email(person: User) -> bool:
    return channel_of(person) in (Channel.EMAIL, Channel.BOTH)


def mailbox_open(person: User) -> bool:
    """Whether an email still reaches them: an address, and here, or gone
    no longer than their last day (organisation's day). A leaver's mailbox
    lives until then, so a cancellation sent on the day they leave clears
    their calendar; afterwards the address bounces or lands with whoever
    inherits it, who needs none. A leaver with no last day known (rows from
    before last days were kept) is given the benefit of the doubt."""
    if not person.email:
        return False
    if person.is_active or person.end_date is None:
        return True
    return person.end_date >= organisation_today()


def wants_slack(person: User) -> bool:
    return channel_of(person) in (Channel.SLACK, Channel.BOTH)


def channels_of(people) -> dict[int, str]:
    """Each person's channel by id, in one query (email for all without Slack)."""
    people = [p for p in people if p is not None]
    if not slack_configured():
        return {p.pk: Channel.EMAIL for p in people}
    chosen = dict(
        ContactPreference.objects.filter(person__in=people).values_list("person_id", "channel")
    )
    return {p.pk: chosen.get(p.pk, Channel.BOTH) for p in people}


def slack_people(people) -> list[User]:
    """Those of ``people`` who take Slack messages, in one query."""
    people = [p for p in people if p is not None]
    if not slack_configured() or not people:
        return []
    chosen = dict(
        ContactPreference.objects.filter(person__in=people).values_list("person_id", "channel")
    )
    return [p for p in people if chosen.get(p.pk, Channel.BOTH) != Channel.EMAIL]


@transaction.atomic
def contact_preference_set(*, person: User, channel: str) -> ContactPreference:
    if channel not in Channel.values:
        raise ApplicationError(f"“{channel}” is not a channel: choose email, Slack or both.")
    preference, _ = ContactPreference.objects.update_or_create(
        person=person, defaults={"channel": channel}
    )
    return preference


def stored_channel(person: User) -> str:
    """What the person chose (both if they never did), for their settings page."""
    preference = ContactPreference.objects.filter(person=person).first()
    return preference.channel if preference else Channel.BOTH
