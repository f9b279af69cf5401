"""A last day: from that day the person cannot sign in (even before the sweep
ran), the daily sweep deactivates them once, and a last day set that has
already come means leaving at once."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from people.models import User
from people.rules import last_day_has_come, organisation_today
from people.services.bulk import last_days_sweep
from people.services.lifecycle import person_update
from people.tasks import last_days_sweep_task
from tests.people.factories import PeopleTeamFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = organisation_today()


def test_the_last_day_counts_from_the_day_itself_in_the_organisations_timezone(
    settings, monkeypatch
):
    assert last_day_has_come(TODAY) and not last_day_has_come(TODAY + dt.timedelta(days=1))
    assert not last_day_has_come(None)
    # 23:30 on 31 January in UTC is already 1 February in Auckland.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2030, 1, 31, 23, 30, tzinfo=dt.UTC))
    settings.TIME_ZONE = "Pacific/Auckland"
    assert last_day_has_come(dt.date(2030, 2, 1))
    settings.TIME_ZONE = "UTC"
    assert not last_day_has_come(dt.date(2030, 2, 1))


def test_the_sweep_deactivates_each_due_person_once(heard):
    due = UserFactory(end_date=TODAY)
    overdue = UserFactory(end_date=TODAY - dt.timedelta(days=2))
    later = UserFactory(end_date=TODAY + dt.timedelta(days=1))
    assert last_days_sweep_task() == 2
    assert last_days_sweep() == 0  # twice: nothing more
    assert set(User.objects.filter(is_active=False).values_list("pk", flat=True)) == {
        due.pk,
        overdue.pk,
    }
    assert User.objects.get(pk=later.pk).is_active
    assert heard == [("person_left", sorted([due.pk, overdue.pk]))]


def test_the_sweep_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["people-last-days"]
    assert entry["task"] == "people.tasks.last_days_sweep_task"


def test_setting_a_last_day_that_has_come_means_leaving_now(heard):
    person = UserFactory()
    person_update(person=person, end_date=TODAY)
    person.refresh_from_db()
    assert not person.is_active
    assert heard == [("person_leaving", [person.pk]), ("person_left", [person.pk])]


def signed_up(**fields) -> User:
    person = UserFactory(email="ada@example.com", **fields)
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def sign_in(client, email="ada@example.com"):
    return client.post(
        reverse("account_login"), {"login": email, "password": "correct horse battery"}
    )


def test_sign_in_is_refused_on_the_last_day_before_any_sweep(client):
    person = signed_up(end_date=TODAY)
    response = sign_in(client)
    assert response.status_code == 302 and response.url == reverse("account_inactive")
    assert client.get(reverse("home")).status_code == 302  # not signed in
    assert User.objects.get(pk=person.pk).is_active  # the sweep has not run


def test_sign_in_works_the_day_before(client):
    signed_up(end_date=TODAY + dt.timedelta(days=1))
    sign_in(client)
    assert client.get(reverse("home")).status_code == 200


def test_a_session_ends_when_the_last_day_comes(client):
    person = signed_up()
    sign_in(client)
    assert client.get(reverse("home")).status_code == 200
    User.objects.filter(pk=person.pk).update(end_date=TODAY)
    assert client.get(reverse("home")).status_code == 302


def test_the_admin_refuses_someone_whose_last_day_has_come(client):
    hr = PeopleTeamFactory(email="hr@example.com")
    EmailAddress.objects.create(user=hr, email=hr.email, verified=True, primary=True)
    User.objects.filter(pk=hr.pk).update(end_date=TODAY)
    sign_in(client, "hr@example.com")
    response = client.get(reverse("admin:people_user_changelist"))
    assert response.status_code == 302 and "login" in response.url
