"""Leavers: a small organisation where one person is involved in everything a
leaving hands over, and the ways a leaving arrives (entry points).

The entry points are one parametrized fixture, ``leave``: a test that takes
it runs once per way of leaving: the service itself, SCIM (PATCH and
DELETE), the API, the CSV import and the admin's change form. ``stay`` is
the same for clearing a last day (SCIM sends none)."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from core.jobs import task_named
from core.models import Job
from ladders.models import StretchParticipation
from mentorship.models import Pairing, RotationCycle
from onboarding.models import AssigneeRole, Kind, OnboardingPlan
from people.imports import import_people
from people.services.lifecycle import person_deactivate, person_update
from tests.api.conftest import scim, token_client, writer  # noqa: F401 (fixtures)
from tests.ladders.factories import PlacementFactory, StretchAssignmentFactory, published_ladder
from tests.mentorship.factories import (
    MentorSignUpFactory,
    PairingFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import PeopleTeamFactory, TeamFactory, UserFactory
from tests.people.test_admin_lifecycle import change_form

TODAY = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)  # a Wednesday
SCIM_PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
Status = RotationCycle.Status


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


# --- the ways a leaving arrives ----------------------------------------------------------


def _by_service(person, clients):
    person_deactivate(person=person)


def _by_scim_patch(person, clients):
    # Okta's shape: a path-less replace (Entra's string booleans are covered in tests/api).
    body = {"schemas": [SCIM_PATCH], "Operations": [{"op": "replace", "value": {"active": False}}]}
    response = clients.scim.patch(f"/scim/v2/Users/{person.pk}", body)
    assert response.status_code == 200, response.content


def _by_scim_delete(person, clients):
    response = clients.scim.delete(f"/scim/v2/Users/{person.pk}")
    assert response.status_code == 204, response.content


def _by_api(person, clients):
    response = clients.writer.patch(f"/api/v1/people/by-email/{person.email}/", {"active": False})
    assert response.status_code == 200, response.content


def _by_csv(person, clients):
    import_people(csv_of(person, active="false"))


def csv_of(person, **more) -> str:
    """The person's row as the HR system exports it, with `more` columns."""
    header = ["email", "name", "title", "team", "manager_email", "start_date", "timezone"]
    row = [
        person.email,
        person.name,
        person.title,
        person.team.name if person.team else "",
        person.manager.email if person.manager else "",
        person.start_date.isoformat() if person.start_date else "",
        person.timezone,
    ]
    return ",".join([*header, *more]) + "\n" + ",".join([*row, *more.values()]) + "\n"


def _by_admin(person, clients):
    data = change_form(person)
    del data["is_active"]  # unticked
    url = reverse("admin:people_user_change", args=[person.pk])
    response = clients.admin.post(url, data)
    assert response.status_code == 302, response.content


ENTRY_POINTS = {
    "service": _by_service,
    "scim-patch": _by_scim_patch,
    "scim-delete": _by_scim_delete,
    "api": _by_api,
    "csv": _by_csv,
    "admin": _by_admin,
}


@pytest.fixture(params=list(ENTRY_POINTS))
def leave(request, scim, writer, client):  # noqa: F811 (fixtures imported above)
    """leave(person): the person leaves today through one entry point."""
    client.force_login(PeopleTeamFactory(email="hr-desk@example.com", name="HR Desk"))
    clients = SimpleNamespace(scim=scim, writer=writer, admin=client)
    return lambda person: ENTRY_POINTS[request.param](person, clients)


# --- the ways a last day is cleared (they stay after all) ------------------------------------


def _clear_by_service(person, clients):
    person_update(person=person, end_date=None)


def _clear_by_api(person, clients):
    response = clients.writer.patch(f"/api/v1/people/by-email/{person.email}/", {"end_date": None})
    assert response.status_code == 200, response.content


def _clear_by_csv(person, clients):
    report = import_people(csv_of(person, end_date="", active="true"))  # the last day emptied
    assert report.ok, report.problems


def _clear_by_admin(person, clients):
    url = reverse("admin:people_user_change", args=[person.pk])
    response = clients.admin.post(url, change_form(person, end_date=""))
    assert response.status_code == 302, response.content


STAYING_ENTRY_POINTS = {
    "service": _clear_by_service,
    "api": _clear_by_api,
    "csv": _clear_by_csv,
    "admin": _clear_by_admin,
}


@pytest.fixture(params=list(STAYING_ENTRY_POINTS))
def stay(request, writer, client):  # noqa: F811 (fixtures imported above)
    """stay(person): the person's last day is cleared through one entry point."""
    client.force_login(PeopleTeamFactory(email="hr-desk@example.com", name="HR Desk"))
    clients = SimpleNamespace(writer=writer, admin=client)
    return lambda person: STAYING_ENTRY_POINTS[request.param](person, clients)


# --- running what was recorded --------------------------------------------------------------


SLACK_SEND = "messaging.tasks.slack_message_send_task"


def run_jobs(*, times: int = 1) -> list[str]:
    """Run every job recorded so far as a worker would (and the jobs those
    record), each ``times`` times, as a doubled delivery would. Slack
    messages are left recorded, for the test to read. Returns the task names
    run, in order."""
    done: set[int] = set()
    ran = []
    while True:
        jobs = list(Job.objects.exclude(pk__in=done).exclude(task=SLACK_SEND).order_by("pk"))
        if not jobs:
            return ran
        for job in jobs:
            done.add(job.pk)
            for _ in range(times):
                task_named(job.task).run(*job.args)
            ran.append(job.task)


def told() -> list[tuple[str, str]]:
    """(recipient, subject) of every email sent, in order."""
    return [(to, message.subject) for message in mail.outbox for to in message.to]


# --- an organisation where the leaver is in everything ---------------------------------------


def _person(name, **fields):
    email = name.lower().replace(" ", ".") + "@example.com"
    return UserFactory(name=name, email=email, **fields)


@pytest.fixture
def world(db):
    """Lee leaves. Lee mentors Ann and Ben (published), is mentored by Cat
    (published, active cycle), mentors Dan in a proposal under review, is
    signed up to an open cycle, buddies Noa (started ten days ago), and holds
    a stretch seat Pat posted."""
    revision = published_ladder()
    payments = TeamFactory(name="Payments")
    boss = _person("Bo Boss", team=payments)
    lee = _person("Lee Leaver", team=payments, manager=boss)
    sam = _person("Sam Senior", team=payments)  # the engine's choice of new buddy
    noa_manager = _person("Max Manager", team=payments, manager=boss)
    for person, code in ((lee, "L4"), (sam, "L3"), (noa_manager, "L4"), (boss, "L4")):
        PlacementFactory(person=person, level=revision.levels.get(code=code))
    hr = PeopleTeamFactory(email="hr@example.com", name="Harriet Ross", team=None)

    cycles = {
        status: RotationCycleFactory(ladder=revision.ladder, status=status)
        for status in (Status.PUBLISHED, Status.ACTIVE, Status.REVIEW, Status.OPEN)
    }
    published = cycles[Status.PUBLISHED]
    lee_mentors = MentorSignUpFactory(cycle=published, person=lee, capacity=2)
    ann, ben, cat, dan = (_person(n, team=payments) for n in ("Ann A", "Ben B", "Cat C", "Dan D"))
    to_ann = PublishedPairingFactory(
        run__cycle=published, mentor=lee_mentors, mentee=SignUpFactory(cycle=published, person=ann)
    )
    to_ben = PublishedPairingFactory(
        run=to_ann.run, mentor=lee_mentors, mentee=SignUpFactory(cycle=published, person=ben)
    )
    active = cycles[Status.ACTIVE]
    by_cat = PublishedPairingFactory(
        run__cycle=active,
        mentor=MentorSignUpFactory(cycle=active, person=cat),
        mentee=SignUpFactory(cycle=active, person=lee),
    )
    review = cycles[Status.REVIEW]
    proposed = PairingFactory(
        run__cycle=review,
        mentor=MentorSignUpFactory(cycle=review, person=lee),
        mentee=SignUpFactory(cycle=review, person=dan),
        locked=True,
    )
    open_signup = SignUpFactory(cycle=cycles[Status.OPEN], person=lee)

    noa = _person("Noa New", team=payments, manager=noa_manager, start_date=dt.date(2026, 11, 16))
    plan = OnboardingPlanFactory(
        new_hire=noa, buddy=lee, buddy_status=OnboardingPlan.BuddyStatus.ASSIGNED
    )
    buddy_task = PlanTaskFactory(
        plan=plan, title="Coffee with your buddy", assignee_role=AssigneeRole.BUDDY, assignee=lee
    )
    pairing_task = PlanTaskFactory(
        plan=plan,
        title="Pair on a first bug",
        kind=Kind.PAIRING,
        partner=lee,
        due_on=dt.date(2026, 11, 24),  # yesterday: no calendar invitation for it
    )

    pat = _person("Pat Poster", team=payments)
    stretch = StretchAssignmentFactory(posted_by=pat)
    seat = StretchParticipation.objects.create(
        assignment=stretch, person=lee, status=StretchParticipation.Status.ACCEPTED
    )
    return SimpleNamespace(**locals())


def fresh(row):
    return type(row).objects.get(pk=row.pk)


def pairing_flag(pairing) -> tuple:
    row = Pairing.objects.get(pk=pairing.pk)
    return (row.left_person_id, row.left_on, row.locked, row.status)
