"""Invitations: recorded, sent once from a Celery task after commit, accepted once."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from messaging.models import MessageText
from people.errors import ApplicationError
from people.invitations import invitation_url
from people.services.invitations import invitation_deliver, invitation_send
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    person = UserFactory(email="new.person@example.com", name="Nia Person")
    person.set_unusable_password()
    person.save()
    return person


def test_it_enqueues_the_invitation_only_when_the_transaction_commits(
    newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        invitation_send(person=newcomer)
        assert len(mail.outbox) == 0
    assert len(callbacks) == 1
    newcomer.refresh_from_db()
    assert newcomer.invited_at is not None


def test_it_delivers_an_invitation_once_however_often_the_task_runs(newcomer):
    invitation_send(person=newcomer)
    stamp = newcomer.invited_at.isoformat()
    assert invitation_deliver(person_id=newcomer.pk, invited_at=stamp) is True
    assert invitation_deliver(person_id=newcomer.pk, invited_at=stamp) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.com"]
    assert "/invitation/" in mail.outbox[0].body


def test_a_fresh_install_sends_the_invitation_in_its_default_words(newcomer):
    invitation_send(person=newcomer)
    invitation_deliver(person_id=newcomer.pk, invited_at=newcomer.invited_at.isoformat())

    (sent,) = mail.outbox
    assert sent.subject == "You're invited to Growth"
    assert sent.body == (
        "Hello Nia,\n"
        "\n"
        "The people team has invited you to Growth, where you can see your career\n"
        "ladder, sign up for mentorship rotations and follow your onboarding.\n"
        "\n"
        "Choose your password here (the link works for 7 days):\n"
        "\n"
        f"{invitation_url(newcomer)}\n"
        "\n"
        "If you did not expect this email, you can ignore it.\n"
    )


def test_the_invitation_is_plain_text_so_a_name_is_written_as_it_is(newcomer):
    newcomer.name = "D'Arcy & Co"
    newcomer.save()
    invitation_send(person=newcomer)
    invitation_deliver(person_id=newcomer.pk, invited_at=newcomer.invited_at.isoformat())

    (sent,) = mail.outbox
    assert sent.body.startswith("Hello D'Arcy,\n")  # not HTML-escaped (D&#x27;Arcy)


def test_a_saved_invitation_writes_a_full_name_as_it_is(newcomer):
    MessageText.objects.create(kind="account_invitation.email", body="Dear {{ person.name }}")
    newcomer.name = "D'Arcy & Co <Ltd>"
    newcomer.save()
    invitation_send(person=newcomer)
    invitation_deliver(person_id=newcomer.pk, invited_at=newcomer.invited_at.isoformat())

    (sent,) = mail.outbox
    assert sent.body == "Dear D'Arcy & Co <Ltd>\n"  # not &#x27; &amp; &lt;


def test_it_does_not_send_an_invitation_that_a_newer_one_replaced(newcomer):
    invitation_send(person=newcomer)
    old_stamp = newcomer.invited_at.isoformat()
    invitation_send(person=newcomer)
    assert invitation_deliver(person_id=newcomer.pk, invited_at=old_stamp) is False
    assert mail.outbox == []


def test_it_refuses_to_invite_someone_who_can_already_sign_in():
    person = UserFactory()
    with pytest.raises(ApplicationError, match="can already sign in"):
        invitation_send(person=person)


def test_it_lets_the_invited_person_choose_a_password_and_signs_them_in(client, newcomer):
    invitation_send(person=newcomer)
    url = invitation_url(newcomer)
    assert "Choose a password" in client.get(url).content.decode()
    response = client.post(
        url, {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"}
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.check_password("a-long-new-passphrase")
    assert EmailAddress.objects.get(user=newcomer).verified
    assert client.get(reverse("home")).status_code == 200


def test_it_keeps_the_form_and_says_why_when_the_passwords_differ(client, newcomer):
    invitation_send(person=newcomer)
    response = client.post(
        invitation_url(newcomer),
        {"new_password1": "a-long-new-passphrase", "new_password2": "something-else"},
    )
    assert response.status_code == 200
    assert "The two password fields didn" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_it_refuses_a_used_link(client, newcomer):
    invitation_send(person=newcomer)
    url = invitation_url(newcomer)
    client.post(
        url, {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"}
    )
    client.logout()
    response = client.get(url)
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_it_refuses_a_link_after_a_week(client, newcomer):
    invitation_send(person=newcomer)
    url = invitation_url(newcomer)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        assert client.get(url).status_code == 404


def test_it_refuses_a_tampered_link(client, newcomer):
    invitation_send(person=newcomer)
    assert client.get(invitation_url(newcomer) + "x").status_code == 404
