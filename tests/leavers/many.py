"""Many leavers, each involved in everything a leaving hands over: shared by
the scale tests (tests/leavers/test_scale.py) and bench/leavers.py."""

import datetime as dt
from types import SimpleNamespace

from ladders.models import Assessment, AssessmentRequest, StretchParticipation
from mentorship.models import RotationCycle
from onboarding.models import AssigneeRole, Kind, OnboardingPlan
from tests.ladders.factories import StretchAssignmentFactory, published_ladder
from tests.mentorship.factories import (
    MentorSignUpFactory,
    PublishedPairingFactory,
    RotationCycleFactory,
    SignUpFactory,
)
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import UserFactory


def shared_org() -> SimpleNamespace:
    """What every leaver is involved in, shared: their manager, a ladder, a
    stretch assignment and rotation cycles."""
    revision = published_ladder()
    return SimpleNamespace(
        boss=UserFactory(name="Bo Boss"),
        level=revision.levels.get(code="L2"),
        stretch=StretchAssignmentFactory(seats=10_000),
        open_cycle=RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.OPEN),
        running=RotationCycleFactory(ladder=revision.ladder, status=RotationCycle.Status.PUBLISHED),
    )


def leaver_in_everything(org: SimpleNamespace, *, name: str, today: dt.date) -> SimpleNamespace:
    """A leaver who has not started yet (their plan is cancelled), buddies a
    new hire who started nine days ago (buddy task, pairing session), owes a
    manager's task in a report's plan, holds a stretch seat, owes an
    assessment and a requested one, is signed up to an open cycle and mentors
    in a published pairing. Still active: the caller makes them leave."""
    started, not_yet = today - dt.timedelta(days=9), today + dt.timedelta(days=12)
    leaver = UserFactory(name=name, manager=org.boss, start_date=not_yet)
    own_plan = OnboardingPlanFactory(new_hire=leaver)
    buddied = OnboardingPlanFactory(
        new_hire=UserFactory(start_date=started),
        buddy=leaver,
        buddy_status=OnboardingPlan.BuddyStatus.ASSIGNED,
    )
    buddy_task = PlanTaskFactory(plan=buddied, assignee_role=AssigneeRole.BUDDY, assignee=leaver)
    pairing_task = PlanTaskFactory(plan=buddied, kind=Kind.PAIRING, partner=leaver)
    report = UserFactory(manager=leaver, start_date=started)
    managing_task = PlanTaskFactory(
        plan=OnboardingPlanFactory(new_hire=report),
        assignee_role=AssigneeRole.MANAGER,
        assignee=leaver,
    )
    seat = StretchParticipation.objects.create(
        assignment=org.stretch, person=leaver, status=StretchParticipation.Status.ACCEPTED
    )
    owed = Assessment.objects.create(person=report, manager=leaver, level=org.level)
    asked = AssessmentRequest.objects.create(
        person=UserFactory(manager=leaver), manager=leaver, kind=AssessmentRequest.Kind.ASK
    )
    signup = SignUpFactory(cycle=org.open_cycle, person=leaver)
    pairing = PublishedPairingFactory(
        run__cycle=org.running,
        mentor=MentorSignUpFactory(cycle=org.running, person=leaver),
        mentee=SignUpFactory(cycle=org.running, person=UserFactory()),
    )
    return SimpleNamespace(**locals())
