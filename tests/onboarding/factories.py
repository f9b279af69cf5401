"""Factories for onboarding: templates, items, plans and tasks."""

import datetime as dt

import factory

from onboarding.models import (
    AssigneeRole,
    ChecklistTemplate,
    Kind,
    OnboardingPlan,
    PlanTask,
    TemplateItem,
)
from tests.people.factories import UserFactory


class ChecklistTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTemplate

    name = factory.Sequence(lambda n: f"Template {n}")


class TemplateItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateItem

    template = factory.SubFactory(ChecklistTemplateFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    kind = Kind.SETUP
    assignee_role = AssigneeRole.NEW_HIRE
    due_offset = 0


class OnboardingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnboardingPlan

    new_hire = factory.SubFactory(UserFactory, start_date=dt.date(2026, 11, 30))
    start_date = factory.SelfAttribute("new_hire.start_date")
    timezone = factory.SelfAttribute("new_hire.timezone")


class PlanTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTask

    plan = factory.SubFactory(OnboardingPlanFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    kind = Kind.SETUP
    assignee_role = AssigneeRole.NEW_HIRE
    assignee = factory.SelfAttribute("plan.new_hire")
    due_offset = 0
    due_on = factory.SelfAttribute("plan.start_date")


def plan_with_buddy(new_hire, buddy, *, start: dt.date, **fields) -> OnboardingPlan:
    """The new hire starts on ``start`` with ``buddy`` assigned; no tasks yet."""
    new_hire.start_date = start
    new_hire.save()
    return OnboardingPlanFactory(
        new_hire=new_hire, buddy=buddy, buddy_status=OnboardingPlan.BuddyStatus.ASSIGNED, **fields
    )


def buddy_task(plan, title: str, due_on: dt.date, **fields) -> PlanTask:
    """A task of the plan for its buddy to do."""
    return PlanTaskFactory(
        plan=plan,
        title=title,
        due_on=due_on,
        assignee_role=AssigneeRole.BUDDY,
        assignee=plan.buddy,
        **fields,
    )
