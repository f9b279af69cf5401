"""What a message kind is (messaging/kinds.py holds the catalogue): its
label, the placeholders it offers, its sample data and its default words;
and the placeholders the catalogue's kinds share (a person, a cycle...)."""

from collections.abc import Callable
from dataclasses import dataclass

from people.models import User

from . import samples

PERSON = {"name", "email", "title", "team", "manager", "timezone", "get_short_name"}
CYCLE = {"name", "theme", "starts_on", "checkin_on", "ends_on"}
ASSIGNMENT = {"title", "starts_on", "ends_on", "hours_per_week"}
# What notify() adds to every notice, and email_words() to every email sent
# by its own path.
COMMON = {"recipient": PERSON, "manager": PERSON, "team": set(), "link": set()}

# The placeholders of the messages about a pair, an onboarding session, a plan
# with no buddy and a match run (used by several kinds in kinds.py).
PAIRING = {"explanation", "mentor", "mentee"}
# An onboarding meeting or pairing session (a plan task) and its invitation.
SESSION = {
    "summary": set(),
    "session": {"title", "description", "due_on"},
    "new_hire": PERSON,
    "starts": set(),
    "zone": set(),
}
NO_BUDDY = {
    "new_hire": PERSON,
    "manager": PERSON,
    "team": set(),
    "start_date": set(),
    "note": set(),
    "link": set(),
}
# A match run finished or failed, to the people team's channel.
MATCH_RUN = {"run_id": set(), "cycle": CYCLE, "link": set()}


@dataclass(frozen=True)
class MessageKind:
    label: str
    # placeholder -> the attributes it offers (empty: used as it is)
    placeholders: dict[str, set[str]]
    sample: Callable[[User], dict]
    default: str = ""  # Slack: the text; email: used when no template file
    subject: str = ""  # email only: the default subject
    template: str = ""  # email only: the file whose text is the default body

    @property
    def is_email(self) -> bool:
        return bool(self.subject)


def _with_person(sample: Callable[[User], dict]) -> Callable[[User], dict]:
    """The sample with the COMMON placeholders around the real person."""

    def full_sample(person: User) -> dict:
        return {**samples.person_sample(person), **sample(person)}

    return full_sample


def notice(
    name: str,
    *,
    label: str,
    slack: str,
    subject: str,
    template: str,
    placeholders: dict[str, set[str]],
    sample: Callable[[User], dict],
) -> dict[str, MessageKind]:
    """The Slack and email kinds of one notice, sharing their placeholders."""
    offered = {**COMMON, **placeholders}
    return {
        name: MessageKind(f"Slack: {label}", offered, _with_person(sample), default=slack),
        **email(
            name,
            label=label,
            subject=subject,
            template=template,
            placeholders=placeholders,
            sample=sample,
        ),
    }


def email(
    name: str,
    *,
    label: str,
    subject: str,
    template: str,
    placeholders: dict[str, set[str]],
    sample: Callable[[User], dict],
) -> dict[str, MessageKind]:
    """An email sent to one person by its own path, not by notify (it carries
    a calendar invitation, or another message covers Slack): its words are
    edited like a notice's and offer the same COMMON placeholders."""
    return {
        f"{name}.email": MessageKind(
            f"Email: {label}",
            {**COMMON, **placeholders},
            _with_person(sample),
            subject=subject,
            template=template,
        )
    }
