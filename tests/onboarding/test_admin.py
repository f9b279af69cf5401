"""The onboarding admin: the people team writes templates and holidays, edits
one plan's tasks through the services, and re-syncs plans after seeing what
would change; nobody else gets in."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from onboarding.models import ChecklistTemplate, Holiday, OnboardingPlan, PlanTask
from onboarding.services.plans import plan_create
from tests.onboarding.factories import ChecklistTemplateFactory, TemplateItemFactory
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


@pytest.fixture
def base():
    template = ChecklistTemplateFactory(name="Base", applies_to="everyone")
    TemplateItemFactory(template=template, title="Laptop ready", due_offset=-1)
    TemplateItemFactory(template=template, title="Read the product tour", due_offset=0)
    return template


@pytest.fixture
def plan(org, base):
    hire = UserFactory(name="Nia New", team=org.payments, manager=org.manager, start_date=MONDAY)
    return plan_create(person=hire)


def template_form(**changes):
    data = {
        "name": "Payments onboarding",
        "description": "",
        "is_active": "on",
        "position": "1",
        "applies_to": "everyone",
        "team": "",
        "level_code": "",
        "track": "",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def plan_form(plan, rows=(), new=()):
    """The plan page's two task inlines: existing rows ({"task", "assignee",
    "delete"}) and new ones (field values)."""
    data = {
        "tasks-TOTAL_FORMS": str(len(rows)),
        "tasks-INITIAL_FORMS": str(len(rows)),
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "1000",
        "tasks-2-TOTAL_FORMS": str(len(new)),
        "tasks-2-INITIAL_FORMS": "0",
        "tasks-2-MIN_NUM_FORMS": "0",
        "tasks-2-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        task = row["task"]
        data[f"tasks-{i}-id"] = task.pk
        data[f"tasks-{i}-plan"] = plan.pk
        assignee = row.get("assignee", task.assignee)
        data[f"tasks-{i}-assignee"] = assignee.pk if assignee else ""
        if row.get("delete"):
            data[f"tasks-{i}-DELETE"] = "on"
    for i, values in enumerate(new):
        data[f"tasks-2-{i}-plan"] = plan.pk
        for name, value in values.items():
            data[f"tasks-2-{i}-{name}"] = value
    return data


def every_task(plan):
    return [{"task": task} for task in plan.tasks.all()]


# --- Who gets in ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:onboarding_checklisttemplate_changelist",
        "admin:onboarding_onboardingplan_changelist",
        "admin:onboarding_holiday_changelist",
    ],
)
def test_it_lets_only_the_people_team_into_the_onboarding_admin(client, org, plan, url_name):
    client.force_login(org.hr)
    assert client.get(reverse(url_name)).status_code == 200
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)
    assert client.get(reverse(url_name)).status_code == 404  # as if it did not exist
    client.force_login(org.engineer)
    assert client.get(reverse(url_name)).status_code == 302  # to the admin's login


def test_it_keeps_staff_outside_the_people_team_away_from_re_sync(client, org, plan):
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)
    url = reverse("admin:onboarding_onboardingplan_resync", args=[plan.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert client.get(reverse("admin:onboarding_onboardingplan_create_missing")).status_code == 404


# --- Templates and holidays ------------------------------------------------------------------


def test_it_creates_a_template_with_its_items(hr_client, org):
    data = template_form(
        applies_to="team",
        team=org.payments.pk,
        **{
            "items-TOTAL_FORMS": "2",
            "items-0-position": "0",
            "items-0-title": "Pair on a first fix",
            "items-0-kind": "pairing",
            "items-0-assignee_role": "buddy",
            "items-0-due_offset": "3",
            "items-0-competency_code": "code",
            "items-0-description": "https://wiki.example.com/first-fix",
            "items-1-position": "1",
            "items-1-title": "Laptop ordered",
            "items-1-kind": "setup",
            "items-1-assignee_role": "people_team",
            "items-1-due_offset": "-5",
        },
    )

    response = hr_client.post(reverse("admin:onboarding_checklisttemplate_add"), data)

    assert response.status_code == 302
    template = ChecklistTemplate.objects.get(name="Payments onboarding")
    assert template.team == org.payments
    assert list(template.items.values_list("title", "due_offset", "assignee_role")) == [
        ("Laptop ordered", -5, "people_team"),
        ("Pair on a first fix", 3, "buddy"),
    ]
    assert template.history.count() == 1


@pytest.mark.parametrize(
    "rule,field,message",
    [
        ("team", "team", "Choose the team this template is for."),
        ("level", "level_code", "Give the level code, e.g. L3."),
        ("track", "track", "Choose the track this template is for."),
    ],
)
def test_it_asks_for_what_the_templates_rule_needs(hr_client, rule, field, message):
    response = hr_client.post(
        reverse("admin:onboarding_checklisttemplate_add"), template_form(applies_to=rule)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["adminform"].form.errors[field] == [message]
    assert not ChecklistTemplate.objects.filter(purpose="onboarding").exists()


def test_it_lists_and_filters_templates_by_rule(hr_client, org, base):
    ChecklistTemplateFactory(name="Payments", applies_to="team", team=org.payments)
    ChecklistTemplateFactory(name="Senior", applies_to="level", level_code="L3")
    url = reverse("admin:onboarding_checklisttemplate_changelist")

    body = hr_client.get(url, {"applies_to__exact": "team"}).content.decode()

    assert "Payments" in body and "Senior" not in body and ">Base<" not in body
    assert ">Senior<" in hr_client.get(url, {"applies_to__exact": "level"}).content.decode()


def test_it_tells_the_people_team_that_running_plans_keep_their_tasks(hr_client, base):
    url = reverse("admin:onboarding_checklisttemplate_change", args=[base.pk])
    data = template_form(name="Base", **{"items-INITIAL_FORMS": "0"})
    response = hr_client.post(url, data, follow=True)
    assert "Running plans keep their tasks" in response.content.decode()


def test_it_keeps_the_history_of_a_template(hr_client, org, base):
    url = reverse("admin:onboarding_checklisttemplate_change", args=[base.pk])
    hr_client.post(url, template_form(name="Base for everyone"))
    history = hr_client.get(reverse("admin:onboarding_checklisttemplate_history", args=[base.pk]))
    assert history.status_code == 200
    assert base.history.latest().history_user == org.hr


def test_it_adds_a_holiday_and_browses_them_by_date(hr_client):
    response = hr_client.post(
        reverse("admin:onboarding_holiday_add"), {"date": "2026-12-25", "name": "Christmas Day"}
    )
    assert response.status_code == 302
    assert Holiday.objects.get().date == date(2026, 12, 25)
    body = hr_client.get(
        reverse("admin:onboarding_holiday_changelist"), {"date__year": "2026"}
    ).content.decode()
    assert "Christmas Day" in body


# --- One plan's tasks ------------------------------------------------------------------------


def test_it_lists_plans_searched_by_new_hire_and_filtered_by_buddy_status(hr_client, plan):
    other = plan_create(person=UserFactory(name="Otto Other", start_date=MONDAY))
    OnboardingPlan.objects.filter(pk=other.pk).update(buddy_status="none")
    url = reverse("admin:onboarding_onboardingplan_changelist")

    body = hr_client.get(url, {"q": "Nia"}).content.decode()
    assert "Nia New" in body and "Otto Other" not in body
    body = hr_client.get(url, {"buddy_status__exact": "none"}).content.decode()
    assert "Otto Other" in body and "Nia New" not in body


def test_it_shows_a_plans_tasks_with_assignee_and_due_date(hr_client, plan):
    body = hr_client.get(
        reverse("admin:onboarding_onboardingplan_change", args=[plan.pk])
    ).content.decode()
    assert "Laptop ready" in body and "Read the product tour" in body
    assert "Nov. 27, 2026" in body or "27 Nov 2026" in body or "2026-11-27" in body
    assert "Re-sync with templates" in body


def test_it_reassigns_removes_and_adds_tasks_through_the_plan_page(hr_client, org, plan):
    laptop = plan.tasks.get(title="Laptop ready")
    tour = plan.tasks.get(title="Read the product tour")
    data = plan_form(
        plan,
        rows=[{"task": laptop, "assignee": org.hr}, {"task": tour, "delete": True}],
        new=[
            {
                "title": "Visit the Lisbon office",
                "kind": "meeting",
                "assignee_role": "manager",
                "assignee": "",
                "due_on": "2026-12-07",
                "description": "",
            }
        ],
    )

    response = hr_client.post(
        reverse("admin:onboarding_onboardingplan_change", args=[plan.pk]), data
    )

    assert response.status_code == 302
    assert dict(plan.tasks.values_list("title", "assignee")) == {
        "Laptop ready": org.hr.pk,
        "Visit the Lisbon office": org.manager.pk,  # the role decided
    }
    added = plan.tasks.get(title="Visit the Lisbon office")
    assert (added.due_offset, added.source_item) == (5, None)
    assert laptop.history.latest().history_user == org.hr


def test_it_refuses_to_remove_or_reassign_a_completed_task(hr_client, org, plan):
    laptop = plan.tasks.get(title="Laptop ready")
    laptop.status = PlanTask.Status.DONE
    laptop.save()
    url = reverse("admin:onboarding_onboardingplan_change", args=[plan.pk])

    for row in ({"task": laptop, "delete": True}, {"task": laptop, "assignee": org.hr}):
        response = hr_client.post(url, plan_form(plan, rows=[row]))
        assert response.status_code == 200
        assert "completed tasks stay as they were" in response.content.decode()

    laptop.refresh_from_db()
    assert laptop.assignee == plan.new_hire


def test_it_saves_a_plan_page_with_nothing_changed_without_touching_it(hr_client, plan):
    url = reverse("admin:onboarding_onboardingplan_change", args=[plan.pk])
    records = plan.history.count()
    response = hr_client.post(url, plan_form(plan, rows=every_task(plan)))
    assert response.status_code == 302
    assert plan.history.count() == records and plan.tasks.count() == 2


# --- Re-sync ------------------------------------------------------------------------------------


def change_the_templates(base):
    tour = base.items.get(title="Read the product tour")
    tour.title, tour.due_offset = "Read the new product tour", 2
    tour.save()
    base.items.get(title="Laptop ready").delete()
    TemplateItemFactory(template=base, title="Meet the CEO", due_offset=1)


def test_it_shows_what_a_re_sync_would_change_before_changing_anything(hr_client, base, plan):
    change_the_templates(base)

    body = hr_client.get(
        reverse("admin:onboarding_onboardingplan_resync", args=[plan.pk])
    ).content.decode()

    assert "Meet the CEO" in body and "due Tue 1 Dec 2026" in body
    assert "Laptop ready" in body and "no longer in the templates" in body
    assert "title: Read the product tour → Read the new product tour" in body
    assert "Apply 3 changes" in body
    assert set(plan.tasks.values_list("title", flat=True)) == {
        "Laptop ready",
        "Read the product tour",
    }


def test_it_applies_the_re_sync_on_confirmation(hr_client, org, base, plan):
    change_the_templates(base)
    url = reverse("admin:onboarding_onboardingplan_resync", args=[plan.pk])

    response = hr_client.post(url, follow=True)

    assert "Re-synced 1 plan(s) with the templates: 3 change(s)." in response.content.decode()
    assert set(plan.tasks.values_list("title", flat=True)) == {
        "Read the new product tour",
        "Meet the CEO",
    }
    assert plan.history.latest().history_user == org.hr


def test_it_re_syncs_selected_plans_with_an_action_that_shows_the_changes_first(
    hr_client, base, plan
):
    other = plan_create(person=UserFactory(name="Otto Other", start_date=MONDAY))
    change_the_templates(base)
    url = reverse("admin:onboarding_onboardingplan_changelist")
    selected = {"action": "resync_with_templates", "_selected_action": [plan.pk, other.pk]}

    preview = hr_client.post(url, selected)

    assert preview.status_code == 200
    body = preview.content.decode()
    assert "Nia New" in body and "Otto Other" in body and "Apply 6 changes" in body
    assert plan.tasks.filter(title="Laptop ready").exists()

    response = hr_client.post(url, {**selected, "confirm": "yes"}, follow=True)

    assert "Re-synced 2 plan(s) with the templates: 6 change(s)." in response.content.decode()
    for each in (plan, other):
        assert set(each.tasks.values_list("title", flat=True)) == {
            "Read the new product tour",
            "Meet the CEO",
        }


def test_it_says_when_a_plan_already_matches_the_templates(hr_client, plan):
    body = hr_client.get(
        reverse("admin:onboarding_onboardingplan_resync", args=[plan.pk])
    ).content.decode()
    assert "Nothing to change" in body and "Apply" not in body


def test_it_autocompletes_the_assignee_of_a_task(hr_client, org, plan):
    response = hr_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Mia",
            "app_label": "onboarding",
            "model_name": "plantask",
            "field_name": "assignee",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == [org.manager.name]


def test_it_keeps_the_history_of_a_plan(hr_client, plan):
    url = reverse("admin:onboarding_onboardingplan_history", args=[plan.pk])
    assert hr_client.get(url).status_code == 200


# --- New hires without a plan ----------------------------------------------------------------


@time_machine.travel("2026-11-20 09:00Z")
def test_it_lists_new_hires_without_a_plan_and_creates_them(hr_client, base):
    UserFactory(name="Late Starter", start_date=date(2026, 12, 7))
    UserFactory(name="Old Hand", start_date=date(2016, 1, 4))
    url = reverse("admin:onboarding_onboardingplan_create_missing")

    body = hr_client.get(url).content.decode()
    assert "Late Starter" in body and "Old Hand" not in body and "Create 1 plan" in body

    response = hr_client.post(url, follow=True)
    assert "Created 1 plan(s)." in response.content.decode()
    assert OnboardingPlan.objects.get().new_hire.name == "Late Starter"
