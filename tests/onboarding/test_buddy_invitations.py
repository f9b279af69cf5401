"""A buddy replaced while they are still here (now in the new hire's manager
chain, or changed by the manager): the pairing sessions to come are sent to
the new buddy (same UID, SEQUENCE + 1), updated for the new hire, and
cancelled for the old buddy alone; each once, with every job run twice."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from onboarding.models import Kind
from onboarding.services.buddies import buddies_choose, buddy_change
from onboarding.services.invitations import plan_invitations_send, task_uid
from people.imports import import_people
from tests.leavers.conftest import csv_of, run_jobs, told
from tests.mentorship.test_kickoff_invitations import invitations_to, the_event
from tests.onboarding.test_buddies import fresh, ladder, new_hire, payments, senior  # noqa: F401
from tests.people.factories import PeopleTeamFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def invited(senior, payments):  # noqa: F811
    """Nia's plan with a buddy chosen among Ana and Ben, its pairing session invited."""
    ana, ben = senior("Ana Payments", payments), senior("Ben Payments", payments, level="L4")
    plan = new_hire("Nia New", payments)
    buddies_choose(plans=[plan])
    plan = fresh(plan)
    assert plan_invitations_send(plan_id=plan.pk) == 2
    mail.outbox.clear()
    old = plan.buddy
    return plan, old, (ben if old == ana else ana)


def method_and_sequence(address: str) -> list[tuple[str, str, int]]:
    return [
        (str(calendar["method"]), str(the_event(calendar)["uid"]), the_event(calendar)["sequence"])
        for calendar in invitations_to(address)
    ]


def assert_replaced(plan, old, new) -> None:
    uid = task_uid(plan.tasks.get(kind=Kind.PAIRING).pk)
    assert method_and_sequence(old.email) == [("CANCEL", uid, 1)]
    assert method_and_sequence(new.email) == [("REQUEST", uid, 1)]
    assert method_and_sequence("nia.new@example.com") == [("REQUEST", uid, 1)]
    assert [subject for to, subject in told() if to == old.email] == [
        "Cancelled: Pair on a first bug (Nia New)"
    ]


def test_a_buddy_now_in_the_manager_chain_is_taken_out_of_the_sessions(invited):
    plan, old, new = invited

    nia = plan.new_hire
    nia.manager = old  # as the HR system's export now says
    assert import_people(csv_of(nia)).ok
    run_jobs(times=2)

    assert fresh(plan).buddy == new
    assert_replaced(plan, old, new)


def test_a_buddy_changed_by_the_manager_is_taken_out_of_the_sessions(invited):
    plan, old, new = invited

    buddy_change(plan=plan, buddy=new, by=PeopleTeamFactory())
    run_jobs(times=2)

    assert_replaced(plan, old, new)
