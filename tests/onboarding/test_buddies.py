"""Choosing buddies: experienced people, the same team first, at most the cap
each, a week's new hires spread over buddies; no buddy available is said on
the plan and told to the people team once; the manager changes the buddy."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse

from core.models import Job
from onboarding.models import AssigneeRole, Kind, OnboardingPlan, PlanTask, Reminder
from onboarding.services.buddies import buddies_choose, buddies_choose_waiting, buddy_change
from onboarding.tasks import buddies_choose_task
from people.errors import ApplicationError
from people.services.lifecycle import person_set_manager, person_update
from tests.ladders.factories import PlacementFactory, published_ladder
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import PeopleTeamFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)  # a Wednesday
START = dt.date(2026, 11, 30)  # the Monday after
Status = OnboardingPlan.BuddyStatus


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def ladder(db):
    return published_ladder()


@pytest.fixture
def senior(ladder):
    """An experienced engineer: placed at a level, here for years."""

    def make(name, team, level="L3", **fields):
        email = name.lower().replace(" ", ".") + "@example.com"
        person = UserFactory(name=name, email=email, team=team, **fields)
        PlacementFactory(person=person, level=ladder.levels.get(code=level))
        return person

    return make


def new_hire(name, team, start=START, **fields):
    email = name.lower().replace(" ", ".") + "@example.com"
    person = UserFactory(name=name, email=email, team=team, start_date=start, **fields)
    plan = OnboardingPlanFactory(new_hire=person)
    PlanTaskFactory(
        plan=plan, title="Coffee with your buddy", assignee_role=AssigneeRole.BUDDY, assignee=None
    )
    PlanTaskFactory(plan=plan, title="Pair on a first bug", kind=Kind.PAIRING)
    return plan


def busy(buddy, count):
    """Give the buddy current new hires (started within the last 60 days)."""
    for _ in range(count):
        hire = UserFactory(start_date=START - dt.timedelta(days=20))
        OnboardingPlanFactory(new_hire=hire, buddy=buddy, buddy_status=Status.ASSIGNED)


def fresh(plan):
    return OnboardingPlan.objects.select_related("buddy").get(pk=plan.pk)


@pytest.fixture
def payments(db):
    engineering = TeamFactory(name="Engineering")
    return TeamFactory(name="Payments", parent=engineering)


@pytest.fixture
def search(payments):
    return TeamFactory(name="Search", parent=payments.parent)


# --- who is chosen -------------------------------------------------------------------


def test_it_prefers_a_buddy_from_the_new_hires_team(senior, payments, search):
    senior("Sam Search", search, level="L4")
    ana = senior("Ana Payments", payments)
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    plan = fresh(plan)
    assert plan.buddy == ana
    assert plan.buddy_status == Status.ASSIGNED
    assert plan.buddy_note == "Same team (Payments), no other new hire"


def test_it_takes_someone_from_the_same_department_before_anyone_else(senior, payments, search):
    senior("Olga Other", TeamFactory(name="Sales"))
    sam = senior("Sam Search", search)
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy == sam
    assert fresh(plan).buddy_note.startswith("Same department (Engineering, Search)")


def test_it_never_chooses_someone_below_the_minimum_level(senior, payments, search):
    senior("Jun Junior", payments, level="L2")
    sam = senior("Sam Search", search, level="L3")
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy == sam


def test_it_reads_the_minimum_level_from_the_settings(settings, senior, payments):
    settings.ONBOARDING_BUDDY_MIN_LEVEL = "L4"
    senior("Ana Payments", payments, level="L3")
    lead = senior("Lea Lead", payments, level="L4")
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy == lead


def test_it_never_chooses_a_new_hire_nor_the_new_hires_manager(senior, payments):
    senior("Rita Recent", payments, level="L4", start_date=START - dt.timedelta(days=30))
    boss = senior("Max Manager", payments, level="L4")
    plan = new_hire("Nia New", payments, manager=boss)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy is None
    assert fresh(plan).buddy_status == Status.NONE_AVAILABLE


def test_it_never_chooses_anyone_in_the_new_hires_manager_chain(senior, payments):
    skip_level = senior("Sol Skip", payments, level="L4")
    boss = senior("Max Manager", payments, level="L4", manager=skip_level)
    plan = new_hire("Nia New", payments, manager=boss)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy is None  # neither the manager nor the skip-level
    peer = senior("Pat Peer", payments, level="L3", manager=boss)
    buddies_choose(plans=[plan])
    assert fresh(plan).buddy == peer


def test_it_respects_the_cap_on_concurrent_buddies(senior, payments, search):
    ana = senior("Ana Payments", payments)
    busy(ana, 2)  # at the default cap of 2
    sam = senior("Sam Search", search)
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy == sam


def test_it_no_longer_counts_new_hires_past_their_first_60_days(senior, payments):
    ana = senior("Ana Payments", payments)
    for _ in range(2):
        hire = UserFactory(start_date=START - dt.timedelta(days=90))
        OnboardingPlanFactory(new_hire=hire, buddy=ana, buddy_status=Status.ASSIGNED)
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy == ana


def test_it_reads_the_cap_from_the_settings(settings, senior, payments, search):
    settings.ONBOARDING_BUDDY_CAP = 3
    ana = senior("Ana Payments", payments)
    busy(ana, 2)
    senior("Sam Search", search)
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy == ana
    assert fresh(plan).buddy_note == "Same team (Payments), 2 other new hires"


def test_it_spreads_a_weeks_new_hires_over_the_buddies_of_their_team(senior, payments):
    ana, ben = senior("Ana Payments", payments), senior("Ben Payments", payments)
    plans = [new_hire("Nia New", payments), new_hire("Noa New", payments)]

    buddies_choose(plans=plans)

    assert {fresh(p).buddy for p in plans} == {ana, ben}
    assert {fresh(p).buddy_note for p in plans} == {"Same team (Payments), no other new hire"}


def test_it_prefers_the_buddy_with_fewer_new_hires_already(senior, payments):
    ana, ben = senior("Ana Payments", payments), senior("Ben Payments", payments)
    busy(ana, 1)
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy == ben


def test_it_gives_one_buddy_two_new_hires_when_nobody_else_has_room(senior, payments):
    ana = senior("Ana Payments", payments)
    plans = [new_hire("Nia New", payments), new_hire("Noa New", payments)]

    buddies_choose(plans=plans)

    assert [fresh(p).buddy for p in plans] == [ana, ana]
    assert {fresh(p).buddy_note for p in plans} == {"Same team (Payments), 1 other new hire"}


def test_it_prefers_a_buddy_whose_working_hours_overlap(senior, payments):
    senior("Kai Tokyo", payments, timezone="Asia/Tokyo")
    lou = senior("Lou London", payments, timezone="Europe/London")
    plan = new_hire("Nia New", payments, timezone="Europe/Lisbon")

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy == lou


def test_it_says_how_far_apart_the_timezones_are(senior, payments):
    senior("Kai Tokyo", payments, timezone="Asia/Tokyo")
    plan = new_hire("Nia New", payments, timezone="Europe/London")

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy_note == "Same team (Payments), no other new hire, 9 hours apart"


def test_it_gives_the_buddy_their_open_tasks_and_makes_them_the_pairing_partner(senior, payments):
    ana = senior("Ana Payments", payments)
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    coffee = PlanTask.objects.get(plan=plan, title="Coffee with your buddy")
    pairing = PlanTask.objects.get(plan=plan, kind=Kind.PAIRING)
    assert coffee.assignee == ana
    assert pairing.partner == ana


def test_it_leaves_plans_that_have_a_buddy_alone_when_run_again(senior, payments):
    ana = senior("Ana Payments", payments)
    plan = new_hire("Nia New", payments)
    buddies_choose(plans=[plan])
    ben = senior("Ben Payments", payments)

    assert buddies_choose(plans=[plan]) == []
    assert fresh(plan).buddy == ana
    assert ben != ana


# --- nobody available ---------------------------------------------------------------


@pytest.fixture
def full(senior, payments, search):
    """Everyone experienced is at the cap; two people in the people team."""
    for name, team in (("Ana Payments", payments), ("Sam Search", search)):
        busy(senior(name, team), 2)
    return [PeopleTeamFactory(email="hr1@example.com"), PeopleTeamFactory(email="hr2@example.com")]


def test_it_says_why_no_buddy_is_available(full, payments):
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    plan = fresh(plan)
    assert (plan.buddy, plan.buddy_status) == (None, Status.NONE_AVAILABLE)
    assert plan.buddy_note == (
        "Nobody at L3 or above in Payments, its department or elsewhere has room: "
        "all 2 at the cap of 2."
    )


def test_it_leaves_the_buddys_tasks_to_nobody_when_none_is_available(full, payments):
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    coffee = PlanTask.objects.get(plan=plan, title="Coffee with your buddy")
    assert coffee.assignee is None
    assert PlanTask.objects.get(plan=plan, kind=Kind.PAIRING).partner is None


def test_it_tells_the_people_team_once_even_when_run_twice(full, payments):
    plan = new_hire("Nia New", payments)

    buddies_choose_task([plan.pk])
    buddies_choose_task([plan.pk])

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["hr1@example.com", "hr2@example.com"]
    assert message.subject == "No onboarding buddy available for Nia New"
    assert "all 2 at the cap of 2" in message.body
    assert reverse("onboarding:plan_detail", args=[plan.pk]) in message.body
    assert Reminder.objects.filter(kind=Reminder.Kind.NO_BUDDY, key=f"plan-{plan.pk}").count() == 2


def test_it_tells_the_people_team_about_each_plan_without_a_buddy(full, payments):
    plans = [new_hire("Nia New", payments), new_hire("Noa New", payments)]

    buddies_choose(plans=plans)

    assert sorted(m.subject for m in mail.outbox) == [
        "No onboarding buddy available for Nia New",
        "No onboarding buddy available for Noa New",
    ]


def test_it_shows_on_the_plan_that_there_is_no_buddy_yet(client, full, payments):
    plan = new_hire("Nia New", payments)
    buddies_choose(plans=[plan])

    client.force_login(plan.new_hire)
    body = client.get(reverse("onboarding:plan_detail", args=[plan.pk])).content.decode()

    assert "No buddy yet: the people team has been told." in body
    assert "all 2 at the cap of 2" in body
    assert "For: <strong>no buddy yet</strong>" in body


def test_it_explains_when_nobody_is_experienced_enough(payments):
    plan = new_hire("Nia New", payments)

    buddies_choose(plans=[plan])

    assert fresh(plan).buddy_note.startswith("Nobody at L3 or above can be a buddy yet")


def test_it_chooses_a_buddy_later_once_someone_has_room(full, senior, payments):
    plan = new_hire("Nia New", payments)
    buddies_choose(plans=[plan])
    ben = senior("Ben Payments", payments)

    assert buddies_choose_waiting(today=TODAY.date()) == 1

    plan = fresh(plan)
    assert (plan.buddy, plan.buddy_status) == (ben, Status.ASSIGNED)
    assert len(mail.outbox) == 1  # only the first, "nobody available", email


# --- the manager changes the buddy ---------------------------------------------------------


@pytest.fixture
def chosen(org, senior):
    """The engineer is a new hire with Ana as buddy; Ben and Jun are around."""
    org.engineer.start_date = START
    org.engineer.save()
    ana = senior("Ana Payments", org.payments)
    plan = OnboardingPlanFactory(new_hire=org.engineer)
    PlanTaskFactory(
        plan=plan, title="Coffee with your buddy", assignee_role=AssigneeRole.BUDDY, assignee=None
    )
    PlanTaskFactory(plan=plan, title="Pair on a first bug", kind=Kind.PAIRING)
    buddies_choose(plans=[plan])
    assert fresh(plan).buddy == ana
    return fresh(plan)


def test_it_lets_the_manager_change_the_buddy_and_moves_the_open_tasks(org, senior, chosen):
    ben = senior("Ben Payments", org.payments)

    buddy_change(plan=chosen, buddy=ben, by=org.manager)

    plan = fresh(chosen)
    assert (plan.buddy, plan.buddy_status) == (ben, Status.ASSIGNED)
    assert plan.buddy_note == "Chosen by Mia Chen: Same team (Payments), no other new hire"
    assert PlanTask.objects.get(plan=plan, title="Coffee with your buddy").assignee == ben
    assert PlanTask.objects.get(plan=plan, kind=Kind.PAIRING).partner == ben


def test_it_lets_the_skip_level_manager_and_the_people_team_change_the_buddy(org, senior, chosen):
    ben, bea = senior("Ben Payments", org.payments), senior("Bea Payments", org.payments)
    buddy_change(plan=chosen, buddy=ben, by=org.director)
    buddy_change(plan=chosen, buddy=bea, by=org.hr)
    assert fresh(chosen).buddy == bea


def test_it_refuses_a_buddy_change_by_anyone_else(org, senior, chosen):
    ben = senior("Ben Payments", org.payments)
    for someone in (org.peer, org.other_manager, org.engineer):
        with pytest.raises(ApplicationError, match="Only the new hire's manager or the people"):
            buddy_change(plan=chosen, buddy=ben, by=someone)


def test_it_refuses_a_buddy_who_is_at_the_cap(org, senior, chosen):
    ben = senior("Ben Payments", org.payments)
    busy(ben, 2)
    with pytest.raises(ApplicationError) as error:
        buddy_change(plan=chosen, buddy=ben, by=org.manager)
    assert error.value.message == (
        "Ben Payments already looks after 2 new hires, the cap is 2: choose someone else."
    )
    assert fresh(chosen).buddy.name == "Ana Payments"


def test_it_refuses_a_buddy_below_the_minimum_level(org, senior, chosen):
    jun = senior("Jun Junior", org.payments, level="L2")
    with pytest.raises(ApplicationError) as error:
        buddy_change(plan=chosen, buddy=jun, by=org.manager)
    assert error.value.message == "Jun Junior is at L2: a buddy is at L3 or above."


def test_it_refuses_a_buddy_in_the_new_hires_manager_chain(org, senior, chosen, ladder):
    for boss in (org.manager, org.director, org.cto):
        PlacementFactory(person=boss, level=ladder.levels.get(code="L4"))
        with pytest.raises(ApplicationError) as error:
            buddy_change(plan=chosen, buddy=boss, by=org.hr)
        assert error.value.message == (
            f"{boss} is in Eli Novak's manager chain: a buddy is a peer, not a manager."
        )
    assert fresh(chosen).buddy.name == "Ana Payments"


def test_it_refuses_a_buddy_with_no_level_or_who_is_a_new_hire(org, senior, chosen):
    with pytest.raises(ApplicationError, match="has no level on a ladder yet"):
        buddy_change(plan=chosen, buddy=org.peer, by=org.manager)
    recent = senior("Rita Recent", org.payments, start_date=START - dt.timedelta(days=10))
    with pytest.raises(ApplicationError, match="a buddy has been here at least 90 days"):
        buddy_change(plan=chosen, buddy=recent, by=org.manager)


def test_it_keeps_a_pairing_partner_named_by_the_people_team_when_the_buddy_changes(
    org, senior, chosen
):
    from onboarding.services.checklist import pairing_partner_set

    pairing = PlanTask.objects.get(plan=chosen, kind=Kind.PAIRING)
    pairing_partner_set(task=pairing, partner=org.peer, by=org.hr)
    ben = senior("Ben Payments", org.payments)

    buddy_change(plan=chosen, buddy=ben, by=org.manager)

    assert PlanTask.objects.get(pk=pairing.pk).partner == org.peer


# --- a manager change never leaves a buddy in the manager chain -----------------------------


def test_a_buddy_who_becomes_the_new_hires_manager_is_replaced(senior, payments):
    first = senior("Ana Payments", payments)
    second = senior("Ben Payments", payments, level="L4")
    plan = new_hire("Nia New", payments)
    buddies_choose(plans=[plan])
    plan = fresh(plan)
    old = plan.buddy
    other = second if old == first else first
    pairing = plan.tasks.get(kind=Kind.PAIRING)
    assert pairing.partner == old

    with transaction.atomic():
        person_update(person=plan.new_hire, manager=old)
        plan = fresh(plan)
        # At once, in the same transaction: the buddy is gone, the tasks wait.
        assert (plan.buddy, plan.buddy_status) == (None, Status.PENDING)
        assert plan.buddy_note == (
            f"{old} is now in Nia New's manager chain: a buddy is a peer, "
            "so another is being chosen."
        )
        assert plan.tasks.get(title="Coffee with your buddy").assignee is None
        assert plan.tasks.get(kind=Kind.PAIRING).partner is None
        job = Job.objects.get(task="onboarding.tasks.buddies_choose_task")
        assert job.args == [[plan.pk]]

    buddies_choose(plans=[plan])  # what the job does
    plan = fresh(plan)
    assert plan.buddy == other
    assert plan.tasks.get(kind=Kind.PAIRING).partner == other


def test_a_manager_change_elsewhere_keeps_the_buddy(senior, payments):
    senior("Ana Payments", payments)
    boss = senior("Bo Boss", payments)
    plan = new_hire("Nia New", payments)
    buddies_choose(plans=[plan])
    buddy = fresh(plan).buddy

    person_set_manager(person=plan.new_hire, manager=boss if boss != buddy else None)

    assert fresh(plan).buddy == buddy
    assert not Job.objects.filter(task="onboarding.tasks.buddies_choose_task").exists()
