"""person_update, person_deactivate and person_reactivate: the services the
API and SCIM (and, later, every other entry point) change people through."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore

from people.errors import ApplicationError
from people.services.lifecycle import person_deactivate, person_reactivate, person_update
from tests.people.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_update_that_changes_nothing_saves_nothing():
    person = UserFactory(title="Engineer")
    before = (person.history.count(), person.updated_at)
    assert person_update(person=person, title="Engineer", team=person.team) == []
    person.refresh_from_db()
    assert (person.history.count(), person.updated_at) == before


def test_an_update_names_what_changed_and_keeps_what_was_not_given():
    team = TeamFactory(name="Core")
    person = UserFactory(title="Engineer", start_date=dt.date(2026, 1, 1))
    assert sorted(person_update(person=person, title="Lead", team=team)) == ["team", "title"]
    person.refresh_from_db()
    assert (person.title, person.team, person.start_date) == ("Lead", team, dt.date(2026, 1, 1))


def test_an_update_refuses_a_reporting_loop_and_a_taken_email():
    boss = UserFactory(email="boss@example.com")
    report = UserFactory(manager=boss)
    with pytest.raises(ApplicationError, match="loop") as loop:
        person_update(person=boss, manager=report)
    assert loop.value.field == "manager"
    with pytest.raises(ApplicationError, match="already belongs"):
        person_update(person=report, email="BOSS@example.com")


def test_leaving_ends_sign_in_and_sessions_and_keeps_the_row():
    person = UserFactory()
    other = UserFactory()
    mine, theirs = SessionStore(), SessionStore()
    mine["_auth_user_id"], theirs["_auth_user_id"] = str(person.pk), str(other.pk)
    mine.create()
    theirs.create()
    assert person_deactivate(person=person, end_date=dt.date(2026, 11, 30)) is True
    person.refresh_from_db()
    assert (person.is_active, person.end_date) == (False, dt.date(2026, 11, 30))
    assert not SessionStore().exists(mine.session_key)
    assert SessionStore().exists(theirs.session_key)
    assert person_deactivate(person=person) is False  # twice: nothing more


def test_rehiring_restores_sign_in():
    person = UserFactory()
    person_deactivate(person=person)
    assert person_reactivate(person=person) is True
    person.refresh_from_db()
    assert (person.is_active, person.end_date) == (True, None)
