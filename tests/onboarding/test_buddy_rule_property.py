"""A buddy is never anyone in the new hire's manager chain (issue 9), on every
path: hypothesis drives random sequences of people joining, managers
changing, the engine choosing buddies and people choosing them by hand,
through the services, and checks the rule after every step.

A refused action (ApplicationError) is a fine outcome: the rule is that no
plan ever names a buddy in its new hire's manager chain, whatever was tried."""

import datetime as dt
import itertools

import pytest
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

from onboarding.models import OnboardingPlan
from onboarding.services.buddies import buddies_choose, buddies_choose_waiting, buddy_change
from onboarding.services.plans.create import plan_create
from people.errors import ApplicationError
from people.selectors import manager_chain_ids
from people.services.lifecycle import person_create, person_set_manager
from tests.ladders.factories import PlacementFactory, published_ladder
from tests.people.factories import PeopleTeamFactory, TeamFactory
from tests.properties import RolledBackMachine

MAX_PEOPLE = 12
someone = st.integers(0, MAX_PEOPLE - 1)
maybe_someone = st.none() | someone
emails = itertools.count()


class World:
    """Built once per test: a ladder, two teams and the people team's member."""

    def __init__(self):
        self.today = timezone.localdate()
        self.level = published_ladder().levels.get(code="L3")
        self.teams = [TeamFactory(name="Payments"), TeamFactory(name="Search")]
        self.hr = PeopleTeamFactory()


class BuddyRule(RolledBackMachine):
    """One example: everything it does is rolled back at its end (RolledBackMachine)."""

    world: World  # set by the test

    def __init__(self):
        super().__init__()  # opens the example's savepoint
        self.people = []  # everyone added, old hands and new hires alike
        self.plans: list[OnboardingPlan] = []

    def _try(self, action, **kwargs):
        try:
            return action(**kwargs)
        except ApplicationError:
            return None

    def _person(self, k):
        return self.people[k % len(self.people)] if k is not None and self.people else None

    def _add(self, *, manager, team, started_days_ago):
        n = next(emails)
        person = self._try(
            person_create,
            email=f"person{n}@example.com",
            name=f"Person {n}",
            team=self.world.teams[team],
            manager=self._person(manager),
            start_date=self.world.today - dt.timedelta(days=started_days_ago),
        )
        if person is not None:
            self.people.append(person)
        return person

    # --- people join and move ---------------------------------------------------------

    @initialize(managers=st.lists(maybe_someone, min_size=2, max_size=4))
    def old_hands(self, managers):
        """Experienced people (at L3, here for years) who may be buddies."""
        for k, manager in enumerate(managers):
            self.old_hand(manager, team=k % 2)

    @precondition(lambda self: len(self.people) < MAX_PEOPLE)
    @rule(manager=maybe_someone, team=st.integers(0, 1))
    def old_hand(self, manager, team):
        person = self._add(manager=manager, team=team, started_days_ago=800)
        if person is not None:
            PlacementFactory(person=person, level=self.world.level)

    @precondition(lambda self: len(self.people) < MAX_PEOPLE)
    @rule(manager=maybe_someone, team=st.integers(0, 1), starts_in=st.integers(-10, 20))
    def new_hire(self, manager, team, starts_in):
        """Joins with a plan, as the person-added hook's job makes it."""
        person = self._add(manager=manager, team=team, started_days_ago=-starts_in)
        if person is not None:
            self.plans.append(plan_create(person=person))

    @precondition(lambda self: self.people)
    @rule(k=someone, manager=maybe_someone)
    def change_manager(self, k, manager):
        person = self._person(k)
        person.refresh_from_db()
        self._try(person_set_manager, person=person, manager=self._person(manager))

    # --- buddies are chosen --------------------------------------------------------------

    @precondition(lambda self: self.plans)
    @rule(plans=st.sets(someone, min_size=1))
    def engine_chooses(self, plans):
        chosen = {
            self.plans[k % len(self.plans)].pk: self.plans[k % len(self.plans)] for k in plans
        }
        buddies_choose(plans=list(chosen.values()))

    @precondition(lambda self: self.plans)
    @rule()
    def daily_sweep(self):
        buddies_choose_waiting(today=self.world.today)

    @precondition(lambda self: self.plans and self.people)
    @rule(p=someone, k=someone)
    def chosen_by_hand(self, p, k):
        plan = self.plans[p % len(self.plans)]
        self._try(buddy_change, plan=plan, buddy=self._person(k), by=self.world.hr)

    # --- the rule ----------------------------------------------------------------------

    @invariant()
    def no_buddy_is_in_the_manager_chain(self):
        for plan in OnboardingPlan.objects.filter(
            pk__in=[p.pk for p in self.plans], buddy__isnull=False
        ):
            chain = manager_chain_ids(person_id=plan.new_hire_id)
            assert plan.buddy_id != plan.new_hire_id, plan
            assert plan.buddy_id not in chain, (plan, plan.buddy_id, chain)


@pytest.mark.django_db
def test_a_buddy_is_never_in_the_new_hires_manager_chain():
    BuddyRule.world = World()
    run_state_machine_as_test(
        BuddyRule,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
