"""The team heat map for someone with many people below them: one row per team
with, per competency, the share of people rated below their own level, and a
drill-down into one team's people a page at a time.

Everything is counted in the database (grouped by team and competency), so the
cost follows the number of teams and competencies, not the number of people:
a CTO over 20,000 people gets about 60 rows, not 240,000 cells."""

from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, QuerySet

from people.models import Team, User
from people.selectors import MAX_DEPTH, REPORTS_TREE_CTE, reports_subquery

from ..models import MEETS_LEVEL, Assessment, Competency, Placement, Side
from .standing import latest_published

# Up to this many people below them, a manager sees everyone's cells at once;
# beyond it the map groups people by team.
PERSON_GRID_LIMIT = 60

NO_TEAM = "none"  # the drill-down key of people without a team


@dataclass
class TeamGapRow:
    key: str  # the team's id, or NO_TEAM
    name: str
    people: int
    assessed: int
    below: list[int]  # per competency: people rated below their level
    rated: list[int]  # per competency: people with a rating

    @property
    def cells(self) -> list[tuple[int | None, int, int]]:
        """Per competency: (share in whole percent or None, below, rated)."""
        return [
            (round(100 * below / rated) if rated else None, below, rated)
            for below, rated in zip(self.below, self.rated, strict=True)
        ]


@dataclass
class TeamGapSummary:
    competencies: list[Competency]
    rows: list[TeamGapRow]

    @property
    def people(self) -> int:
        return sum(row.people for row in self.rows)

    @property
    def assessed(self) -> int:
        return sum(row.assessed for row in self.rows)

    @property
    def overall(self) -> TeamGapRow:
        """The whole organisation below the manager as one row (the footer)."""
        return TeamGapRow(
            key="",
            name="Everyone",
            people=self.people,
            assessed=self.assessed,
            below=[sum(r.below[i] for r in self.rows) for i in range(len(self.competencies))],
            rated=[sum(r.rated[i] for r in self.rows) for i in range(len(self.competencies))],
        )


def people_below(*, manager, team_key: str | None = None) -> QuerySet[User]:
    """Active people under the manager, all the way down, by name; only one
    team's when team_key is given (NO_TEAM for people without one)."""
    people = (
        User.objects.filter(pk__in=reports_subquery(manager_id=manager.pk), is_active=True)
        .exclude(pk=manager.pk)
        .order_by("name", "pk")
    )
    if team_key == NO_TEAM:
        return people.filter(team__isnull=True)
    if team_key is not None:
        return people.filter(team_id=int(team_key))
    return people


# One statement walks the reporting tree once and counts, per team: the
# people, those with a finalised assessment, and per competency the people
# rated (manager's side of their latest finalised assessment) and those rated
# below their level. Rows with competency_id NULL are head counts, -1 the
# assessed counts. The tree carries each person's team, and the two lists
# are materialised once: PostgreSQL then joins them by hash instead of
# looking 20,000 people up one by one. Portable SQL (window function, CASE,
# MATERIALIZED), PostgreSQL and SQLite.
_SUMMARY_SQL = """
WITH RECURSIVE {tree},
people AS MATERIALIZED (
    SELECT DISTINCT id, team_id FROM tree WHERE is_active AND id <> %s {team_filter}
),
ranked AS (
    SELECT a.id, p.team_id, ROW_NUMBER() OVER (
        PARTITION BY a.person_id ORDER BY a.finalised_at DESC, a.id DESC
    ) AS n
    FROM ladders_assessment a JOIN people p ON p.id = a.person_id
    WHERE a.status = %s
),
latest AS MATERIALIZED (SELECT id, team_id FROM ranked WHERE n = 1)
SELECT team_id, NULL, COUNT(*), 0 FROM people GROUP BY team_id
UNION ALL
SELECT team_id, -1, COUNT(*), 0 FROM latest GROUP BY team_id
UNION ALL
SELECT l.team_id, c.competency_id, COUNT(*), SUM(CASE WHEN c.rating < %s THEN 1 ELSE 0 END)
FROM latest l JOIN ladders_competencyrating c ON c.assessment_id = l.id AND c.side = %s
GROUP BY l.team_id, c.competency_id
"""


def _counts(manager, team_key: str | None) -> list[tuple]:
    team_filter, team_params = "", []
    if team_key == NO_TEAM:
        team_filter = "AND team_id IS NULL"
    elif team_key is not None:
        team_filter, team_params = "AND team_id = %s", [int(team_key)]
    sql = _SUMMARY_SQL.format(tree=REPORTS_TREE_CTE, team_filter=team_filter)
    params = [manager.pk, MAX_DEPTH, manager.pk, *team_params]
    params += [Assessment.Status.FINAL.value, MEETS_LEVEL, Side.MANAGER.value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def team_gap_summary(*, manager, team_key: str | None = None) -> TeamGapSummary:
    """One row per team under the manager (or only team_key's), in five
    queries whatever the number of people."""
    headcount: dict[int | None, int] = {}
    assessed: dict[int | None, int] = {}
    ratings: list[tuple[int | None, int, int, int]] = []
    for team_id, competency_id, count, below in _counts(manager, team_key):
        if competency_id is None:
            headcount[team_id] = count
        elif competency_id == -1:
            assessed[team_id] = count
        else:
            ratings.append((team_id, competency_id, count, int(below or 0)))
    rated_on = {
        c.pk: c
        for c in Competency.objects.filter(pk__in={row[1] for row in ratings}).select_related(
            "revision"
        )
    }
    competencies = (
        _columns(ratings, rated_on)
        if ratings
        else columns_for(people_below(manager=manager, team_key=team_key))
    )
    by_team: dict[int | None, dict[str, tuple[int, int]]] = {}
    for team_id, competency_id, rated, below in ratings:
        # By code, so ratings made on an older revision line up with the columns.
        cell = by_team.setdefault(team_id, {})
        code = rated_on[competency_id].code
        before = cell.get(code, (0, 0))
        cell[code] = (before[0] + rated, before[1] + below)
    names = dict(Team.objects.filter(pk__in=[t for t in headcount if t]).values_list("pk", "name"))
    rows = [
        _row(team_id, names, headcount[team_id], assessed.get(team_id, 0), by_team, competencies)
        for team_id in headcount
    ]
    rows.sort(key=lambda row: (row.key == NO_TEAM, row.name.lower()))
    return TeamGapSummary(competencies=competencies, rows=rows)


def _columns(ratings, rated_on) -> list[Competency]:
    """The latest published revision of the ladder with the most ratings."""
    per_ladder: Counter[int] = Counter()
    for _, competency_id, rated, _ in ratings:
        per_ladder[rated_on[competency_id].revision.ladder_id] += rated
    ladder_id = min(per_ladder, key=lambda ladder: (-per_ladder[ladder], ladder))
    revision = latest_published(ladder_id=ladder_id)
    return list(revision.competencies.order_by("position")) if revision else []


def _row(team_id, names, people, assessed, by_team, competencies) -> TeamGapRow:
    mine = by_team.get(team_id, {})
    return TeamGapRow(
        key=str(team_id) if team_id else NO_TEAM,
        name=names.get(team_id, "No team") if team_id else "No team",
        people=people,
        assessed=assessed,
        below=[mine.get(c.code, (0, 0))[1] for c in competencies],
        rated=[mine.get(c.code, (0, 0))[0] for c in competencies],
    )


# Enough placements to tell which ladder most people are on without counting
# every placement of a 20,000-person organisation.
LADDER_SAMPLE = 500


def columns_for(people: QuerySet[User]) -> list[Competency]:
    """The competencies of the latest published revision of the ladder most of
    these people are placed on (judged on the first LADDER_SAMPLE of them by
    name; ratings line up with the columns by code)."""
    top = (
        Placement.objects.filter(person_id__in=people.values("pk")[:LADDER_SAMPLE])
        .order_by()
        .values("level__revision__ladder_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "level__revision__ladder_id")
        .first()
    )
    if top is None:
        return []
    revision = latest_published(ladder_id=top["level__revision__ladder_id"])
    return list(revision.competencies.order_by("position")) if revision else []
