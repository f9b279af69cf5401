"""Every dated item of one person, from every app, in a fixed number of
queries whatever their number: onboarding tasks (theirs, and pairing tasks
they partner on), rotation dates of their published pairings, and stretch
assignments they were accepted on."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from ladders.models import StretchParticipation
from mentorship.models import Pairing
from onboarding.models import Kind, OnboardingPlan, PlanTask
from people.models import User

from .models import FeedToken


@dataclass(frozen=True)
class FeedItem:
    uid: str
    summary: str
    day: dt.date
    description: str
    url: str
    done: bool = False


def feed_token_get(*, token: str) -> FeedToken | None:
    """The token's row with its person, if the token is current and they still work here."""
    if not token:
        return None
    return (
        FeedToken.objects.select_related("person")
        .filter(token=token, person__is_active=True)
        .first()
    )


def _link(name: str, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def feed_items(*, person: User) -> list[FeedItem]:
    items = _onboarding_items(person) + _rotation_items(person) + _stretch_items(person)
    return sorted(items, key=lambda item: (item.day, item.uid))


def _onboarding_items(person: User) -> list[FeedItem]:
    # Plain values, not model instances: a feed is read often, by calendar
    # apps polling, and building hundreds of instances dominated its time.
    tasks = (
        PlanTask.objects.filter(Q(assignee=person) | Q(partner=person))
        .exclude(plan__status=OnboardingPlan.Status.CANCELLED)  # left before starting
        .order_by("due_on", "pk")
        .values_list(
            "pk", "title", "kind", "due_on", "status", "plan__new_hire_id", "plan__new_hire__name"
        )
    )
    own, others = _link("onboarding:my_checklist"), _link("onboarding:my_tasks")
    kinds = dict(Kind.choices)
    items = []
    for pk, title, kind, due_on, status, new_hire_id, new_hire_name in tasks:
        mine = new_hire_id == person.pk
        items.append(
            FeedItem(
                uid=f"onboarding-task-{pk}",
                summary=title if mine else f"{title} ({new_hire_name})",
                day=due_on,
                description=f"{kinds.get(kind, kind)} in the onboarding of {new_hire_name}.",
                url=own if mine else others,
                done=status == PlanTask.Status.DONE,
            )
        )
    return items


def _rotation_items(person: User) -> list[FeedItem]:
    pairings = (
        Pairing.objects.filter(status=Pairing.Status.PUBLISHED)
        .filter(Q(mentor__person=person) | Q(mentee__person=person))
        .order_by("pk")
        .values_list(
            "pk",
            "cycle__name",
            "cycle__theme",
            "cycle__starts_on",
            "cycle__ends_on",
            "mentor__person_id",
            "mentor__person__name",
            "mentee__person__name",
        )
    )
    url = _link("mentorship:my_rotation")
    items = []
    for pk, name, theme, starts_on, ends_on, mentor_id, mentor_name, mentee_name in pairings:
        partner = mentee_name if mentor_id == person.pk else mentor_name
        checkin_on = starts_on + (ends_on - starts_on) / 2  # as RotationCycle.checkin_on
        for what, day, words in (
            ("start", starts_on, f"Rotation starts with {partner}"),
            ("checkin", checkin_on, f"Rotation check-in with {partner}"),
            ("end", ends_on, f"Rotation ends with {partner}: feedback"),
        ):
            items.append(
                FeedItem(
                    uid=f"pairing-{pk}-{what}",
                    summary=words,
                    day=day,
                    description=f"{name} ({theme}).",
                    url=url,
                )
            )
    return items


TAKEN = (StretchParticipation.Status.ACCEPTED, StretchParticipation.Status.COMPLETED)


def _stretch_items(person: User) -> list[FeedItem]:
    taken = (
        StretchParticipation.objects.filter(
            person=person,
            status__in=TAKEN,
        )
        .select_related("assignment")
        .order_by("pk")
    )
    items = []
    for participation in taken:
        assignment = participation.assignment
        url = _link("ladders:stretch_detail", assignment.pk)
        for what, day in (("start", assignment.starts_on), ("end", assignment.ends_on)):
            items.append(
                FeedItem(
                    uid=f"stretch-{participation.pk}-{what}",
                    summary=f"Stretch assignment {what}s: {assignment.title}",
                    day=day,
                    description=f"About {assignment.hours_per_week} hours a week.",
                    url=url,
                )
            )
    return items
