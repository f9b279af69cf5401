"""The digest hour and the escalation delay set on an onboarding template
rule its tasks' reminders; tasks of templates without them (or added by
hand) follow the site's settings."""

import pytest
from django.urls import reverse

from onboarding.models import Reminder
from tests.onboarding.factories import ChecklistTemplateFactory, TemplateItemFactory
from tests.onboarding.test_reminders import days, local, plan, run_at, task  # noqa: F401

pytestmark = pytest.mark.django_db


def from_template(plan, due, **template_fields):  # noqa: F811
    template = ChecklistTemplateFactory(**template_fields)
    return task(plan, due, source_item=TemplateItemFactory(template=template))


def test_a_templates_digest_hour_replaces_the_default(plan, settings):  # noqa: F811
    settings.ONBOARDING_DIGEST_HOUR = 8
    from_template(plan, days(1), digest_hour=11)

    assert run_at(local(days(1), 9))["digests"] == 0
    assert run_at(local(days(1), 10, 59))["digests"] == 0
    assert run_at(local(days(1), 11))["digests"] == 1


def test_a_template_without_a_digest_hour_follows_the_setting(plan, settings):  # noqa: F811
    settings.ONBOARDING_DIGEST_HOUR = 8
    from_template(plan, days(1))

    assert run_at(local(days(1), 7, 59))["digests"] == 0
    assert run_at(local(days(1), 8))["digests"] == 1


def test_a_digest_goes_at_the_earliest_hour_of_its_tasks(plan, settings):  # noqa: F811
    settings.ONBOARDING_DIGEST_HOUR = 8
    from_template(plan, days(1), digest_hour=11)
    task(plan, days(1), title="Added by hand")  # the setting: 8

    assert run_at(local(days(1), 8))["digests"] == 1


def test_a_templates_escalation_delay_replaces_the_default(plan, settings):  # noqa: F811
    settings.ONBOARDING_ESCALATE_AFTER = 3
    quick = from_template(plan, days(0), escalate_after=1)
    patient = from_template(plan, days(0))

    run_at(local(days(1), 9))  # Tuesday: 1 working day late

    escalated = Reminder.objects.filter(kind=Reminder.Kind.ESCALATION)
    assert list(escalated.values_list("key", flat=True)) == [f"task-{quick.pk}"]
    run_at(local(days(3), 9))  # Thursday: 3
    assert set(escalated.values_list("key", flat=True)) == {
        f"task-{quick.pk}",
        f"task-{patient.pk}",
    }


def test_the_admin_refuses_an_hour_that_is_not_one(client, org):
    client.force_login(org.hr)
    response = client.post(
        reverse("admin:onboarding_checklisttemplate_add"),
        {
            "name": "Engineers",
            "applies_to": "everyone",
            "position": 0,
            "is_active": "on",
            "digest_hour": 24,
            "escalate_after": 0,
            "items-TOTAL_FORMS": 0,
            "items-INITIAL_FORMS": 0,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 23." in page
    assert "Ensure this value is greater than or equal to 1." in page
