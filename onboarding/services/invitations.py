"""Calendar invitations for a plan's meetings and pairing sessions: each
open one with a date is invited at the default slot of its day in the new
hire's zone, to the new hire and the other person (the pairing partner, or
whoever the meeting is assigned to), each in their own zone. One UID per
task; a moved date or another partner (a buddy who left, replaced)
re-invites both with a raised SEQUENCE; a removed task or a new hire who
left gets METHOD:CANCEL. Sent by a job, once per change."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from messaging.invitations import (
    Attendee,
    default_slot,
    event_ics,
    ics_part,
    invitation_cancel,
    invitation_email_once,
    invitation_record,
    uid_for,
)
from messaging.models import CalendarInvitation
from messaging.preferences import wants_email
from people.models import User

from ..models import Kind, OnboardingPlan, PlanTask

INVITED_KINDS = (Kind.MEETING, Kind.PAIRING)


def task_uid(task_id: int) -> str:
    return uid_for(f"onboarding-task-{task_id}")


def _people(task: PlanTask, plan: OnboardingPlan, *, leavers: bool = False) -> list[User]:
    """The new hire and the other person; cancellations also go to whoever
    left (their calendar may live on a while)."""
    other = task.partner if task.kind == Kind.PAIRING else task.assignee
    people = [plan.new_hire] + ([other] if other and other.pk != plan.new_hire_id else [])
    return [p for p in people if p.email and (leavers or p.is_active)]


def _ics(task, plan, invitation, people, recipient) -> bytes:
    return event_ics(
        invitation=invitation,
        duration=dt.timedelta(minutes=settings.CALENDAR_MEETING_MINUTES),
        tz_name=recipient.timezone,
        attendees=[Attendee(email=p.email, name=p.name) for p in people],
        description=task.description or f"{task.get_kind_display()} in {plan}.",
        url=settings.SITE_URL.rstrip("/") + reverse("onboarding:my_checklist"),
    )


def plan_invitations_send(*, plan_id: int) -> int:
    """Invite (or re-invite, after a change) each open meeting and pairing
    session of the plan that involves two people; returns emails sent."""
    plan = OnboardingPlan.objects.select_related("new_hire").filter(pk=plan_id).first()
    if plan is None or not plan.new_hire.is_active:
        return 0
    tasks = (
        plan.tasks.filter(
            kind__in=INVITED_KINDS, status=PlanTask.Status.OPEN, due_on__gte=timezone.localdate()
        )
        .select_related("partner", "assignee")
        .order_by("due_on", "pk")
    )
    sent = 0
    for task in tasks:
        people = _people(task, plan)
        if len(people) < 2:
            continue  # a meeting with nobody yet: invited once someone is named
        invitation = invitation_record(
            uid=task_uid(task.pk),
            summary=f"{task.title} ({plan.new_hire})",
            starts_at=default_slot(task.due_on, plan.timezone),
            attendees=[person.email for person in people],  # a new partner re-invites both
        )
        for person in people:
            if not wants_email(person):
                continue
            sent += invitation_email_once(
                key=f"onboarding-invite:task-{task.pk}:seq-{invitation.sequence}",
                recipient=person,
                subject=("Updated: " if invitation.sequence else "Invitation: ")
                + invitation.summary,
                body=f"{invitation.summary}, on {task.due_on:%A %d %B %Y}. "
                "The invitation is attached; your calendar updates it in place if it moves.",
                part=ics_part(_ics(task, plan, invitation, people, person)),
            )
    return sent


def plan_invitations_cancel(*, plan_id: int) -> int:
    """The plan's sessions no longer take place (the new hire left): every
    invitation sent for its tasks is cancelled, once. Returns emails sent."""
    plan = OnboardingPlan.objects.select_related("new_hire").filter(pk=plan_id).first()
    if plan is None:
        return 0
    tasks = plan.tasks.filter(kind__in=INVITED_KINDS).select_related("partner", "assignee")
    sent_uids = set(
        CalendarInvitation.objects.filter(
            uid__in=[task_uid(task.pk) for task in tasks]
        ).values_list("uid", flat=True)
    )
    sent = 0
    for task in tasks:
        if task_uid(task.pk) not in sent_uids:
            continue
        invitation = invitation_cancel(uid=task_uid(task.pk))
        if invitation is None:  # never: it was sent (above)
            continue
        people = _people(task, plan, leavers=True)
        for person in people:
            sent += invitation_email_once(
                key=f"onboarding-cancel:task-{task.pk}",
                recipient=person,
                subject=f"Cancelled: {invitation.summary}",
                body=f"{invitation.summary} no longer takes place; the cancellation is attached.",
                part=ics_part(_ics(task, plan, invitation, people, person)),
            )
    return sent
