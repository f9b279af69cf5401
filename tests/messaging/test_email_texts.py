"""Emails the people team can edit: the template file is the default until
they write their own subject and body, a broken placeholder is refused with
its line, the admin previews an email and sends a test to whoever edits it."""

import pytest
from django.core import mail
from django.urls import reverse

from ladders.services.stretch import stretch_apply
from messaging.models import MessageText
from messaging.testsend import sample_rendering
from messaging.texts import KINDS, default_body, render_email, text_problems
from tests.ladders.factories import StretchAssignmentFactory
from tests.messaging.fixtures import deliver_notices

pytestmark = pytest.mark.django_db

ADD = reverse("admin:messaging_messagetext_add")


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def apply(org):
    assignment = StretchAssignmentFactory(posted_by=org.manager, title="Own the runbook")
    stretch_apply(assignment=assignment, person=org.engineer, motivation="To learn on-call")
    deliver_notices()
    return assignment


def test_every_email_has_a_file_template_as_its_default_and_it_is_valid():
    emails = [name for name, kind in KINDS.items() if kind.is_email]

    assert len(emails) >= 8
    for name in emails:
        kind = KINDS[name]
        assert default_body(name).startswith("{% autoescape off %}"), name
        assert text_problems(name, default_body(name)) == [], name
        assert text_problems(name, kind.subject) == [], name


def test_the_file_template_is_the_email_until_the_people_team_writes_theirs(org):
    apply(org)
    [sent] = mail.outbox
    assert sent.subject == "Eli Novak applied to Own the runbook"
    assert sent.body.startswith("Hello Mia,\n\nEli Novak (Payments) applied to your stretch")
    assert "Why they want it:\n\nTo learn on-call" in sent.body  # the file's words


def test_the_people_teams_words_replace_subject_and_body(org):
    MessageText.objects.create(
        kind="stretch_application.email",
        subject="New applicant for {{ assignment.title }}",
        body="Hi {{ recipient.get_short_name }}, {{ applicant.name }} ({{ team }}) applied.\n"
        "{{ link }}",
    )

    assignment = apply(org)

    [sent] = mail.outbox
    assert sent.subject == "New applicant for Own the runbook"
    assert sent.body == (
        f"Hi Mia, Eli Novak (Payments) applied.\n"
        f"http://localhost:8000/ladders/stretch/{assignment.pk}/\n"
    )


def test_a_subject_is_one_line_however_it_is_written(org):
    subject, _ = render_email(
        "stretch_decision.email",
        {"assignment": {"title": "Runbook"}, "accepted": True},
        subject="{% if accepted %}\nIn:\n{% endif %} {{ assignment.title }}",
        body="x",
    )
    assert subject == "In: Runbook"


# --- the admin ------------------------------------------------------------------------


def test_the_admin_refuses_a_broken_placeholder_in_an_email_with_its_line(hr_client):
    response = hr_client.post(
        ADD,
        {
            "kind": "checkin_request.email",
            "subject": "Check-in for {{ cycle.budget }}",
            "body": "Hello {{ recipient.name }},\n\nYour partner: {{ partner.name }}\n{{ salary }}",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 1: “{{ cycle.budget }}”: “cycle” has no “budget”" in page
    assert "Line 4: “{{ salary }}”: there is no placeholder “salary” here" in page
    assert "{{ salary }}</textarea>" in page  # what they typed is kept
    assert not MessageText.objects.exists()


def test_a_slack_text_takes_no_subject(hr_client):
    response = hr_client.post(
        ADD, {"kind": "checkin_request", "subject": "Hi", "body": "{{ partner.name }}"}
    )

    assert "Slack messages have no subject" in response.content.decode()
    assert not MessageText.objects.exists()


def test_the_admin_previews_an_email_with_a_real_person(hr_client, org):
    text = MessageText.objects.create(
        kind="feedback_request.email",
        subject="{{ cycle.name }}: your feedback, {{ recipient.get_short_name }}",
        body="Hello {{ recipient.name }} of {{ team }}, with {{ partner.name }}.",
    )

    page = hr_client.get(
        reverse("admin:messaging_messagetext_change", args=[text.pk]) + f"?person={org.engineer.pk}"
    ).content.decode()

    assert "Subject: <strong>Spring rotation: your feedback, Eli</strong>" in page
    assert "Hello Eli Novak of Payments, with Mia Chen." in page
    assert "Save and send a test to myself" in page


def test_send_a_test_email_to_myself(hr_client, org):
    response = hr_client.post(
        ADD,
        {
            "kind": "stretch_decision.email",
            "subject": "{% if accepted %}You are in{% endif %}: {{ assignment.title }}",
            "body": "Hello {{ recipient.get_short_name }}, {{ decided_by.name }} said yes.",
            "_send_test": "1",
        },
        follow=True,
    )

    [sent] = mail.outbox
    assert sent.to == [org.hr.email]
    assert sent.subject == "[Test] You are in: Own the on-call runbook"
    assert sent.body.startswith("Hello Harriet, Harriet Ross said yes.")
    assert "was sent to you by email" in response.content.decode()
    assert MessageText.objects.get().kind == "stretch_decision.email"  # saved too


def test_send_a_test_slack_message_to_myself(hr_client, org, slack):
    slack.users[org.hr.email] = "UHR"
    text = MessageText.objects.create(
        kind="checkin_request", body="How goes it with {{ partner.name }}?"
    )

    response = hr_client.post(
        reverse("admin:messaging_messagetext_changelist"),
        {"action": "send_test", "_selected_action": [text.pk]},
        follow=True,
    )

    assert slack.posts == [{"channel": "DUHR", "text": "[Test] How goes it with Harriet Ross?"}]
    assert "was sent to you on Slack" in response.content.decode()


def test_a_slack_test_without_slack_says_why(hr_client, settings):
    settings.SLACK_BOT_TOKEN = ""
    text = MessageText.objects.create(kind="checkin_request", body="Hi")

    response = hr_client.post(
        reverse("admin:messaging_messagetext_changelist"),
        {"action": "send_test", "_selected_action": [text.pk]},
        follow=True,
    )

    assert "Slack is not configured here" in response.content.decode()


@pytest.mark.parametrize("kind", ["stretch_leaver", "buddy_left", "partner_left", "pairing_left"])
def test_the_leaver_messages_preview_with_their_sample_data(org, kind):
    for name in (kind, f"{kind}.email"):
        if name not in KINDS:
            continue  # pairing_left is a Slack text to the people team's channel
        text = MessageText(kind=name, subject="", body=default_body(name))
        subject, body = sample_rendering(text=text, person=org.engineer)
        assert "Lee Leaver" in (subject or "") + body, name
        # every placeholder filled: no gap where a sample was missing
        assert all("  " not in line and " ." not in line for line in body.splitlines()), name
