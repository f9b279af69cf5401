"""What a leaving tells people are notices (messaging/kinds.py): the people
team's words replace the defaults, email and Slack alike; the partner's
email still carries the kick-off's cancellation; each is told once."""

import pytest
from django.core import mail
from django.urls import reverse

from mentorship.services.invitations import kickoff_record
from messaging.models import Channel, ContactPreference, MessageText, QueuedEmail, SlackMessage
from people.services.lifecycle import person_deactivate
from tests.leavers.conftest import run_jobs, told
from tests.mentorship.test_kickoff_invitations import invitations_to

pytestmark = pytest.mark.django_db


def _words(kind: str, body: str, subject: str = "") -> None:
    MessageText.objects.create(kind=kind, subject=subject, body=body)


def test_the_people_teams_words_are_the_leaver_emails(world):
    _words("stretch_leaver.email", "{{ leaver.name }} freed a seat.", "Free: {{ assignment }}")
    _words("buddy_left.email", "Meet {{ buddy.name }}. {{ link }}", "Buddy, {{ recipient.name }}")
    _words("partner_left.email", "{% if is_mentee %}Mentee{% endif %}", "{{ left.name }} is gone")
    kickoff_record(world.to_ann)  # Ann's kick-off was sent: its cancellation goes with the news

    person_deactivate(person=world.lee)
    run_jobs(times=2)

    emails = {message.to[0]: message for message in mail.outbox}
    assert (emails["pat.poster@example.com"].subject, emails["pat.poster@example.com"].body) == (
        f"Free: {world.stretch.title}",
        "Lee Leaver freed a seat.\n",
    )
    noa = emails["noa.new@example.com"]
    assert noa.subject == "Buddy, Noa New"
    assert (
        noa.body == f"Meet Sam Senior. http://localhost:8000{reverse('onboarding:my_checklist')}\n"
    )
    ann = emails["ann.a@example.com"]
    assert (ann.subject, ann.body) == ("Lee Leaver is gone", "Mentee\n")
    (cancellation,) = invitations_to("ann.a@example.com")
    assert str(cancellation["method"]) == "CANCEL"
    assert invitations_to("ben.b@example.com") == []  # no kick-off sent to Ben: nothing to cancel
    assert emails["cat.c@example.com"].body == "\n"  # Cat mentors: not the mentee's line
    assert len(told()) == 5


def test_the_default_words_say_who_left_and_what_it_means(world):
    kickoff_record(world.to_ann)

    person_deactivate(person=world.lee)
    run_jobs()

    emails = {message.to[0]: message for message in mail.outbox}
    pat = emails["pat.poster@example.com"]
    assert pat.subject == f"Lee Leaver has left: a seat on “{world.stretch.title}” is free"
    assert "is free again for someone else to apply." in pat.body
    assert f"/ladders/stretch/{world.stretch.pk}/" in pat.body
    assert emails["noa.new@example.com"].subject == "Your onboarding buddy Lee Leaver has left"
    ann = emails["ann.a@example.com"].body
    assert "its kick-off is cancelled: the cancellation attached removes it" in ann
    assert "kick-off" not in emails["ben.b@example.com"].body  # none was sent to Ben


def test_on_slack_the_leaver_messages_are_in_the_people_teams_words(world, settings):
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    settings.SLACK_PEOPLE_TEAM_CHANNEL = "#people-team"
    _words("partner_left", "{{ left.name }} left {{ cycle }}. <{{ link }}|Yours>")
    _words("stretch_leaver", "{{ leaver.name }} left {{ assignment.title }}")
    _words("pairing_left", "{{ left.name }} left {{ pairing }} ({{ status }})")
    ContactPreference.objects.create(person=world.ben, channel=Channel.EMAIL)

    person_deactivate(person=world.lee)
    run_jobs(times=2)

    texts = {
        (message.kind, *(p.name for p in message.recipients.all())): message.text
        for message in SlackMessage.objects.filter(channel="")
    }
    mine = "http://localhost:8000" + reverse("mentorship:my_rotation")
    assert texts[("partner_left", "Ann A")] == f"Lee Leaver left {world.published}. <{mine}|Yours>"
    assert ("partner_left", "Ben B") not in texts  # Ben takes email only
    assert texts[("stretch_leaver", "Pat Poster")] == f"Lee Leaver left {world.stretch.title}"
    to_team = SlackMessage.objects.get(kind="pairing_left", key__endswith=f"-{world.to_ann.pk}")
    assert to_team.text == f"Lee Leaver left {world.to_ann} (published)"


def test_a_new_hire_left_without_a_buddy_hears_it_by_their_channel_once(world, settings):
    settings.SLACK_BOT_TOKEN = "xoxb-test"
    ContactPreference.objects.create(person=world.noa, channel=Channel.SLACK)
    person_deactivate(person=world.sam)  # the engine's only choice is gone too
    run_jobs()

    person_deactivate(person=world.lee)
    run_jobs(times=2)

    (message,) = SlackMessage.objects.filter(kind="buddy_left")
    assert [p.email for p in message.recipients.all()] == ["noa.new@example.com"]
    assert "The people team is finding you a new buddy" in message.text
    assert not QueuedEmail.objects.filter(recipient=world.noa).exists()  # Slack only
