"""The lifecycle services announce each event once, inside their transaction,
to the subscribers settings names (people/hooks.py)."""

import datetime as dt

import pytest
from django.core.checks.registry import registry
from django.db import transaction

from people import hooks
from people.checks import lifecycle_subscribers_check, wiring_paths_check
from people.rules import organisation_today
from people.services.bulk import people_update_many
from people.services.lifecycle import person_deactivate, person_reactivate, person_update

from .factories import UserFactory

HEARD: list[tuple[str, list[int]]] = []


def heard_leaving(ids):
    HEARD.append(("person_leaving", ids))


def heard_left(ids):
    HEARD.append(("person_left", ids))


def heard_returned(ids):
    HEARD.append(("person_returned", ids))


@pytest.fixture
def listening(settings):
    HEARD.clear()
    here = __name__
    settings.PERSON_LIFECYCLE_SUBSCRIBERS = {
        "person_added": [],
        "person_leaving": [f"{here}.heard_leaving"],
        "person_left": [f"{here}.heard_left"],
        "person_returned": [f"{here}.heard_returned"],
    }
    return HEARD


@pytest.mark.django_db
def test_a_last_day_set_announces_leaving_once(listening):
    person = UserFactory()
    person_update(person=person, end_date=dt.date(2030, 1, 31))
    person_update(person=person, end_date=dt.date(2030, 1, 31))  # the same again
    assert listening == [("person_leaving", [person.pk])]


@pytest.mark.django_db
def test_leaving_at_once_announces_a_last_day_then_the_leaving(listening):
    person = UserFactory()
    assert person_deactivate(person=person)
    assert not person_deactivate(person=person)  # already gone: nothing again
    assert listening == [("person_leaving", [person.pk]), ("person_left", [person.pk])]


@pytest.mark.django_db
def test_leaving_on_a_known_last_day_announces_only_the_leaving(listening):
    person = UserFactory(end_date=organisation_today())
    person_deactivate(person=person)
    assert listening == [("person_left", [person.pk])]


@pytest.mark.django_db
def test_leaving_before_a_known_last_day_moves_it_to_today(listening):
    person = UserFactory(end_date=dt.date(2030, 1, 31))
    person_deactivate(person=person)
    person.refresh_from_db()
    assert person.end_date == organisation_today()
    assert listening == [("person_leaving", [person.pk]), ("person_left", [person.pk])]


@pytest.mark.django_db
def test_returning_is_announced(listening):
    person = UserFactory(is_active=False, end_date=dt.date(2020, 1, 31))
    assert person_reactivate(person=person)
    assert listening == [("person_returned", [person.pk])]


@pytest.mark.django_db
def test_a_leaving_rolled_back_changes_nothing(listening):
    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        person_deactivate(person=person)
        raise RuntimeError("the import failed further down")
    person.refresh_from_db()
    assert person.is_active and person.end_date is None


def test_an_unknown_event_is_refused():
    with pytest.raises(ValueError, match="person_vanished"):
        hooks.announce("person_vanished", [1])


def test_a_subscriber_that_does_not_import_stops_the_checks(settings):
    settings.PERSON_LIFECYCLE_SUBSCRIBERS = {"person_left": ["mentorship.services.no_such_thing"]}
    assert lifecycle_subscribers_check in registry.get_checks()
    [error] = lifecycle_subscribers_check(None)
    assert error.id == "people.E002" and "person_left subscriber" in error.msg


@pytest.mark.django_db
def test_a_last_day_cleared_is_announced_once_so_the_leaving_can_be_undone(listening):
    person = UserFactory(end_date=dt.date(2030, 1, 31))
    person_update(person=person, end_date=None)
    person_update(person=person, end_date=None)  # the same again
    assert listening == [("person_leaving", [person.pk])]
    person.refresh_from_db()
    assert (person.is_active, person.end_date) == (True, None)


@pytest.mark.django_db
def test_a_batch_clearing_last_days_announces_once_with_every_id(listening):
    people = [UserFactory(end_date=dt.date(2030, 1, 31)) for _ in range(3)]
    people_update_many([(person, {"end_date": None}) for person in people])
    assert listening == [("person_leaving", [person.pk for person in people])]


def test_audit_kinds_and_commitment_sources_that_do_not_import_stop_the_checks(settings):
    settings.AUDIT_KINDS = [*settings.AUDIT_KINDS, "ladders.audit.NO_SUCH_KINDS"]
    settings.COMMITMENT_SOURCES = ["mentorship.selectors.commitments.NOTHING"]
    assert wiring_paths_check in registry.get_checks()
    errors = wiring_paths_check(None)
    assert [error.id for error in errors] == ["people.E003", "people.E004"]
    assert "ladders.audit.NO_SUCH_KINDS" in errors[0].msg
    assert "commitments.NOTHING" in errors[1].msg


def test_an_invitation_email_that_does_not_import_stops_the_checks(settings):
    settings.INVITATION_EMAIL = "messaging.account_invitation.no_such_function"
    [error] = wiring_paths_check(None)
    assert error.id == "people.E005"
    assert "INVITATION_EMAIL names 'messaging.account_invitation.no_such_function'" in error.msg


def test_the_wired_paths_import():
    assert lifecycle_subscribers_check(None) == [] and wiring_paths_check(None) == []
