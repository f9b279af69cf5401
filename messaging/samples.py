"""Sample data for the admin's preview and test send of each message kind
(messaging/kinds.py): a real person, the rest made up."""

import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse

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


def pairing(person: User) -> Named:
    """The person mentored by their manager (or themselves, alone)."""
    mentor = person.manager or person
    return Named(
        name=f"{mentor} with {person}",
        explanation=["Teaches Testing, which the mentee wants to learn.", "Crosses two teams."],
        mentor=Named(
            person=mentor,
            project_title="Make the checkout retry safely",
            project_outcome="Retries that never charge twice",
            hours_per_week=3,
        ),
        mentee=Named(person=person),
    )


def pairing_published(person: User) -> dict:
    paired = pairing(person)
    return {
        "cycle": cycle(),
        "pairing": paired,
        "is_mentor": False,
        "partner": paired.mentor.person,
        "mentor_signup": paired.mentor,
    }


def reports_paired(person: User) -> dict:
    """A manager's view: the person, their report in this sample, as a mentee."""
    return {"cycle": cycle(), "rows": [(person, "Mentee", pairing(person))]}


def kickoff(person: User) -> dict:
    paired = pairing(person)
    return {
        "summary": f"Rotation kick-off: {paired.mentor.person} and {person}",
        "pairing": paired,
        "cycle": cycle(),
    }


def kickoff_cancelled(person: User) -> dict:
    return {**kickoff(person), "leaving": False}


def kickoff_updated(person: User) -> dict:
    return {
        **kickoff(person),
        "proposed_by": person.manager or person,
        "starts": "Wednesday 13 January 2027, 15:30",
        "zone": person.timezone,
    }


def no_buddy(person: User) -> dict:
    return {
        **person_sample(person),
        "new_hire": person,
        "start_date": TODAY,
        "note": "Nobody at L3 or above in Payments has room.",
    }


def session(person: User) -> dict:
    """A pairing session of the person's onboarding, with their manager."""
    task = Named(
        title="Pair on a first bug",
        description="Pick a small bug from the team's board and fix it together.",
        due_on=TODAY + dt.timedelta(days=2),
    )
    return {
        "summary": f"{task} ({person})",
        "session": task,
        "new_hire": person,
        "other": person.manager or person,
        "starts": "Wednesday 06 January 2027, 10:00",
        "zone": person.timezone,
    }


def session_cancelled(person: User) -> dict:
    """The person taken out of a session that goes on with their manager."""
    sample = session(person)
    return {**sample, "goes_on": True, "replaced_by": sample.pop("other")}


def account_invitation(person: User) -> dict:
    """A made-up link: a real one exists only once the person is invited."""
    path = reverse("people:invitation_accept", args=["sample-link"])
    return {
        "person": person,
        "url": settings.SITE_URL.rstrip("/") + path,
        "days": settings.INVITATION_VALID_FOR.days,
    }


def match_run(person: User) -> dict:
    return {"run_id": 42, "cycle": cycle(), "link": settings.SITE_URL.rstrip("/") + "/admin/"}


def match_run_done(person: User) -> dict:
    return {**match_run(person), "pairs": 12, "unmatched": 2}


def match_run_failed(person: User) -> dict:
    return {**match_run(person), "error": "The ladder changed while matching."}
