"""Demo data for onboarding (run by `manage.py seed_demo` after the ladders): checklist
templates, the coming holidays, and plans for new hires at every point of their first
months, made and given buddies by the services, then played forward to today: most
of what fell due is done, a few items are overdue, and pairing tasks carry both
sides' notes. Safe to run again: what exists is left alone."""

import datetime as dt
import zlib
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ladders.models import Ladder, Placement
from ladders.services.revisions import published_revision
from people.demo import CHANGE_REASON, HR_EMAIL, Login
from people.history import history_record_created
from people.models import User
from people.services.lifecycle import person_update

from ..calendar import add_working_days
from ..models import (
    ChecklistTemplate,
    Holiday,
    Kind,
    OffboardingChecklist,
    OnboardingPlan,
    PlanTask,
    TemplateItem,
)
from ..offboarding_defaults import template_ensure
from ..selectors.checklist import today_in
from ..services.buddies import buddies_choose
from ..services.plans import new_hires_without_plan, plans_create
from .content import (
    DEFAULT_NOTES,
    EXTRA_HIRES,
    HOLIDAYS,
    LEFT_OPEN,
    PAIRING_NOTES,
    PEOPLE,
    SHOWN_LOGIN,
    TEMPLATES,
    WAITING_FOR_BUDDY,
)


def seed(org) -> str:
    """Called by seed_demo with the people it made; returns a summary line."""
    templates = _templates(org.teams) + template_ensure(ChecklistTemplate, TemplateItem)
    holidays = _holidays(timezone.localdate())
    extras = _extra_hires(org)
    demo_ids = [p.pk for p in org.people.values()] + [p.pk for p in extras.values()]
    waiting = new_hires_without_plan(today=timezone.localdate()).filter(pk__in=demo_ids)
    created = plans_create(people=list(waiting.select_related("team")))
    with_buddy = sum(1 for plan in buddies_choose(plans=created) if plan.buddy_id)
    _play_forward(created, hr=org.people[HR_EMAIL])
    shown = extras.get(SHOWN_LOGIN)
    if shown:
        org.logins.append(Login("new hire, week 3", shown.email, shown.name, shown.title))
    plans = OnboardingPlan.objects.filter(new_hire_id__in=demo_ids)
    leaver = _leaver(org)
    return (
        f"Onboarding: {templates} templates, {holidays} holidays, {plans.count()} plans "
        f"({len(created)} new, {with_buddy} given a buddy now), "
        f"{PlanTask.objects.filter(plan__in=plans, status=PlanTask.Status.DONE).count()} tasks "
        f"done, {_overdue(plans)} overdue; {leaver} is leaving (see Leavers)."
    )


def _leaver(org) -> User:
    """One demo person with a last day three weeks ahead, so the leavers page
    and an offboarding checklist have something to show. Once: a second seed
    finds them."""
    existing = OffboardingChecklist.objects.filter(
        leaver_id__in=[p.pk for p in org.people.values()], current=True
    ).first()
    if existing:
        return existing.leaver
    hr = org.people[HR_EMAIL]
    person = min(
        (p for p in org.people.values() if p.manager_id and p.is_active and not p.end_date),
        key=lambda p: (p.pk == hr.pk, p.start_date or dt.date.min, p.pk),
    )
    person_update(person=person, end_date=timezone.localdate() + dt.timedelta(days=21))
    return person


def _overdue(plans) -> int:
    """Open tasks past due where each new hire is (their today, not the server's)."""
    soon = timezone.localdate() + dt.timedelta(days=1)  # no zone is more than a day ahead
    due = PlanTask.objects.filter(plan__in=plans, status=PlanTask.Status.OPEN, due_on__lte=soon)
    return sum(
        1 for zone, day in due.values_list("plan__timezone", "due_on") if day < today_in(zone)
    )


# --- templates and holidays ----------------------------------------------------------


def _templates(teams) -> int:
    """The demo templates that are missing, with their items; existing ones are the
    people team's to edit, so they are left as they are."""
    existing = set(
        ChecklistTemplate.objects.filter(name__in=[t.name for t in TEMPLATES]).values_list(
            "name", flat=True
        )
    )
    rule = ChecklistTemplate.AppliesTo
    for spec in TEMPLATES:
        if spec.name in existing or (spec.team and spec.team not in teams):
            continue
        template = ChecklistTemplate(
            name=spec.name,
            description=spec.description,
            applies_to=rule.TEAM if spec.team else rule.EVERYONE,
            team=teams[spec.team] if spec.team else None,
            position=spec.position,
        )
        template._change_reason = CHANGE_REASON
        template.save()
        items = TemplateItem.objects.bulk_create(
            TemplateItem(
                template=template,
                due_offset=offset,
                assignee_role=role,
                kind=kind,
                title=title,
                description=description,
                competency_code=competency,
                position=position,
            )
            for position, (offset, role, kind, title, description, competency) in enumerate(
                spec.items
            )
        )
        history_record_created(
            rows=TemplateItem.objects.filter(pk__in=[i.pk for i in items]), reason=CHANGE_REASON
        )
        existing.add(spec.name)
    return len(existing)


def _holidays(today: dt.date) -> int:
    """The coming Christmas, Boxing Day and New Year's Day (each the next one from today)."""
    wanted = {}
    for month, day, name in HOLIDAYS:
        date = dt.date(today.year, month, day)
        wanted[date if date >= today else date.replace(year=today.year + 1)] = name
    known = set(Holiday.objects.filter(date__in=wanted).values_list("date", flat=True))
    Holiday.objects.bulk_create(
        Holiday(date=date, name=name) for date, name in wanted.items() if date not in known
    )
    return len(wanted)


# --- new hires a few weeks in ----------------------------------------------------------


def _extra_hires(org) -> dict[str, User]:
    """The extra new hires by email: created once, then left alone (their start date
    stays, so their plan and its due dates keep matching)."""
    people = User.objects.in_bulk([e.email for e in EXTRA_HIRES], field_name="email")
    this_monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    password = org.people[HR_EMAIL].password  # the demo password's hash
    missing = [e for e in EXTRA_HIRES if e.email not in people and e.team in org.teams]
    if not missing:
        return people
    created = bulk_create_with_history(
        [
            User(
                email=extra.email,
                name=extra.name,
                title=extra.title,
                team=org.teams[extra.team],
                manager=_manager_of(org, extra.team),
                start_date=this_monday - dt.timedelta(weeks=extra.weeks_ago),
                timezone=extra.timezone,
                password=password,
            )
            for extra in missing
        ],
        User,
        default_change_reason=CHANGE_REASON,
    )
    people.update({person.email: person for person in created})
    # Sign-in needs a verified address (see people/demo/__init__.py).
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in created],
        ignore_conflicts=True,
    )
    _place({people[e.email]: e.level for e in missing})
    return people


def _manager_of(org, team: str) -> User | None:
    managers = [
        p for p in org.people.values() if p.team_id == org.teams[team].pk and "Manager" in p.title
    ]
    return min(managers, key=lambda p: (p.title != "Engineering Manager", p.email), default=None)


def _place(levels_of: dict[User, str]) -> None:
    """On the engineering ladder from their start date, as ladders/demo/ places
    everyone else: so they show on it, and are not taken for buddies."""
    ladder = Ladder.objects.filter(slug="engineering").first()
    revision = published_revision(ladder=ladder) if ladder else None
    if revision is None:
        return
    levels = {level.code: level for level in revision.levels.all()}
    bulk_create_with_history(
        [
            Placement(person=person, level=levels[code], since=person.start_date)
            for person, code in levels_of.items()
            if person.start_date is not None  # every demo person has one
            if code in levels
        ],
        Placement,
        default_change_reason=CHANGE_REASON,
    )


# --- playing the plans forward ----------------------------------------------------------

DONE_FIELDS = [
    "status",
    "done_at",
    "done_by",
    "partner",
    "new_hire_done_at",
    "new_hire_note",
    "partner_done_at",
    "partner_note",
]


def _play_forward(plans: list[OnboardingPlan], *, hr: User) -> None:
    """Complete what fell due before each new hire's today, as the person who does each
    task would have, on the day it fell due (now and then a working day late), with a
    history record dated then.

    Written in bulk rather than through task_complete and pairing_confirm: those
    take a few queries per task (about 900 for the demo), and they stamp "now"."""
    holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    tasks = (
        PlanTask.objects.filter(plan__in=plans, status=PlanTask.Status.OPEN)
        .select_related("plan__new_hire", "plan__buddy", "assignee", "partner")
        .order_by("plan_id", "due_on", "position", "pk")
    )
    todays: dict[str, dt.date] = {}
    changed = []
    for task in tasks:
        plan = task.plan
        today = todays.setdefault(plan.timezone, today_in(plan.timezone))
        key = (plan.new_hire.email, task.title)
        if task.due_on >= today or key in LEFT_OPEN:
            continue
        day = _done_day(task, today, holidays)
        at = dt.datetime.combine(day, dt.time(16, 30), tzinfo=ZoneInfo(plan.timezone))
        if task.kind == Kind.PAIRING:
            done = _confirm_pairing(task, at, waiting=key in WAITING_FOR_BUDDY)
        else:
            done = _complete(task, at, by=_doer(task, hr))
        if done:
            changed.append(task)
    bulk_update_with_history(
        changed, PlanTask, DONE_FIELDS, batch_size=500, default_change_reason=CHANGE_REASON
    )
    _first_pairings(changed)


def _doer(task: PlanTask, hr: User) -> User | None:
    """Who marks it done: its assignee; the people team's shared tasks, the demo HR
    account; a buddy task with no buddy, nobody."""
    if task.assignee:
        return task.assignee
    return hr if task.assignee_role == PEOPLE else None


def _complete(task: PlanTask, at: dt.datetime, *, by: User | None) -> bool:
    """As task_complete does it."""
    if by is None:
        return False
    task.status, task.done_at, task.done_by = PlanTask.Status.DONE, at, by
    task._history_user, task._history_date = by, at
    return True


def _confirm_pairing(task: PlanTask, at: dt.datetime, *, waiting: bool) -> bool:
    """As pairing_confirm does it: the new hire confirms, then (unless the demo keeps
    it waiting) the partner, and the task is done when both have."""
    partner = task.partner or task.plan.buddy
    if partner is None:
        return False  # no buddy: the plan says why, and the pairing waits
    hire_note, buddy_note = PAIRING_NOTES.get(task.title, DEFAULT_NOTES)
    task.partner = partner
    task.new_hire_done_at, task.new_hire_note = at - dt.timedelta(minutes=40), hire_note
    task._history_user, task._history_date = task.plan.new_hire, task.new_hire_done_at
    if not waiting:
        task.partner_done_at, task.partner_note = at - dt.timedelta(minutes=25), buddy_note
        task.status, task.done_at, task.done_by = (
            PlanTask.Status.DONE,
            task.partner_done_at,
            partner,
        )
        task._history_user, task._history_date = partner, task.partner_done_at
    return True


def _done_day(task: PlanTask, today: dt.date, holidays: frozenset[dt.date]) -> dt.date:
    """One task in six is done a working day late (chosen by name: the same every run)."""
    late = zlib.crc32(f"{task.plan.new_hire.email} {task.title}".encode()) % 6 == 0
    next_day = add_working_days(task.due_on, 1, holidays)
    return next_day if late and next_day < today else task.due_on


def _first_pairings(tasks: list[PlanTask]) -> None:
    """Each plan's first pairing done: the time to first pairing."""
    firsts: dict[int, OnboardingPlan] = {}
    for task in tasks:
        if task.kind != Kind.PAIRING or task.status != PlanTask.Status.DONE or not task.done_at:
            continue
        plan = firsts.setdefault(task.plan_id, task.plan)
        if plan.first_pairing_done_at is None or task.done_at < plan.first_pairing_done_at:
            plan.first_pairing_done_at = task.done_at
    for plan in firsts.values():
        if plan.first_pairing_done_at:  # always: set above
            plan._history_date = plan.first_pairing_done_at
    bulk_update_with_history(
        list(firsts.values()),
        OnboardingPlan,
        ["first_pairing_done_at"],
        default_change_reason=CHANGE_REASON,
    )
