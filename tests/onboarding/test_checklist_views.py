"""Checklist pages: the plan week by week (who sees it, progress, overdue in
the new hire's own today), tasks assigned to me, the manager's new hires, the
actions on tasks, and flat query counts."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onboarding.models import AssigneeRole, Kind, OnboardingPlan, PlanTask
from onboarding.services.checklist import pairing_confirm, task_complete
from tests.ladders.factories import PlacementFactory, published_ladder
from tests.onboarding.factories import (
    OnboardingPlanFactory,
    PlanTaskFactory,
    buddy_task,
    plan_with_buddy,
)
from tests.pages import as_, main, sent_to_sign_in
from tests.people.factories import PeopleTeamFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 30)  # a Monday
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)  # Wednesday of week 1
DONE, OPEN = PlanTask.Status.DONE, PlanTask.Status.OPEN
ASSIGNED = OnboardingPlan.BuddyStatus.ASSIGNED


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


@pytest.fixture
def plan(org, buddy):
    """The engineer started on Monday, with Bo as buddy: five tasks over three weeks."""
    plan = plan_with_buddy(
        org.engineer, buddy, start=START, buddy_note="Same team (Payments), no other new hire"
    )
    PlanTaskFactory(plan=plan, title="Sign the contract", due_on=day(-3), status=DONE)
    PlanTaskFactory(plan=plan, title="Set up your laptop", due_on=day(0))  # overdue
    PlanTaskFactory(plan=plan, title="Read the product handbook", due_on=day(2))  # today
    buddy_task(plan, "Coffee with your buddy", day(3))
    PlanTaskFactory(
        plan=plan, title="Pair on a first bug", kind=Kind.PAIRING, due_on=day(8), partner=buddy
    )
    PlanTaskFactory(
        plan=plan,
        title="Welcome lunch",
        due_on=day(4),
        assignee_role=AssigneeRole.MANAGER,
        assignee=org.manager,
    )
    PlanTaskFactory(
        plan=plan,
        title="Order a badge",
        due_on=day(-1),
        assignee_role=AssigneeRole.PEOPLE_TEAM,
        assignee=None,
    )
    return plan


def plan_url(plan) -> str:
    return reverse("onboarding:plan_detail", args=[plan.pk])


def task_named(plan, title) -> PlanTask:
    return PlanTask.objects.get(plan=plan, title=title)


# --- anonymous ------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_sign_in_from_every_page(client, plan):
    task = task_named(plan, "Set up your laptop")
    pages = [
        ("get", reverse("onboarding:my_checklist")),
        ("get", plan_url(plan)),
        ("get", reverse("onboarding:my_tasks")),
        ("get", reverse("onboarding:team_progress")),
        ("post", reverse("onboarding:task_complete", args=[task.pk])),
        ("post", reverse("onboarding:task_undo", args=[task.pk])),
        ("post", reverse("onboarding:pairing_confirm", args=[task.pk])),
        ("post", reverse("onboarding:pairing_partner_set", args=[task.pk])),
        ("post", reverse("onboarding:buddy_change", args=[plan.pk])),
    ]
    for method, url in pages:
        assert sent_to_sign_in(getattr(client, method)(url)), url


# --- the plan page: who sees it --------------------------------------------------------------


@pytest.mark.parametrize(
    "role,status,heading",
    [
        ("engineer", 200, "My onboarding"),  # the new hire
        ("manager", 200, "Onboarding of Eli Novak"),
        ("director", 200, "Onboarding of Eli Novak"),  # skip-level
        ("hr", 200, "Onboarding of Eli Novak"),  # people team
        ("peer", 404, None),
        ("other_manager", 404, None),
        ("buddy", 404, None),  # the buddy uses "tasks assigned to me"
    ],
)
def test_it_shows_the_plan_to_the_new_hire_their_chain_and_the_people_team_only(
    client, org, plan, buddy, role, status, heading
):
    person = buddy if role == "buddy" else getattr(org, role)
    response = as_(client, person).get(plan_url(plan))
    assert response.status_code == status
    if heading:
        assert f"<h1>{heading}</h1>" in main(response)


def test_it_answers_404_for_a_plan_that_does_not_exist(client, org):
    assert as_(client, org.hr).get(reverse("onboarding:plan_detail", args=[999])).status_code == 404


def test_it_takes_the_new_hire_to_their_plan(client, org, plan):
    response = as_(client, org.engineer).get(reverse("onboarding:my_checklist"))
    assert response.status_code == 302
    assert response.url == plan_url(plan)


def test_it_says_so_when_someone_has_no_plan(client, org):
    response = as_(client, org.peer).get(reverse("onboarding:my_checklist"))
    assert response.status_code == 200
    assert "You have no onboarding plan" in main(response)


# --- the plan page: what it shows ---------------------------------------------------------------


def test_it_lays_the_plan_out_week_by_week(client, org, plan):
    body = main(as_(client, org.engineer).get(plan_url(plan)))
    headings = re.findall(r'<h2 id="week-(\d)-heading">([^<]+?)\s*<', body)
    assert headings == [("0", "Before day one"), ("1", "Week 1"), ("2", "Week 2")]
    week_one = body[body.index('id="week-1"') : body.index('id="week-2"')]
    assert "This week" in week_one
    assert "Set up your laptop" in week_one
    assert "Pair on a first bug" not in week_one


def test_it_shows_progress_as_a_bar_and_in_words(client, org, plan):
    task_complete(task=task_named(plan, "Set up your laptop"), by=org.engineer)
    body = main(as_(client, org.engineer).get(plan_url(plan)))
    assert '<progress value="2" max="7"' in body
    assert "2 of 7 done, 29%" in body


def test_it_marks_overdue_and_due_today_in_words(client, org, plan):
    body = main(as_(client, org.engineer).get(plan_url(plan)))
    laptop = body[body.index("Set up your laptop") : body.index("Read the product handbook")]
    handbook = body[body.index("Read the product handbook") : body.index("Coffee with")]
    assert "Overdue" in laptop and "2 days ago" in laptop
    assert "Due today" in handbook and "Overdue" not in handbook
    assert "<strong>Overdue:</strong> 2 tasks" in body  # the laptop and the badge
    assert "<strong>Due today:</strong> 1 task" in body


def test_it_reads_today_in_the_new_hires_own_timezone(client, org, plan):
    # 23:30 UTC on Wednesday is already Thursday in Tokyo: the handbook is overdue there.
    late = dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.UTC)
    with time_machine.travel(late, tick=False):
        london = main(as_(client, org.engineer).get(plan_url(plan)))
        OnboardingPlan.objects.filter(pk=plan.pk).update(timezone="Asia/Tokyo")
        tokyo = main(client.get(plan_url(plan)))
    assert "Today is Wednesday 2 December" in london
    assert "Today is Thursday 3 December" in tokyo
    assert "<strong>Overdue:</strong> 2 tasks" in london
    assert "<strong>Overdue:</strong> 3 tasks" in tokyo


def test_it_names_the_buddy_and_the_manager_with_why_this_buddy(client, org, plan):
    body = main(as_(client, org.engineer).get(plan_url(plan)))
    people = body[body.index('id="people"') : body.index("</section>", body.index('id="people"'))]
    assert "Bo Brandt" in people and "Mia Chen" in people
    assert "Same team (Payments), no other new hire" in people


def test_it_says_when_the_buddy_is_still_to_be_chosen(client, org, plan):
    OnboardingPlan.objects.filter(pk=plan.pk).update(buddy=None, buddy_status="pending")
    body = main(as_(client, org.engineer).get(plan_url(plan)))
    assert "To be chosen with this week" in body


def test_it_offers_the_new_hire_buttons_only_for_their_own_tasks(client, org, plan):
    body = main(as_(client, org.engineer).get(plan_url(plan)))
    assert 'Mark done<span class="visually-hidden">: Set up your laptop' in body
    assert ": Welcome lunch</span>" not in body  # the manager's task
    assert ": Coffee with your buddy</span>" not in body  # the buddy's task
    assert 'Confirm pairing<span class="visually-hidden">: Pair on a first bug' in body


def test_it_offers_the_manager_their_task_and_a_way_to_change_the_buddy(client, org, plan):
    body = main(as_(client, org.manager).get(plan_url(plan)))
    assert ": Welcome lunch</span>" in body
    assert ": Set up your laptop</span>" not in body
    assert "Change the buddy" in body
    assert "Name another partner" not in body  # the people team's


def test_it_offers_the_people_team_every_task_and_naming_a_partner(client, org, plan):
    body = main(as_(client, org.hr).get(plan_url(plan)))
    for title in ("Set up your laptop", "Welcome lunch", "Order a badge"):
        assert f'Mark done<span class="visually-hidden">: {title}' in body
    assert "Name another partner" in body
    assert "Change the buddy" in body


def test_it_shows_both_pairing_confirmations_and_their_notes(client, org, plan, buddy):
    pairing = task_named(plan, "Pair on a first bug")
    pairing_confirm(task=pairing, person=org.engineer, note="Learned the deploy flow")
    body = main(as_(client, org.engineer).get(plan_url(plan)))
    assert "Confirmed by Eli Novak" in body
    assert "<q>Learned the deploy flow</q>" in body
    assert "Not yet confirmed by Bo Brandt" in body
    assert "Take back my confirmation" in body


# --- actions ----------------------------------------------------------------------------------


def test_it_marks_a_task_done_and_returns_to_the_task_saying_so_beside_it(client, org, plan):
    # Issue 9: back at the item itself, not at its week's heading, with the
    # message and the progress beside it (the top of the page is out of view).
    laptop = task_named(plan, "Set up your laptop")
    response = as_(client, org.engineer).post(
        reverse("onboarding:task_complete", args=[laptop.pk]), {"back": "plan"}
    )
    assert response.status_code == 302
    assert response.url == plan_url(plan) + f"#task-{laptop.pk}"
    assert task_named(plan, "Set up your laptop").status == DONE
    body = main(client.get(response.url))
    assert "Done: “Set up your laptop”." in body
    item = body[body.index(f'id="task-{laptop.pk}"') :]
    item = item[: item.index("</li>")]
    assert "Done: “Set up your laptop”. 2 of 7 done, 29%." in item


def test_it_says_nothing_beside_the_task_on_a_later_visit(client, org, plan):
    laptop = task_named(plan, "Set up your laptop")
    as_(client, org.engineer).post(reverse("onboarding:task_complete", args=[laptop.pk]))
    client.get(plan_url(plan))  # the message is shown once
    assert "task-flash" not in main(client.get(plan_url(plan)))


def test_it_undoes_a_task_done_by_mistake(client, org, plan):
    laptop = task_named(plan, "Set up your laptop")
    as_(client, org.engineer).post(reverse("onboarding:task_complete", args=[laptop.pk]))
    response = client.post(reverse("onboarding:task_undo", args=[laptop.pk]))
    assert response.url == plan_url(plan) + f"#task-{laptop.pk}"
    assert task_named(plan, "Set up your laptop").status == OPEN
    assert "Reopened: “Set up your laptop”." in main(client.get(response.url))


def test_it_refuses_a_task_that_is_not_yours_with_a_message(client, org, plan):
    lunch = task_named(plan, "Welcome lunch")
    response = as_(client, org.engineer).post(reverse("onboarding:task_complete", args=[lunch.pk]))
    assert task_named(plan, "Welcome lunch").status == OPEN
    assert "is not yours to complete" in main(client.get(response.url))


def test_it_only_takes_posts_for_actions(client, org, plan):
    laptop = task_named(plan, "Set up your laptop")
    response = as_(client, org.engineer).get(reverse("onboarding:task_complete", args=[laptop.pk]))
    assert response.status_code == 405


def test_it_answers_404_to_an_action_on_a_task_someone_may_not_see(client, org, plan):
    laptop = task_named(plan, "Set up your laptop")
    response = as_(client, org.peer).post(reverse("onboarding:task_complete", args=[laptop.pk]))
    assert response.status_code == 404


def test_it_confirms_a_pairing_with_a_line_and_keeps_it_on_error(client, org, plan):
    pairing = task_named(plan, "Pair on a first bug")
    url = reverse("onboarding:pairing_confirm", args=[pairing.pk])
    too_long = "x" * 1001
    response = as_(client, org.engineer).post(url, {"note": too_long, "back": "plan"})
    assert response.status_code == 200
    assert "Keep it to 1000 characters" in main(response)
    assert too_long in main(response)

    response = client.post(url, {"note": "Fixed the retry bug", "back": "plan"})
    assert response.url == plan_url(plan) + f"#task-{pairing.pk}"
    assert task_named(plan, "Pair on a first bug").new_hire_note == "Fixed the retry bug"


def test_it_lets_the_people_team_name_another_partner(client, org, plan):
    pairing = task_named(plan, "Pair on a first bug")
    url = reverse("onboarding:pairing_partner_set", args=[pairing.pk])
    response = as_(client, org.hr).post(url, {"partner": "nobody@example.com"})
    assert response.status_code == 200
    assert "Nobody here has the email address “nobody@example.com”." in main(response)

    response = client.post(url, {"partner": "PEER@example.com"})
    assert response.status_code == 302
    assert task_named(plan, "Pair on a first bug").partner == org.peer


def test_it_lets_the_manager_change_the_buddy_from_the_plan(client, org, plan):
    revision = published_ladder()
    ana = UserFactory(name="Ana Senior", email="ana@example.com", team=org.payments)
    junior = UserFactory(name="Jun Junior", email="jun@example.com", team=org.payments)
    PlacementFactory(person=ana, level=revision.levels.get(code="L3"))
    PlacementFactory(person=junior, level=revision.levels.get(code="L2"))
    page = main(as_(client, org.manager).get(plan_url(plan)))
    assert "Ana Senior · Payments · L3 · looks after 0 of 2" in page
    assert "Jun Junior" not in page  # not experienced enough: not offered

    url = reverse("onboarding:buddy_change", args=[plan.pk])
    response = client.post(url, {"buddy": junior.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in main(response)

    response = client.post(url, {"buddy": ana.pk})
    assert response.status_code == 302
    assert OnboardingPlan.objects.get(pk=plan.pk).buddy == ana
    assert task_named(plan, "Coffee with your buddy").assignee == ana


def test_it_answers_404_to_a_buddy_change_by_someone_outside_the_chain(client, org, plan):
    url = reverse("onboarding:buddy_change", args=[plan.pk])
    assert as_(client, org.peer).post(url, {"buddy": org.peer.pk}).status_code == 404
    assert as_(client, org.engineer).post(url, {"buddy": org.peer.pk}).status_code == 404


# --- tasks assigned to me ----------------------------------------------------------------------


def my_tasks(client, user) -> str:
    response = as_(client, user).get(reverse("onboarding:my_tasks"))
    assert response.status_code == 200
    return main(response)


def test_it_shows_the_buddy_their_tasks_and_pairings_without_the_plan(client, org, plan, buddy):
    body = my_tasks(client, buddy)
    assert "Eli Novak" in body
    assert "Coffee with your buddy" in body
    assert "Pair on a first bug" in body
    assert "Set up your laptop" not in body  # the new hire's own task
    assert plan_url(plan) not in body  # no link to a plan they may not open


def test_it_lets_the_buddy_confirm_a_pairing_from_their_tasks(client, org, plan, buddy):
    pairing = task_named(plan, "Pair on a first bug")
    pairing_confirm(task=pairing, person=org.engineer, note="Learned a lot")
    response = as_(client, buddy).post(
        reverse("onboarding:pairing_confirm", args=[pairing.pk]),
        {"note": "Showed the deploy flow", "back": "tasks"},
    )
    assert response.url == reverse("onboarding:my_tasks") + f"#task-{pairing.pk}"  # issue 9
    assert task_named(plan, "Pair on a first bug").status == DONE
    body = main(client.get(response.url))
    assert "Pairing done: “Pair on a first bug”. Both of you confirmed it." in body
    assert "Done in the last 7 days" in body


def test_it_shows_the_manager_their_tasks_with_a_link_to_the_plan(client, org, plan):
    body = my_tasks(client, org.manager)
    assert "Welcome lunch" in body
    assert "Coffee with your buddy" not in body
    assert plan_url(plan) in body


def test_it_shows_every_people_team_member_the_shared_tasks(client, org, plan):
    other_hr = PeopleTeamFactory(email="hr2@example.com")
    for member in (org.hr, other_hr):
        body = my_tasks(client, member)
        assert "Order a badge" in body
        assert "Overdue" in body


def test_it_puts_overdue_tasks_and_new_hires_first(client, org, plan, buddy):
    later = UserFactory(name="Zed Later", start_date=day(14), team=org.payments)
    later_plan = OnboardingPlanFactory(new_hire=later, buddy=buddy, buddy_status=ASSIGNED)
    buddy_task(later_plan, "Zed: send the laptop", day(10))
    buddy_task(plan, "Review the first PR", day(1))
    body = my_tasks(client, buddy)
    assert body.index("Eli Novak") < body.index("Zed Later")
    assert body.index("Review the first PR") < body.index("Coffee with your buddy")


def test_it_shows_a_peer_nothing_to_do(client, org, plan):
    body = my_tasks(client, org.peer)
    assert "Nothing to do for new hires right now." in body
    assert "Eli Novak" not in body


# --- the manager's new hires ---------------------------------------------------------------


def test_it_shows_the_manager_and_skip_level_their_new_hires_progress(client, org, plan, buddy):
    task_complete(task=task_named(plan, "Set up your laptop"), by=org.engineer)
    for manager in (org.manager, org.director):
        response = as_(client, manager).get(reverse("onboarding:team_progress"))
        body = main(response)
        assert "Eli Novak" in body
        assert "2 of 7 done, 29%" in body
        assert "1 overdue" in body  # the badge; the laptop is done now
        assert "Bo Brandt" in body
        assert "Not yet" in body  # no pairing done


def test_it_shows_the_time_to_first_pairing(client, org, plan, buddy):
    pairing = task_named(plan, "Pair on a first bug")
    pairing_confirm(task=pairing, person=org.engineer, note="a")
    pairing_confirm(task=pairing, person=buddy, note="b")
    body = main(as_(client, org.manager).get(reverse("onboarding:team_progress")))
    assert "Day 3" in body  # on Wednesday, the third day


@pytest.mark.parametrize("role", ["peer", "other_manager", "hr", "engineer"])
def test_it_shows_no_one_elses_new_hires(client, org, plan, role):
    body = main(as_(client, getattr(org, role)).get(reverse("onboarding:team_progress")))
    assert "Eli Novak" not in body
    assert "No new hires under you." in body


def test_it_leaves_out_new_hires_who_started_more_than_90_days_ago(client, org, plan):
    OnboardingPlan.objects.filter(pk=plan.pk).update(start_date=day(-100))
    body = main(as_(client, org.manager).get(reverse("onboarding:team_progress")))
    assert "Eli Novak" not in body


# --- query counts ---------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def add_tasks(plan, count, buddy, manager):
    """A mix: plain, done, overdue, the buddy's, the manager's, pairing, people team."""
    roles = [
        {},
        {"status": DONE},
        {"assignee_role": AssigneeRole.BUDDY, "assignee": buddy},
        {"assignee_role": AssigneeRole.MANAGER, "assignee": manager},
        {"kind": Kind.PAIRING, "partner": buddy},
        {"assignee_role": AssigneeRole.PEOPLE_TEAM, "assignee": None},
    ]
    for i in range(count):
        PlanTaskFactory(plan=plan, due_on=day(i - 3), **roles[i % len(roles)])


@pytest.mark.parametrize("role", ["engineer", "manager", "director", "hr"])
def test_it_shows_the_plan_in_the_same_number_of_queries_for_3_and_30_tasks(
    client, org, buddy, role
):
    org.engineer.start_date = START
    org.engineer.save()
    plan = OnboardingPlanFactory(new_hire=org.engineer, buddy=buddy, buddy_status=ASSIGNED)
    as_(client, getattr(org, role))
    add_tasks(plan, 3, buddy, org.manager)
    few = count_queries(client, plan_url(plan))
    add_tasks(plan, 27, buddy, org.manager)
    many = count_queries(client, plan_url(plan))
    assert few == many


def add_new_hires(count, manager, buddy):
    for _ in range(count):
        hire = UserFactory(manager=manager, start_date=START, team=manager.team)
        plan = OnboardingPlanFactory(new_hire=hire, buddy=buddy, buddy_status=ASSIGNED)
        add_tasks(plan, 6, buddy, manager)


@pytest.mark.parametrize("role", ["buddy", "manager", "hr"])
def test_it_lists_my_tasks_in_the_same_number_of_queries_for_3_and_30_new_hires(
    client, org, buddy, role
):
    as_(client, buddy if role == "buddy" else getattr(org, role))
    url = reverse("onboarding:my_tasks")
    add_new_hires(3, org.manager, buddy)
    few = count_queries(client, url)
    add_new_hires(27, org.manager, buddy)
    many = count_queries(client, url)
    assert few == many


def test_it_lists_the_managers_new_hires_in_the_same_number_of_queries_for_3_and_30(
    client, org, buddy
):
    as_(client, org.director)
    url = reverse("onboarding:team_progress")
    add_new_hires(3, org.manager, buddy)
    few = count_queries(client, url)
    add_new_hires(27, org.manager, buddy)
    many = count_queries(client, url)
    assert few == many


def test_it_shows_a_pairing_the_new_hire_confirmed_as_waiting_not_overdue(client, org, plan, buddy):
    # Issue 9: the new hire's own confirmed pairing showed a red "Overdue"
    # while only the buddy's confirmation was missing.
    pairing = task_named(plan, "Pair on a first bug")
    pairing.due_on = day(0)  # two days late
    pairing.save()
    pairing_confirm(task=pairing, person=org.engineer, note="Learned the deploy flow")

    mine = main(as_(client, org.engineer).get(plan_url(plan)))
    row = mine[mine.index(f'id="task-{pairing.pk}"') :]
    row = row[: row.index("</li>")]
    assert "Waiting for Bo Brandt" in row
    assert "Overdue" not in row and "days ago" not in row
    assert "<strong>Overdue:</strong> 2 tasks" in mine  # the laptop and the badge, not this one

    theirs = main(as_(client, buddy).get(reverse("onboarding:my_tasks")))
    row = theirs[theirs.index(f'id="task-{pairing.pk}"') :]
    assert "Overdue" in row[: row.index("</li>")]  # still late for the buddy
