"""The reporting line is resolved in a fixed number of queries, however deep."""

import pytest

from people.selectors import manager_chain, manager_chain_ids, report_ids
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def a_chain(length):
    people = [UserFactory()]
    for _ in range(length - 1):
        people.append(UserFactory(manager=people[-1]))
    return people


def test_it_lists_managers_nearest_first(org):
    assert manager_chain(person=org.engineer) == [org.manager, org.director, org.cto]
    assert manager_chain(person=org.cto) == []


def test_it_lists_everyone_under_a_manager_all_the_way_down(org):
    assert report_ids(manager_id=org.director.pk) == {
        org.manager.pk,
        org.engineer.pk,
        org.other_manager.pk,
        org.peer.pk,
    }
    assert report_ids(manager_id=org.engineer.pk) == set()


@pytest.mark.parametrize("depth", [3, 12])
def test_it_walks_a_chain_of_any_depth_in_two_queries(django_assert_num_queries, depth):
    people = a_chain(depth)
    with django_assert_num_queries(2):
        chain = manager_chain(person=people[-1])
    assert chain == list(reversed(people[:-1]))
    with django_assert_num_queries(1):
        assert report_ids(manager_id=people[0].pk) == {p.pk for p in people[1:]}


def test_it_stops_at_a_loop_that_slipped_past_the_services():
    first, second = a_chain(2)
    type(first).objects.filter(pk=first.pk).update(manager=second)  # a raw write
    assert manager_chain_ids(person_id=second.pk) == [first.pk, second.pk]
