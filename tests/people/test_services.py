"""Reporting-line writes: loops are refused with a clear error."""

import pytest

from people.errors import ApplicationError
from people.services.lifecycle import person_create, person_set_manager
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_refuses_a_manager_change_that_makes_a_loop(org):
    with pytest.raises(ApplicationError) as refused:
        person_set_manager(person=org.director, manager=org.engineer)
    assert "would make a loop" in refused.value.message
    assert refused.value.field == "manager"
    org.director.refresh_from_db()
    assert org.director.manager == org.cto


def test_it_refuses_to_make_someone_their_own_manager(org):
    with pytest.raises(ApplicationError, match="their own manager"):
        person_set_manager(person=org.engineer, manager=org.engineer)


def test_it_moves_someone_to_another_manager_and_keeps_the_history(org):
    person_set_manager(person=org.engineer, manager=org.other_manager)
    org.engineer.refresh_from_db()
    assert org.engineer.manager == org.other_manager
    managers = [h.manager_id for h in org.engineer.history.order_by("history_date")]
    assert managers[-2:] == [org.manager.pk, org.other_manager.pk]


def test_it_creates_a_person_who_cannot_sign_in_yet():
    person = person_create(email="New@Example.com", name=" Nia New ", timezone_name="Asia/Tokyo")
    assert person.email == "new@example.com" and person.name == "Nia New"
    assert not person.has_usable_password()


def test_it_refuses_a_second_person_with_the_same_email_in_any_case():
    UserFactory(email="taken@example.com")
    with pytest.raises(ApplicationError, match="already belongs"):
        person_create(email="TAKEN@example.com", name="Other")
