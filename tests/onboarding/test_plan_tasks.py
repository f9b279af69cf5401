"""Plan creation under a real Celery worker on Redis: a person added gets a
plan once their transaction commits, and a redelivered task adds nothing."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.models import OnboardingPlan
from onboarding.tasks import plans_create_task
from people.imports import import_people
from people.services.lifecycle import person_create
from tests.onboarding.factories import ChecklistTemplateFactory, TemplateItemFactory
from tests.workers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def base(db):
    template = ChecklistTemplateFactory(name="Base", applies_to="everyone")
    TemplateItemFactory(template=template, title="Laptop ready", due_offset=-1)
    TemplateItemFactory(template=template, title="Read the product tour", due_offset=0)


def next_week():
    return timezone.localdate() + timedelta(days=7)


def has_plan(email: str):
    return lambda: OnboardingPlan.objects.filter(new_hire__email=email).exists()


def test_it_creates_the_plan_of_a_person_added_once_and_only_once(worker, base):
    hire = person_create(email="nia@example.com", name="Nia New", start_date=next_week())
    assert wait_for(has_plan("nia@example.com"))

    plans_create_task.delay([hire.pk])  # a redelivery
    person_create(email="sentinel@example.com", name="Sentinel", start_date=next_week())
    # The worker runs tasks in order: the redelivery ran before the sentinel's.
    assert wait_for(has_plan("sentinel@example.com"))
    assert OnboardingPlan.objects.filter(new_hire=hire).count() == 1
    assert hire.onboarding_plan.tasks.count() == 2


def test_it_creates_plans_for_the_new_hires_of_an_import(worker, base):
    start = next_week().isoformat()
    import_people(
        "email,name,title,team,manager_email,start_date,timezone\n"
        f"one@example.com,One,Engineer,Payments,,{start},Asia/Tokyo\n"
        f"two@example.com,Two,Engineer,Payments,,{start},America/Los_Angeles\n"
        "old@example.com,Old Hand,Engineer,Payments,,2015-06-01,\n"
    )
    assert wait_for(lambda: OnboardingPlan.objects.count() == 2)
    time.sleep(0.5)
    emails = sorted(OnboardingPlan.objects.values_list("new_hire__email", flat=True))
    assert emails == ["one@example.com", "two@example.com"]
