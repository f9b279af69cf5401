"""Program health for the people team: cycle over cycle, as charts with the
same numbers in tables beside them. Everyone else gets a 404."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from people import access

from .. import charts, policies
from ..policies import MIN_ANSWERS_FOR_AGGREGATES
from ..selectors.health import CycleHealth, ProgramHealth, program_health

PARTICIPANTS = ["Mentors", "Mentees"]


@dataclass
class CycleCharts:
    health: CycleHealth
    by_team: charts.BarChart
    by_level: charts.BarChart
    scores: charts.Histogram
    score_rows: list[tuple[str, int]]


@login_required
def health(request):
    access.require(policies.can_view_program_health(request.user))
    program = program_health()
    return render(
        request,
        "mentorship/health.html",
        {
            "program": program,
            "overview": _overview(program),
            "details": [_cycle_charts(c, program) for c in reversed(program.cycles)],
            "min_answers": MIN_ANSWERS_FOR_AGGREGATES,
        },
    )


def _overview(program: ProgramHealth) -> dict[str, charts.BarChart]:
    cycles = program.cycles
    return {
        "signups": charts.bar_chart(
            key="signups",
            title="Sign-ups per cycle",
            rows=[(c.cycle.name, [c.mentors, c.mentees]) for c in cycles],
            series=PARTICIPANTS,
        ),
        "matching": charts.bar_chart(
            key="matching",
            title="Match rate and pairs across teams per cycle",
            rows=[(c.cycle.name, [c.match_rate, c.cross_team_share]) for c in cycles],
            series=["Mentees matched", "Pairs across teams"],
            percent=True,
        ),
        "feedback": charts.bar_chart(
            key="feedback",
            title="Feedback per cycle",
            rows=[(c.cycle.name, _feedback_shares(c)) for c in cycles],
            series=["Project landed", "Would pair again"],
            percent=True,
        ),
    }


def _feedback_shares(cycle: CycleHealth) -> list[float | None]:
    if not cycle.feedback.shown:
        return [None, None]
    return [cycle.feedback.share("yes"), cycle.feedback.share("again")]


def _cycle_charts(cycle: CycleHealth, program: ProgramHealth) -> CycleCharts:
    key = f"cycle-{cycle.cycle.pk}"
    score_rows = list(zip(program.bucket_labels, cycle.score_counts, strict=True))
    return CycleCharts(
        health=cycle,
        by_team=charts.bar_chart(
            key=f"{key}-team",
            title=f"Participation by team, {cycle.cycle}",
            rows=[(row.label, [row.mentors, row.mentees]) for row in cycle.by_team],
            series=PARTICIPANTS,
        ),
        by_level=charts.bar_chart(
            key=f"{key}-level",
            title=f"Participation by level, {cycle.cycle}",
            rows=[(row.label, [row.mentors, row.mentees]) for row in cycle.by_level],
            series=PARTICIPANTS,
        ),
        scores=charts.histogram(
            key=f"{key}-scores",
            title=f"Scores of published pairs, {cycle.cycle}",
            buckets=score_rows,
            axis_labels=[f"{edge:.1f}" for edge in program.bucket_edges[:-1]],
        ),
        score_rows=score_rows,
    )


urlpatterns = [path("health/", health, name="health")]
