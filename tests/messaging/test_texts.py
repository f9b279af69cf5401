"""Messages the people team can edit: their words replace the default, a
text using a placeholder the message does not have is refused with its line,
and the admin previews a text with a real person's data."""

import pytest
from django.urls import reverse

from messaging.models import MessageText
from messaging.texts import KINDS, render_email, render_text, text_problems
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:messaging_messagetext_add")


def test_the_default_text_is_used_until_the_people_team_writes_theirs(org):
    context = {"new_hire": org.engineer, "buddy": org.peer, "note": "", "link": "https://x/"}
    assert render_text("buddy_introduction", context).startswith(
        ":wave: Welcome Eli Novak! Pia Laine is your onboarding buddy"
    )

    MessageText.objects.create(
        kind="buddy_introduction", body="Hi {{ new_hire.get_short_name }}, meet {{ buddy.name }}."
    )

    assert render_text("buddy_introduction", context) == "Hi Eli, meet Pia Laine."


def test_an_email_is_plain_text_and_slack_escapes_only_what_slack_reads_as_markup(org):
    org.engineer.name = 'D\'Arcy "Dee" & <Co>'
    context = {
        "new_hire": org.engineer,
        "buddy": org.peer,
        "note": "",
        "link": "https://x/?a=1&b=2",
    }
    MessageText.objects.create(
        kind="buddy_introduction", body="Hi {{ new_hire.name }}: <{{ link }}|your plan>"
    )
    MessageText.objects.create(
        kind="account_invitation.email", subject="For {{ person.name }}", body="{{ person.name }}"
    )

    # Slack: &, < and > of a value as &amp; &lt; &gt; (its markup stays markup);
    # an apostrophe or a quote as it is, not as an HTML entity Slack would show.
    assert render_text("buddy_introduction", context) == (
        'Hi D\'Arcy "Dee" &amp; &lt;Co&gt;: <https://x/?a=1&amp;b=2|your plan>'
    )
    # Email: nothing escaped, the saved words as the default words.
    subject, body = render_email(
        "account_invitation.email", {"person": org.engineer, "url": "https://x/", "days": 7}
    )
    assert subject == 'For D\'Arcy "Dee" & <Co>'
    assert body == 'D\'Arcy "Dee" & <Co>\n'


def test_every_default_text_is_valid():
    for kind in KINDS:
        assert text_problems(kind, KINDS[kind].default) == [], kind


def test_an_unknown_placeholder_is_refused_with_its_line():
    problems = text_problems("buddy_introduction", "Hello {{ new_hire.name }}\n{{ salary }}")

    assert problems == [
        "Line 2: “{{ salary }}”: there is no placeholder “salary” here (use {{ new_hire }}, "
        "{{ buddy }}, {{ manager }}, {{ team }}, {{ note }}, {{ link }})."
    ]


def test_an_unknown_attribute_is_refused_with_its_line():
    problems = text_problems("no_buddy", "x\ny\n{{ new_hire.salary }}")

    assert problems[0].startswith("Line 3: “{{ new_hire.salary }}”: “new_hire” has no “salary”")


def test_placeholders_in_filter_arguments_and_loops_are_checked():
    assert text_problems("no_buddy", "{{ note|default:boss.name }}")[0].startswith(
        "Line 1: “{{ boss.name }}”"
    )
    assert text_problems("no_buddy", "{% for word in note %}{{ word }}{% endfor %}") == []


def test_broken_syntax_is_refused_with_its_line():
    (problem,) = text_problems("no_buddy", "fine\n{% if %}\n")

    assert problem.startswith("Line 2: ")


# --- the admin ------------------------------------------------------------------------


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def test_the_admin_refuses_a_broken_placeholder_keeps_the_text_and_saves_nothing(hr_client):
    body = "Welcome {{ new_hire.name }}!\nYour desk: {{ desk }}"

    response = hr_client.post(ADD, {"kind": "buddy_introduction", "body": body})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 2: “{{ desk }}”: there is no placeholder “desk” here" in page
    assert "Your desk: {{ desk }}</textarea>" in page
    assert not MessageText.objects.exists()


def test_the_admin_saves_a_good_text_and_previews_it_with_a_real_person(hr_client, org):
    response = hr_client.post(
        ADD, {"kind": "buddy_introduction", "body": "Welcome {{ new_hire.name }} to {{ team }}!"}
    )
    text = MessageText.objects.get()
    assert response.status_code == 302

    change = reverse("admin:messaging_messagetext_change", args=[text.pk])
    own = hr_client.get(change).content.decode()
    someone = hr_client.get(change + f"?person={org.engineer.pk}").content.decode()

    assert "Welcome Harriet Ross to !" in own
    assert "Welcome Eli Novak to Payments!" in someone
    assert "{{ new_hire }} (.email, .get_short_name" in someone


def test_someone_outside_the_people_team_cannot_edit_texts(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(ADD).status_code == 404  # as every page they may not see
