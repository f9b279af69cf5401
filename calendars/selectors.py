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
from onboarding.models import PlanTask
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
    tasks = (
        PlanTask.objects.filter(Q(assignee=person) | Q(partner=person))
        .select_related("plan__new_hire")
        .order_by("due_on", "pk")
    )
    own, others = _link("onboarding:my_checklist"), _link("onboarding:my_tasks")
    return [
        FeedItem(
            uid=f"onboarding-task-{task.pk}",
            summary=task.title
            if task.plan.new_hire_id == person.pk
            else f"{task.title} ({task.plan.new_hire})",
            day=task.due_on,
            description=f"{task.get_kind_display()} in the onboarding of {task.plan.new_hire}.",
            url=own if task.plan.new_hire_id == person.pk else others,
            done=task.status == PlanTask.Status.DONE,
        )
        for task in tasks
    ]


def _rotation_items(person: User) -> list[FeedItem]:
    pairings = (
        Pairing.objects.filter(status=Pairing.Status.PUBLISHED)
        .filter(Q(mentor__person=person) | Q(mentee__person=person))
        .select_related("cycle", "mentor__person", "mentee__person")
        .order_by("pk")
    )
    url = _link("mentorship:my_rotation")
    items = []
    for pairing in pairings:
        cycle = pairing.cycle
        partner = pairing.mentee.person if pairing.mentor.person_id == person.pk else None
        partner = partner or pairing.mentor.person
        for what, day, words in (
            ("start", cycle.starts_on, f"Rotation starts with {partner}"),
            ("checkin", cycle.checkin_on, f"Rotation check-in with {partner}"),
            ("end", cycle.ends_on, f"Rotation ends with {partner}: feedback"),
        ):
            items.append(
                FeedItem(
                    uid=f"pairing-{pairing.pk}-{what}",
                    summary=words,
                    day=day,
                    description=f"{cycle} ({cycle.theme}).",
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
