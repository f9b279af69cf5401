"""The team heat map for someone with many people below them: one row per team
with, per competency, the share of people rated below their own level, and a
drill-down into one team's people a page at a time.

Everything is counted in the database (grouped by team and competency), so the
cost follows the number of teams and competencies, not the number of people:
a CTO over 20,000 people gets about 60 rows, not 240,000 cells."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from people.models import Team, User
from people.selectors import reports_subquery

from ..models import MEETS_LEVEL, Assessment, Competency, CompetencyRating, Placement, Side
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


def latest_final_assessments(people: QuerySet[User]) -> QuerySet[Assessment]:
    """Each person's latest finalised assessment, as a subquery: no newer final
    one of the same person exists (the higher id wins a tie)."""
    newer = Assessment.objects.filter(
        person_id=OuterRef("person_id"), status=Assessment.Status.FINAL
    ).filter(
        Q(finalised_at__gt=OuterRef("finalised_at"))
        | Q(finalised_at=OuterRef("finalised_at"), pk__gt=OuterRef("pk"))
    )
    return Assessment.objects.filter(
        person_id__in=people.values("pk"), status=Assessment.Status.FINAL
    ).exclude(Exists(newer))


def team_gap_summary(*, manager, team_key: str | None = None) -> TeamGapSummary:
    """One row per team under the manager (or only team_key's), in five queries."""
    people = people_below(manager=manager, team_key=team_key)
    competencies = columns_for(people)
    headcount = dict(
        people.order_by().values_list("team_id").annotate(n=Count("pk")).values_list("team_id", "n")
    )
    latest = latest_final_assessments(people)
    assessed = dict(
        latest.order_by()
        .values_list("person__team_id")
        .annotate(n=Count("pk"))
        .values_list("person__team_id", "n")
    )
    counts = (
        CompetencyRating.objects.filter(assessment__in=latest.values("pk"), side=Side.MANAGER)
        .order_by()
        .values_list("assessment__person__team_id", "competency__code")
        .annotate(rated=Count("pk"), below=Count("pk", filter=Q(rating__lt=MEETS_LEVEL)))
    )
    by_team: dict[int | None, dict[str, tuple[int, int]]] = {}
    for team_id, code, rated, below in counts:
        by_team.setdefault(team_id, {})[code] = (rated, below)
    names = dict(Team.objects.filter(pk__in=[t for t in headcount if t]).values_list("pk", "name"))
    rows = [
        _row(team_id, names, headcount[team_id], assessed.get(team_id, 0), by_team, competencies)
        for team_id in headcount
    ]
    rows.sort(key=lambda row: (row.key == NO_TEAM, row.name.lower()))
    return TeamGapSummary(competencies=competencies, rows=rows)


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


def columns_for(people: QuerySet[User]) -> list[Competency]:
    """The competencies of the latest published revision of the ladder most of
    these people are placed on (ratings line up with them by code)."""
    top = (
        Placement.objects.filter(person_id__in=people.values("pk"))
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
