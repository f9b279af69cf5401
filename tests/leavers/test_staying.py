"""A last day cleared: they stay after all. The lifecycle announces it (a
last day changed: person_leaving, with none), and the open offboarding
checklist is cancelled and kept as history, as for a rehire."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onboarding.models import OffboardingChecklist, OffboardingTask
from onboarding.services.offboarding import checklists_for_leaving, offboarding_task_mark
from people.services.lifecycle import person_update
from tests.people.factories import PeopleTeamFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
LAST_DAY = dt.date(2026, 12, 18)
Status = OffboardingChecklist.Status


@pytest.fixture
def lee(db):
    manager = UserFactory(name="Mia Manager", email="mia@example.com")
    person = UserFactory(
        name="Lee Leaver",
        email="lee@example.com",
        manager=manager,
        team=TeamFactory(name="Payments"),
        start_date=dt.date(2024, 3, 1),
    )
    person_update(person=person, end_date=LAST_DAY)
    return person


def checklist_of(person) -> OffboardingChecklist:
    return OffboardingChecklist.objects.get(leaver=person)


def test_clearing_the_last_day_cancels_the_open_checklist(lee, stay, client):
    stay(lee)
    checklist = checklist_of(lee)
    assert (checklist.status, checklist.current) == (Status.CANCELLED, False)
    assert checklist.closed_at is not None
    assert checklist.history.filter(history_change_reason="they stay: last day cleared")
    assert OffboardingTask.objects.filter(checklist=checklist).count() > 0  # history stays
    lee.refresh_from_db()
    assert (lee.is_active, lee.end_date) == (True, None)

    client.force_login(PeopleTeamFactory(name="Harriet Ross", email="hr@example.com"))
    listing = client.get(reverse("onboarding:leavers")).content.decode()
    detail_url = reverse("onboarding:offboarding_detail", args=[checklist.pk])
    assert detail_url not in listing  # no last day: not a leaver any more
    assert "Nobody is leaving." in listing
    detail = client.get(detail_url).content.decode()
    assert "Lee Leaver stays: this checklist was cancelled" in detail


def test_a_new_last_day_after_staying_starts_a_fresh_checklist(lee):
    person_update(person=lee, end_date=None)
    person_update(person=lee, end_date=dt.date(2027, 2, 26))
    first, second = OffboardingChecklist.objects.filter(leaver=lee).order_by("pk")
    assert first.status == Status.CANCELLED and not first.current
    assert (second.status, second.current, second.last_day) == (
        Status.OPEN,
        True,
        dt.date(2027, 2, 26),
    )


def test_a_done_checklist_is_not_cancelled_but_becomes_history(lee):
    hr = PeopleTeamFactory()
    for task in checklist_of(lee).tasks.all():
        offboarding_task_mark(task=task, by=hr, done=True)
    person_update(person=lee, end_date=None)
    checklist = checklist_of(lee)
    assert (checklist.status, checklist.current) == (Status.DONE, False)


def test_a_last_day_moved_later_keeps_them_leaving_and_re_dates(lee):
    person_update(person=lee, end_date=dt.date(2027, 1, 29))
    checklist = checklist_of(lee)
    assert (checklist.status, checklist.current) == (Status.OPEN, True)
    assert checklist.last_day == dt.date(2027, 1, 29)


def test_announced_again_it_changes_nothing_more(lee):
    person_update(person=lee, end_date=None)
    checklists_for_leaving([lee.pk])  # e.g. a retried sync
    assert checklist_of(lee).status == Status.CANCELLED
    assert OffboardingChecklist.objects.filter(leaver=lee).count() == 1


def test_someone_who_left_keeps_their_checklist_when_the_day_is_corrected(lee):
    lee.is_active = False
    lee.end_date = None
    lee.save()
    checklists_for_leaving([lee.pk])
    assert (checklist_of(lee).status, checklist_of(lee).current) == (Status.OPEN, True)


def test_staying_costs_the_same_queries_for_2_or_8_people(db):
    def queries_for(count: int) -> int:
        people = [UserFactory(manager=UserFactory()) for _ in range(count)]
        for person in people:
            person_update(person=person, end_date=LAST_DAY)
            person.end_date = None
            person.save(update_fields=["end_date"])
        with CaptureQueriesContext(connection) as queries:
            checklists_for_leaving([person.pk for person in people])
        cancelled = OffboardingChecklist.objects.filter(status=Status.CANCELLED)
        assert cancelled.filter(leaver__in=people).count() == count
        return len(queries)

    assert queries_for(2) == queries_for(8)
