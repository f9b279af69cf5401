"""Onboarding reminders: each person's daily digest of tasks due soon or
overdue, and escalations of long-overdue tasks to the new hire's manager.

Beat runs `reminders_send` every hour, because a digest is due once it is
the digest hour in the recipient's own timezone, and people sit in many
timezones. The digest hour and the escalation delay come from each task's
template, falling back to ONBOARDING_DIGEST_HOUR and ONBOARDING_ESCALATE_AFTER;
a person's digest goes out at the earliest hour among their tasks.
Each person hears by email, Slack or both, as they chose (messaging/), in
the people team's words (the onboarding_digest and onboarding_escalation texts).
Each email is recorded in a Reminder row (unique per kind,
recipient and key) in the same transaction that sends it, so a second run
the same day, a retry or a second worker finds the row and sends nothing.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.urls import reverse

from core.fields import column
from core.timezones import zone_of
from messaging.models import Channel
from messaging.preferences import channels_of
from messaging.services import slack_message_record
from messaging.texts import overrides, render_email, render_text
from people.models import Team, User

from .. import policies
from ..calendar import add_working_days, is_working_day, working_days_between
from ..models import Holiday, Kind, OnboardingPlan, PlanTask, Reminder

logger = logging.getLogger(__name__)

DUE_SOON_WORKING_DAYS = 2
# Rows per INSERT: far below SQLite's limit on bound parameters.
CLAIM_BATCH = 500


def escalate_after() -> int:
    """Working days a task may be overdue before its new hire's manager hears."""
    return int(getattr(settings, "ONBOARDING_ESCALATE_AFTER", 3))


def digest_hour() -> int:
    """Local hour from which a person's reminders of the day go out."""
    return int(getattr(settings, "ONBOARDING_DIGEST_HOUR", 8))


@dataclass
class TaskLine:
    """One open task as a reminder shows it, judged on the new hire's "today"."""

    task: PlanTask
    today: dt.date
    days_late: int  # working days overdue; 0 when not overdue

    @property
    def digest_hour(self) -> int:
        template = _template_of(self.task)
        return (
            digest_hour()
            if template is None or template.digest_hour is None
            else template.digest_hour
        )

    @property
    def escalate_after(self) -> int:
        template = _template_of(self.task)
        if template is None or template.escalate_after is None:
            return escalate_after()
        return template.escalate_after

    @property
    def overdue(self) -> bool:
        return self.task.due_on < self.today


@dataclass
class Email:
    """One Reminder row to claim: a digest, or one late task for one manager."""

    kind: str
    recipient: User
    key: str
    lines: list[TaskLine] = field(default_factory=list)


@dataclass
class RemindersSent:
    digests: int  # emails
    escalations: int  # late tasks reported (one email per manager lists theirs)


def reminders_send(*, now: dt.datetime) -> RemindersSent:
    """Send every digest and escalation that is due at `now` and not sent yet.
    A fixed number of queries, however many people and tasks."""
    holidays = set(Holiday.objects.values_list("date", flat=True))
    people_team = _people_team_members()
    lines = _open_task_lines(now=now, holidays=holidays)
    emails = _digests(lines, now=now, holidays=holidays, people_team=people_team)
    emails += _escalations(lines, now=now, holidays=holidays, people_team=people_team)
    if not emails:
        return RemindersSent(digests=0, escalations=0)
    with transaction.atomic():
        claimed = _claim(emails, now=now)
        sent, failed, error = _deliver([e for e in emails if _claim_key(e) in claimed], claimed)
        if failed:
            # Unclaim what did not go out, so a retry sends exactly those.
            ids = [claimed[_claim_key(e)] for e in failed]
            Reminder.objects.filter(pk__in=ids).delete()
    if error is not None:
        raise error  # after the commit: the task retries transient errors
    return RemindersSent(
        digests=sum(e.kind == Reminder.Kind.DIGEST for e in sent),
        escalations=sum(e.kind == Reminder.Kind.ESCALATION for e in sent),
    )


# --- what is due ------------------------------------------------------------------


def _open_task_lines(*, now: dt.datetime, holidays: set[dt.date]) -> list[TaskLine]:
    """Open tasks overdue or due within the next working days, each judged by
    the new hire's own "today" (the plan's timezone)."""
    # No timezone is more than a day ahead of UTC: a safe bound for the query.
    latest_today = now.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    horizon = add_working_days(latest_today, DUE_SOON_WORKING_DAYS, holidays)
    tasks = (
        PlanTask.objects.filter(
            status=PlanTask.Status.OPEN,
            due_on__lte=horizon,
            plan__new_hire__is_active=True,
            plan__status=OnboardingPlan.Status.ACTIVE,
        )
        .select_related(
            "plan__new_hire__manager__manager",
            "plan__buddy",
            "assignee",
            "partner",
            "source_item__template",
        )
        .order_by("due_on", "plan_id", "position", "pk")
    )
    windows: dict[str, tuple[dt.date, dt.date]] = {}
    lines = []
    for task in tasks:
        name = task.plan.timezone
        if name not in windows:
            today = _local(now, name).date()
            windows[name] = (today, add_working_days(today, DUE_SOON_WORKING_DAYS, holidays))
        today, soon_until = windows[name]
        if task.due_on > soon_until:
            continue
        late = working_days_between(task.due_on, today, holidays) if task.due_on < today else 0
        lines.append(TaskLine(task=task, today=today, days_late=late))
    return lines


def _digests(lines: list[TaskLine], *, now, holidays, people_team: list[User]) -> list[Email]:
    by_person: dict[int, Email] = {}
    for line in lines:
        for person in _digest_recipients(line.task, people_team):
            if person.pk not in by_person:
                key = _local(now, person.timezone).date().isoformat()
                by_person[person.pk] = Email(Reminder.Kind.DIGEST, person, key)
            by_person[person.pk].lines.append(line)
    return [
        email
        for email in by_person.values()
        if _mail_due(email.recipient, now, holidays, min(line.digest_hour for line in email.lines))
    ]


def _digest_recipients(task: PlanTask, people_team: list[User]) -> list[User]:
    """Who holds the task: its assignee, or, when nobody does yet, every
    member of the people team (their queue); for a pairing task, also the
    partner, and only the sides that have not confirmed it yet."""
    people = [task.assignee] if task.assignee else list(people_team)
    if task.kind == Kind.PAIRING:
        partner = task.partner or task.plan.buddy
        people = [p for p in [*people, partner] if p and not _confirmed_pairing(task, p)]
    unique = {p.pk: p for p in people if p.is_active}
    return list(unique.values())


def _confirmed_pairing(task: PlanTask, person: User) -> bool:
    side = policies.pairing_side(person, task)
    if side == "new_hire":
        return task.new_hire_done_at is not None
    if side == "partner":
        return task.partner_done_at is not None
    return False


def _escalations(lines: list[TaskLine], *, now, holidays, people_team: list[User]) -> list[Email]:
    """One Reminder per late task and recipient; they are sent as one email
    per recipient (see _merge)."""
    emails = []
    for line in lines:
        if line.days_late < line.escalate_after:
            continue
        for person in _escalation_recipients(line.task, people_team):
            if _mail_due(person, now, holidays, line.digest_hour):
                key = f"task-{line.task.pk}"
                emails.append(Email(Reminder.Kind.ESCALATION, person, key, [line]))
    return emails


def _escalation_recipients(task: PlanTask, people_team: list[User]) -> list[User]:
    """The new hire's manager; their own manager when the late task is the
    manager's; the people team when there is nobody above."""
    manager = task.plan.new_hire.manager
    if manager is not None and manager.pk == task.assignee_id:
        manager = manager.manager
    if manager is not None and manager.is_active:
        return [manager]
    return people_team


# --- recording and sending ----------------------------------------------------------


def _claim_key(email: Email) -> tuple[str, int, str]:
    return (email.kind, email.recipient.pk, email.key)


def _claim(emails: list[Email], *, now: dt.datetime) -> dict[tuple[str, int, str], int]:
    """Insert a Reminder row per email; return the rows this run inserted.

    INSERT ... ON CONFLICT DO NOTHING RETURNING answers exactly the rows that
    were new (PostgreSQL and SQLite 3.35+). A concurrent run inserting the same
    key waits on the unique index until this transaction ends, then skips it;
    Django's bulk_create(ignore_conflicts=True) cannot say which rows were new,
    and a get_or_create per person would cost a query each.
    """
    table = connection.ops.quote_name(Reminder._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(column(Reminder, name))
        for name in ("kind", "recipient", "key", "sent_at", "task_count")
    )
    unique = ", ".join(
        connection.ops.quote_name(column(Reminder, name)) for name in ("kind", "recipient", "key")
    )
    pk = connection.ops.quote_name(column(Reminder, "id"))
    sent_at = connection.ops.adapt_datetimefield_value(now)  # as the ORM would store it
    claimed = {}
    for start in range(0, len(emails), CLAIM_BATCH):
        batch = emails[start : start + CLAIM_BATCH]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
        params: list[str | int | None] = []
        for email in batch:
            params += [email.kind, email.recipient.pk, email.key, sent_at, len(email.lines)]
        sql = (
            f"INSERT INTO {table} ({columns}) VALUES {values} "
            f"ON CONFLICT ({unique}) DO NOTHING RETURNING {pk}, {unique}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for pk, kind, recipient_id, key in cursor.fetchall():
                claimed[(kind, recipient_id, key)] = pk
    return claimed


def _deliver(
    emails: list[Email], claimed: dict[tuple[str, int, str], int]
) -> tuple[list[Email], list[Email], Exception | None]:
    """Send each email on one connection, and record each Slack message, as
    each person chose; a failure keeps the others going.
    Returns (sent, failed, the last transient error)."""
    sent: list[Email] = []
    failed: list[Email] = []
    error: Exception | None = None
    if not emails:
        return sent, failed, error
    outgoing = _merge(emails)
    channels = channels_of([email.recipient for email in outgoing])
    known = overrides()  # the people team's words, read once for every message
    teams = dict(
        Team.objects.filter(pk__in={e.recipient.team_id for e in outgoing}).values_list(
            "pk", "name"
        )
    )
    managers = User.objects.in_bulk({e.recipient.manager_id for e in outgoing} - {None})
    with get_connection() as mail_connection:
        for email in outgoing:
            person, channel = email.recipient, channels[email.recipient.pk]
            context = {
                **_context(email),
                "team": teams.get(person.team_id, "") if person.team_id else "",
                "manager": managers.get(person.manager_id) if person.manager_id else None,
            }
            if channel in (Channel.EMAIL, Channel.BOTH):
                try:
                    _message(email, context, known, mail_connection).send()
                except (SMTPException, ConnectionError) as exc:
                    logger.warning("Reminder to %s not sent: %s", email.recipient.email, exc)
                    failed += email.parts
                    error = exc
                    continue
            if channel in (Channel.SLACK, Channel.BOTH):
                slack_message_record(
                    key=f"slack:reminder-{claimed[_claim_key(email.parts[0])]}",
                    kind=_notice(email),
                    text=render_text(_notice(email), context, known=known),
                    people=[email.recipient],
                )
            sent += email.parts
    return sent, failed, error


@dataclass
class Outgoing:
    """One email as sent: a digest, or every escalation to one manager."""

    kind: str
    recipient: User
    lines: list[TaskLine]
    parts: list[Email]


def _merge(emails: list[Email]) -> list[Outgoing]:
    outgoing: dict[tuple[str, int, str], Outgoing] = {}
    for email in emails:
        key = email.key if email.kind == Reminder.Kind.DIGEST else ""
        merged = outgoing.setdefault(
            (email.kind, email.recipient.pk, key), Outgoing(email.kind, email.recipient, [], [])
        )
        merged.lines += email.lines
        merged.parts.append(email)
    return list(outgoing.values())


def _notice(email: Outgoing) -> str:
    if email.kind == Reminder.Kind.DIGEST:
        return "onboarding_digest"
    return "onboarding_escalation"


def _context(email: Outgoing) -> dict:
    person = email.recipient
    return {
        "recipient": person,
        "overdue": [line for line in email.lines if line.overdue],
        "due_soon": [line for line in email.lines if not line.overdue],
        "lines": email.lines,
        "escalate_after": min(line.escalate_after for line in email.lines),
        "site_url": settings.SITE_URL.rstrip("/"),
        "link": _tasks_url(email),
    }


def _message(email: Outgoing, context: dict, known, mail_connection) -> EmailMessage:
    subject, body = render_email(f"{_notice(email)}.email", context, known=known)
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient.email],
        connection=mail_connection,
    )


def _tasks_url(email: Outgoing) -> str:
    """The new hire's own checklist, or everyone else's list of their tasks."""
    new_hire_only = all(line.task.plan.new_hire_id == email.recipient.pk for line in email.lines)
    name = "onboarding:my_checklist" if new_hire_only else "onboarding:my_tasks"
    return settings.SITE_URL.rstrip("/") + reverse(name)


# --- people and time ------------------------------------------------------------------


def _people_team_members() -> list[User]:
    return list(
        User.objects.filter(groups__name=settings.PEOPLE_TEAM_GROUP, is_active=True)
        .distinct()
        .order_by("pk")
    )


def _mail_due(person: User, now: dt.datetime, holidays: set[dt.date], hour: int) -> bool:
    """Reminders reach people on their working days, from the digest hour on."""
    local = _local(now, person.timezone)
    return local.hour >= hour and is_working_day(local.date(), holidays)


def _template_of(task: PlanTask):
    return task.source_item.template if task.source_item else None


def _local(now: dt.datetime, name: str) -> dt.datetime:
    return now.astimezone(zone_of(name))
