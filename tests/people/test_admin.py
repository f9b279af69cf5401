"""The people team's admin: access by the policy, reporting loops refused,
history kept, invitations sent."""

import pytest
from django.urls import reverse

from people.models import User
from tests.people.factories import UserFactory, admin_add_form, admin_change_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role,status", [("hr", 200), ("engineer", 302)])
def test_it_lets_only_the_people_team_into_the_people_admin(client, org, role, status):
    client.force_login(getattr(org, role))
    assert client.get(reverse("admin:people_user_changelist")).status_code == status


def test_it_keeps_staff_outside_the_people_team_away_from_people(client, org):
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)
    assert client.get(reverse("admin:people_user_changelist")).status_code == 404  # not 403
    assert (
        reverse("admin:people_user_changelist")
        not in client.get(reverse("admin:index")).content.decode()
    )


def test_it_searches_and_filters_people_in_the_admin(client, org):
    client.force_login(org.hr)
    body = client.get(reverse("admin:people_user_changelist"), {"q": "Novak"}).content.decode()
    assert org.engineer.email in body and org.peer.email not in body
    body = client.get(
        reverse("admin:people_user_changelist"), {"team__id__exact": org.search.pk}
    ).content.decode()
    assert org.peer.email in body and org.engineer.email not in body


def test_it_autocompletes_managers(client, org):
    client.force_login(org.hr)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "Mia", "app_label": "people", "model_name": "user", "field_name": "manager"},
    )
    assert [r["text"] for r in response.json()["results"]] == [org.manager.name]


def test_it_refuses_a_manager_change_that_would_make_a_loop(client, org):
    client.force_login(org.hr)
    url = reverse("admin:people_user_change", args=[org.director.pk])
    response = client.post(url, admin_change_form(org.director, manager=org.engineer.pk))
    assert response.status_code == 200
    assert "would make a loop" in response.content.decode()
    org.director.refresh_from_db()
    assert org.director.manager_id == org.cto.pk


def test_it_keeps_who_changed_a_reporting_line_and_when(client, org):
    client.force_login(org.hr)
    url = reverse("admin:people_user_change", args=[org.engineer.pk])
    response = client.post(url, admin_change_form(org.engineer, manager=org.other_manager.pk))
    assert response.status_code == 302
    latest = org.engineer.history.latest()
    assert latest.manager_id == org.other_manager.pk
    assert latest.history_user == org.hr
    body = client.get(reverse("admin:people_user_history", args=[org.engineer.pk])).content
    assert org.hr.email.encode() in body or org.hr.name.encode() in body


def test_it_sends_invitations_from_the_admin_and_says_so(
    client, org, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(email="newcomer@example.com")
    newcomer.set_unusable_password()
    newcomer.save()
    client.force_login(org.hr)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("admin:people_user_changelist"),
            {
                "action": "send_invitations",
                "_selected_action": [newcomer.pk, org.engineer.pk],
            },
            follow=True,
        )
    body = response.content.decode()
    assert "1 invitation(s) will be emailed" in body
    assert "can already sign in" in body
    assert len(callbacks) == 1
    assert User.objects.get(pk=newcomer.pk).invited_at is not None


def test_it_adds_a_person_who_cannot_sign_in_until_invited(client, org):
    client.force_login(org.hr)
    response = client.post(reverse("admin:people_user_add"), admin_add_form(org))
    assert response.status_code == 302
    added = User.objects.get(email="added@example.com")
    assert added.manager == org.manager and not added.has_usable_password()
    assert added.history.count() == 1


def test_it_names_a_bad_timezone_and_keeps_what_was_typed(client, org):
    client.force_login(org.hr)
    response = client.post(
        reverse("admin:people_user_add"),
        {
            "email": "added@example.com",
            "name": "Ada Added",
            "timezone": "Mars/Olympus",
        },
    )
    body = response.content.decode()
    assert "is not an IANA timezone name" in body and 'value="Ada Added"' in body
    assert not User.objects.filter(email="added@example.com").exists()
