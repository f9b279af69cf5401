"""Pairing tasks open on the new hire's start date (issue 9), on every path:
hypothesis drives random sequences of plans starting on various days and in
various timezones, days passing, start dates moving and either side trying
to confirm a pairing, through the services, and checks after every step that
no confirmation was accepted before the new hire's start date (their day,
where they are) and that the report never shows negative working days.

A refused confirmation (ApplicationError) is a fine outcome."""

import datetime as dt
import itertools

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from onboarding.models import Kind, OnboardingPlan, PlanTask
from onboarding.selectors.checklist import today_in
from onboarding.selectors.reporting import cohorts, plan_figures
from onboarding.services.checklist import pairing_confirm
from onboarding.services.plans.create import plan_create
from people.errors import ApplicationError
from people.services.lifecycle import person_create, person_update
from tests.onboarding.factories import PlanTaskFactory
from tests.people.factories import UserFactory
from tests.properties import RolledBackMachine

BEGIN = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # a Monday morning in London
ZONES = ["UTC", "Pacific/Auckland", "America/Los_Angeles"]
MAX_PLANS = 2  # few plans, so that steps often meet the same one
a_plan = st.integers(0, MAX_PLANS - 1)
emails = itertools.count()


class PairingStart(RolledBackMachine):
    """One example: everything it does is rolled back at its end (RolledBackMachine)."""

    partner: UserFactory  # set by the test: everyone's pairing partner

    def __init__(self):
        super().__init__()  # opens the example's savepoint
        self.now = BEGIN
        self.plans: list[OnboardingPlan] = []
        self.early: list[str] = []  # confirmations accepted before the start date

    def _today(self) -> dt.date:
        return self.now.date()

    # --- plans, days and start dates -----------------------------------------------

    @initialize(started=st.integers(0, 3), zone=st.sampled_from(ZONES))
    def someone_has_started(self, started, zone):
        """Every example has a plan whose pairing can be confirmed at once."""
        self.new_hire(-started, zone)

    @precondition(lambda self: len(self.plans) < MAX_PLANS)
    @rule(starts_in=st.integers(-3, 4), zone=st.sampled_from(ZONES))
    def new_hire(self, starts_in, zone):
        n = next(emails)
        with time_machine.travel(self.now, tick=False):
            person = person_create(
                email=f"hire{n}@example.com",
                name=f"Hire {n}",
                start_date=self._today() + dt.timedelta(days=starts_in),
                timezone_name=zone,
            )
            plan = plan_create(person=person)
        PlanTaskFactory(plan=plan, kind=Kind.PAIRING, title="Pair", partner=self.partner)
        self.plans.append(plan)

    @rule(hours=st.sampled_from([5, 11, 24, 24 * 3]))
    def time_passes(self, hours):
        self.now += dt.timedelta(hours=hours)

    @precondition(lambda self: self.plans)
    @rule(p=a_plan, days=st.integers(-3, 5).filter(bool))
    def start_date_moves(self, p, days):
        """The new hire's start date moves (an HR sync, the admin, the API)."""
        plan = self.plans[p % len(self.plans)]
        person = plan.new_hire
        person.refresh_from_db()
        with time_machine.travel(self.now, tick=False):
            person_update(person=person, start_date=person.start_date + dt.timedelta(days=days))

    @precondition(lambda self: self.plans)
    @rule(p=a_plan, by_new_hire=st.booleans())
    def confirm(self, p, by_new_hire):
        self._confirm(p, by_new_hire)

    @precondition(lambda self: self.plans)
    @rule(p=a_plan)
    def both_confirm(self, p):
        """The pair met: both sides confirm in one step, so that sequences often
        finish a pairing (the report's first pairing) and then move its start."""
        self._confirm(p, by_new_hire=True)
        self._confirm(p, by_new_hire=False)

    def _confirm(self, p, by_new_hire):
        chosen = self.plans[p % len(self.plans)]
        plan = OnboardingPlan.objects.select_related("new_hire").get(pk=chosen.pk)
        task = PlanTask.objects.get(plan=plan, kind=Kind.PAIRING)
        person = plan.new_hire if by_new_hire else self.partner
        with time_machine.travel(self.now, tick=False):
            try:
                pairing_confirm(task=task, person=person, note="We paired on a bug.")
            except ApplicationError:
                return
            local_day = today_in(plan.new_hire.timezone)
        if local_day < plan.new_hire.start_date:
            self.early.append(f"{plan} confirmed on {local_day}, starts {plan.new_hire.start_date}")

    # --- the rules -------------------------------------------------------------------

    @invariant()
    def no_pairing_is_confirmed_before_the_start_date(self):
        assert not self.early, self.early

    @invariant()
    def the_report_shows_no_negative_working_days(self):
        with time_machine.travel(self.now, tick=False):
            figures = plan_figures(today=self._today())
        for row in figures:
            assert row.first_pairing_days is None or row.first_pairing_days >= 0, row
        for cohort in cohorts(figures):
            assert all(days >= 0 for days in cohort.pairing_days), cohort
            assert cohort.pairing_median is None or cohort.pairing_median >= 0


@pytest.mark.django_db
def test_pairing_tasks_open_on_the_start_date():
    PairingStart.partner = UserFactory(name="Pat Partner")
    run_state_machine_as_test(
        PairingStart,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
