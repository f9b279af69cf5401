"""People import from CSV: check every row first, then write all or nothing,
through the lifecycle services (people/services/bulk.py), so an import
announces who was added, given a last day, left or came back exactly as the
admin and the API do, once per event for the whole file.

Header: email,name,title,team,manager_email,start_date,timezone, optionally
end_date and active (people/csv_rows.py reads it). Managers may appear after
their reports. Importing the same file twice changes nothing the second time.

Leavers: a row whose last day has come, or with active false, leaves; a row
with a last day to come sets it; active true brings back someone who left.
With `missing_are_leavers`, active people missing from the file leave too
(the file is a full export). More leavers than LEAVERS_SHARE of the active
people (and more than LEAVERS_ALWAYS_ALLOWED) are refused unless the number
is confirmed: a partial file must never empty the organisation.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from core.limits import size_in_words

from .csv_rows import (
    ALL_COLUMNS,
    COLUMNS,
    MAX_FILE_BYTES,
    ImportFailed,
    ImportReport,
    Leaver,
    Problem,
    Row,
    read_rows,
    read_text,
)
from .models import Team, User
from .rules import organisation_today, reporting_loop
from .services.bulk import (
    attname,
    people_create_many,
    people_deactivate_many,
    people_reactivate_many,
    people_update_many,
)

__all__ = [
    "ALL_COLUMNS",
    "COLUMNS",
    "MAX_FILE_BYTES",
    "ImportFailed",
    "ImportReport",
    "Problem",
    "import_people",
    "read_text",
]

REASON = "people import"
LEAVERS_SHARE = 0.10
LEAVERS_ALWAYS_ALLOWED = 3
_KEEP = object()  # "leave the stored last day as it is"


@dataclass
class _Plan:
    """What the file means for each person, decided before anything is written."""

    new_rows: list[Row] = field(default_factory=list)
    skipped: list[Row] = field(default_factory=list)
    existing_rows: list[tuple[User, Row, object]] = field(default_factory=list)  # + last day
    returning: list[User] = field(default_factory=list)
    leaving: list[tuple[User, date | None, str]] = field(default_factory=list)


def import_people(
    text: str,
    *,
    dry_run: bool = False,
    actor: User | None = None,
    missing_are_leavers: bool = False,
    confirm_leavers: int | None = None,
) -> ImportReport:
    """Check the whole file; write it in one transaction only if every row is good."""
    report = ImportReport(dry_run=dry_run)
    if len(text) > MAX_FILE_BYTES:
        report.problems.append(
            Problem(0, "", f"larger than {size_in_words(MAX_FILE_BYTES)}, the most a file may be")
        )
        raise ImportFailed(report)
    today = organisation_today()
    rows = read_rows(text, report.problems, today=today)
    report.rows = len(rows)
    existing = {u.email.lower(): u for u in User.objects.all()}
    check_rows(rows, existing, report.problems, today=today)
    if report.problems:
        report.problems.sort(key=Problem.sort_key)  # stable: a line's problems keep their order
        raise ImportFailed(report)
    plan = _plan(rows, existing, today)
    if missing_are_leavers:
        _missing_leave(plan, rows, existing, actor)
    report.leavers = [Leaver(p.name, p.email, why) for p, _, why in plan.leaving]
    _check_leavers_share(report, existing, confirm_leavers)
    with transaction.atomic():
        _apply(plan, existing, report, actor)
        if dry_run:
            transaction.set_rollback(True)
    return report


def check_rows(
    rows: list[Row], existing: dict[str, User], problems: list[Problem], *, today: date
) -> None:
    """Cross-row rules: unique emails, known managers, no reporting loops. Rows
    with a bad cell take part with what they have: a manager listed on a bad row
    is still known, so the file's problems all come out in one pass."""
    first_line: dict[str, int] = {}
    for row in rows:
        if not row.email:
            continue
        if row.email in first_line:
            problems.append(
                Problem(
                    row.line,
                    "email",
                    f"{row.email} already appears on line {first_line[row.email]}",
                )
            )
        else:
            first_line[row.email] = row.line
    known = first_line.keys() | existing.keys()
    never_added = {r.email: r.line for r in rows if r.email not in existing and r.leaves_now(today)}
    for row in rows:
        if row.manager_email and row.manager_email == row.email:
            problems.append(Problem(row.line, "manager_email", "a person cannot manage themselves"))
        elif row.manager_email and row.manager_email not in known:
            problems.append(
                Problem(
                    row.line,
                    "manager_email",
                    f'unknown manager "{row.manager_email}": '
                    "not in the file nor among existing people",
                )
            )
        elif row.manager_email in never_added:
            problems.append(
                Problem(
                    row.line,
                    "manager_email",
                    f"{row.manager_email} left before being added here (line "
                    f"{never_added[row.manager_email]}), so cannot be a manager: "
                    "name their current manager",
                )
            )
    _check_loops([r for r in rows if r.email], existing, problems)


def _check_loops(rows: list[Row], existing: dict[str, User], problems: list[Problem]) -> None:
    """The reporting line after the import (file over database) has no loop:
    people.rules.reporting_loop, asked for every row over the whole file."""
    email_of = {u.pk: e for e, u in existing.items()}
    manager_of = {e: email_of.get(u.manager_id or 0) for e, u in existing.items()}
    manager_of.update({r.email: r.manager_email or None for r in rows})
    line_of = {r.email: r.line for r in rows}
    reported: set[str] = set()
    for row in rows:
        if row.email in reported:
            continue
        loop = reporting_loop(row.email, manager_of.get)
        if loop is None or len(loop) <= 2:  # managing oneself: check_rows said so already
            continue
        reported.update(loop)
        problems.append(
            Problem(
                row.line,
                "manager_email",
                "reporting loop: "
                + " -> ".join(loop)
                + " (lines "
                + ", ".join(str(line_of[e]) for e in loop[:-1] if e in line_of)
                + ")",
            )
        )


def _plan(rows: list[Row], existing: dict[str, User], today: date) -> _Plan:
    plan = _Plan()
    for row in rows:
        person = existing.get(row.email)
        if person is None:
            # Someone who left before ever being added (a full export keeps
            # former staff): adding them only to hand over nothing helps no one.
            (plan.skipped if row.leaves_now(today) else plan.new_rows).append(row)
            continue
        if row.leaves_now(today):
            if person.is_active:
                why = "active is false" if row.active is False else f"last day {row.end_date}"
                plan.leaving.append((person, row.end_date, f"line {row.line}: {why}"))
                plan.existing_rows.append((person, row, _KEEP))
            else:  # left already: the row may correct the day they left
                plan.existing_rows.append((person, row, row.end_date or _KEEP))
            continue
        returning = row.active is True and not person.is_active
        if returning:
            plan.returning.append(person)
        if person.is_active or returning:
            last_day = row.end_date if row.end_date_given else _KEEP
        else:  # left, and the file does not bring them back: their last day stays
            last_day = _KEEP
        plan.existing_rows.append((person, row, last_day))
    return plan


def _missing_leave(plan: _Plan, rows: list[Row], existing: dict[str, User], actor) -> None:
    """Everyone active who is not in the file leaves, except whoever imports
    and superusers (accounts made with createsuperuser are seldom in an HR
    export, and losing them locks the people team out of the admin)."""
    in_file = {r.email for r in rows}
    for email, person in sorted(existing.items()):
        kept = person == actor or person.is_superuser
        if person.is_active and email not in in_file and not kept:
            plan.leaving.append((person, None, "missing from the file"))


def _check_leavers_share(
    report: ImportReport, existing: dict[str, User], confirm_leavers: int | None
) -> None:
    active = sum(1 for p in existing.values() if p.is_active)
    allowed = max(LEAVERS_ALWAYS_ALLOWED, int(active * LEAVERS_SHARE))
    count = len(report.leavers)
    if count <= allowed:
        return
    report.needs_confirmation = True
    if report.dry_run or confirm_leavers == count:
        return
    report.problems.append(
        Problem(
            0,
            "",
            f"this import would deactivate {count} of the {active} active people, more than "
            f"{allowed} ({LEAVERS_SHARE:.0%}); nothing was written. Check the list of leavers "
            f"in a dry run, then confirm the number {count} (--confirm-leavers {count}, or "
            '"Confirm leavers" in the admin)',
        )
    )
    raise ImportFailed(report)


def _apply(plan: _Plan, existing: dict[str, User], report: ImportReport, actor) -> None:
    people = dict(existing)
    teams = _teams_for([*plan.new_rows, *(row for _, row, _ in plan.existing_rows)], report, actor)
    report.returned = len(people_reactivate_many(plan.returning))
    created = _create_people(plan.new_rows, people, teams, actor)
    report.created = len(created)
    report.skipped = len(plan.skipped)
    changes = [
        (person, _differences(person, row, teams, people, last_day))
        for person, row, last_day in plan.existing_rows
    ]
    updated = people_update_many(changes, actor=actor, reason=REASON)
    report.last_days_set = sum(1 for p in created if p.end_date) + sum(
        1 for person, values in changes if values.get("end_date") and person.is_active
    )
    last_days = {person.pk: day for person, day, _ in plan.leaving if day is not None}
    people_deactivate_many([person for person, _, _ in plan.leaving], last_days=last_days)
    touched = {p.pk for p in [*updated, *plan.returning]} | {p.pk for p, _, _ in plan.leaving}
    in_file = {p.pk for p, _, _ in plan.existing_rows}
    report.updated = len(touched & in_file)
    report.unchanged = report.rows - report.created - report.updated - report.skipped


def _create_people(
    rows: list[Row], people: dict[str, User], teams: dict[str, Team], actor
) -> list[User]:
    new_people = [
        User(
            email=r.email,
            name=r.name,
            title=r.title,
            team=teams.get(r.team),
            manager=people.get(r.manager_email),
            start_date=r.start_date,
            end_date=r.end_date,
            timezone=r.timezone,
        )
        for r in rows
    ]
    # A manager listed in the file after their reports is new too: set once created.
    new_managers = {
        r.email: r.manager_email for r in rows if r.manager_email and r.manager_email not in people
    }
    created = people_create_many(new_people, new_managers=new_managers, actor=actor, reason=REASON)
    people.update({p.email: p for p in created})
    return created


def _teams_for(rows: list[Row], report: ImportReport, actor) -> dict[str, Team]:
    names = {r.team for r in rows if r.team}
    teams = {t.name: t for t in Team.objects.filter(name__in=names)}
    missing = [Team(name=n) for n in sorted(names - teams.keys())]
    if missing:
        bulk_create_with_history(missing, Team, default_user=actor, default_change_reason=REASON)
        teams = {t.name: t for t in Team.objects.filter(name__in=names)}
        report.teams_created = len(missing)
    return teams


def _differences(
    person: User, row: Row, teams: dict[str, Team], people: dict[str, User], last_day
) -> dict[str, object]:
    """What the row changes on the person ({field name: stored value})."""
    target: dict[str, object] = {
        "name": row.name,
        "title": row.title,
        "team": teams[row.team].pk if row.team else None,
        "manager": people[row.manager_email].pk if row.manager_email else None,
        "start_date": row.start_date,
        "timezone": row.timezone,
    }
    if last_day is not _KEEP:
        target["end_date"] = last_day
    return {
        name: value for name, value in target.items() if getattr(person, attname(name)) != value
    }
