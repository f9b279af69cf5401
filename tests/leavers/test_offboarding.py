"""The offboarding checklist: built from the offboarding templates when a
last day is set, due dates counted back from it in working days, re-dated
when it moves, one per leaver, cancelled by a rehire; its pages."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onboarding.calendar import count_from_last_day
from onboarding.models import (
    AssigneeRole,
    ChecklistTemplate,
    Holiday,
    OffboardingChecklist,
    OffboardingTask,
    Purpose,
)
from onboarding.offboarding_defaults import ITEMS, NAME
from onboarding.services.offboarding import checklists_for_leaving, offboarding_task_mark
from people.errors import ApplicationError
from people.services.lifecycle import person_deactivate, person_reactivate, person_update
from tests.onboarding.factories import ChecklistTemplateFactory, TemplateItemFactory
from tests.people.factories import PeopleTeamFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
LAST_DAY = dt.date(2026, 12, 18)  # a Friday


@pytest.fixture
def people(db):
    boss = UserFactory(name="Bo Boss", email="bo@example.com")
    manager = UserFactory(name="Mia Manager", email="mia@example.com", manager=boss)
    leaver = UserFactory(name="Lee Leaver", email="lee@example.com", manager=manager)
    colleague = UserFactory(name="Col League", email="col@example.com", manager=manager)
    hr = PeopleTeamFactory(name="Harriet Ross", email="hr@example.com")
    return boss, manager, leaver, colleague, hr


def checklist_of(person) -> OffboardingChecklist:
    return OffboardingChecklist.objects.get(leaver=person, current=True)


def dues(checklist) -> dict[str, dt.date]:
    return dict(checklist.tasks.values_list("title", "due_on"))


def test_the_default_template_exists_on_a_fresh_install():
    template = ChecklistTemplate.objects.get(name=NAME)
    assert template.purpose == Purpose.OFFBOARDING
    roles = set(template.items.values_list("assignee_role", flat=True))
    assert roles == {AssigneeRole.MANAGER, AssigneeRole.PEOPLE_TEAM}
    assert template.items.count() == len(ITEMS)


def test_a_last_day_builds_the_checklist_counted_back_in_working_days(people):
    _, manager, leaver, _, _ = people
    Holiday.objects.create(date=dt.date(2026, 12, 11), name="Company day")  # a Friday
    person_update(person=leaver, end_date=LAST_DAY)
    checklist = checklist_of(leaver)
    assert checklist.last_day == LAST_DAY and checklist.templates == [NAME]
    due = dues(checklist)
    # -10 working days from Friday 18th, skipping two weekends and the holiday.
    assert due["Agree the handover of their work"] == dt.date(2026, 12, 3)
    assert due["Exit conversation"] == dt.date(2026, 12, 10)
    assert due["Move their ownerships"] == dt.date(2026, 12, 16)
    assert due["Remove their access"] == LAST_DAY
    tasks = {t.title: t for t in checklist.tasks.all()}
    assert tasks["Agree the handover of their work"].assignee == manager
    assert tasks["Exit conversation"].assignee is None  # the people team's shared queue


def test_a_last_day_on_a_weekend_counts_from_the_friday_before():
    assert count_from_last_day(dt.date(2026, 12, 20), 0, set()) == dt.date(2026, 12, 18)
    assert count_from_last_day(dt.date(2026, 12, 20), -1, set()) == dt.date(2026, 12, 17)


def test_the_onboarding_plans_never_take_offboarding_templates(people):
    from onboarding.services.plans import catalogue_load

    assert NAME not in [t.name for t in catalogue_load().templates]


def test_moving_the_last_day_re_dates_open_tasks_only(people):
    _, manager, leaver, _, _ = people
    person_update(person=leaver, end_date=LAST_DAY)
    checklist = checklist_of(leaver)
    handover = checklist.tasks.get(title="Agree the handover of their work")
    offboarding_task_mark(task=handover, by=manager, done=True)
    person_update(person=leaver, end_date=dt.date(2027, 1, 8))
    assert OffboardingChecklist.objects.filter(leaver=leaver).count() == 1  # one per leaver
    checklist.refresh_from_db()
    assert checklist.last_day == dt.date(2027, 1, 8)
    due = dues(checklist)
    assert due["Agree the handover of their work"] == dt.date(2026, 12, 4)  # done: kept
    assert due["Remove their access"] == dt.date(2027, 1, 8)
    assert due["Move their ownerships"] == dt.date(2027, 1, 6)


def test_leaving_on_the_known_last_day_keeps_the_one_checklist(people):
    leaver = people[2]
    person_update(person=leaver, end_date=LAST_DAY)
    person_deactivate(person=leaver)
    assert OffboardingChecklist.objects.filter(leaver=leaver).count() == 1


def test_the_checklist_follows_the_template_rules(people):
    leaver = people[2]
    leaver.team = TeamFactory(name="Sales")
    leaver.save()
    extra = ChecklistTemplateFactory(
        name="Sales offboarding", purpose=Purpose.OFFBOARDING, applies_to="team", team=leaver.team
    )
    TemplateItemFactory(template=extra, title="Hand over the accounts", due_offset=-3)
    other = ChecklistTemplateFactory(
        name="Search offboarding",
        purpose=Purpose.OFFBOARDING,
        applies_to="team",
        team=TeamFactory(name="Search"),
    )
    TemplateItemFactory(template=other, title="Not for Sales")
    person_update(person=leaver, end_date=LAST_DAY)
    titles = set(dues(checklist_of(leaver)))
    assert "Hand over the accounts" in titles and "Not for Sales" not in titles


def test_rehire_cancels_the_open_checklist_and_a_new_leaving_starts_afresh(people):
    leaver = people[2]
    person_deactivate(person=leaver, end_date=dt.date(2026, 11, 20))
    first = checklist_of(leaver)
    person_reactivate(person=leaver)
    first.refresh_from_db()
    assert (first.status, first.current) == (OffboardingChecklist.Status.CANCELLED, False)
    person_update(person=leaver, end_date=LAST_DAY)
    second = checklist_of(leaver)
    assert second.pk != first.pk and second.status == OffboardingChecklist.Status.OPEN
    assert OffboardingTask.objects.filter(checklist=first).count() == len(ITEMS)  # history
    assert first.history.filter(history_change_reason="they stay: returned").exists()


def test_ticking_every_task_closes_the_checklist_and_undo_reopens_it(people):
    _, _, leaver, colleague, hr = people
    person_update(person=leaver, end_date=LAST_DAY)
    checklist = checklist_of(leaver)
    with pytest.raises(ApplicationError):
        offboarding_task_mark(task=checklist.tasks.first(), by=colleague, done=True)
    for task in checklist.tasks.all():
        offboarding_task_mark(task=task, by=hr, done=True)
    checklist.refresh_from_db()
    assert checklist.status == OffboardingChecklist.Status.DONE
    offboarding_task_mark(task=checklist.tasks.first(), by=hr, done=False)
    checklist.refresh_from_db()
    assert checklist.status == OffboardingChecklist.Status.OPEN


# --- the pages ---------------------------------------------------------------------------


def test_the_people_team_and_the_manager_chain_see_it_others_404(client, people):
    boss, manager, leaver, colleague, hr = people
    person_update(person=leaver, end_date=LAST_DAY)
    detail = reverse("onboarding:offboarding_detail", args=[checklist_of(leaver).pk])
    listing = reverse("onboarding:leavers")
    for viewer, status in ((hr, 200), (manager, 200), (boss, 200), (colleague, 404), (leaver, 404)):
        client.force_login(viewer)
        assert client.get(detail).status_code == status, viewer
        assert client.get(listing).status_code == status, viewer
    client.force_login(manager)
    page = client.get(listing).content.decode()
    assert "Lee Leaver" in page and "0 of 6 done" in page


def test_a_manager_sees_only_the_leavers_under_them(client, people):
    _, manager, leaver, _, _ = people
    elsewhere = UserFactory(name="Far Away", manager=UserFactory(name="Other Manager"))
    person_update(person=leaver, end_date=LAST_DAY)
    person_update(person=elsewhere, end_date=LAST_DAY)
    client.force_login(manager)
    page = client.get(reverse("onboarding:leavers")).content.decode()
    assert "Lee Leaver" in page and "Far Away" not in page


def test_ticking_from_the_page_says_what_happened(client, people):
    _, manager, leaver, _, _ = people
    person_update(person=leaver, end_date=LAST_DAY)
    task = checklist_of(leaver).tasks.get(title="Collect their equipment")
    client.force_login(manager)
    response = client.post(
        reverse("onboarding:offboarding_task_mark", args=[task.pk]), {"done": "1"}, follow=True
    )
    assert "“Collect their equipment” done." in response.content.decode()
    task.refresh_from_db()
    assert task.status == OffboardingTask.Status.DONE and task.done_by == manager


def _leavers_page_queries(client, hr) -> int:
    client.force_login(hr)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("onboarding:leavers")).status_code == 200
    return len(queries)


def test_the_leavers_page_costs_the_same_queries_for_2_or_20_leavers(client, people):
    hr = people[4]
    for _ in range(2):
        person_update(person=UserFactory(manager=people[1]), end_date=LAST_DAY)
    few = _leavers_page_queries(client, hr)
    for _ in range(18):
        person_update(person=UserFactory(manager=people[1]), end_date=LAST_DAY)
    assert _leavers_page_queries(client, hr) == few


def test_building_and_re_dating_checklists_costs_the_same_for_2_or_8_leavers(db):
    def queries_for(count: int, first_day: dt.date) -> tuple[int, int]:
        leavers = [UserFactory(end_date=first_day) for _ in range(count)]
        ids = [person.pk for person in leavers]
        with CaptureQueriesContext(connection) as built:
            checklists_for_leaving(ids)
        for person in leavers:
            person.end_date = first_day + dt.timedelta(days=7)
            person.save(update_fields=["end_date"])
        with CaptureQueriesContext(connection) as redated:
            checklists_for_leaving(ids)
        assert OffboardingChecklist.objects.filter(leaver_id__in=ids, current=True).count() == count
        return len(built), len(redated)

    assert queries_for(2, dt.date(2030, 3, 1)) == queries_for(8, dt.date(2030, 4, 1))
