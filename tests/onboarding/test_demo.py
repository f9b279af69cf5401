"""manage.py seed_demo, onboarding part: templates written for the demo, the coming
holidays, and new hires at every point of their first month, some of it done."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.db.models import Q
from django.urls import reverse

from ladders.models import Placement
from onboarding.models import (
    AssigneeRole,
    ChecklistTemplate,
    Holiday,
    Kind,
    OnboardingPlan,
    PlanTask,
    Reminder,
    TemplateItem,
)
from onboarding.selectors.reporting import plan_figures
from people.demo import DEMO_PASSWORD
from people.models import Team, User
from tests.demo import seed_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_allowed")]

# A Monday: the edge where last week's tasks have just fallen due.
MONDAY = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
TODAY = MONDAY.date()
DONE, OPEN = PlanTask.Status.DONE, PlanTask.Status.OPEN


@pytest.fixture(autouse=True)
def on_a_monday():
    with time_machine.travel(MONDAY, tick=False):
        yield


def logins(output: str, role_start: str) -> list[str]:
    """The emails on the printed login lines whose role starts so."""
    return [
        word
        for line in output.splitlines()
        if line.startswith(role_start)
        for word in line.split()
        if "@" in word
    ]


def done_share(plan: OnboardingPlan) -> float:
    tasks = list(plan.tasks.all())
    return sum(t.status == DONE for t in tasks) / len(tasks)


def test_it_builds_a_base_template_and_two_team_templates():
    seed_demo()
    base = ChecklistTemplate.objects.get(
        applies_to=ChecklistTemplate.AppliesTo.EVERYONE, purpose="onboarding"
    )
    items = list(base.items.all())
    assert 15 <= len(items) <= 20
    assert min(i.due_offset for i in items) < 0 < 15 <= max(i.due_offset for i in items)
    assert {i.assignee_role for i in items} == set(AssigneeRole.values)
    assert {i.kind for i in items} == set(Kind.values)
    pairing = [i.title for i in items if i.kind == Kind.PAIRING]
    assert 3 <= len(pairing) <= 4
    assert "Pair on shipping a change to production" in pairing
    teams = ChecklistTemplate.objects.filter(applies_to=ChecklistTemplate.AppliesTo.TEAM)
    assert {t.team.name for t in teams} == {"Payments", "Search"}
    for template in teams:
        assert 4 <= template.items.count() <= 6
    assert TemplateItem.objects.exclude(description="").count() == TemplateItem.objects.count()


def test_it_adds_the_coming_christmas_and_new_year_and_no_task_falls_on_them():
    seed_demo()
    holidays = set(Holiday.objects.values_list("date", flat=True))
    assert holidays == {dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2027, 1, 1)}
    due = PlanTask.objects.values_list("due_on", flat=True)
    assert not [day for day in due if day in holidays or day.weekday() >= 5]
    # Starting next Monday, the 30-day conversation would fall on Christmas Day.
    next_week = OnboardingPlan.objects.filter(start_date=dt.date(2026, 11, 30)).first()
    last = next_week.tasks.get(title__startswith="30-day conversation")
    assert last.due_on == dt.date(2026, 12, 28)


def test_new_hires_are_at_different_points_of_their_first_month():
    seed_demo()
    this_monday = TODAY
    plans = {}
    for weeks in (1, 2, 3, 4):
        started = this_monday - dt.timedelta(weeks=weeks)
        plan = OnboardingPlan.objects.get(start_date=started)
        assert plan.new_hire.team.name != "People" and plan.new_hire.manager is not None
        plans[weeks] = plan
    assert len({plan.new_hire.team_id for plan in plans.values()}) == 4
    shares = [done_share(plans[weeks]) for weeks in (1, 2, 3, 4)]
    assert shares == sorted(shares) and shares[0] > 0.3 and shares[-1] > 0.9
    starting = OnboardingPlan.objects.filter(start_date__gt=TODAY)
    assert starting.count() >= 3
    # Before day one, only the people around them have anything done.
    assert not PlanTask.objects.filter(
        plan__in=starting, status=DONE, assignee_role=AssigneeRole.NEW_HIRE
    ).exists()


def test_the_extra_new_hires_can_sign_in_and_sit_on_the_ladder():
    seed_demo()
    recent = User.objects.filter(start_date__range=(TODAY - dt.timedelta(weeks=4), TODAY))
    assert recent.count() == 4
    for person in recent:
        assert person.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.filter(user=person, verified=True, primary=True).exists()
        assert Placement.objects.filter(person=person).exists()
        assert person.email.isascii()


def test_a_few_items_are_overdue_and_a_pairing_waits_for_the_buddy():
    seed_demo()
    overdue = PlanTask.objects.filter(status=OPEN, due_on__lt=TODAY)
    assert 2 <= overdue.count() <= 5
    # Someone of each kind is behind: the digest, escalation and report show it.
    assert set(overdue.values_list("assignee_role", flat=True)) == {
        AssigneeRole.NEW_HIRE,
        AssigneeRole.BUDDY,
        AssigneeRole.MANAGER,
    }
    waiting = overdue.get(kind=Kind.PAIRING)
    assert waiting.new_hire_done_at is not None and waiting.new_hire_note
    assert waiting.partner_done_at is None and waiting.partner == waiting.plan.buddy


def test_pairing_tasks_were_confirmed_by_both_sides_and_time_to_first_pairing_shows():
    seed_demo()
    paired = PlanTask.objects.filter(kind=Kind.PAIRING, status=DONE)
    assert paired.count() >= 5
    for task in paired:
        assert task.new_hire_note and task.partner_note
        assert task.new_hire_done_at <= task.partner_done_at == task.done_at
    days = [row.first_pairing_days for row in plan_figures(today=TODAY)]
    known = [d for d in days if d is not None]
    assert len(known) >= 5
    assert all(0 <= d <= 5 for d in known)


def test_tasks_were_done_around_the_day_they_fell_due():
    seed_demo()
    done = PlanTask.objects.filter(status=DONE).select_related("plan")
    assert done.count() > 50
    for task in done:
        local = task.done_at.astimezone(zoneinfo.ZoneInfo(task.plan.timezone)).date()
        assert task.due_on <= local < TODAY
        assert (local - task.due_on).days <= 4  # a working day late at most
    assert done.filter(done_by__isnull=False).count() == done.count()


def test_every_plan_has_a_buddy_or_says_why():
    seed_demo()
    plans = OnboardingPlan.objects.all()
    assert plans.count() >= 8
    for plan in plans:
        if plan.buddy_id:
            assert plan.buddy_status == OnboardingPlan.BuddyStatus.ASSIGNED and plan.buddy_note
            buddy_tasks = plan.tasks.filter(assignee_role=AssigneeRole.BUDDY)
            assert set(buddy_tasks.values_list("assignee_id", flat=True)) == {plan.buddy_id}
        else:
            assert plan.buddy_status == OnboardingPlan.BuddyStatus.NONE_AVAILABLE
            assert plan.buddy_note


def test_the_printed_new_hires_have_a_plan_with_a_buddy(client):
    output = seed_demo()
    emails = logins(output, "new hire")
    assert len(emails) == 2
    for email in emails:
        assert OnboardingPlan.objects.get(new_hire__email=email).buddy is not None
    week_three = OnboardingPlan.objects.get(new_hire__email=emails[1])
    assert week_three.start_date == TODAY - dt.timedelta(weeks=3)
    response = client.post(
        reverse("account_login"), {"login": emails[1], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    page = client.get(reverse("onboarding:my_checklist"), follow=True).content.decode()
    assert week_three.buddy.name in page
    assert "Pair on shipping a change to production" in page
    assert "Overdue" in page


def counts() -> dict[str, int]:
    return {
        "templates": ChecklistTemplate.objects.count(),
        "items": TemplateItem.objects.count(),
        "holidays": Holiday.objects.count(),
        "people": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "placements": Placement.objects.count(),
        "plans": OnboardingPlan.objects.count(),
        "with a buddy": OnboardingPlan.objects.exclude(buddy=None).count(),
        "tasks": PlanTask.objects.count(),
        "done": PlanTask.objects.filter(status=DONE).count(),
        "confirmations": PlanTask.objects.filter(
            Q(new_hire_done_at__isnull=False) | Q(partner_done_at__isnull=False)
        ).count(),
        "reminders": Reminder.objects.count(),
        "plan history": OnboardingPlan.history.count(),
        "task history": PlanTask.history.count(),
        "template history": ChecklistTemplate.history.count(),
        "people history": User.history.count(),
        "teams": Team.objects.count(),
    }


def test_running_it_twice_changes_nothing():
    seed_demo()
    before = counts()
    output = seed_demo()
    assert counts() == before
    assert "Onboarding: 3 templates, 3 holidays" in output
    assert "(0 new, 0 given a buddy now)" in output


def test_a_template_the_people_team_edited_is_left_as_it_is():
    seed_demo()
    base = ChecklistTemplate.objects.get(
        applies_to=ChecklistTemplate.AppliesTo.EVERYONE, purpose="onboarding"
    )
    base.items.filter(kind=Kind.READING).delete()
    left = base.items.count()
    seed_demo()
    assert base.items.count() == left
