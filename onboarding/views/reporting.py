"""The people team's onboarding report (charts with their numbers beside them)
and its CSV export, one row per plan. Anyone else gets a 404."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.charts import bar_chart
from people import access

from .. import policies
from ..selectors import reporting as selectors

OVERDUE_PEOPLE_IN_CHART = 15


@login_required
@require_GET
def reports(request):
    access.require(policies.can_view_reports(request.user))
    today = timezone.localdate()
    figures = selectors.plan_figures(today=today)
    cohorts = selectors.cohorts(figures)
    by_role = selectors.overdue_by_role(today=today)
    by_person = selectors.overdue_by_person(today=today)
    buddies, cap = selectors.buddy_load(today=today)
    context = {
        "today": today,
        "plan_count": len(figures),
        "without_buddy": sum(f.plan.buddy_status == "none" for f in figures),
        "milestones": selectors.MILESTONES,
        "cohorts": cohorts,
        "by_role": by_role,
        "by_person": by_person,
        "by_person_top": by_person[:OVERDUE_PEOPLE_IN_CHART],
        "by_person_rest": by_person[OVERDUE_PEOPLE_IN_CHART:],
        "buddies": buddies,
        "buddy_cap": cap,
        "charts": _charts(cohorts, by_role, by_person, buddies, cap),
    }
    return render(request, "onboarding/reports.html", context)


def _percent(value: float) -> str:
    return f"{value:.0f}%"


def _days(value: float) -> str:
    return f"{value:g} d"


def _charts(cohorts, by_role, by_person, buddies, cap) -> dict:
    return {
        "completion": bar_chart(
            chart_id="chart-completion",
            title="Completion by day 30, 60 and 90, per start month",
            description="For each start month, the share of tasks due by day 30, 60 and 90 "
            "that were done by then.",
            rows=[(c.label, [c.completion(n) for n in selectors.MILESTONES]) for c in cohorts],
            series=[f"Day {n}" for n in selectors.MILESTONES],
            max_value=100,
            fmt=_percent,
        ),
        "by_role": bar_chart(
            chart_id="chart-overdue-role",
            title="Overdue tasks by assignee role",
            description="Open tasks past their due date, per role.",
            rows=[(label, [n]) for label, n in by_role],
            series=["Overdue tasks"],
        ),
        "by_person": bar_chart(
            chart_id="chart-overdue-person",
            title="Overdue tasks by person",
            description=f"The {OVERDUE_PEOPLE_IN_CHART} people holding the most overdue tasks.",
            rows=[(h.name, [h.overdue]) for h in by_person[:OVERDUE_PEOPLE_IN_CHART]],
            series=["Overdue tasks"],
        ),
        "buddies": bar_chart(
            chart_id="chart-buddies",
            title="Buddy load",
            description=f"Current new hires per buddy; the cap is {cap}.",
            rows=[(b.buddy.name or b.buddy.email, [b.new_hires]) for b in buddies],
            series=["Current new hires"],
            max_value=max([cap, *(b.new_hires for b in buddies)]),
        ),
        "pairing": bar_chart(
            chart_id="chart-pairing",
            title="Working days to the first pairing task, per start month",
            description="Median and 90th percentile, among new hires who have done one.",
            rows=[(c.label, [c.pairing_median, c.pairing_p90]) for c in cohorts],
            series=["Median", "90th percentile"],
            fmt=_days,
        ),
    }


# --- CSV export -----------------------------------------------------------------------

CSV_COLUMNS = [
    "plan_id",
    "new_hire",
    "email",
    "team",
    "manager",
    "buddy",
    "buddy_status",
    "start_date",
    "start_month",
    "timezone",
    "tasks",
    "tasks_done",
    "tasks_overdue",
    *[
        f"{name}_day_{n}"
        for n in selectors.MILESTONES
        for name in ("due_by", "done_by", "completion_pct")
    ],
    "first_pairing_working_days",
]


@login_required
@require_GET
def reports_csv(request):
    access.require(policies.can_view_reports(request.user))
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="onboarding-{today}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in selectors.plan_figures(today=today):
        writer.writerow([_cell(value) for value in _csv_row(row)])
    return response


def _csv_row(row: selectors.PlanFigures) -> list:
    plan = row.plan
    person = plan.new_hire
    milestones = []
    for n in selectors.MILESTONES:
        reached = row.reached(n)
        completion = row.completion(n)
        milestones += [
            row.due_by(n) if reached else "",
            row.done_by(n) if reached else "",
            "" if completion is None else round(completion, 1),
        ]
    return [
        plan.pk,
        person.name,
        person.email,
        person.team.name if person.team else "",
        person.manager.name if person.manager else "",
        plan.buddy.name if plan.buddy else "",
        plan.buddy_status,
        plan.start_date.isoformat(),
        plan.start_date.strftime("%Y-%m"),
        plan.timezone,
        plan.tasks_total,
        plan.tasks_done,
        plan.tasks_overdue,
        *milestones,
        "" if row.first_pairing_days is None else row.first_pairing_days,
    ]


def _cell(value):
    """Names typed by people must not run as formulas in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
