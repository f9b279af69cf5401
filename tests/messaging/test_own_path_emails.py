"""Emails sent by their own path, not by notify (a calendar invitation
attached, one email to the whole people team, or the account invitation
that people sends through config/wiring.py), in words the people team
can edit like any notice's: their saved subject and body are what is sent,
with the attachment still on it; a broken placeholder is refused with its
line; the admin previews each with sample data and sends a test of it to
whoever edits it; and every kind's sample fills every placeholder of its
default words."""

import datetime as dt

import pytest
from django.core import mail
from django.template import Context, Engine
from django.urls import reverse

from mentorship.models import Pairing
from mentorship.services.kickoff_changes import (
    kickoff_invitation_cancel,
    kickoff_invitations_refresh,
    kickoff_reinvite,
)
from mentorship.services.notifications import pairings_published_notify
from messaging.models import MessageText
from messaging.texts import ENGINE, KINDS, default_body
from onboarding.models import PlanTask
from onboarding.services.invitations import plan_invitations_cancel, plan_invitations_send
from onboarding.services.no_buddy import tell_people_team
from people.invitations import invitation_url
from people.services.invitations import invitation_deliver, invitation_send
from tests.mentorship.test_kickoff_invitations import pairing  # noqa: F401  (the fixture)
from tests.onboarding.factories import OnboardingPlanFactory
from tests.onboarding.test_invitations import plan as session_plan  # noqa: F401  (the fixture)
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

OWN_PATH = [
    "pairing_published.email",
    "pairing_published_manager.email",
    "kickoff_updated.email",
    "kickoff_cancelled.email",
    "no_buddy.email",
    "session_invitation.email",
    "session_updated.email",
    "session_cancelled.email",
    "account_invitation.email",
]


def calendar_methods(message) -> list[str]:
    return [
        str(part.get_param("method"))
        for part in message.message().walk()
        if part.get_content_type() == "text/calendar"
    ]


def to(address: str):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def reword(kind: str, subject: str, body: str) -> None:
    MessageText.objects.create(kind=kind, subject=subject, body=body)


def invited(person) -> str:
    """Invite someone who cannot sign in yet; returns the stamp the task is given."""
    person.set_unusable_password()
    person.save()
    invitation_send(person=person)
    return person.invited_at.isoformat()


# --- the people team's words are what is sent -------------------------------------------


def test_the_pairing_email_is_sent_in_their_words_with_the_invitation(org, pairing):  # noqa: F811
    reword(
        "pairing_published.email",
        "{{ cycle.name }}: you and {{ partner.name }}",
        "Hi {{ recipient.get_short_name }} ({{ team }}), "
        "{% if is_mentor %}you mentor{% else %}your mentor is{% endif %} {{ partner.name }} "
        "on {{ mentor_signup.project_title }}. {{ pairing.explanation|join:'; ' }}\n{{ link }}",
    )
    Pairing.objects.filter(pk=pairing.pk).update(explanation=["Teaches Testing", "Two teams"])

    pairings_published_notify(cycle_id=pairing.cycle_id)

    mentee = to("engineer@example.com")
    assert mentee.subject == "Winter rotation: you and Pia Laine"
    assert mentee.body == (
        "Hi Eli (Payments), your mentor is Pia Laine on Faster builds. Teaches Testing; Two teams\n"
        "https://growth.example.com/rotations/mine/\n"
    )
    assert calendar_methods(mentee) == ["REQUEST"]
    assert to("peer@example.com").body.startswith("Hi Pia (Search), you mentor Eli Novak")


def test_the_managers_email_is_sent_in_their_words(org, pairing):  # noqa: F811
    reword(
        "pairing_published_manager.email",
        "Paired in {{ cycle }}",
        "{% for person, role, pairing in rows %}{{ person.name }} ({{ role|lower }}): "
        "{{ pairing }}{% endfor %}\n{{ link }}",
    )

    pairings_published_notify(cycle_id=pairing.cycle_id)

    manager = to("manager@example.com")
    assert manager.subject == "Paired in Winter rotation"
    assert manager.body == (
        "Eli Novak (mentee): Pia Laine with Eli Novak\nhttps://growth.example.com/rotations/team/\n"
    )
    assert calendar_methods(manager) == []  # managers get no invitation, as before


def test_a_moved_kickoff_is_sent_in_their_words_with_the_update(org, pairing):  # noqa: F811
    reword(
        "kickoff_updated.email",
        "Moved: {{ summary }}",
        "{{ recipient.get_short_name }}, {% if proposed_by %}{{ proposed_by.name }} moved it to "
        "{{ starts }} ({{ zone }}){% else %}it starts on {{ cycle.starts_on|date:'j M' }}"
        "{% endif %}.",
    )
    pairings_published_notify(cycle_id=pairing.cycle_id)
    cycle = pairing.cycle
    cycle.starts_on = dt.date(2027, 1, 18)
    cycle.save()
    mail.outbox.clear()

    kickoff_invitations_refresh(cycle_id=cycle.pk)

    mentee = to("engineer@example.com")
    assert mentee.subject == "Moved: Rotation kick-off: Pia Laine and Eli Novak"
    assert mentee.body == "Eli, it starts on 18 Jan.\n"
    assert calendar_methods(mentee) == ["REQUEST"]

    Pairing.objects.filter(pk=pairing.pk).update(
        kickoff_at=dt.datetime(2027, 1, 20, 14, 0, tzinfo=dt.UTC)
    )
    mail.outbox.clear()
    kickoff_reinvite(pairing_id=pairing.pk, proposed_by_id=org.peer.pk)

    assert to("peer@example.com").body == (
        "Pia, Pia Laine moved it to Wednesday 20 January 2027, 15:00 (Europe/Paris).\n"
    )


def test_a_cancelled_kickoff_is_sent_in_their_words_with_the_cancellation(
    org,
    pairing,  # noqa: F811
):
    reword(
        "kickoff_cancelled.email",
        "Off: {{ summary }}",
        "{{ pairing }} in {{ cycle.name }} is off.",
    )
    pairings_published_notify(cycle_id=pairing.cycle_id)
    mail.outbox.clear()

    assert kickoff_invitation_cancel(pairing_id=pairing.pk) == 2

    mentor = to("peer@example.com")
    assert mentor.subject == "Off: Rotation kick-off: Pia Laine and Eli Novak"
    assert mentor.body == "Pia Laine with Eli Novak in Winter rotation is off.\n"
    assert calendar_methods(mentor) == ["CANCEL"]


def test_the_people_team_hears_of_no_buddy_in_their_words(org):
    reword(
        "no_buddy.email",
        "Nobody for {{ new_hire.name }} ({{ team }})",
        "{{ new_hire.get_short_name }} starts {{ start_date|date:'j M' }} "
        "under {{ manager.name }}: {{ note }}\n{{ link }}",
    )
    plan = OnboardingPlanFactory(new_hire=org.engineer, start_date=dt.date(2027, 1, 4))
    plan.buddy_note = "Everyone is at the cap."
    plan.save()

    tell_people_team([plan])
    tell_people_team([plan])  # once

    (sent,) = mail.outbox
    assert sent.to == ["hr@example.com"]
    assert sent.subject == "Nobody for Eli Novak (Payments)"
    assert sent.body == (
        "Eli starts 4 Jan under Mia Chen: Everyone is at the cap.\n"
        f"http://localhost:8000/onboarding/plans/{plan.pk}/\n"
    )


def test_an_onboarding_session_is_sent_in_their_words_with_the_invitation(session_plan):  # noqa: F811
    reword(
        "session_invitation.email",
        "{{ session.title }} with {{ other.name }}",
        "{{ recipient.get_short_name }}: {{ starts }} ({{ zone }}), "
        "{% if new_hire == recipient %}yours{% else %}for {{ new_hire.name }}{% endif %}. "
        "{{ link }}",
    )

    plan_invitations_send(plan_id=session_plan.pk)

    bea = to("bea@example.com")
    assert bea.subject == "Pair on a first bug with Nia Obi"
    assert bea.body == (
        "Bea: Wednesday 06 January 2027, 01:00 (Europe/London), for Nia Obi. "
        "https://growth.example.com/onboarding/\n"
    )
    assert calendar_methods(bea) == ["REQUEST"]
    nia = next(m for m in mail.outbox if m.to == ["nia@example.com"] and "Bea" in m.subject)
    assert nia.subject == "Pair on a first bug with Bea Kim"
    assert nia.body.startswith("Nia: Wednesday 06 January 2027, 10:00 (Asia/Tokyo), yours.")


def test_a_moved_session_is_sent_in_their_words_with_the_update(session_plan):  # noqa: F811
    reword("session_updated.email", "Moved: {{ summary }}", "Now {{ starts }}.")
    plan_invitations_send(plan_id=session_plan.pk)
    PlanTask.objects.filter(title="Pair on a first bug").update(due_on=dt.date(2027, 1, 7))
    mail.outbox.clear()

    plan_invitations_send(plan_id=session_plan.pk)

    bea = to("bea@example.com")
    assert bea.subject == "Moved: Pair on a first bug (Nia Obi)"
    assert bea.body == "Now Thursday 07 January 2027, 01:00.\n"
    assert calendar_methods(bea) == ["REQUEST"]


def test_a_cancelled_session_is_sent_in_their_words_with_the_cancellation(session_plan):  # noqa: F811
    reword(
        "session_cancelled.email",
        "Off: {{ session.title }}",
        "{% if goes_on %}{{ replaced_by.name }} instead of you{% else %}Off for good{% endif %}.",
    )
    plan_invitations_send(plan_id=session_plan.pk)
    kai = UserFactory(name="Kai Lund", email="kai@example.com", timezone="Europe/Oslo")
    PlanTask.objects.filter(title="Pair on a first bug").update(partner=kai)
    mail.outbox.clear()

    plan_invitations_send(plan_id=session_plan.pk)  # Bea taken out, Kai in

    bea = to("bea@example.com")
    assert (bea.subject, bea.body) == ("Off: Pair on a first bug", "Kai Lund instead of you.\n")
    assert calendar_methods(bea) == ["CANCEL"]

    session_plan.new_hire.is_active = False
    session_plan.new_hire.save()
    mail.outbox.clear()
    plan_invitations_cancel(plan_id=session_plan.pk)

    kai_email = to("kai@example.com")
    assert (kai_email.subject, kai_email.body) == ("Off: Pair on a first bug", "Off for good.\n")
    assert calendar_methods(kai_email) == ["CANCEL"]


def test_the_account_invitation_is_sent_in_their_words_once(org):
    reword(
        "account_invitation.email",
        "{{ person.get_short_name }}, {{ team }} awaits you",
        "Dear {{ person.name }} ({{ recipient.email }}), your manager {{ manager.name }} "
        "says hello.\nYour link, for {{ days }} days: {{ url }}",
    )
    newcomer = org.engineer
    stamp = invited(newcomer)

    assert invitation_deliver(person_id=newcomer.pk, invited_at=stamp) is True
    assert invitation_deliver(person_id=newcomer.pk, invited_at=stamp) is False  # claimed once

    (sent,) = mail.outbox
    assert sent.to == ["engineer@example.com"]
    assert sent.subject == "Eli, Payments awaits you"
    assert sent.body == (
        "Dear Eli Novak (engineer@example.com), your manager Mia Chen says hello.\n"
        f"Your link, for 7 days: {invitation_url(newcomer)}\n"
    )


def test_a_saved_invitation_that_fails_as_it_is_filled_in_goes_out_in_the_default_words(
    org, caplog
):
    # Written past the admin (which refuses it): the filter fails only as it runs.
    reword("account_invitation.email", "", "Your link is good for {{ days|divisibleby:0 }} days")
    newcomer = org.engineer

    assert invitation_deliver(person_id=newcomer.pk, invited_at=invited(newcomer))

    (sent,) = mail.outbox
    assert sent.body.startswith("Hello Eli,\n\nThe people team has invited you to Growth")
    assert "The saved words of account_invitation.email failed" in caplog.text


def test_the_people_team_sees_that_their_words_failed_until_they_save_them_again(org, client):
    text = MessageText.objects.create(
        kind="account_invitation.email", body="Good for {{ days|divisibleby:0 }} days"
    )
    invitation_deliver(person_id=org.engineer.pk, invited_at=invited(org.engineer))
    client.force_login(org.hr)
    change = reverse("admin:messaging_messagetext_change", args=[text.pk])

    text.refresh_from_db()
    assert "ZeroDivisionError" in text.failed
    listing = client.get(reverse("admin:messaging_messagetext_changelist")).content.decode()
    assert "ZeroDivisionError" in listing
    page = client.get(change).content.decode()
    assert "These words failed as they were filled in" in page
    assert "went out in the default words instead" in page

    fixed = {"kind": text.kind, "subject": "", "body": "Good for {{ days }} days"}
    assert client.post(change, fixed).status_code == 302
    text.refresh_from_db()
    assert text.failed == ""
    assert "These words failed" not in client.get(change).content.decode()


def test_a_text_that_keeps_failing_keeps_its_first_failure_until_saved_again(org):
    """Sent to many people, a broken text is written once, not once per
    person (each write would also lock the row against every other worker)."""
    text = MessageText.objects.create(
        kind="account_invitation.email", body="Good for {{ days|divisibleby:0 }} days"
    )
    invitation_deliver(person_id=org.engineer.pk, invited_at=invited(org.engineer))
    text.refresh_from_db()
    first = text.failed
    assert "ZeroDivisionError" in first

    MessageText.objects.filter(pk=text.pk).update(body="Good for {% include 'nope.txt' %} days")
    newcomer = UserFactory(name="Ines Newcomer", email="ines@example.com")
    invitation_deliver(person_id=newcomer.pk, invited_at=invited(newcomer))
    assert mail.outbox[-1].to == ["ines@example.com"]  # in the default words
    text.refresh_from_db()
    assert text.failed == first


# --- the admin: refused with its line, previewed with sample data ---------------------------


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


@pytest.mark.parametrize("kind", OWN_PATH)
def test_a_broken_placeholder_is_refused_with_its_line(hr_client, kind):
    response = hr_client.post(
        reverse("admin:messaging_messagetext_add"),
        {"kind": kind, "subject": "Fine: {{ link }}", "body": "Hello,\n\n{{ salary }}"},
    )

    page = response.content.decode()
    assert "Line 3: “{{ salary }}”: there is no placeholder “salary” here" in page
    assert not MessageText.objects.exists()


@pytest.mark.parametrize("kind", ["account_invitation.email", "no_buddy.email"])
def test_a_text_that_fails_as_it_is_filled_in_is_refused_and_kept(hr_client, kind):
    typed = "Hello,\n\n{{ link|divisibleby:0 }}"
    response = hr_client.post(
        reverse("admin:messaging_messagetext_add"),
        {"kind": kind, "subject": "", "body": typed},
    )

    page = response.content.decode()
    assert "This text fails when it is filled in with sample data" in page
    assert typed.split("\n")[-1] in page  # what they typed is still in the form
    assert not MessageText.objects.exists()


# What the sample data of each kind shows in its default words.
SAMPLE_SHOWS = {
    "pairing_published.email": ("Your mentor is Mia Chen", "Crosses two teams"),
    "pairing_published_manager.email": ("Eli Novak, as mentee: mentored by Mia Chen", "3 hours"),
    "kickoff_updated.email": ("Mia Chen proposed another time", "15:30"),
    "kickoff_cancelled.email": ("(Mia Chen with Eli Novak) no longer takes place",),
    "no_buddy.email": ("Eli Novak (Payments) starts on Monday 4 January 2027", "has room"),
    "session_invitation.email": (
        "Pair on a first bug, for your onboarding, with Mia Chen: Wednesday 06 January 2027",
        "Pick a small bug",
    ),
    "session_updated.email": ("has changed: it is now on Wednesday 06 January 2027, 10:00",),
    "account_invitation.email": (
        "Hello Eli,",
        "the link works for 7 days",
        "http://localhost:8000/invitation/sample-link/",
    ),
    "session_cancelled.email": (
        "You are no longer needed at Pair on a first bug",
        "Mia Chen takes",
    ),
}


@pytest.mark.parametrize("kind", OWN_PATH)
def test_the_admin_previews_each_with_its_sample_data(hr_client, org, kind):
    text = MessageText.objects.create(kind=kind, subject="", body="")

    page = hr_client.get(
        reverse("admin:messaging_messagetext_change", args=[text.pk]) + f"?person={org.engineer.pk}"
    ).content.decode()

    assert "Subject: <strong>" in page
    for words in SAMPLE_SHOWS[kind]:
        assert words in page, words


MISSING = Engine(dirs=ENGINE.dirs, app_dirs=True, autoescape=False, string_if_invalid="MISSING(%s)")


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_sample_fills_every_placeholder_of_the_default(org, kind):
    """Every kind's, not only these: a preview with a gap would hide a missing sample."""
    context = KINDS[kind].sample(org.engineer)
    for source in (KINDS[kind].subject, default_body(kind)):
        assert "MISSING" not in MISSING.from_string(source).render(Context(context))


@pytest.mark.parametrize("kind", OWN_PATH)
def test_a_test_of_each_is_sent_to_whoever_edits_it(hr_client, org, kind):
    text = MessageText.objects.create(kind=kind, subject="", body="")

    response = hr_client.post(
        reverse("admin:messaging_messagetext_changelist"),
        {"action": "send_test", "_selected_action": [text.pk]},
        follow=True,
    )

    (sent,) = mail.outbox
    assert sent.to == [org.hr.email]
    assert sent.subject.startswith("[Test] ")
    assert sent.body.startswith("Hello")  # the template file's words, with sample data
    assert "was sent to you by email" in response.content.decode()
