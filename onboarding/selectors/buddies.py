"""Who can be a buddy: experienced enough on their ladder, not a new hire
themselves, and how many new hires each already looks after."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from ladders.models import Level
from ladders.selectors.standing import current_placements, latest_published
from people.models import User

from ..models import OnboardingPlan

# A buddy's plan counts towards their load while its new hire is in their
# first two months (or not started yet).
LOAD_WINDOW_DAYS = 60
# Someone who started less than this long ago is a new hire, not a buddy.
NEW_HIRE_DAYS = 90


def min_level_code() -> str:
    return getattr(settings, "ONBOARDING_BUDDY_MIN_LEVEL", "L3")


def buddy_cap() -> int:
    return int(getattr(settings, "ONBOARDING_BUDDY_CAP", 2))


@dataclass
class Experience:
    """A person's level (in their ladder's latest published revision) against
    the minimum level for buddies on that same ladder."""

    level: Level
    minimum: Level | None

    @property
    def enough(self) -> bool:
        return self.minimum is not None and self.level.position >= self.minimum.position


def experience_of(*, person_ids) -> dict[int, Experience]:
    """Each placed person's level against the buddy minimum, in 2 queries plus
    one per ladder (there are few ladders)."""
    placements = current_placements(person_ids=person_ids)
    ladder_ids = {p.level.revision.ladder_id for p in placements.values()}
    latest = {ladder_id: latest_published(ladder_id=ladder_id) for ladder_id in ladder_ids}
    revision_ids = {r.pk for r in latest.values() if r} | {
        p.level.revision_id for p in placements.values()
    }
    levels = {
        (level.revision_id, level.code): level
        for level in Level.objects.filter(revision_id__in=revision_ids)
    }
    code = min_level_code()
    result = {}
    for person_id, placement in placements.items():
        revision = latest.get(placement.level.revision.ladder_id)
        revision_id = revision.pk if revision else placement.level.revision_id
        # A level dropped from the newest revision is compared on its own revision.
        if (revision_id, placement.level.code) not in levels:
            revision_id = placement.level.revision_id
        result[person_id] = Experience(
            level=levels.get((revision_id, placement.level.code), placement.level),
            minimum=levels.get((revision_id, code)),
        )
    return result


def is_new_hire(person: User, *, today: dt.date) -> bool:
    return person.start_date is not None and person.start_date > today - dt.timedelta(
        days=NEW_HIRE_DAYS
    )


def buddy_loads(*, today: dt.date, person_ids=None, exclude_plan_ids=()) -> Counter:
    """How many current new hires each buddy looks after, in one query."""
    plans = OnboardingPlan.objects.filter(
        buddy__isnull=False,
        new_hire__is_active=True,
        status=OnboardingPlan.Status.ACTIVE,
        start_date__gte=today - dt.timedelta(days=LOAD_WINDOW_DAYS),
    ).exclude(pk__in=list(exclude_plan_ids))
    if person_ids is not None:
        plans = plans.filter(buddy_id__in=person_ids)
    rows = plans.values("buddy_id").annotate(n=Count("id")).values_list("buddy_id", "n")
    return Counter(dict(rows))


@dataclass
class Candidate:
    person: User
    experience: Experience
    load: int


def buddy_candidates(*, today: dt.date, exclude_plan_ids=()) -> list[Candidate]:
    """Everyone active, experienced enough and not a new hire, with their
    current load (those at the cap included: the reasons need them)."""
    active = User.objects.filter(is_active=True).values("pk")
    experience = experience_of(person_ids=active)
    experienced = [pid for pid, e in experience.items() if e.enough]
    people = User.objects.filter(pk__in=experienced, is_active=True).select_related("team__parent")
    loads = buddy_loads(today=today, person_ids=experienced, exclude_plan_ids=exclude_plan_ids)
    return [
        Candidate(person=p, experience=experience[p.pk], load=loads[p.pk])
        for p in people.order_by("pk")
        if not is_new_hire(p, today=today)
    ]


@dataclass(frozen=True)
class BuddyChoice:
    """Someone the manager may choose, with what the choice's label says."""

    person: User
    level_code: str
    load: int  # new hires they look after now
    cap: int


def buddy_choices(*, plan: OnboardingPlan) -> list[BuddyChoice]:
    """Who the manager may choose instead: eligible, with room, not the new
    hire nor the current buddy; the new hire's team first, then by name."""
    cap = buddy_cap()
    team_id = plan.new_hire.team_id
    choices = [
        BuddyChoice(candidate.person, candidate.experience.level.code, candidate.load, cap)
        for candidate in buddy_candidates(today=timezone.localdate(), exclude_plan_ids=[plan.pk])
        if candidate.load < cap and candidate.person.pk not in (plan.new_hire_id, plan.buddy_id)
    ]
    return sorted(choices, key=lambda c: (c.person.team_id != team_id, c.person.name, c.person.pk))
