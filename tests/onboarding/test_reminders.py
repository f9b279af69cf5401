"""Reminders: one digest per person and local day, escalations to the manager
after N working days, each recorded so that nothing is sent twice."""

import datetime as dt
import threading
import time
import zoneinfo
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onboarding.models import AssigneeRole, Holiday, Kind, PlanTask, Reminder
from onboarding.services.reminders import reminders_send
from onboarding.tasks import reminders_send_task
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import PeopleTeamFactory, UserFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
MONDAY = dt.date(2026, 11, 30)  # plans start here; London is on UTC in winter


def local(day: dt.date, hour: int, minute: int = 0, zone=LONDON) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def run_at(when: dt.datetime) -> dict:
    """The beat task, as it runs at that moment."""
    with time_machine.travel(when, tick=False):
        return reminders_send_task()


def days(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def sent_to(outbox=None) -> list[str]:
    return sorted(m.to[0] for m in (mail.outbox if outbox is None else outbox))


def digest_for(email: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [email]]
    return message.body


@pytest.fixture
def plan(db):
    """Nia, a new hire in London, her manager Max (who reports to Dora) and
    her buddy Bo."""
    director = UserFactory(email="dora@example.com", name="Dora Director")
    manager = UserFactory(email="max@example.com", name="Max Manager", manager=director)
    hire = UserFactory(email="nia@example.com", name="Nia New", manager=manager, start_date=MONDAY)
    buddy = UserFactory(email="bo@example.com", name="Bo Buddy")
    return OnboardingPlanFactory(new_hire=hire, buddy=buddy, buddy_status="assigned")


def task(plan, due: dt.date, role=AssigneeRole.NEW_HIRE, assignee="default", **fields):
    holder = {
        AssigneeRole.NEW_HIRE: plan.new_hire,
        AssigneeRole.BUDDY: plan.buddy,
        AssigneeRole.MANAGER: plan.new_hire.manager,
        AssigneeRole.PEOPLE_TEAM: None,
    }[role]
    return PlanTaskFactory(
        plan=plan,
        due_on=due,
        assignee_role=role,
        assignee=holder if assignee == "default" else assignee,
        **fields,
    )


# --- the daily digest ---------------------------------------------------------------


def test_it_sends_each_person_one_digest_when_the_task_runs_twice_the_same_day(plan):
    task(plan, days(0), title="Set up your laptop")  # overdue on Tuesday
    task(plan, days(2), role=AssigneeRole.BUDDY, title="Show Nia the deploy pipeline")
    task(plan, days(3), role=AssigneeRole.MANAGER, title="First one-to-one")
    task(plan, days(4), title="Read the architecture notes")  # Friday: not due soon

    first = run_at(local(days(1), 9))
    second = run_at(local(days(1), 15))

    assert first["digests"] == 3 and second["digests"] == 0
    assert sent_to() == ["bo@example.com", "max@example.com", "nia@example.com"]
    assert Reminder.objects.filter(kind=Reminder.Kind.DIGEST, key="2026-12-01").count() == 3


def test_it_lists_what_is_overdue_and_what_is_due_soon(plan, settings):
    task(plan, days(0), title="Set up your laptop")
    task(plan, days(1), title="Meet the team")
    task(plan, days(3), title="Ship a first change")
    task(plan, days(4), title="Read the architecture notes")
    task(plan, days(0), title="Already done", status=PlanTask.Status.DONE)

    run_at(local(days(1), 9))

    [message] = mail.outbox
    assert message.subject == "Onboarding: 1 overdue, 2 due soon"
    body = message.body
    assert "Overdue (1):\n- Set up your laptop: due Mon 30 Nov, 1 working day late" in body
    assert "- Meet the team: due today" in body
    assert "- Ship a first change: due Thu 3 Dec" in body
    assert "architecture" not in body and "Already done" not in body
    assert f"{settings.SITE_URL}/onboarding/\n" in body  # her checklist


def test_it_tells_a_buddy_whose_new_hire_a_task_is_for(plan):
    task(plan, days(1), role=AssigneeRole.BUDDY, title="Pair on a first bug")
    run_at(local(days(1), 9))
    assert "- Pair on a first bug (for Nia New): due today" in digest_for("bo@example.com")
    assert "/onboarding/tasks/" in digest_for("bo@example.com")


def test_it_waits_for_the_digest_hour_in_the_persons_timezone(plan, settings):
    settings.ONBOARDING_DIGEST_HOUR = 8
    task(plan, days(1))
    assert run_at(local(days(1), 7, 59))["digests"] == 0
    assert run_at(local(days(1), 8, 0))["digests"] == 1


def test_it_sends_a_new_digest_the_next_working_day_but_none_at_the_weekend(plan):
    task(plan, days(0))
    run_at(local(days(1), 9))
    run_at(local(days(2), 9))
    run_at(local(days(5), 9))  # Saturday
    assert len(mail.outbox) == 2
    keys = Reminder.objects.filter(kind=Reminder.Kind.DIGEST).values_list("key", flat=True)
    assert sorted(keys) == ["2026-12-01", "2026-12-02"]


def test_it_sends_nothing_to_a_person_with_nothing_due(plan):
    task(plan, days(10))
    task(plan, days(0), status=PlanTask.Status.DONE)
    assert run_at(local(days(1), 9)) == {"digests": 0, "escalations": 0}
    assert mail.outbox == []


def test_the_new_hires_timezone_decides_when_their_day_starts(db):
    hire = UserFactory(email="kenji@example.com", timezone="Asia/Tokyo", start_date=MONDAY)
    plan = OnboardingPlanFactory(new_hire=hire, timezone="Asia/Tokyo")
    task(plan, days(0), title="Collect your badge")  # Monday in Tokyo
    task(plan, days(1), title="Meet your buddy")

    # 07:59 on Tuesday in Tokyo is still Monday 22:59 in London.
    assert run_at(local(days(1), 7, 59, zone=TOKYO))["digests"] == 0
    assert run_at(local(days(1), 8, 0, zone=TOKYO))["digests"] == 1

    body = digest_for("kenji@example.com")
    # Tuesday in Tokyo: Monday's task is late although it is still Monday in UTC.
    assert "- Collect your badge: due Mon 30 Nov, 1 working day late" in body
    assert "- Meet your buddy: due today" in body
    assert Reminder.objects.get(recipient=hire).key == "2026-12-01"


def test_each_person_gets_theirs_at_the_digest_hour_of_their_own_timezone(plan):
    hire = UserFactory(email="kenji@example.com", timezone="Asia/Tokyo", start_date=MONDAY)
    tokyo_plan = OnboardingPlanFactory(new_hire=hire, timezone="Asia/Tokyo", buddy=plan.buddy)
    task(tokyo_plan, days(1))
    task(tokyo_plan, days(1), role=AssigneeRole.BUDDY)  # Bo, in London

    run_at(local(days(1), 7))  # 16:00 in Tokyo
    assert sent_to() == ["kenji@example.com"]
    run_at(local(days(1), 8))
    assert sent_to() == ["bo@example.com", "kenji@example.com"]


def test_people_team_tasks_with_no_assignee_reach_every_people_team_member(plan):
    hana = PeopleTeamFactory(email="hana@example.com")
    PeopleTeamFactory(email="hugo@example.com")
    PeopleTeamFactory(email="gone@example.com", is_active=False)
    task(plan, days(1), role=AssigneeRole.PEOPLE_TEAM, title="Order the welcome pack")
    task(plan, days(1), role=AssigneeRole.PEOPLE_TEAM, assignee=hana, title="Book the intro")

    run_at(local(days(1), 9))

    assert sent_to() == ["hana@example.com", "hugo@example.com"]
    assert "Order the welcome pack (for Nia New, people team queue)" in digest_for(
        "hugo@example.com"
    )
    assert "Book the intro" in digest_for("hana@example.com")
    assert "Book the intro" not in digest_for("hugo@example.com")


def test_a_pairing_task_reminds_each_side_until_they_have_confirmed(plan):
    pairing = task(plan, days(1), kind=Kind.PAIRING, title="Pair on the billing bug")
    run_at(local(days(1), 9))
    assert sent_to() == ["bo@example.com", "nia@example.com"]

    mail.outbox.clear()
    pairing.new_hire_done_at = local(days(1), 11)
    pairing.save()
    run_at(local(days(2), 9))
    assert sent_to() == ["bo@example.com"]


# --- escalation -------------------------------------------------------------------------


def escalations() -> list:
    return [m for m in mail.outbox if "overdue for your new hires" in m.subject]


def test_it_escalates_to_the_manager_after_n_working_days_over_a_weekend_and_a_holiday(
    plan, settings
):
    settings.ONBOARDING_ESCALATE_AFTER = 3
    Holiday.objects.create(date=days(7), name="Founders' day")  # Monday 7 Dec
    late = task(plan, days(4), title="Sign the code of conduct")  # due Friday 4 Dec

    run_at(local(days(8), 9))  # Tuesday: 1 working day late
    run_at(local(days(9), 9))  # Wednesday: 2
    assert escalations() == []

    run_at(local(days(10), 9))  # Thursday: 3
    [message] = escalations()
    assert message.to == ["max@example.com"]
    assert "- Sign the code of conduct, for Nia New" in message.body
    assert "Held by: Nia New (new hire)" in message.body
    assert "3 working days late" in message.body
    assert f"/onboarding/plans/{plan.pk}/" in message.body
    assert Reminder.objects.filter(kind=Reminder.Kind.ESCALATION, key=f"task-{late.pk}").exists()


def test_it_escalates_each_task_once_and_lists_a_managers_tasks_in_one_email(plan, settings):
    settings.ONBOARDING_ESCALATE_AFTER = 2
    task(plan, days(0), title="Set up your laptop")
    task(plan, days(0), role=AssigneeRole.BUDDY, title="Walk through the codebase")

    run_at(local(days(2), 9))
    run_at(local(days(2), 10))
    run_at(local(days(3), 9))

    [message] = escalations()
    assert "Set up your laptop" in message.body and "Walk through the codebase" in message.body
    assert Reminder.objects.filter(kind=Reminder.Kind.ESCALATION).count() == 2


def test_a_late_task_of_the_manager_goes_to_the_managers_manager(plan, settings):
    settings.ONBOARDING_ESCALATE_AFTER = 1
    task(plan, days(0), role=AssigneeRole.MANAGER, title="Welcome lunch")
    run_at(local(days(1), 9))
    assert [m.to for m in escalations()] == [["dora@example.com"]]


def test_a_new_hire_without_a_manager_is_escalated_to_the_people_team(db, settings):
    settings.ONBOARDING_ESCALATE_AFTER = 1
    PeopleTeamFactory(email="hana@example.com")
    plan = OnboardingPlanFactory(new_hire=UserFactory(start_date=MONDAY, manager=None))
    task(plan, days(0))
    run_at(local(days(1), 9))
    assert [m.to for m in escalations()] == [["hana@example.com"]]


def test_a_task_done_in_time_is_never_escalated(plan, settings):
    settings.ONBOARDING_ESCALATE_AFTER = 1
    task(plan, days(0), status=PlanTask.Status.DONE)
    run_at(local(days(3), 9))
    assert mail.outbox == []


# --- failures, races and query counts -------------------------------------------------


def test_a_failed_email_is_sent_again_by_the_retry_and_the_others_are_not(plan, monkeypatch):
    task(plan, days(1))
    task(plan, days(1), role=AssigneeRole.BUDDY)
    real_send = EmailBackend.send_messages

    def bo_unreachable(self, messages):
        if messages[0].to == ["bo@example.com"]:
            raise SMTPException("421 try again later")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", bo_unreachable)
    with pytest.raises(SMTPException):  # the task retries on it
        reminders_send(now=local(days(1), 9))
    assert sent_to() == ["nia@example.com"]
    assert list(Reminder.objects.values_list("recipient__email", flat=True)) == ["nia@example.com"]

    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    reminders_send(now=local(days(1), 10))
    assert sent_to() == ["bo@example.com", "nia@example.com"]


def new_hires(count: int) -> None:
    for _ in range(count):
        manager = UserFactory()
        plan = OnboardingPlanFactory(
            new_hire=UserFactory(start_date=MONDAY, manager=manager), buddy=UserFactory()
        )
        task(plan, days(0))
        task(plan, days(0), role=AssigneeRole.MANAGER)
        task(plan, days(2), role=AssigneeRole.BUDDY)
        task(plan, days(2), kind=Kind.PAIRING)
        task(plan, days(2), role=AssigneeRole.PEOPLE_TEAM)


def queries_at(when: dt.datetime) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        sent = reminders_send(now=when)
    assert sent.digests and sent.escalations
    return len(queries), sent.digests


def test_it_runs_the_same_number_of_queries_for_3_and_30_people(db, settings):
    settings.ONBOARDING_ESCALATE_AFTER = 1
    PeopleTeamFactory()
    new_hires(3)
    few, few_digests = queries_at(local(days(2), 9))
    new_hires(27)
    many, many_digests = queries_at(local(days(3), 9))
    assert many_digests > few_digests * 5
    assert many == few


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_digest_once(monkeypatch):
    new_hires(5)
    PeopleTeamFactory()
    real_send = EmailBackend.send_messages

    def slow_send(self, messages):
        time.sleep(0.05)  # keeps both transactions open at the same time
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_send)
    start = threading.Barrier(2)
    now = local(days(2), 9)
    results = []

    def worker():
        start.wait()
        try:
            results.append(reminders_send(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    recipients = [m.to[0] for m in mail.outbox]  # no task is late enough to escalate
    assert len(recipients) == len(set(recipients)) == Reminder.objects.filter(kind="digest").count()
    assert sum(r.digests for r in results) == len(recipients)
