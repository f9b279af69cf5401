"""The people team's onboarding report and its CSV export."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onboarding.models import AssigneeRole, Kind, OnboardingPlan, PlanTask
from tests.onboarding.factories import OnboardingPlanFactory, PlanTaskFactory
from tests.people.factories import PeopleTeamFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORTS = reverse("onboarding:reports")
CSV = reverse("onboarding:reports_csv")
TODAY = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)  # a Monday
DONE = PlanTask.Status.DONE


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def plan_for(name: str, start: dt.date, **fields) -> OnboardingPlan:
    hire = UserFactory(name=name, email=f"{name.lower()}@example.com", start_date=start)
    return OnboardingPlanFactory(new_hire=hire, start_date=start, **fields)


def task(plan, due: dt.date, done: dt.date | None = None, **fields) -> PlanTask:
    if done:
        fields.update(status=DONE, done_at=at_noon(done))
    return PlanTaskFactory(plan=plan, due_on=due, **fields)


@pytest.fixture
def known(db):
    """March: Ada (2 of 2 due by day 30... see each test) and Ben; June: Cy and Di."""
    buddy = UserFactory(name="Bea Buddy", email="bea@example.com")
    old_buddy = UserFactory(name="Otto Old", email="otto@example.com")
    ada = plan_for(
        "Ada",
        dt.date(2026, 3, 2),
        buddy=old_buddy,
        first_pairing_done_at=at_noon(dt.date(2026, 3, 5)),
    )
    task(ada, dt.date(2026, 3, 2), done=dt.date(2026, 3, 3))
    task(ada, dt.date(2026, 3, 20), done=dt.date(2026, 4, 10))  # done late: day 40
    task(ada, dt.date(2026, 4, 15))  # still open: overdue
    task(ada, dt.date(2026, 5, 20), done=dt.date(2026, 5, 20))
    ben = plan_for("Ben", dt.date(2026, 3, 16), first_pairing_done_at=at_noon(dt.date(2026, 3, 18)))
    task(ben, dt.date(2026, 3, 16), done=dt.date(2026, 3, 16))
    cy = plan_for("Cy", dt.date(2026, 6, 1), buddy=buddy, buddy_status="assigned")
    task(cy, dt.date(2026, 6, 1), assignee=buddy, assignee_role=AssigneeRole.BUDDY)
    task(cy, dt.date(2026, 6, 3), assignee=None, assignee_role=AssigneeRole.PEOPLE_TEAM)
    task(cy, dt.date(2026, 6, 20))  # not due yet
    di = plan_for("Di", dt.date(2026, 6, 8), buddy=buddy, buddy_status="assigned")
    return {"ada": ada, "ben": ben, "cy": cy, "di": di}


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- who may see it -------------------------------------------------------------------


def test_it_shows_the_report_to_the_people_team(client, org, known):
    client.force_login(org.hr)
    response = client.get(REPORTS)
    assert response.status_code == 200
    assert b"Onboarding report" in response.content
    assert b"<svg" in response.content


@pytest.mark.parametrize("role", ["engineer", "manager", "director", "cto", "peer"])
def test_it_answers_404_to_everyone_outside_the_people_team(client, org, known, role):
    client.force_login(getattr(org, role))
    assert client.get(REPORTS).status_code == 404
    assert client.get(CSV).status_code == 404


def test_it_answers_404_to_a_new_hire_and_their_buddy(client, known):
    client.force_login(known["cy"].new_hire)
    assert client.get(REPORTS).status_code == 404
    client.force_login(known["cy"].buddy)
    assert client.get(CSV).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, known):
    for url in (REPORTS, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_it_shows_an_empty_state_when_there_are_no_plans(client, org):
    client.force_login(org.hr)
    response = client.get(REPORTS)
    assert b"No onboarding plans yet" in response.content


# --- the numbers on a known data set -------------------------------------------------


def test_it_reports_completion_by_day_30_60_90_per_start_month(client, org, known):
    client.force_login(org.hr)
    cohorts = {c.label: c for c in client.get(REPORTS).context["cohorts"]}
    march, june = cohorts["Mar 2026"], cohorts["Jun 2026"]
    assert march.plans == 2 and june.plans == 2
    # Ada: 1 of 2 by day 30, 2 of 3 by day 60, 3 of 4 by day 90; Ben: 1 of 1 each time.
    assert [(n, done, due) for n, done, due, _ in march.completions] == [
        (30, 2, 3),
        (60, 3, 4),
        (90, 4, 5),
    ]
    assert round(march.completion(30), 1) == 66.7
    assert march.completion(90) == 80
    # June has not reached day 30 yet: no figure rather than a low one.
    assert [share for *_, share in june.completions] == [None, None, None]


def test_it_shows_the_completion_figures_in_the_table_beside_the_chart(client, org, known):
    client.force_login(org.hr)
    html = client.get(REPORTS).content.decode()
    assert "67% <span" in html and "(2/3)" in html
    assert "80% <span" in html and "(4/5)" in html


def test_it_draws_each_chart_with_the_numbers_of_its_table(client, org, known):
    client.force_login(org.hr)
    html = client.get(REPORTS).content.decode()
    for chart in ("completion", "overdue-role", "overdue-person", "buddies", "pairing"):
        assert f'<title id="chart-{chart}-title">' in html
    assert '<text x="' in html and 'class="bar-value">67%</text>' in html
    assert 'class="bar-value">no data</text>' in html  # June has not reached day 30
    assert 'class="bar-value">2.5 d</text>' in html  # March's median to first pairing


def test_it_counts_overdue_tasks_by_assignee_role_and_by_person(client, org, known):
    client.force_login(org.hr)
    context = client.get(REPORTS).context
    assert dict(context["by_role"]) == {
        "New hire": 1,
        "Buddy": 1,
        "Manager": 0,
        "People team": 1,
    }
    holders = {h.name: h.overdue for h in context["by_person"]}
    assert holders == {"Ada": 1, "Bea Buddy": 1, "Nobody yet (people team queue)": 1}


def test_it_shows_buddy_load_against_the_cap(client, org, known, settings):
    settings.ONBOARDING_BUDDY_CAP = 2
    client.force_login(org.hr)
    response = client.get(REPORTS)
    # Otto's new hire started in March: no longer a current load.
    assert [(r.buddy.name, r.new_hires) for r in response.context["buddies"]] == [("Bea Buddy", 2)]
    assert b"at cap" in response.content


def test_it_reports_working_days_to_the_first_pairing_task(client, org, known):
    client.force_login(org.hr)
    cohorts = {c.label: c for c in client.get(REPORTS).context["cohorts"]}
    march, june = cohorts["Mar 2026"], cohorts["Jun 2026"]
    assert sorted(march.pairing_days) == [2, 3]
    assert march.pairing_median == 2.5
    assert march.pairing_p90 == 3
    assert june.pairing_median is None and june.without_pairing == 2


def test_a_pairing_confirmed_before_the_start_date_counts_as_day_one_never_negative(client, org):
    # Confirmed two working days early (before pairing tasks opened on the start date).
    plan_for("Eve", dt.date(2026, 6, 3), first_pairing_done_at=at_noon(dt.date(2026, 6, 1)))
    client.force_login(org.hr)

    response = client.get(REPORTS)

    (june,) = response.context["cohorts"]
    assert june.pairing_days == [0]
    page = response.content.decode()
    assert 'width="-' not in page
    assert rows_of(client.get(CSV))[0]["first_pairing_working_days"] == "0"


def test_it_leaves_out_people_who_have_left(client, org, known):
    known["ada"].new_hire.is_active = False
    known["ada"].new_hire.save()
    client.force_login(org.hr)
    context = client.get(REPORTS).context
    assert context["plan_count"] == 3
    assert dict(context["by_role"])["New hire"] == 0


# --- CSV --------------------------------------------------------------------------------


def test_it_exports_one_csv_row_per_plan_with_its_figures(client, org, known):
    client.force_login(org.hr)
    response = client.get(CSV)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert [r["new_hire"] for r in rows] == ["Ada", "Ben", "Cy", "Di"]
    ada = rows[0]
    assert ada["email"] == "ada@example.com"
    assert ada["buddy"] == "Otto Old"
    assert ada["start_month"] == "2026-03"
    assert (ada["tasks"], ada["tasks_done"], ada["tasks_overdue"]) == ("4", "3", "1")
    assert (ada["due_by_day_30"], ada["done_by_day_30"], ada["completion_pct_day_30"]) == (
        "2",
        "1",
        "50.0",
    )
    assert ada["completion_pct_day_60"] == "66.7"
    assert ada["completion_pct_day_90"] == "75.0"
    assert ada["first_pairing_working_days"] == "3"
    cy = rows[2]
    assert (cy["due_by_day_30"], cy["completion_pct_day_30"]) == ("", "")
    assert cy["tasks_overdue"] == "2"
    assert cy["first_pairing_working_days"] == ""


def test_it_names_the_csv_columns(client, org, known):
    client.force_login(org.hr)
    header = client.get(CSV).content.decode().splitlines()[0].split(",")
    assert header[:3] == ["plan_id", "new_hire", "email"]
    assert "completion_pct_day_90" in header
    assert header[-1] == "first_pairing_working_days"


def test_it_keeps_a_typed_formula_from_running_in_a_spreadsheet(client, org):
    plan_for("=HYPERLINK(1)", dt.date(2026, 5, 4))
    client.force_login(org.hr)
    assert rows_of(client.get(CSV))[0]["new_hire"] == "'=HYPERLINK(1)"


# --- query counts ----------------------------------------------------------------------


def make_plans(count: int, buddies: list) -> None:
    for i in range(count):
        start = dt.date(2026, 3 + i % 4, 1 + i % 20)  # some plans still current
        plan = OnboardingPlanFactory(
            new_hire=UserFactory(start_date=start),
            start_date=start,
            buddy=buddies[i % len(buddies)],
            first_pairing_done_at=at_noon(start + dt.timedelta(days=3)) if i % 2 else None,
        )
        task(plan, start, done=start, assignee=plan.new_hire)
        task(plan, start + dt.timedelta(days=5), kind=Kind.PAIRING)
        task(plan, start + dt.timedelta(days=9), assignee=plan.buddy, assignee_role="buddy")


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [REPORTS, CSV])
def test_it_runs_the_same_number_of_queries_for_3_and_30_plans(client, url):
    hr = PeopleTeamFactory()
    buddies = [UserFactory() for _ in range(3)]
    client.force_login(hr)
    make_plans(3, buddies)
    few = queries_for(client, url)
    make_plans(27, buddies + [UserFactory() for _ in range(5)])
    assert queries_for(client, url) == few


def test_it_counts_a_pairing_confirmed_before_the_start_as_day_one(client, org):
    # Issue 9: a pairing confirmed two days early showed "-2 working days" and
    # drew a bar of negative width.
    plan_for("Early", dt.date(2026, 6, 3), first_pairing_done_at=at_noon(dt.date(2026, 6, 1)))
    client.force_login(org.hr)
    response = client.get(REPORTS)

    (june,) = [c for c in response.context["cohorts"] if c.label == "Jun 2026"]
    assert june.pairing_days == [0]
    assert rows_of(client.get(CSV))[0]["first_pairing_working_days"] == "0"
    assert 'width="-' not in response.content.decode()
