"""Where people stand: placements, what their level and the next expect,
their latest finalised ratings and the gaps between them.

The one home of two rules every app reads, for one person (the ladder page,
the sign-up form) and in bulk (team grids, matching, onboarding): which
placement is someone's current level (CURRENT_FIRST) and which assessment's
manager ratings are their latest finalised ones (LATEST_FINAL_FIRST)."""

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple, cast

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from people.selectors import report_ids

from ..gaps import biggest_gaps, gaps_worth_showing
from ..models import (
    MEETS_LEVEL,
    MEETS_NEXT_LEVEL,
    Assessment,
    Competency,
    CompetencyRating,
    Expectation,
    Level,
    Placement,
    Revision,
    Side,
)

CURRENT_FIRST = ("-since", "-id")
"""A person's current placement: the latest since; of two the same day, the later recorded."""
LATEST_FINAL_FIRST = ("-finalised_at", "-id")
"""A person's latest finalised assessment: the latest finalised; ties, the later started."""


def _through(path: str, ordering: tuple[str, ...]) -> list[str]:
    """An ordering of a related model, from here: ("-since",) -> ["-path__since"]."""
    return [f"-{path}__{o[1:]}" if o.startswith("-") else f"{path}__{o}" for o in ordering]


def current_placement(*, person) -> Placement | None:
    return (
        Placement.objects.filter(person=person)
        .select_related("level__revision__ladder")
        .order_by(*CURRENT_FIRST)
        .first()
    )


def current_placements(*, person_ids) -> dict[int, Placement]:
    """The current placement of each person, in one query."""
    rows = (
        Placement.objects.filter(person_id__in=person_ids)
        .select_related("level__revision__ladder")
        .order_by("person_id", *CURRENT_FIRST)
    )
    latest: dict[int, Placement] = {}
    for placement in rows:
        latest.setdefault(placement.person_id, placement)
    return latest


class CurrentLevel(NamedTuple):
    code: str
    ladder_id: int
    ladder_name: str


def current_levels(*, person_ids) -> dict[int, CurrentLevel]:
    """current_placements as plain values, in one query: building 15,000
    placements with their level, revision and ladder costs seconds a match run
    does not need to spend."""
    rows = (
        Placement.objects.filter(person_id__in=person_ids)
        .order_by("person_id", *CURRENT_FIRST)
        .values_list(
            "person_id",
            "level__code",
            "level__revision__ladder_id",
            "level__revision__ladder__name",
        )
    )
    latest: dict[int, CurrentLevel] = {}
    for person_id, code, ladder_id, ladder_name in rows:
        latest.setdefault(person_id, CurrentLevel(code, ladder_id, ladder_name))
    return latest


def latest_published(*, ladder_id: int) -> Revision | None:
    return (
        Revision.objects.filter(ladder_id=ladder_id, status=Revision.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )


def latest_revision_of(level: Level) -> Revision:
    """The newest published revision of the level's ladder (the level's own if none newer)."""
    return latest_published(ladder_id=level.revision.ladder_id) or level.revision


def same_level_in(revision: Revision, level: Level) -> Level | None:
    return revision.levels.filter(code=level.code).first()


def next_level(level: Level) -> Level | None:
    """The next level up on the same track, in the same revision."""
    return (
        Level.objects.filter(
            revision_id=level.revision_id, track=level.track, position__gt=level.position
        )
        .order_by("position")
        .first()
    )


@dataclass(eq=False)  # rows are keys of a mapping: identity is what counts
class StandingRow:
    competency: Competency
    at_level: Expectation | None
    at_next: Expectation | None
    rating: int | None = None
    evidence: str = ""

    @property
    def below_level(self) -> bool:
        return self.rating is not None and self.rating < MEETS_LEVEL

    @property
    def below_next(self) -> bool:
        return self.rating is not None and self.rating < MEETS_NEXT_LEVEL


@dataclass
class Standing:
    placement: Placement | None
    level: Level | None = None
    next_level: Level | None = None
    rows: list[StandingRow] = field(default_factory=list)
    assessment: Assessment | None = None
    history: list[Placement] = field(default_factory=list)

    @property
    def themes(self) -> list[tuple[str, list[StandingRow]]]:
        grouped: dict[str, list[StandingRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.competency.theme, []).append(row)
        return list(grouped.items())

    @property
    def gaps(self) -> list[StandingRow]:
        """The biggest gaps worth showing (ladders/gaps.py says which)."""
        return biggest_gaps(self._ratings())

    @property
    def more_gaps(self) -> int:
        """Gaps worth showing beyond those listed."""
        return len(gaps_worth_showing(self._ratings())) - len(self.gaps)

    @property
    def below_next_count(self) -> int:
        return sum(1 for row in self.rows if row.below_next)

    def _ratings(self) -> dict[StandingRow, int | None]:
        return {row: row.rating for row in self.rows}


def standing_of(*, person) -> Standing:
    """Everything the person's ladder page shows, in a fixed number of queries."""
    placement = current_placement(person=person)
    history = list(
        Placement.objects.filter(person=person)
        .select_related("level__revision")
        .order_by(*CURRENT_FIRST)
    )
    if placement is None:
        return Standing(placement=None, history=history)
    revision = latest_revision_of(placement.level)
    level = same_level_in(revision, placement.level) or placement.level
    upper = next_level(level)
    standing = Standing(placement, level, upper, history=history)
    standing.rows = _rows(level, upper)
    standing.assessment = latest_final_assessment(person=person)
    if standing.assessment:
        _attach_ratings(standing.rows, standing.assessment)
    return standing


def _rows(level: Level, upper: Level | None) -> list[StandingRow]:
    levels = [level.pk] + ([upper.pk] if upper else [])
    expectations = Expectation.objects.filter(level_id__in=levels)
    cells = {(e.level_id, e.competency_id): e for e in expectations}
    competencies = Competency.objects.filter(revision_id=level.revision_id).order_by("position")
    return [
        StandingRow(
            competency=c,
            at_level=cells.get((level.pk, c.pk)),
            at_next=cells.get((upper.pk, c.pk)) if upper else None,
        )
        for c in competencies
    ]


def latest_final_assessment(*, person) -> Assessment | None:
    return (
        Assessment.objects.filter(person=person, status=Assessment.Status.FINAL)
        .select_related("level__revision")
        .order_by(*LATEST_FINAL_FIRST)
        .first()
    )


def latest_final_assessment_ids(*, person_ids) -> dict[int, int]:
    """Person id -> the id of their latest finalised assessment, in one query."""
    rows = (
        Assessment.objects.filter(person_id__in=person_ids, status=Assessment.Status.FINAL)
        .order_by("person_id", *LATEST_FINAL_FIRST)
        .values_list("person_id", "id")
    )
    latest: dict[int, int] = {}
    for person_id, assessment_id in rows:
        latest.setdefault(person_id, assessment_id)
    return latest


def latest_manager_ratings(*, person_ids) -> dict[int, dict[str, int]]:
    """Person id -> competency code -> the manager's rating on their latest
    finalised assessment (the final ratings); competencies left unrated are
    absent. By code, so an assessment made against an older revision still
    lines up with today's competencies.

    Only the latest finalised assessment counts, even if it has no manager
    rating (it then says nothing; an older one is not read instead).

    Two queries: the database picks each person's latest assessment (a window
    function) and returns bare ids, neither sorted nor joined to the
    competencies (their codes come in the second): a match run reads about
    84,000 ratings for 10,000 mentees, and sorting them and decoding a code
    per row took most of its load time."""
    latest = (
        Assessment.objects.filter(person_id__in=person_ids, status=Assessment.Status.FINAL)
        .annotate(
            newest=Window(
                RowNumber(), partition_by=F("person_id"), order_by=list(LATEST_FINAL_FIRST)
            )
        )
        .filter(newest=1)
        .values("pk")
    )
    rows = list(
        CompetencyRating.objects.filter(
            side=Side.MANAGER, rating__isnull=False, assessment__in=latest
        ).values_list("assessment__person_id", "competency_id", "rating")
    )
    used = {competency_id for _, competency_id, _ in rows}
    code_of = dict(Competency.objects.filter(pk__in=used).order_by().values_list("pk", "code"))
    ratings: dict[int, dict[str, int]] = {}
    for person_id, competency_id, rating in rows:
        ratings.setdefault(person_id, {})[code_of[competency_id]] = cast(int, rating)
    return ratings


def _attach_ratings(rows: list[StandingRow], assessment: Assessment) -> None:
    """Final ratings are the manager's side; matched by competency code, so an
    assessment made against an older revision still lines up."""
    ratings = CompetencyRating.objects.filter(
        assessment=assessment, side=Side.MANAGER
    ).select_related("competency")
    by_code = {r.competency.code: r for r in ratings}
    for row in rows:
        rating = by_code.get(row.competency.code)
        if rating:
            row.rating, row.evidence = rating.rating, rating.evidence


def level_comparison(*, revision: Revision, lower: Level, upper: Level) -> list[dict]:
    """Competency by competency, what changes from one level to the other."""
    cells = {
        (e.level_id, e.competency_id): e
        for e in Expectation.objects.filter(level_id__in=[lower.pk, upper.pk])
    }
    rows = []
    for competency in revision.competencies.order_by("position"):
        low, high = cells.get((lower.pk, competency.pk)), cells.get((upper.pk, competency.pk))
        rows.append(
            {
                "competency": competency,
                "lower": low,
                "upper": high,
                "changed": (low.text if low else "") != (high.text if high else ""),
            }
        )
    return rows


@dataclass
class TeamGrid:
    competencies: list[Competency]
    people: list  # users with .placement, .cells (list of rating or None aligned to competencies)

    @property
    def below_level_counts(self) -> list[int]:
        """Per competency, how many people are rated below their own level."""
        return [
            sum(1 for p in self.people if p.cells[i] is not None and p.cells[i] < MEETS_LEVEL)
            for i in range(len(self.competencies))
        ]


def team_grid(*, manager) -> TeamGrid:
    """Everyone under the manager x competencies, from each person's latest
    finalised assessment. Eight queries whatever the team's size."""
    from people.models import User

    ids = report_ids(manager_id=manager.pk)
    people = list(User.objects.filter(pk__in=ids, is_active=True).order_by("name"))
    return grid_of(people)


def grid_of(people: list, competencies: list[Competency] | None = None) -> TeamGrid:
    """These people x competencies (by default those of the ladder most of
    them are on), from each person's latest finalised assessment; six queries."""
    ids = [person.pk for person in people]
    placements = current_placements(person_ids=ids)
    latest = latest_final_assessment_ids(person_ids=ids)
    by_person = latest_manager_ratings(person_ids=ids)
    if competencies is None:
        competencies = _columns(placements.values())
    for person in people:
        person.placement = placements.get(person.pk)
        mine = by_person.get(person.pk, {})
        person.cells = [mine.get(c.code) for c in competencies]
        person.assessed = person.pk in latest
    return TeamGrid(competencies=competencies, people=people)


def _columns(placements) -> list[Competency]:
    """The competencies of the latest published revision of the ladder most of
    the team is on (ratings line up with them by competency code)."""
    ladders = Counter(p.level.revision.ladder_id for p in placements)
    if not ladders:
        return []
    revision = latest_published(ladder_id=ladders.most_common(1)[0][0])
    return list(revision.competencies.order_by("position")) if revision else []
