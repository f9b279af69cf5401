"""Calendar invitations for a plan's meetings and pairing sessions: each
open one with a date is invited at the default slot of its day in the new
hire's zone, to the new hire and the other person (the pairing partner, or
whoever the meeting is assigned to), each in their own zone. One UID per
task; a moved date or another person in it (a buddy who left or was
replaced, a manager's meeting handed over) re-invites with a raised
SEQUENCE, and whoever was taken out of it gets METHOD:CANCEL at that
SEQUENCE for them alone; a new hire who left gets METHOD:CANCEL for all.
Sent by a job, once per change, in the people team's words (the
``session_*.email`` kinds of messaging/kinds.py).

Who holds an invitation is read from what was sent (messaging's EmailSent,
under the keys below): a cancellation goes to those who were emailed the
invitation and no cancellation since, so a rerun, or a change made while a
job was pending, tells each person once."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.timezones import zone_of
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
from messaging.models import CalendarInvitation, EmailSent
from messaging.notify import email_words
from messaging.preferences import mailbox_open, wants_email
from messaging.texts import Overrides, overrides
from people.models import User

from ..models import Kind, OnboardingPlan, PlanTask

INVITED_KINDS = (Kind.MEETING, Kind.PAIRING)

# What was sent, per task and person (EmailSent keys):
INVITED = "onboarding-invite:task-{task}:seq-{sequence}"  # a REQUEST
TAKEN_OUT = "onboarding-uninvite:task-{task}:seq-{sequence}"  # a CANCEL to them alone
CANCELLED = "onboarding-cancel:task-{task}"  # the session cancelled for all

Holders = dict[int, User]  # person id -> person


# Every email's words name the recipient's team and manager (messaging.notify.about):
# loaded with the person, so no email costs a query of its own.
WITH_ABOUT = {
    role: (f"{role}__team", f"{role}__manager") for role in ("new_hire", "partner", "assignee")
}


def task_uid(task_id: int) -> str:
    return uid_for(f"onboarding-task-{task_id}")


def _people(task: PlanTask, plan: OnboardingPlan) -> list[User]:
    """The new hire and the other person, those still here with an address."""
    other = task.partner if task.kind == Kind.PAIRING else task.assignee
    people = [plan.new_hire] + ([other] if other and other.pk != plan.new_hire_id else [])
    return [p for p in people if p.email and p.is_active]


def _holders(tasks: Sequence[PlanTask]) -> dict[int, Holders]:
    """Per task, who holds its invitation: emailed it, and no cancellation
    since (the latest of their rows for it is an invitation). One query."""
    if not tasks:
        return {}
    sent = Q()
    for task in tasks:
        sent |= (
            Q(key__startswith=INVITED.format(task=task.pk, sequence=""))
            | Q(key__startswith=TAKEN_OUT.format(task=task.pk, sequence=""))
            | Q(key=CANCELLED.format(task=task.pk))
        )
    holders: dict[int, Holders] = defaultdict(dict)
    for row in (
        EmailSent.objects.filter(sent)
        .select_related("recipient__team", "recipient__manager")
        .order_by("pk")
    ):
        task_id = int(row.key.split(":")[1].removeprefix("task-"))
        if row.key.startswith(INVITED.format(task=task_id, sequence="")):
            holders[task_id][row.recipient_id] = row.recipient
        else:
            holders[task_id].pop(row.recipient_id, None)
    return holders


# --- what each email says and carries ------------------------------------------------------


def _ics(task, plan, invitation, attendees, recipient, *, taken_out=False) -> bytes:
    return event_ics(
        invitation=invitation,
        duration=dt.timedelta(minutes=settings.CALENDAR_MEETING_MINUTES),
        tz_name=recipient.timezone,
        attendees=[Attendee(email=p.email, name=p.name) for p in attendees],
        description=task.description or f"{task.get_kind_display()} in {plan}.",
        url=_link(),
        taken_out=taken_out,
    )


def _link() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("onboarding:my_checklist")


def _send(kind, *, key, task, plan, invitation, recipient, attendees, known, **context) -> bool:
    """One email of ``kind`` (``session_<kind>.email``) with its calendar part, once per key."""
    local = invitation.starts_at.astimezone(zone_of(recipient.timezone))
    subject, body = email_words(
        f"session_{kind}.email",
        person=recipient,
        link=_link(),
        context={
            "summary": invitation.summary,
            "session": task,
            "new_hire": plan.new_hire,
            "starts": f"{local:%A %d %B %Y, %H:%M}",
            "zone": recipient.timezone,
            **context,
        },
        known=known,
    )
    ics = _ics(task, plan, invitation, attendees, recipient, taken_out=kind == "cancelled")
    return invitation_email_once(
        key=key, recipient=recipient, subject=subject, body=body, part=ics_part(ics)
    )


# --- invitations and their updates ---------------------------------------------------------


def plan_invitations_send(*, plan_id: int) -> int:
    """Invite (or re-invite, after a change) each open meeting and pairing
    session of the plan that involves two people, and cancel it for whoever
    was taken out of it; returns emails sent."""
    plan = OnboardingPlan.objects.select_related(*WITH_ABOUT["new_hire"]).filter(pk=plan_id).first()
    if plan is None or not plan.new_hire.is_active:
        return 0
    tasks = list(
        plan.tasks.filter(
            kind__in=INVITED_KINDS, status=PlanTask.Status.OPEN, due_on__gte=timezone.localdate()
        )
        .select_related(*WITH_ABOUT["partner"], *WITH_ABOUT["assignee"])
        .order_by("due_on", "pk")
    )
    holders, known = _holders(tasks), overrides()
    sent = 0
    for task in tasks:
        people, held = _people(task, plan), holders.get(task.pk, {})
        taken_out = [person for pk, person in held.items() if pk not in {p.pk for p in people}]
        if len(people) < 2 and not taken_out:
            continue  # a meeting with nobody yet: invited once someone is named
        invitation = invitation_record(
            uid=task_uid(task.pk),
            summary=f"{task.title} ({plan.new_hire})",
            starts_at=default_slot(task.due_on, plan.timezone),
            attendees=[person.email for person in people],  # another person re-invites
            emailed=[person.email for person in held.values()],
        )
        if len(people) == 2:
            sent += _invite(task, plan, invitation, people, held, known)
        sent += _take_out(task, plan, invitation, taken_out, people, known)
    return sent


def _invite(task, plan, invitation, people, held: Holders, known: Overrides) -> int:
    """Both people, by email if they take it: "Updated" for whoever held it,
    an invitation for someone new to it (the SEQUENCE the others have)."""
    sent = 0
    for person in people:
        if not wants_email(person):
            continue
        (other,) = [p for p in people if p.pk != person.pk]
        sent += _send(
            "updated" if person.pk in held else "invitation",
            key=INVITED.format(task=task.pk, sequence=invitation.sequence),
            task=task,
            plan=plan,
            invitation=invitation,
            recipient=person,
            attendees=people,
            known=known,
            other=other,
        )
    return sent


def _take_out(task, plan, invitation, taken_out, people, known: Overrides) -> int:
    """METHOD:CANCEL, for them alone, to each who held the invitation and is
    no longer in the session, while their mailbox is open (a leaver until
    their last day)."""
    replaced_by = next((p for p in people if p.pk != plan.new_hire_id), None)
    sent = 0
    for person in taken_out:
        if not mailbox_open(person):
            continue
        sent += _send(
            "cancelled",
            key=TAKEN_OUT.format(task=task.pk, sequence=invitation.sequence),
            task=task,
            plan=plan,
            invitation=invitation,
            recipient=person,
            attendees=[person],
            known=known,
            goes_on=True,
            replaced_by=replaced_by,
        )
    return sent


# --- the whole plan cancelled ----------------------------------------------------------------


def plan_invitations_cancel(*, plan_id: int) -> int:
    """The plan's sessions no longer take place (the new hire left): every
    invitation sent for its tasks is cancelled, once, for each who holds it
    and whose mailbox is open (the new hire too, on their last day). Returns
    emails sent."""
    plan = OnboardingPlan.objects.select_related(*WITH_ABOUT["new_hire"]).filter(pk=plan_id).first()
    if plan is None:
        return 0
    tasks = list(plan.tasks.filter(kind__in=INVITED_KINDS).order_by("pk"))
    sent_uids = set(
        CalendarInvitation.objects.filter(
            uid__in=[task_uid(task.pk) for task in tasks]
        ).values_list("uid", flat=True)
    )
    holders, known = _holders(tasks), overrides()
    sent = 0
    for task in tasks:
        if task_uid(task.pk) not in sent_uids:
            continue
        invitation = invitation_cancel(uid=task_uid(task.pk))
        if invitation is None:  # never: it was sent (above)
            continue
        held = list(holders.get(task.pk, {}).values())
        for person in held:
            if not mailbox_open(person):
                continue
            sent += _send(
                "cancelled",
                key=CANCELLED.format(task=task.pk),
                task=task,
                plan=plan,
                invitation=invitation,
                recipient=person,
                attendees=held,
                known=known,
                goes_on=False,
                replaced_by=None,
            )
    return sent
