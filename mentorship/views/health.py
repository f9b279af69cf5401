"""Program health for the people team: cycle over cycle, as charts with the
same numbers in tables beside them. Everyone else gets a 404."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core import charts
from people import access

from .. import policies
from ..policies import MIN_ANSWERS_FOR_AGGREGATES
from ..selectors.health import CycleHealth, ProgramHealth, program_health

PARTICIPANTS = ["Mentors", "Mentees"]


def _chart(
    *,
    chart_id: str,
    title: str,
    rows: list[tuple[str, list[float | None]]],
    series: list[str],
    shares: bool = False,
) -> charts.BarChart:
    """In cards a third of the page wide, with a dash where there is no figure
    yet; shares (0 to 1) drawn against 100%, counts against the largest."""
    return charts.bar_chart(
        chart_id=chart_id,
        title=title,
        rows=rows,
        series=series,
        max_value=1 if shares else None,
        fmt=charts.share_text if shares else charts.number_text,
        missing="—",
        layout=charts.NARROW,
    )


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
        "signups": _chart(
            chart_id="signups",
            title="Sign-ups per cycle",
            rows=[(c.cycle.name, [c.mentors, c.mentees]) for c in cycles],
            series=PARTICIPANTS,
        ),
        "matching": _chart(
            chart_id="matching",
            title="Match rate and pairs across teams per cycle",
            rows=[(c.cycle.name, [c.match_rate, c.cross_team_share]) for c in cycles],
            series=["Mentees matched", "Pairs across teams"],
            shares=True,
        ),
        "feedback": _chart(
            chart_id="feedback",
            title="Feedback per cycle",
            rows=[(c.cycle.name, _feedback_shares(c)) for c in cycles],
            series=["Project landed", "Would pair again"],
            shares=True,
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
        by_team=_chart(
            chart_id=f"{key}-team",
            title=f"Participation by team, {cycle.cycle}",
            rows=[(row.label, [row.mentors, row.mentees]) for row in cycle.by_team],
            series=PARTICIPANTS,
        ),
        by_level=_chart(
            chart_id=f"{key}-level",
            title=f"Participation by level, {cycle.cycle}",
            rows=[(row.label, [row.mentors, row.mentees]) for row in cycle.by_level],
            series=PARTICIPANTS,
        ),
        scores=charts.histogram(
            chart_id=f"{key}-scores",
            title=f"Scores of published pairs, {cycle.cycle}",
            buckets=score_rows,
            axis_labels=[f"{edge:.1f}" for edge in program.bucket_edges[:-1]],
        ),
        score_rows=score_rows,
    )
