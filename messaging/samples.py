"""Sample data for the admin's preview and test send of each message kind
(messaging/kinds.py): a real person, the rest made up."""

import datetime as dt
from types import SimpleNamespace

from django.conf import settings

from people.models import User


def person_sample(person: User) -> dict:
    manager = person.manager or person
    return {
        "recipient": person,
        "team": person.team.name if person.team else "",
        "link": settings.SITE_URL.rstrip("/") + "/",
        "manager": manager,
    }


TODAY = dt.date(2027, 1, 4)


class Named(SimpleNamespace):
    def __str__(self) -> str:
        return str(getattr(self, "name", None) or getattr(self, "title", ""))


def lines(person: User) -> dict:
    def line(title: str, late: int) -> SimpleNamespace:
        task = SimpleNamespace(
            title=title,
            due_on=TODAY - dt.timedelta(days=late),
            plan=SimpleNamespace(new_hire=person, new_hire_id=person.pk, pk=0),
            plan_id=0,
            assignee=person,
            assignee_id=person.pk,
            get_assignee_role_display="New hire",
        )
        return SimpleNamespace(task=task, today=TODAY, days_late=late, overdue=late > 0)

    overdue, due_soon = [line("Set up your laptop", 2)], [line("Meet your buddy", 0)]
    return {"overdue": overdue, "due_soon": due_soon, "lines": overdue + due_soon}


def cycle() -> Named:
    return Named(
        name="Spring rotation",
        theme="Reliability",
        starts_on=TODAY,
        checkin_on=TODAY + dt.timedelta(days=28),
        ends_on=TODAY + dt.timedelta(days=56),
    )


def assignment() -> Named:
    return Named(
        title="Own the on-call runbook",
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=56),
        hours_per_week=4,
    )


def leaver(person: User) -> Named:
    return Named(name="Lee Leaver", email="lee.leaver@example.com", title="Engineer")


def partner_left(person: User) -> dict:
    left = leaver(person)
    return {
        "left": left,
        "cycle": cycle(),
        "pairing": f"{left} with {person}",
        "has_invitation": True,
        "is_mentee": True,
    }
