"""A text the people team saved keeps its words when we ship a new default:
the admin records which default each text was saved against, and says in the
list and on the change page when the default changed since, until the text is
saved again (or deleted, which brings the default back)."""

import re
from dataclasses import replace

import pytest
from django.urls import reverse

from messaging.models import MessageText
from messaging.texts import KINDS, default_body, default_fingerprint, text_for
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:messaging_messagetext_add")
LIST = reverse("admin:messaging_messagetext_changelist")
NOTICE = 'id="default-changed"'


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def change_url(text):
    return reverse("admin:messaging_messagetext_change", args=[text.pk])


def column(client, text) -> str:
    """What the list's "Default changed since saved" column says for this text."""
    page = client.get(LIST).content.decode()
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    [row] = [row for row in rows if f'href="{change_url(text)}"' in row]
    [cell] = re.findall(r'<td class="field-default_changed_since_saved">(.*?)</td>', row)
    return cell


def save_in_admin(client, **fields) -> MessageText:
    response = client.post(ADD, {"subject": "", **fields})
    assert response.status_code == 302, response.content.decode()
    return MessageText.objects.get(kind=fields["kind"])


def resave_unchanged(client, text):
    response = client.post(
        change_url(text), {"kind": text.kind, "subject": text.subject, "body": text.body}
    )
    assert response.status_code == 302, response.content.decode()


def test_saving_a_text_records_the_default_it_was_written_against(hr_client):
    text = save_in_admin(hr_client, kind="buddy_introduction", body="Hi {{ new_hire.name }}")

    assert text.default_seen == default_fingerprint("buddy_introduction")
    assert len(text.default_seen) == 16
    assert column(hr_client, text) == "No"
    assert NOTICE not in hr_client.get(change_url(text)).content.decode()


def test_a_new_slack_default_is_named_in_the_list_and_on_the_page_until_saved_again(
    hr_client, monkeypatch
):
    text = save_in_admin(hr_client, kind="buddy_introduction", body="Hi {{ new_hire.name }}")
    old = KINDS["buddy_introduction"]
    monkeypatch.setitem(
        KINDS, "buddy_introduction", replace(old, default=old.default + "\nBring a mug.")
    )

    page = hr_client.get(change_url(text)).content.decode()

    assert column(hr_client, text) == "<strong>Yes</strong>"
    assert NOTICE in page
    assert "The default changed since this text was saved:" in page
    assert "its words or its placeholders are new" in page
    assert "Compare your text with the default text and the placeholders shown below" in page
    delete = reverse("admin:messaging_messagetext_delete", args=[text.pk])
    assert f'<a href="{delete}">delete it</a> to go back to the default' in page
    assert "Bring a mug." in page  # today's default, shown below to compare with

    resave_unchanged(hr_client, text)

    text.refresh_from_db()
    assert text.body == "Hi {{ new_hire.name }}"  # their words kept
    assert text.default_seen == default_fingerprint("buddy_introduction")
    assert column(hr_client, text) == "No"
    assert NOTICE not in hr_client.get(change_url(text)).content.decode()


def test_a_new_placeholder_in_an_email_default_is_news_too(hr_client, monkeypatch):
    """The kick-off cancellation gained {{ leaving }} (a partner who left is
    named): a text saved before it did must say so."""
    kind = "kickoff_cancelled.email"
    current = KINDS[kind]
    before = {name: offered for name, offered in current.placeholders.items() if name != "leaving"}
    with monkeypatch.context() as shipped_earlier:
        shipped_earlier.setitem(KINDS, kind, replace(current, placeholders=before))
        text = save_in_admin(
            hr_client, kind=kind, subject="Off: {{ summary }}", body="No kick-off after all."
        )
        assert column(hr_client, text) == "No"

    assert column(hr_client, text) == "<strong>Yes</strong>"
    page = hr_client.get(change_url(text)).content.decode()
    assert "The default changed since this text was saved:" in page
    assert "{{ leaving }}" in page  # among the placeholders shown below


@pytest.mark.parametrize(
    "change",
    [
        {"subject": "Called off: {{ summary }}"},
        # the file's words changed (another template stands in for the new words)
        {"template": "mentorship/email/kickoff_updated.txt"},
    ],
    ids=["subject", "body"],
)
def test_a_new_email_subject_or_body_is_named(hr_client, monkeypatch, change):
    kind = "kickoff_cancelled.email"
    text = save_in_admin(hr_client, kind=kind, subject="Off: {{ summary }}", body="No kick-off.")

    monkeypatch.setitem(KINDS, kind, replace(KINDS[kind], **change))

    assert column(hr_client, text) == "<strong>Yes</strong>"
    assert NOTICE in hr_client.get(change_url(text)).content.decode()


def test_a_new_default_subject_is_no_news_to_a_text_that_keeps_the_default_one(
    hr_client, monkeypatch
):
    kind = "kickoff_cancelled.email"
    text = save_in_admin(hr_client, kind=kind, subject="", body="No kick-off.")

    monkeypatch.setitem(KINDS, kind, replace(KINDS[kind], subject="Called off: {{ summary }}"))

    assert column(hr_client, text) == "No"  # the new subject is sent with their body already


def test_a_text_saved_before_we_kept_track_may_have_changed(hr_client):
    """An empty fingerprint (every row from before the migration) is unknown:
    worth one comparison, so it shows the warning, worded as a maybe."""
    text = MessageText.objects.create(kind="buddy_introduction", body="Hi {{ new_hire.name }}")
    assert text.default_seen == ""

    page = hr_client.get(change_url(text)).content.decode()

    assert column(hr_client, text) == "<strong>Maybe</strong>"
    assert "The default may have changed since this text was saved:" in page
    assert "it was saved before we kept track of the default" in page

    resave_unchanged(hr_client, text)

    assert column(hr_client, text) == "No"


def test_only_the_text_whose_default_changed_says_so(hr_client, monkeypatch):
    changed = save_in_admin(hr_client, kind="buddy_introduction", body="Hi {{ new_hire.name }}")
    same = save_in_admin(hr_client, kind="no_buddy", body="No buddy for {{ new_hire.name }}")
    old = KINDS["buddy_introduction"]
    monkeypatch.setitem(KINDS, "buddy_introduction", replace(old, default=old.default + "!"))

    assert column(hr_client, changed) == "<strong>Yes</strong>"
    assert column(hr_client, same) == "No"
    assert NOTICE not in hr_client.get(change_url(same)).content.decode()


def test_a_deleted_text_gives_the_default_back(hr_client):
    text = MessageText.objects.create(kind="buddy_introduction", body="Hi")
    notice = hr_client.get(change_url(text)).content.decode()
    delete = reverse("admin:messaging_messagetext_delete", args=[text.pk])
    assert f'href="{delete}"' in notice  # the notice's way back to the default
    assert text_for("buddy_introduction") == "Hi"

    response = hr_client.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not MessageText.objects.exists()
    assert text_for("buddy_introduction") == default_body("buddy_introduction")


def test_someone_outside_the_people_team_sees_neither_the_list_nor_a_text(client):
    text = MessageText.objects.create(kind="buddy_introduction", body="Hi")
    client.force_login(UserFactory(is_staff=True))

    assert client.get(LIST).status_code == 404
    assert client.get(change_url(text)).status_code == 404
