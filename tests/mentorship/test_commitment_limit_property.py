"""The commitment limit holds on every path (issue 9): hypothesis drives random
sequences of what people and the people team do (sign up, withdraw, apply,
accept, match, remove, swap, pair by hand, publish, finish a cycle) through the
services, and after every step nobody is over the limit.

A refused action (ApplicationError) is a fine outcome: the rule is that the
limit holds, whatever was tried. Example counts are modest so the test runs in
well under a minute."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ladders.models import StretchParticipation
from ladders.selectors.commitments import active_commitments
from ladders.services.stretch import stretch_apply, stretch_decide, stretch_withdraw
from mentorship.models import Pairing, Role, RotationCycle, SignUp
from mentorship.selectors.review import latest_done_run
from mentorship.services.cycles import cycle_move, cycle_publish
from mentorship.services.matching_run import cycle_close_and_match, cycle_rerun, match_run_execute
from mentorship.services.review import (
    pairing_create_by_hand,
    pairing_remove,
    pairing_swap,
)
from mentorship.services.signups import signup_create, signup_withdraw
from people.errors import ApplicationError
from tests.ladders.factories import StretchAssignmentFactory, published_ladder
from tests.mentorship.factories import RotationCycleFactory, place
from tests.people.factories import UserFactory
from tests.properties import RolledBackMachine

# A small world with a tight limit, so that random sequences often reach it.
LIMIT = 1
MENTORS, MENTEES = 1, 2  # person 0 mentors (L4), persons 1-2 are mentees (L2)
PEOPLE = MENTORS + MENTEES
ASSIGNMENTS = 2

person_index = st.integers(0, PEOPLE - 1)
mentor_index = st.integers(0, MENTORS - 1)
mentee_index = st.integers(MENTORS, PEOPLE - 1)
assignment_index = st.integers(0, ASSIGNMENTS - 1)
pairing_index = st.integers(0, 2)
any_index = st.integers(0, 10)

# Rules fire only where they can do something, so a sequence of 20 steps goes
# somewhere instead of mostly bouncing off closed doors.
Status = RotationCycle.Status


def status_is(*statuses):
    return precondition(lambda self: self.cycle.status in statuses)


class World:
    """The organisation every example starts from, built once per test: a
    ladder, people each on their own team, a poster and open stretch assignments."""

    def __init__(self):
        self.today = timezone.localdate()
        self.revision = published_ladder(competencies=("design", "testing"))
        self.design = self.revision.competencies.get(code="design")
        self.people = [UserFactory() for _ in range(PEOPLE)]
        for k, person in enumerate(self.people):
            place(person, self.revision, "L4" if k < MENTORS else "L2")
        self.poster = UserFactory()
        self.assignments = [
            StretchAssignmentFactory(
                posted_by=self.poster,
                seats=PEOPLE,
                starts_on=self.today,
                ends_on=self.today + dt.timedelta(days=90),
            )
            for _ in range(ASSIGNMENTS)
        ]


class CommitmentLimit(RolledBackMachine):
    """One example: everything it does is rolled back at its end (RolledBackMachine)."""

    world: World  # set by the test

    def __init__(self):
        super().__init__()  # opens the example's savepoint
        world = self.world
        self.today, self.revision, self.design = world.today, world.revision, world.design
        self.people, self.poster, self.assignments = world.people, world.poster, world.assignments
        self.cycles = 0
        self.cycle = self._new_cycle()

    def _new_cycle(self) -> RotationCycle:
        self.cycles += 1
        return RotationCycleFactory(
            ladder=self.revision.ladder,
            mentor_min_level="L3",
            mentee_min_level="L1",
            mentee_max_level="L3",
            name=f"Cycle {self.cycles}",
            status=RotationCycle.Status.OPEN,
            signup_opens_on=self.today - dt.timedelta(days=1),
            signup_closes_on=self.today + dt.timedelta(days=1),
            starts_on=self.today + dt.timedelta(days=2),
            ends_on=self.today + dt.timedelta(days=60),
            default_mentor_capacity=2,
        )

    def _try(self, action, **kwargs):
        try:
            return action(**kwargs)
        except ApplicationError:
            return None

    def _execute_latest_run(self):
        run = self.cycle.runs.order_by("-created_at", "-pk").first()
        match_run_execute(match_run_id=run.pk)
        self.cycle.refresh_from_db()

    def _proposal(self) -> list[Pairing]:
        run = latest_done_run(cycle=self.cycle)
        return list(run.pairings.order_by("pk")) if run else []

    # --- what people do ----------------------------------------------------------

    @initialize(
        mentees=st.sets(mentee_index, min_size=1),
        capacity=st.integers(1, 3),
        match_now=st.booleans(),
    )
    def some_sign_up(self, mentees, capacity, match_now):
        """Start with a mentor and mentees signed up, so every sequence can reach
        a match and a review; half of them start in review, where the limit is
        most at stake."""
        for k in [*range(MENTORS), *sorted(mentees)]:
            self.sign_up(k, capacity)
        if match_now:
            self.match()

    @status_is(Status.OPEN)
    @rule(k=person_index, capacity=st.integers(1, 3))
    def sign_up(self, k, capacity):
        role = Role.MENTOR if k < MENTORS else Role.MENTEE
        extra = {"capacity": capacity, "project_title": "P", "project_outcome": "O"}
        self._try(
            signup_create,
            cycle=self.cycle,
            person=self.people[k],
            role=role,
            competencies=[self.design],
            goals="Grow",
            **(extra if role == Role.MENTOR else {}),
        )

    @status_is(Status.OPEN)
    @rule(k=person_index)
    def withdraw_sign_up(self, k):
        signup = SignUp.objects.filter(cycle=self.cycle, person=self.people[k]).first()
        if signup is not None:
            self._try(signup_withdraw, signup=signup, by=self.people[k])

    @rule(k=person_index, a=assignment_index)
    def apply(self, k, a):
        self._try(
            stretch_apply, assignment=self.assignments[a], person=self.people[k], motivation="Yes"
        )

    def _participations(self, statuses):
        return list(StretchParticipation.objects.filter(status__in=statuses).order_by("pk"))

    @precondition(lambda self: self._participations([StretchParticipation.Status.APPLIED]))
    @rule(i=any_index)
    def accept(self, i):
        applied = self._participations([StretchParticipation.Status.APPLIED])
        participation = applied[i % len(applied)]
        self._try(stretch_decide, participation=participation, decided_by=self.poster, accept=True)

    def _take_stretch(self, person, a):
        """Apply and be accepted at once: a commitment that begins now."""
        participation = self._try(
            stretch_apply, assignment=self.assignments[a], person=person, motivation="Yes"
        )
        if participation is not None:
            self._try(
                stretch_decide, participation=participation, decided_by=self.poster, accept=True
            )

    # The way past a publish that forgets to count: someone in the proposal takes
    # on a commitment while it is in review. Two rules (mentee's side, mentor's
    # side) so that random sequences try it often, not once in a while.

    @status_is(Status.REVIEW)
    @rule(p=pairing_index, a=assignment_index)
    def proposed_mentee_takes_a_stretch(self, p, a):
        proposal = self._proposal()
        if proposal:
            self._take_stretch(proposal[p % len(proposal)].mentee.person, a)

    @status_is(Status.REVIEW)
    @rule(p=pairing_index, a=assignment_index)
    def proposed_mentor_takes_a_stretch(self, p, a):
        proposal = self._proposal()
        if proposal:
            self._take_stretch(proposal[p % len(proposal)].mentor.person, a)

    @precondition(lambda self: self._participations(StretchParticipation.HOLDS_SEAT))
    @rule(i=any_index)
    def withdraw_stretch(self, i):
        holding = self._participations(StretchParticipation.HOLDS_SEAT)
        participation = holding[i % len(holding)]
        self._try(stretch_withdraw, participation=participation, person=participation.person)

    # --- what the people team does ------------------------------------------------

    def _can_match(self) -> bool:
        """Open with a mentor and a mentee signed up, or in review (a re-run)."""
        if self.cycle.status == Status.REVIEW:
            return True
        roles = SignUp.objects.filter(cycle=self.cycle, status=SignUp.Status.ACTIVE)
        return self.cycle.status == Status.OPEN and roles.values("role").distinct().count() == 2

    @precondition(lambda self: self._can_match())
    @rule()
    def match(self):
        start = cycle_close_and_match if self.cycle.status == Status.OPEN else cycle_rerun
        if self._try(start, cycle=self.cycle) is not None:
            self._execute_latest_run()

    @status_is(Status.REVIEW)
    @rule(p=pairing_index)
    def remove(self, p):
        proposal = self._proposal()
        if p < len(proposal):
            self._try(pairing_remove, pairing=proposal[p])

    @status_is(Status.REVIEW)
    @rule(p=pairing_index, q=pairing_index)
    def swap(self, p, q):
        proposal = self._proposal()
        if p < len(proposal) and q < len(proposal):
            self._try(pairing_swap, pairing_a=proposal[p], pairing_b=proposal[q])

    @status_is(Status.REVIEW)
    @rule(m=mentor_index, e=mentee_index)
    def pair_by_hand(self, m, e):
        signups = {
            s.person_id: s
            for s in SignUp.objects.filter(cycle=self.cycle, status=SignUp.Status.ACTIVE)
        }
        mentor, mentee = signups.get(self.people[m].pk), signups.get(self.people[e].pk)
        if mentor is not None and mentee is not None:
            self._try(pairing_create_by_hand, cycle=self.cycle, mentor=mentor, mentee=mentee)

    @status_is(Status.REVIEW)
    @rule()
    def publish(self):
        self._try(cycle_publish, cycle=self.cycle)

    @status_is(Status.PUBLISHED)
    @rule()
    def finish_cycle(self):
        """The published cycle runs and closes (its rotations end); a new one opens."""
        if self.cycle.status == RotationCycle.Status.PUBLISHED:
            cycle_move(cycle=self.cycle, to=RotationCycle.Status.ACTIVE)
            cycle_move(cycle=self.cycle, to=RotationCycle.Status.CLOSED)
            self.cycle = self._new_cycle()

    # --- the rule -----------------------------------------------------------------

    @invariant()
    def nobody_is_over_the_limit(self):
        for person in self.people:
            assert active_commitments(person=person) <= LIMIT, person

    @invariant()
    def publishing_now_would_keep_the_limit(self):
        """Publishing is where a rotation becomes a commitment: try it after every
        step of a review (and roll it back), not only when the publish rule fires."""
        if self.cycle.status != Status.REVIEW:
            return
        savepoint = transaction.savepoint()
        try:
            self._try(cycle_publish, cycle=self.cycle)
            self.nobody_is_over_the_limit()
        finally:
            transaction.savepoint_rollback(savepoint)
            self.cycle.refresh_from_db()


@pytest.mark.django_db
def test_the_commitment_limit_holds_after_every_step(settings_limit):
    CommitmentLimit.world = World()
    run_state_machine_as_test(
        CommitmentLimit,
        settings=settings(
            max_examples=10,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


@pytest.fixture
def settings_limit(settings):
    settings.GROWTH_COMMITMENT_LIMIT = LIMIT
