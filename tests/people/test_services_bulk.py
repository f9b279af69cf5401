"""Leaving and returning in batches: a fixed number of queries however many
people, with the same rows, history and events as one at a time."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import User
from people.rules import organisation_today
from people.services.bulk import people_deactivate_many, people_reactivate_many
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(count: int) -> list[User]:
    people = UserFactory.create_batch(count)
    for person in people:
        session = SessionStore()
        session["_auth_user_id"] = str(person.pk)
        session.create()
    return people


def queries_of(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def leaving(people: list[User]) -> int:
    # Different last days, as in a file of leavers: the costlier case.
    today = organisation_today()
    last_days = {p.pk: today - dt.timedelta(days=n) for n, p in enumerate(people)}
    return queries_of(lambda: people_deactivate_many(people, last_days=last_days))


def test_leaving_costs_as_many_queries_for_eight_people_as_for_two():
    assert leaving(signed_in(2)) == leaving(signed_in(8))


def test_leaving_on_the_same_day_costs_as_many_queries_for_eight_people_as_for_two():
    def same_day(people):
        return queries_of(lambda: people_deactivate_many(people))

    assert same_day(signed_in(2)) == same_day(signed_in(8))


def test_returning_costs_as_many_queries_for_eight_people_as_for_two():
    def returning(people):
        people_deactivate_many(people)
        return queries_of(lambda: people_reactivate_many(people))

    assert returning(signed_in(2)) == returning(signed_in(8))


def test_a_batch_writes_each_last_day_a_history_row_each_and_ends_their_sessions():
    today = organisation_today()
    ann, bo, stays = signed_in(3)
    last_days = {ann.pk: today - dt.timedelta(days=3)}
    left = people_deactivate_many([ann, bo], last_days=last_days)
    assert {p.pk for p in left} == {ann.pk, bo.pk}
    rows = dict(User.objects.filter(is_active=False).values_list("pk", "end_date"))
    assert rows == {ann.pk: today - dt.timedelta(days=3), bo.pk: today}
    for person in (ann, bo):
        latest = person.history.latest("history_date")
        assert (latest.history_type, latest.is_active) == ("~", False)
        assert latest.end_date == rows[person.pk]
    sessions = [
        s.get_decoded()["_auth_user_id"] for s in SessionStore.get_model_class().objects.all()
    ]
    assert sessions == [str(stays.pk)]


def test_returning_clears_the_last_day_with_a_history_row_and_skips_the_active():
    gone, active = UserFactory.create_batch(2)
    people_deactivate_many([gone])
    assert people_reactivate_many([gone, active]) == [gone]
    gone.refresh_from_db()
    assert (gone.is_active, gone.end_date) == (True, None)
    latest = gone.history.latest("history_date")
    assert (latest.is_active, latest.end_date) == (True, None)
    assert active.history.count() == 1
