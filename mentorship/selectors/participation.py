"""Reads for the rotation pages: cycles with their sign-up counts, a person's
rotations (sign-up, pairing, why unmatched) and the participation of everyone
under a manager. Each in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ladders.models import Competency
from people.models import User
from people.selectors import report_ids

from ..models import MatchRun, Pairing, Preference, Role, RotationCycle, SignUp
from .review import unmatched_reason

Status = RotationCycle.Status
UNDER_WAY = (Status.MATCHING, Status.REVIEW, Status.PUBLISHED, Status.ACTIVE)
PAIRINGS_OUT = (Status.PUBLISHED, Status.ACTIVE, Status.CLOSED)
# How far back a manager's page looks at closed cycles.
RECENT = dt.timedelta(days=365)
STAGE_LABELS = {
    "signed_up": "Signed up",
    "withdrawn": "Withdrawn",
    "matching": "Waiting for the match",
    "paired": "Paired",
    "not_paired": "Not paired",
}


# --- cycles ------------------------------------------------------------------------


def _with_counts(cycles: QuerySet[RotationCycle]) -> QuerySet[RotationCycle]:
    active = Q(signups__status=SignUp.Status.ACTIVE)
    return cycles.annotate(
        mentor_count=Count("signups", filter=active & Q(signups__role=Role.MENTOR)),
        mentee_count=Count("signups", filter=active & Q(signups__role=Role.MENTEE)),
    )


def cycle_list() -> QuerySet[RotationCycle]:
    """Every cycle past its draft, newest first, with how many signed up."""
    cycles = RotationCycle.objects.exclude(status=Status.DRAFT).select_related("ladder")
    return _with_counts(cycles).order_by("-starts_on", "-pk")


def cycle_get(*, cycle_id: int) -> RotationCycle:
    """Any cycle, drafts included: the policy decides who sees it."""
    return _with_counts(RotationCycle.objects.select_related("ladder")).get(pk=cycle_id)


def open_cycles() -> QuerySet[RotationCycle]:
    return cycle_list().filter(status=Status.OPEN).order_by("signup_closes_on", "pk")


# --- rotations: a sign-up and what came of it ----------------------------------------


@dataclass
class Partner:
    pairing: Pairing
    person: User
    project: SignUp  # the mentor's sign-up carries the project


@dataclass
class Rotation:
    signup: SignUp
    partners: list[Partner] = field(default_factory=list)
    unmatched_reason: str = ""

    @property
    def cycle(self) -> RotationCycle:
        return self.signup.cycle

    @property
    def stage(self) -> str:
        """signed_up, withdrawn, matching, paired or not_paired."""
        if self.signup.status == SignUp.Status.WITHDRAWN:
            return "withdrawn"
        if self.cycle.status in (Status.DRAFT, Status.OPEN):
            return "signed_up"
        if self.cycle.status in PAIRINGS_OUT:
            return "paired" if self.partners else "not_paired"
        return "matching"

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def is_current(self) -> bool:
        return self.cycle.status != Status.CLOSED


def rotations_of(*, person) -> list[Rotation]:
    """The person's sign-ups, newest cycle first, with their published pairings."""
    competencies = Competency.objects.order_by("position", "name")
    preferences = Preference.objects.select_related("mentor__person").order_by("rank")
    signups = (
        SignUp.objects.filter(person=person)
        .select_related("cycle", "person")
        .prefetch_related(
            Prefetch("competencies", queryset=competencies),
            Prefetch("preferences", queryset=preferences),
        )
        .order_by("-cycle__starts_on", "-pk")
    )
    pairings = _published_pairings(Q(mentor__person=person) | Q(mentee__person=person))
    return _rotations(list(signups), pairings, to_them=True)


def _published_pairings(who: Q) -> list[Pairing]:
    return list(
        Pairing.objects.filter(who, status=Pairing.Status.PUBLISHED)
        .select_related("mentor__person__team", "mentee__person__team")
        .order_by("mentee__person__name", "pk")
    )


def _rotations(
    signups: list[SignUp], pairings: list[Pairing], *, to_them: bool = False
) -> list[Rotation]:
    """Each sign-up with its partners; why someone was not paired is said to
    them on their own page (``to_them``), about them on their manager's."""
    rotations = {signup.pk: Rotation(signup) for signup in signups}
    for pairing in pairings:
        if pairing.mentor_id in rotations:
            partner = Partner(pairing, pairing.mentee.person, pairing.mentor)
            rotations[pairing.mentor_id].partners.append(partner)
        if pairing.mentee_id in rotations:
            partner = Partner(pairing, pairing.mentor.person, pairing.mentor)
            rotations[pairing.mentee_id].partners.append(partner)
    not_paired = [r for r in rotations.values() if r.stage == "not_paired"]
    _attach_unmatched_reasons(not_paired, to_them=to_them)
    return list(rotations.values())


def _attach_unmatched_reasons(rotations: list[Rotation], *, to_them: bool) -> None:
    """Why someone was left out, from the latest finished run of their cycle
    (the one the people team published)."""
    if not rotations:
        return
    runs = (
        MatchRun.objects.filter(
            cycle_id__in={r.signup.cycle_id for r in rotations}, status=MatchRun.Status.DONE
        )
        .order_by("cycle_id", "-created_at", "-pk")
        .only("cycle_id", "unmatched")
    )
    latest: dict[int, MatchRun] = {}
    for run in runs:
        latest.setdefault(run.cycle_id, run)
    for rotation in rotations:
        latest_run = latest.get(rotation.signup.cycle_id)
        entries = latest_run.unmatched if latest_run else []
        for entry in entries:
            if isinstance(entry, dict) and entry.get("signup") == rotation.signup.pk:
                rotation.unmatched_reason = unmatched_reason(entry, to_them=to_them)


# --- a manager's reports -------------------------------------------------------------


@dataclass
class CycleParticipation:
    cycle: RotationCycle
    rotations: list[Rotation]
    team_size: int

    @property
    def taking_part(self) -> int:
        return sum(1 for r in self.rotations if r.stage != "withdrawn")


def recent_cycles() -> QuerySet[RotationCycle]:
    """Cycles under way or open, and those closed within the last year."""
    since = timezone.localdate() - RECENT
    return (
        RotationCycle.objects.exclude(status=Status.DRAFT)
        .filter(~Q(status=Status.CLOSED) | Q(ends_on__gte=since))
        .order_by("-starts_on", "-pk")
    )


def team_participation(*, manager) -> list[CycleParticipation]:
    """For each current or recent cycle, the sign-ups and published pairings of
    everyone under the manager. Five queries whatever the team's size."""
    ids = report_ids(manager_id=manager.pk)
    team_size = User.objects.filter(pk__in=ids, is_active=True).count()
    cycles = list(recent_cycles())
    signups = list(
        SignUp.objects.filter(person_id__in=ids, cycle__in=cycles)
        .select_related("cycle", "person__team")
        .order_by("person__name", "pk")
    )
    pairings = _published_pairings(
        Q(cycle__in=cycles) & (Q(mentor__person_id__in=ids) | Q(mentee__person_id__in=ids))
    )
    by_cycle: dict[int, list[Rotation]] = {cycle.pk: [] for cycle in cycles}
    for rotation in _rotations(signups, pairings):
        by_cycle[rotation.signup.cycle_id].append(rotation)
    return [CycleParticipation(c, by_cycle[c.pk], team_size) for c in cycles]
