"""404 means 404 (issue 9): the role x page matrix for the two roles the
other view tests leave out, a staff user outside the people team and a buddy.
Every page they may not see answers 404 with the same text as a page whose
record does not exist, so the answer never tells which ids exist."""

import datetime as dt

import pytest
from django.urls import reverse

from onboarding.models import AssigneeRole, Kind, OnboardingPlan
from people.access import NOT_FOUND
from tests.ladders.factories import published_ladder
from tests.mentorship.factories import PublishedPairingFactory, RotationCycleFactory, SignUpFactory
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = 999_999


@pytest.fixture
def world(org):
    """The engineer's private records, and a new hire whose buddy is Bo."""
    revision = published_ladder()
    cycle = RotationCycleFactory(ladder=revision.ladder)
    signup = SignUpFactory(cycle=cycle, person=org.engineer)
    pairing = PublishedPairingFactory(run__cycle=cycle, mentee=signup)
    buddy = UserFactory(name="Bo Brandt", email="bo@example.com", team=org.search)
    new_hire = UserFactory(manager=org.manager, team=org.payments, start_date=dt.date(2026, 11, 30))
    plan = OnboardingPlanFactory(
        new_hire=new_hire, buddy=buddy, buddy_status=OnboardingPlan.BuddyStatus.ASSIGNED
    )
    plain = PlanTaskFactory(plan=plan, title="Set up the laptop")
    buddy_task = PlanTaskFactory(
        plan=plan, title="Coffee", assignee_role=AssigneeRole.BUDDY, assignee=buddy
    )
    PlanTaskFactory(plan=plan, title="Pair on a bug", kind=Kind.PAIRING)
    return {
        "engineer": org.engineer,
        "signup": signup,
        "pairing": pairing,
        "cycle": cycle,
        "plan": plan,
        "plain_task": plain,
        "buddy_task": buddy_task,
        "buddy": buddy,
        "new_hire": new_hire,
    }


def staff_outside_the_people_team(org, world):
    org.other_manager.is_staff = True
    org.other_manager.save()
    return org.other_manager


def buddy(org, world):
    return world["buddy"]


ROLES = {"staff outside the people team": staff_outside_the_people_team, "buddy": buddy}

# (method, url name, the record it shows): each is someone else's private page.
PRIVATE_PAGES = [
    ("get", "ladders:person_ladder", lambda w: w["engineer"].pk),
    ("get", "ladders:assessment_list", lambda w: w["engineer"].pk),
    ("get", "mentorship:signup_edit", lambda w: w["signup"].pk),
    ("post", "mentorship:signup_withdraw", lambda w: w["signup"].pk),
    ("get", "mentorship:checkin", lambda w: w["pairing"].pk),
    ("get", "mentorship:feedback", lambda w: w["pairing"].pk),
    ("get", "onboarding:plan_detail", lambda w: w["plan"].pk),
    ("post", "onboarding:buddy_change", lambda w: w["plan"].pk),
    ("post", "onboarding:task_complete", lambda w: w["plain_task"].pk),
    ("post", "onboarding:task_undo", lambda w: w["plain_task"].pk),
    ("post", "onboarding:pairing_confirm", lambda w: w["plain_task"].pk),
]

PEOPLE_TEAM_ADMIN = [
    ("admin:people_user_changelist", None),
    ("admin:people_user_change", lambda w: w["engineer"].pk),
    ("admin:people_user_history", lambda w: w["engineer"].pk),
    ("admin:people_team_changelist", None),
    ("admin:ladders_ladder_changelist", None),
    ("admin:mentorship_rotationcycle_changelist", None),
    ("admin:mentorship_rotationcycle_change", lambda w: w["cycle"].pk),
    ("admin:mentorship_rotationcycle_review", lambda w: w["cycle"].pk),
    ("admin:mentorship_signup_change", lambda w: w["signup"].pk),
    ("admin:onboarding_onboardingplan_changelist", None),
    ("admin:onboarding_onboardingplan_change", lambda w: w["plan"].pk),
]


def not_found_text(response) -> str:
    """What the 404 says (the technical page shows it when DEBUG is on)."""
    assert response.status_code == 404
    return response.context["exception"]


def fetch(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "name", "record"), PRIVATE_PAGES)
def test_a_private_page_answers_404_like_a_missing_one(
    client, org, world, role, method, name, record
):
    client.force_login(ROLES[role](org, world))

    theirs = fetch(client, method, reverse(name, args=[record(world)]))
    missing = fetch(client, method, reverse(name, args=[MISSING]))

    assert not_found_text(theirs) == not_found_text(missing) == NOT_FOUND


@pytest.mark.parametrize(("name", "record"), PEOPLE_TEAM_ADMIN)
def test_people_team_admin_pages_answer_404_to_staff_outside_the_people_team(
    client, org, world, name, record
):
    client.force_login(staff_outside_the_people_team(org, world))

    url = reverse(name, args=[record(world)] if record else [])
    assert not_found_text(client.get(url)) == NOT_FOUND
    if record:
        missing = reverse(name, args=[MISSING])
        assert not_found_text(client.get(missing)) == NOT_FOUND


def test_a_buddy_still_acts_on_their_own_task_and_the_pairing_task(client, org, world):
    client.force_login(world["buddy"])

    done = client.post(reverse("onboarding:task_complete", args=[world["buddy_task"].pk]))
    plan_tasks = world["plan"].tasks
    pairing_task = plan_tasks.get(kind=Kind.PAIRING)
    confirmed = client.post(
        reverse("onboarding:pairing_confirm", args=[pairing_task.pk]), {"note": "Paired"}
    )

    assert done.status_code == 302 and confirmed.status_code in (200, 302)
    world["buddy_task"].refresh_from_db()
    assert world["buddy_task"].status == "done"


def test_a_person_who_does_not_exist_reads_like_one_who_left(client, org):
    """A colleague who left is hidden from everyone but the people team."""
    org.peer.is_active = False
    org.peer.save()
    client.force_login(org.engineer)

    left = client.get(reverse("people:person_detail", args=[org.peer.pk]))
    missing = client.get(reverse("people:person_detail", args=[MISSING]))

    assert not_found_text(left) == not_found_text(missing) == NOT_FOUND
