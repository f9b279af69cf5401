"""Who signs up to a demo cycle, and the sign-ups written in bulk: only people
the sign-up service would take (placed on the cycle's ladder at a level its
rules allow, below their commitment limit), in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ladders.models import (
    MEETS_NEXT_LEVEL,
    Competency,
)
from ladders.selectors.commitments import commitment_counts, commitment_limit
from ladders.selectors.standing import (
    current_placements,
    latest_manager_ratings,
    latest_published,
)
from people.models import User

from ..models import Preference, Role, RotationCycle, SignUp
from ..services.signups import MAX_PREFERENCES
from .content import GOALS, CycleSpec

CHANGE_REASON = "demo seed"
MENTOR_LEVELS = ("L3", "L4", "L5", "M1")  # department heads (M2, M3) are left to their work
MENTORS_PER_TEAM = 2  # mentors from many teams


@dataclass
class Candidate:
    person: User
    level: str
    position: int


@dataclass
class Roster:
    """The sign-ups of one cycle before they are written."""

    signups: list[SignUp] = field(default_factory=list)
    competencies: dict[int, list[Competency]] = field(default_factory=dict)  # by index
    # (mentee index, mentor index, rank)
    preferences: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, signup: SignUp, competencies: list[Competency]) -> int:
        self.signups.append(signup)
        self.competencies[len(self.signups) - 1] = competencies
        return len(self.signups) - 1


def sign_up(cycle: RotationCycle, people: list, rng, spec: CycleSpec, *, first_mentees) -> None:
    """Mentors, one per project of the cycle, then mentees, people named in
    ``first_mentees`` first: seven reads and four bulk writes."""
    revision = latest_published(ladder_id=cycle.ladder_id)
    if revision is None:
        raise ValueError(f"{cycle.ladder} has no published revision to sign up against")
    positions = {level.code: level.position for level in revision.levels.all()}
    competencies = {c.code: c for c in revision.competencies.all()}
    pool = _candidates(people, revision, positions)
    roster = Roster()
    mentors = _choose_mentors(cycle, roster, pool, rng, spec, competencies, positions)
    _choose_mentees(cycle, roster, pool, rng, spec, competencies, positions, mentors, first_mentees)
    _write(roster)


def _candidates(people: list, revision, positions: dict[str, int]) -> list[Candidate]:
    """Everyone at work, placed on the revision and below the commitment limit, by email."""
    today = timezone.localdate()
    people = sorted(
        (
            p
            for p in people
            if p.is_active
            and p.manager_id
            and not p.is_staff
            and (p.start_date is None or p.start_date <= today)
        ),
        key=lambda p: p.email,
    )
    ids = [p.pk for p in people]
    placements = current_placements(person_ids=ids)
    busy = _at_commitment_limit(ids)
    return [
        Candidate(p, placements[p.pk].level.code, positions[placements[p.pk].level.code])
        for p in people
        if p.pk in placements
        and placements[p.pk].level.revision_id == revision.pk
        and p.pk not in busy
    ]


def _at_commitment_limit(person_ids: list[int]) -> set[int]:
    counts = commitment_counts(person_ids=person_ids)
    return {person_id for person_id, n in counts.items() if n >= commitment_limit()}


def _choose_mentors(cycle, roster: Roster, pool, rng, spec, competencies, positions) -> list:
    """(roster index, candidate, codes taught) of one mentor per project."""
    lowest = positions[cycle.mentor_min_level]
    candidates = [c for c in pool if c.level in MENTOR_LEVELS and c.position >= lowest]
    rng.shuffle(candidates)
    per_team: Counter = Counter()
    chosen = []
    for candidate, (title, outcome, codes) in zip(
        (c for c in candidates if _team_has_room(per_team, c, MENTORS_PER_TEAM)),
        spec.projects,
        strict=False,
    ):
        signup = SignUp(
            cycle=cycle,
            person=candidate.person,
            role=Role.MENTOR,
            capacity=rng.choice([1, 2, 2]),
            project_title=title,
            project_outcome=outcome,
            hours_per_week=rng.choice([2, 3, 4]),
        )
        index = roster.add(signup, [competencies[code] for code in codes])
        chosen.append((index, candidate, set(codes)))
    return chosen


def _team_has_room(per_team: Counter, candidate: Candidate, most: int) -> bool:
    """Count the candidate in their team if the team has room left."""
    team = candidate.person.team_id
    if per_team[team] >= most:
        return False
    per_team[team] += 1
    return True


def _choose_mentees(
    cycle, roster: Roster, pool, rng, spec, competencies, positions, mentors, first_mentees
) -> None:
    low, high = positions[cycle.mentee_min_level], positions[cycle.mentee_max_level]
    taken = {candidate.person.pk for _, candidate, _ in mentors}
    eligible = [c for c in pool if low <= c.position <= high and c.person.pk not in taken]
    wanted = {p.pk: n for n, p in enumerate(first_mentees)}
    first = sorted(
        (c for c in eligible if c.person.pk in wanted), key=lambda c: wanted[c.person.pk]
    )
    rest = [c for c in eligible if c.person.pk not in wanted]
    rng.shuffle(rest)
    gaps = _gap_goals([c.person.pk for c in eligible], competencies)
    manager_of = {c.person.pk: c.person.manager_id for c in pool}
    per_team: Counter = Counter()
    senior = 0
    for candidate in first + rest:
        if len(roster.signups) - len(mentors) >= spec.mentees:
            break
        is_senior = candidate.position == high
        if is_senior and senior >= spec.senior_mentees:
            continue
        if not _team_has_room(per_team, candidate, spec.mentees_per_team):
            continue
        senior += is_senior
        goals = gaps.get(candidate.person.pk, [])[: rng.choice([2, 3])]
        goals = goals or [competencies[code] for code in rng.sample(sorted(GOALS), 2)]
        signup = SignUp(
            cycle=cycle, person=candidate.person, role=Role.MENTEE, goals=_goals_text(goals)
        )
        index = roster.add(signup, goals)
        # A first choice makes a match likelier for the people shown first.
        ranked = _preferred(cycle, candidate, goals, mentors, manager_of, rng)
        if candidate.person.pk in wanted and not ranked:
            ranked = _preferred(cycle, candidate, goals, mentors, manager_of, rng, k=1)
        roster.preferences += [(index, mentor, rank) for rank, mentor in enumerate(ranked, 1)]


def _gap_goals(person_ids: list[int], competencies: dict[str, Competency]) -> dict[int, list]:
    """Per person, the competencies their latest finalised assessment rates below
    the next level, biggest gap first (as the sign-up form suggests them)."""
    ratings: dict[int, list[tuple[int, Competency]]] = {}
    for person_id, rated in latest_manager_ratings(person_ids=person_ids).items():
        for code, rating in rated.items():
            if rating < MEETS_NEXT_LEVEL and code in competencies:
                ratings.setdefault(person_id, []).append((rating, competencies[code]))
    return {
        person_id: [c for _, c in sorted(rated, key=lambda r: (r[0], r[1].position, r[1].name))]
        for person_id, rated in ratings.items()
    }


def _goals_text(goals: list[Competency]) -> str:
    wishes = [GOALS[c.code] for c in goals[:2] if c.code in GOALS]
    return "I want to learn to " + ", and to ".join(wishes) + "." if wishes else ""


def _preferred(cycle, candidate, goals, mentors, manager_of, rng, *, k=None) -> list[int]:
    """Roster indexes of up to three mentors this mentee could be paired with and
    who teach one of their goals, for about one mentee in three (``k`` forces
    how many)."""
    if k is None:
        if rng.random() > 0.35:
            return []
        k = rng.randint(1, MAX_PREFERENCES)
    person = candidate.person
    managers = managers_above(person.pk, manager_of)
    codes = {c.code for c in goals}
    fitting = [
        index
        for index, mentor, teaches in mentors
        if mentor.person.team_id != person.team_id
        and mentor.person.pk not in managers
        and mentor.position >= candidate.position + cycle.min_level_gap
        and teaches & codes
    ]
    return rng.sample(fitting, min(k, len(fitting)))


def managers_above(person_id: int, manager_of: dict) -> set[int]:
    """Ids of the person's whole management chain, from a {person: manager} map."""
    seen: set[int] = set()
    boss = manager_of.get(person_id)
    while boss is not None and boss not in seen:
        seen.add(boss)
        boss = manager_of.get(boss)
    return seen


def _write(roster: Roster) -> None:
    """The sign-ups with their history, competencies and preferences, in bulk."""
    for signup in roster.signups:
        # The model's own checks (choices, lengths) before anything is written.
        signup.full_clean(exclude=["cycle", "person"], validate_unique=False)
    signups = bulk_create_with_history(roster.signups, SignUp, default_change_reason=CHANGE_REASON)
    SignUp.competencies.through.objects.bulk_create(
        SignUp.competencies.through(signup_id=signups[index].pk, competency_id=competency.pk)
        for index, chosen in roster.competencies.items()
        for competency in chosen
    )
    Preference.objects.bulk_create(
        Preference(mentee=signups[mentee], mentor=signups[mentor], rank=rank)
        for mentee, mentor, rank in roster.preferences
    )
