"""Program health for the people team, cycle over cycle: who took part (by
team and level), how many mentees were matched, scores, cross-team pairs,
check-ins and feedback as totals. A fixed number of aggregate queries,
whatever the number of cycles, sign-ups and pairings."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Floor, Least

from ladders.models import Level, Placement
from ladders.selectors.standing import CURRENT_FIRST

from ..models import CheckIn, Feedback, Pairing, Role, RotationCycle, SignUp
from ..policies import MIN_ANSWERS_FOR_AGGREGATES

SCORE_BUCKETS = 8
NO_TEAM = "No team"
NOT_PLACED = "Not placed"


@dataclass
class Participation:
    label: str
    mentors: int = 0
    mentees: int = 0


@dataclass
class Answers:
    """Totals over answers, shown only from MIN_ANSWERS_FOR_AGGREGATES answers up."""

    counts: dict[str, int]  # choice value -> answers
    answers: int = 0

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS_FOR_AGGREGATES

    def share(self, value: str) -> float:
        return self.counts.get(value, 0) / self.answers if self.answers else 0.0


@dataclass
class CycleHealth:
    cycle: RotationCycle
    by_team: list[Participation] = field(default_factory=list)
    by_level: list[Participation] = field(default_factory=list)
    pairs: int = 0
    cross_team: int = 0
    average_score: float | None = None
    score_counts: list[int] = field(default_factory=lambda: [0] * SCORE_BUCKETS)
    checkins: Answers = field(default_factory=lambda: Answers(counts={}))
    feedback: Answers = field(default_factory=lambda: Answers(counts={}))

    @property
    def mentors(self) -> int:
        return sum(row.mentors for row in self.by_team)

    @property
    def mentees(self) -> int:
        return sum(row.mentees for row in self.by_team)

    @property
    def published(self) -> bool:
        return self.pairs > 0

    @property
    def match_rate(self) -> float | None:
        """Matched mentees over mentee sign-ups, once pairings are published."""
        if not self.published or not self.mentees:
            return None
        return self.pairs / self.mentees

    @property
    def cross_team_share(self) -> float | None:
        return self.cross_team / self.pairs if self.pairs else None


@dataclass
class ProgramHealth:
    cycles: list[CycleHealth]  # oldest first: cycle over cycle
    bucket_edges: list[float]  # SCORE_BUCKETS + 1 edges, the same for every cycle

    @property
    def bucket_labels(self) -> list[str]:
        edges = self.bucket_edges
        return [f"{edges[i]:.1f} to {edges[i + 1]:.1f}" for i in range(SCORE_BUCKETS)]


def program_health() -> ProgramHealth:
    cycles = list(
        RotationCycle.objects.exclude(status=RotationCycle.Status.DRAFT).order_by("starts_on", "pk")
    )
    health = {cycle.pk: CycleHealth(cycle=cycle) for cycle in cycles}
    _participation_by_team(health)
    _participation_by_level(health)
    low, width = _pair_figures(health)
    _score_histogram(health, low, width)
    _checkin_totals(health)
    _feedback_totals(health)
    edges = [low + i * width for i in range(SCORE_BUCKETS + 1)]
    return ProgramHealth(cycles=list(health.values()), bucket_edges=edges)


def _signups(health: dict[int, CycleHealth]):
    return SignUp.objects.filter(cycle_id__in=health, status=SignUp.Status.ACTIVE)


def _add(rows: dict[str, Participation], label: str, role: str, count: int) -> None:
    row = rows.setdefault(label, Participation(label))
    if role == Role.MENTOR:
        row.mentors += count
    else:
        row.mentees += count


def _participation_by_team(health: dict[int, CycleHealth]) -> None:
    """The person's current team (teams are not kept per cycle)."""
    rows: dict[int, dict[str, Participation]] = defaultdict(dict)
    counts = (
        _signups(health)
        .values("cycle_id", "role", "person__team__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in counts:
        _add(rows[row["cycle_id"]], row["person__team__name"] or NO_TEAM, row["role"], row["n"])
    for cycle_id, by_label in rows.items():
        health[cycle_id].by_team = sorted(by_label.values(), key=_team_order)


def _team_order(row: Participation) -> tuple:
    return (row.label == NO_TEAM, -(row.mentors + row.mentees), row.label)


def _participation_by_level(health: dict[int, CycleHealth]) -> None:
    """The level each person held when the cycle's sign-ups closed: history,
    not today's level, so a past cycle reads the same after promotions."""
    level_then = (
        Placement.objects.filter(
            person_id=OuterRef("person_id"), since__lte=OuterRef("cycle__signup_closes_on")
        )
        .order_by(*CURRENT_FIRST)
        .values("level_id")[:1]
    )
    counts = list(
        _signups(health)
        .annotate(level_id=Subquery(level_then))
        .values("cycle_id", "role", "level_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    levels = Level.objects.in_bulk({row["level_id"] for row in counts} - {None})
    rows: dict[int, dict[str, Participation]] = defaultdict(dict)
    for row in counts:
        level = levels.get(row["level_id"])
        label = f"{level.code} {level.name}" if level else NOT_PLACED
        _add(rows[row["cycle_id"]], label, row["role"], row["n"])
    order = {f"{lv.code} {lv.name}": (lv.track, lv.position) for lv in levels.values()}
    for cycle_id, by_label in rows.items():
        health[cycle_id].by_level = sorted(
            by_label.values(), key=lambda r: (r.label not in order, order.get(r.label, ()), r.label)
        )


def _published(health: dict[int, CycleHealth]):
    return Pairing.objects.filter(cycle_id__in=health, status=Pairing.Status.PUBLISHED)


def _pair_figures(health: dict[int, CycleHealth]) -> tuple[float, float]:
    """Pairs, cross-team pairs and average score per cycle; returns the score
    histogram's lowest edge and bucket width, the same for every cycle so
    that cycles compare."""
    crossed = Q(mentor__person__team__isnull=False, mentee__person__team__isnull=False) & ~Q(
        mentor__person__team=F("mentee__person__team")
    )
    rows = (
        _published(health)
        .values("cycle_id")
        .annotate(
            pairs=Count("pk"),
            cross=Count("pk", filter=crossed),
            average=Avg("score"),
            low=Min("score"),
            high=Max("score"),
        )
        .order_by()
    )
    lows, highs = [], []
    for row in rows:
        cycle = health[row["cycle_id"]]
        cycle.pairs, cycle.cross_team = row["pairs"], row["cross"]
        cycle.average_score = row["average"]
        lows.append(row["low"])
        highs.append(row["high"])
    low, high = (min(lows), max(highs)) if lows else (0.0, 1.0)
    return float(low), (float(high) - float(low)) / SCORE_BUCKETS or 1.0


def _score_histogram(health: dict[int, CycleHealth], low: float, width: float) -> None:
    bucket = Least(
        Cast(Floor((F("score") - Value(low)) / Value(width)), IntegerField()),
        Value(SCORE_BUCKETS - 1),  # the highest score closes the last bucket
        output_field=IntegerField(),
    )
    rows = (
        _published(health)
        .annotate(bucket=bucket)
        .values("cycle_id", "bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        health[row["cycle_id"]].score_counts[int(row["bucket"])] += row["n"]


def _checkin_totals(health: dict[int, CycleHealth]) -> None:
    """Answers per mood; the notes are never read here."""
    rows = (
        CheckIn.objects.filter(
            pairing__cycle_id__in=health,
            pairing__status=Pairing.Status.PUBLISHED,
            answered_at__isnull=False,
        )
        .values("pairing__cycle_id", "mood")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        checkins = health[row["pairing__cycle_id"]].checkins
        checkins.counts[row["mood"]] = row["n"]
        checkins.answers += row["n"]


def _feedback_totals(health: dict[int, CycleHealth]) -> None:
    """Answers per landing ("yes", "partly", "no") and "again" for would pair again."""
    rows = (
        Feedback.objects.filter(
            pairing__cycle_id__in=health, pairing__status=Pairing.Status.PUBLISHED
        )
        .values("pairing__cycle_id")
        .annotate(
            n=Count("pk"),
            yes=Count("pk", filter=Q(project_landed=Feedback.Landed.YES)),
            partly=Count("pk", filter=Q(project_landed=Feedback.Landed.PARTLY)),
            no=Count("pk", filter=Q(project_landed=Feedback.Landed.NO)),
            again=Count("pk", filter=Q(would_pair_again=True)),
        )
        .order_by()
    )
    for row in rows:
        counts = {key: row[key] for key in ("yes", "partly", "no", "again")}
        health[row["pairing__cycle_id"]].feedback = Answers(counts=counts, answers=row["n"])
