"""The admin changes people through the lifecycle services: each save and
each action announces the right events exactly once, and a refusal is shown
on its field with what was typed."""

import datetime as dt

import pytest
from django.urls import reverse

from people.models import User
from people.rules import organisation_today
from tests.people.factories import UserFactory
from tests.people.factories import (
    admin_change_form as change_form,  # tests/leavers import it from here
)

pytestmark = pytest.mark.django_db
LATER = dt.date(2099, 6, 30)


def save(client, person, **changes):
    url = reverse("admin:people_user_change", args=[person.pk])
    return client.post(url, change_form(person, **changes))


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def test_adding_a_person_announces_them_once(hr_client, org, heard):
    response = hr_client.post(
        reverse("admin:people_user_add"),
        {"email": "New@Example.com", "name": "Nia New", "timezone": "UTC", "end_date": ""},
    )
    assert response.status_code == 302
    added = User.objects.get(email="new@example.com")
    assert heard == [("person_added", [added.pk])]


def test_adding_someone_with_a_last_day_announces_it(hr_client, heard):
    hr_client.post(
        reverse("admin:people_user_add"),
        {"email": "temp@example.com", "name": "Tom Temp", "timezone": "UTC", "end_date": LATER},
    )
    added = User.objects.get(email="temp@example.com")
    assert heard == [("person_added", [added.pk]), ("person_leaving", [added.pk])]


def test_moving_someone_announces_nothing_and_keeps_who_did_it(hr_client, org, heard):
    assert save(hr_client, org.engineer, team=org.search.pk).status_code == 302
    org.engineer.refresh_from_db()
    assert org.engineer.team == org.search and heard == []
    assert org.engineer.history.latest().history_user == org.hr


def test_a_last_day_to_come_is_announced_once(hr_client, org, heard):
    assert save(hr_client, org.engineer, end_date=LATER).status_code == 302
    org.engineer.refresh_from_db()
    assert save(hr_client, org.engineer, title="Lead").status_code == 302  # not again
    assert heard == [("person_leaving", [org.engineer.pk])]
    assert org.engineer.is_active


def test_a_last_day_of_today_means_leaving_now(hr_client, org, heard):
    save(hr_client, org.engineer, end_date=organisation_today())
    org.engineer.refresh_from_db()
    assert not org.engineer.is_active
    assert heard == [("person_leaving", [org.engineer.pk]), ("person_left", [org.engineer.pk])]


def test_unticking_active_is_leaving_and_ticking_it_is_returning(hr_client, org, heard):
    assert save(hr_client, org.engineer, is_active=None).status_code == 302
    org.engineer.refresh_from_db()
    assert (org.engineer.is_active, org.engineer.end_date) == (False, organisation_today())
    assert save(hr_client, org.engineer, is_active="on").status_code == 302
    org.engineer.refresh_from_db()
    assert (org.engineer.is_active, org.engineer.end_date) == (True, None)
    pk = org.engineer.pk
    assert heard == [("person_leaving", [pk]), ("person_left", [pk]), ("person_returned", [pk])]


def test_leaving_now_with_a_last_day_to_come_is_refused_on_the_field(hr_client, org, heard):
    response = save(hr_client, org.engineer, is_active=None, end_date=LATER, title="Typed")
    body = response.content.decode()
    assert response.status_code == 200
    assert "is still to come" in body and 'value="Typed"' in body
    assert 'id="id_end_date"' in body and "errors field-end_date" in body
    org.engineer.refresh_from_db()
    assert (org.engineer.is_active, org.engineer.end_date, org.engineer.title) == (
        True,
        None,
        "Software Engineer",
    )
    assert heard == []  # announced inside the save that was rolled back


def test_a_reporting_loop_is_refused_on_the_manager_field(hr_client, org, heard):
    response = save(hr_client, org.director, manager=org.engineer.pk)
    body = response.content.decode()
    assert "would make a loop" in body and "errors field-manager" in body
    org.director.refresh_from_db()
    assert org.director.manager == org.cto and heard == []


def test_the_actions_deactivate_and_reactivate_several_at_once(hr_client, org, heard):
    url = reverse("admin:people_user_changelist")
    chosen = [org.engineer.pk, org.peer.pk, org.hr.pk]
    response = hr_client.post(
        url, {"action": "deactivate_people", "_selected_action": chosen}, follow=True
    )
    body = response.content.decode()
    assert "2 people left today" in body and "cannot deactivate yourself" in body
    assert User.objects.get(pk=org.hr.pk).is_active
    pair = sorted([org.engineer.pk, org.peer.pk])
    hr_client.post(url, {"action": "reactivate_people", "_selected_action": chosen}, follow=True)
    assert heard == [("person_leaving", pair), ("person_left", pair), ("person_returned", pair)]
    assert User.objects.filter(pk__in=pair, is_active=True).count() == 2


def test_the_actions_record_who_deactivated_and_reactivated(hr_client, org):
    url = reverse("admin:people_user_changelist")
    chosen = [org.engineer.pk, org.peer.pk]
    hr_client.post(url, {"action": "deactivate_people", "_selected_action": chosen})
    left = [User.objects.get(pk=pk).history.latest() for pk in chosen]
    assert [(h.is_active, h.history_user) for h in left] == [(False, org.hr)] * 2
    hr_client.post(url, {"action": "reactivate_people", "_selected_action": chosen})
    back = [User.objects.get(pk=pk).history.latest() for pk in chosen]
    assert [(h.is_active, h.end_date, h.history_user) for h in back] == [(True, None, org.hr)] * 2


def test_a_leaver_from_the_admin_can_no_longer_sign_in(client, org):
    person = UserFactory(email="leaver@example.com")
    client.force_login(person)
    person.end_date = organisation_today()  # the day came; no sweep has run yet
    person.save()
    assert client.get(reverse("home")).status_code == 302  # signed out: to the sign-in page
