"""Everything a match run reads, loaded in bulk: a fixed number of queries
whatever the number of sign-ups (about a dozen), as plain Python data for
mentorship/scoring.py.

Commitments are counted by ladders.selectors.commitments, the one home of that
rule (one query per kind of commitment, for everyone at once); current levels
and the latest finalised ratings by ladders.selectors.standing, as the
per-person pages read them."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from core.voice import Wording
from ladders.models import Competency, Level
from ladders.selectors.commitments import commitment_counts, commitment_limit
from ladders.selectors.standing import current_levels, latest_manager_ratings, latest_published
from people.models import User

from ..models import PairExclusion, Pairing, Preference, Role, RotationCycle, SignUp

BEST_RATING = 4  # the top of the rating scale: a gap is how far below it a rating is
GAP_OF = {rating: BEST_RATING - rating for rating in range(1, BEST_RATING + 1)}
"""A rating's gap, looked up: a match run takes 84,000 of them at 10,000 mentees."""


@dataclass
class Participant:
    """One active sign-up and what the rules need to know about its person."""

    signup_id: int
    person_id: int
    name: str
    role: str
    capacity: int
    team_id: int | None
    team_name: str
    timezone: str
    is_active: bool
    level_code: str | None = None
    level_position: int | None = None
    level_problem: Wording | None = None  # why the person's level cannot be compared
    competencies: list[str] = field(default_factory=list)  # codes
    commitments: int = 0


@dataclass
class MatchInputs:
    cycle: RotationCycle
    ladder_name: str
    mentors: list[Participant]
    mentees: list[Participant]
    level_positions: dict[str, int]
    competency_names: dict[str, str]
    manager_of: dict[int, int]  # person id -> manager id, active people only
    past_pairs: set[tuple[int, int]]  # (mentor person, mentee person) within the window
    gaps: dict[int, dict[str, int]]  # mentee person -> competency code -> gap (0-3)
    preferences: list[tuple[int, int, int]]  # (mentee signup, mentor signup, rank)
    commitment_limit: int
    # (mentor sign-up, mentee sign-up) pairs the people team removed in review
    excluded: set[tuple[int, int]] = field(default_factory=set)


def match_inputs(*, cycle: RotationCycle, signup_ids=None) -> MatchInputs:
    """The cycle's active sign-ups and their context. With ``signup_ids``, only
    those sign-ups (to re-check a few pairs, e.g. a swap)."""
    signups = SignUp.objects.filter(cycle=cycle, status=SignUp.Status.ACTIVE)
    if signup_ids is not None:
        signups = signups.filter(pk__in=list(signup_ids))
    people = _participants(signups)
    person_ids = signups.values("person_id")
    ladder_name, level_positions = _levels(cycle)
    _attach_levels(people, cycle, ladder_name, level_positions, person_ids)
    names = _attach_competencies(people, signups)
    counts = _commitment_counts(person_ids, cycle)
    for person in people.values():
        person.commitments = counts[person.person_id]
    mentors = [p for p in people.values() if p.role == Role.MENTOR]
    mentees = [p for p in people.values() if p.role == Role.MENTEE]
    return MatchInputs(
        cycle=cycle,
        ladder_name=ladder_name,
        mentors=mentors,
        mentees=mentees,
        level_positions=level_positions,
        competency_names=names,
        manager_of=dict(
            User.objects.filter(is_active=True, manager__isnull=False)
            .order_by()  # a mapping: the model's ordering by name would only cost a sort
            .values_list("pk", "manager_id")
        ),
        past_pairs=_past_pairs(cycle),
        gaps=_gaps(signups.filter(role=Role.MENTEE).values("person_id")),
        preferences=list(
            Preference.objects.filter(mentee__in=signups, mentor__in=signups)
            .order_by()  # scoring sorts them itself; the model's ordering joins two tables
            .values_list("mentee_id", "mentor_id", "rank")
        ),
        commitment_limit=commitment_limit(),
        excluded=set(
            PairExclusion.objects.filter(cycle=cycle)
            .order_by()
            .values_list("mentor_id", "mentee_id")
        ),
    )


def _participants(signups: QuerySet[SignUp]) -> dict[int, Participant]:
    rows = signups.order_by("pk").values_list(
        "pk",
        "person_id",
        "person__name",
        "role",
        "capacity",
        "person__team_id",
        "person__team__name",
        "person__timezone",
        "person__is_active",
    )
    return {
        row[0]: Participant(
            signup_id=row[0],
            person_id=row[1],
            name=row[2],
            role=row[3],
            capacity=row[4],
            team_id=row[5],
            team_name=row[6] or "",
            timezone=row[7],
            is_active=row[8],
        )
        for row in rows
    }


def _levels(cycle: RotationCycle) -> tuple[str, dict[str, int]]:
    revision = latest_published(ladder_id=cycle.ladder_id)
    ladder_name = cycle.ladder.name
    if revision is None:
        return ladder_name, {}
    levels = Level.objects.filter(revision=revision).values_list("code", "position")
    return ladder_name, dict(levels)


def _attach_levels(people, cycle, ladder_name, level_positions, person_ids) -> None:
    placements = current_levels(person_ids=person_ids)
    for person in people.values():
        placement = placements.get(person.person_id)
        if placement is None:
            person.level_problem = _no_level(ladder_name)
            continue
        code, ladder_id, other_ladder = placement
        person.level_code = code
        if ladder_id != cycle.ladder_id:
            person.level_problem = _level_on_another_ladder(other_ladder, ladder_name)
        elif code not in level_positions:
            person.level_problem = _level_not_published(code, ladder_name)
        else:
            person.level_position = level_positions[code]


# Why a level cannot be compared, in either voice (one function each, so that
# each reason keeps its own values rather than the loop's last).


def _no_level(ladder: str) -> Wording:
    return lambda v: f"{v.you} {v.has} no level on the {ladder} ladder"


def _level_on_another_ladder(other: str, ladder: str) -> Wording:
    return lambda v: f"{v.your} level is on the {other} ladder, not {ladder}"


def _level_not_published(code: str, ladder: str) -> Wording:
    return lambda v: f"{v.your} level {code} is not on the latest published {ladder} ladder"


def _attach_competencies(people, signups) -> dict[str, str]:
    """Each sign-up's competency codes (matched by code across revisions), in
    ladder order; and each code's name (the first in that order). The links
    come as bare ids, neither sorted nor joined: a few dozen competencies are
    ordered once, not 35,000 links in the database."""
    links = SignUp.competencies.through.objects.filter(signup__in=signups).values_list(
        "signup_id", "competency_id"
    )
    by_signup: dict[int, list[int]] = {}
    for signup_id, competency_id in links:
        by_signup.setdefault(signup_id, []).append(competency_id)
    used = {competency_id for ids in by_signup.values() for competency_id in ids}
    ordered = (
        Competency.objects.filter(pk__in=used)
        .order_by("position", "code", "-revision__number")
        .values_list("pk", "code", "name")
    )
    names: dict[str, str] = {}
    rank: dict[int, int] = {}
    code_of: dict[int, str] = {}
    for position, (pk, code, name) in enumerate(ordered):
        names.setdefault(code, name)
        rank[pk], code_of[pk] = position, code
    for signup_id, ids in by_signup.items():
        ids.sort(key=rank.__getitem__)
        people[signup_id].competencies = list(dict.fromkeys(map(code_of.__getitem__, ids)))
    return names


def _past_pairs(cycle: RotationCycle) -> set[tuple[int, int]]:
    """Who was published as a pair in the ``repeat_window`` cycles before this one."""
    if cycle.repeat_window == 0:
        return set()
    previous = (
        RotationCycle.objects.filter(starts_on__lt=cycle.starts_on)
        .exclude(pk=cycle.pk)
        .order_by("-starts_on", "-pk")
        .values("pk")[: cycle.repeat_window]
    )
    return set(
        Pairing.objects.filter(cycle__in=previous, status=Pairing.Status.PUBLISHED).values_list(
            "mentor__person_id", "mentee__person_id"
        )
    )


def _gaps(person_ids) -> dict[int, dict[str, int]]:
    """Per mentee, the gap of each competency on their latest finalised
    assessment (manager side), by code: 4 - rating."""
    return {
        person_id: {code: GAP_OF[rating] for code, rating in ratings.items()}
        for person_id, ratings in latest_manager_ratings(person_ids=person_ids).items()
    }


def _commitment_counts(person_ids, cycle: RotationCycle) -> Counter:
    """Concurrent commitments per person, counted where every path counts them
    (ladders.selectors.commitments). The cycle being matched has no published
    pairing yet, so it never counts against its own sign-ups."""
    return commitment_counts(person_ids=person_ids)
