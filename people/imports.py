"""People import from CSV: check every row first, then write all or nothing.

Header: email,name,title,team,manager_email,start_date,timezone (line 1).
Managers may appear after their reports. Importing the same file twice
changes nothing the second time: only rows that differ are written.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.limits import PEOPLE_CSV_MAX_BYTES, size_in_words

from . import hooks
from .models import Team, User, timezone_names

COLUMNS = ["email", "name", "title", "team", "manager_email", "start_date", "timezone"]
REQUIRED = ("email", "name")  # a tuple: problems come out in a stable order
UPDATED_FIELDS = ["name", "title", "team", "manager", "start_date", "timezone"]
MAX_FILE_BYTES = PEOPLE_CSV_MAX_BYTES


@dataclass(frozen=True)
class Problem:
    line: int  # 0: the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        if not self.line:
            return f"file: {self.message}"
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple[int, int]:
        return self.line, COLUMNS.index(self.column) + 1 if self.column in COLUMNS else 0


@dataclass
class Row:
    """One row as read. A cell with a problem is left empty ("" or None), so the
    cross-row checks still run on the rest of the row in the same pass."""

    line: int
    email: str
    name: str
    title: str
    team: str
    manager_email: str
    start_date: date | None
    timezone: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return (
            f"{self.rows} rows: {self.created} people {verb} created, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.teams_created} teams {verb} created."
        )


class ImportFailed(Exception):
    def __init__(self, report: ImportReport):
        super().__init__("\n".join(str(p) for p in report.problems))
        self.report = report


def read_text(raw: bytes) -> str:
    """The bytes of an uploaded or read file as text: size and encoding checked
    first, each refusal a message that says where and what to do."""
    if len(raw) > MAX_FILE_BYTES:
        raise _failed(
            Problem(0, "", f"larger than {size_in_words(MAX_FILE_BYTES)}, the most a file may be")
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _failed(
            Problem(
                line,
                "",
                f"not UTF-8 text (byte 0x{raw[error.start]:02x}); export the file as CSV (UTF-8)",
            )
        ) from None


def _failed(problem: Problem) -> ImportFailed:
    return ImportFailed(ImportReport(problems=[problem]))


def read_rows(text: str, problems: list[Problem]) -> list[Row]:
    """Parse and check each row on its own; cross-row checks come after, on the same rows."""
    # csv.reader rather than DictReader: DictReader skips blank lines without
    # telling, which would shift the line number of every later row. strict:
    # a quote in the wrong place is an error, not a guess.
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as error:
        problems.append(Problem(1, "", _csv_error_message(error)))
        return []
    if _header_problem(header, problems):
        return []
    rows = []
    line = reader.line_num
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # the reader goes on with the next line
            problems.append(Problem(line + 1, "", _csv_error_message(error)))
            line = reader.line_num
            continue
        line_of_row, line = line + 1, reader.line_num
        if not any(v.strip() for v in record):
            continue  # blank line
        if len(record) > len(header):
            problems.append(Problem(line_of_row, "", "more values than columns"))
            continue
        given = dict(zip(header, record, strict=False))
        values = {c: given.get(c, "") for c in COLUMNS}  # a short row: the rest empty
        rows.append(_check_row(line_of_row, line, values, problems))
    return rows


def _header_problem(header: list[str], problems: list[Problem]) -> bool:
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if not (missing or unknown or repeated):
        return False
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if unknown:
        parts.append("unknown column(s) " + ", ".join(unknown)[:500])
    if repeated:
        parts.append("repeated column(s) " + ", ".join(repeated)[:500])
    problems.append(Problem(1, "", "; ".join(parts) + f"; expected: {','.join(COLUMNS)}"))
    return True


def _csv_error_message(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return (
            f"a value longer than {csv.field_size_limit():,} characters "
            "(a stray or unclosed quote?); nothing was read from this row"
        )
    if "unexpected end of data" in text:
        return (
            "a quote opened here is never closed: the rest of the file would be read as one "
            "value; nothing was read from this row"
        )
    if "expected after" in text:
        return (
            'a quote in the middle of a value; write a quote inside a value as "" and '
            "quote the whole value"
        )
    return f"cannot be read as CSV ({text})"


def _check_cells(line: int, last_line: int, values: dict[str, str], problems) -> None:
    """What no column may hold: NUL bytes and line breaks (in these columns a line
    break means a stray quote swallowed the next lines)."""
    for column, value in values.items():
        if "\x00" in value:
            problems.append(Problem(line, column, "contains a NUL byte; remove it"))
            values[column] = ""
        elif "\n" in value or "\r" in value:
            problems.append(
                Problem(
                    line,
                    column,
                    f"a value runs over lines {line}-{last_line}: no column may hold a line break "
                    "(a stray or unclosed quote?)",
                )
            )
            values[column] = ""


def _check_row(line: int, last_line: int, values: dict[str, str], problems) -> Row:
    before = len(problems)
    _check_cells(line, last_line, values, problems)
    values = {c: v.strip() for c, v in values.items()}
    # validate_email allows 320 characters; the column holds 254.
    for column, limit in (("email", 254), ("name", 150), ("title", 150), ("team", 120)):
        if len(values[column]) > limit:
            problems.append(Problem(line, column, f"longer than {limit} characters"))
            values[column] = ""  # reported once: not "required" as well (below)
    for column in REQUIRED:
        if not values[column] and not _reported(problems[before:], column):
            problems.append(Problem(line, column, f"{column} is required"))
    email = values["email"].lower()
    if email and not _is_email(email):
        problems.append(Problem(line, "email", f'"{values["email"]}" is not an email address'))
        email = ""
    manager_email = values["manager_email"].lower()
    if manager_email and not _is_email(manager_email):
        problems.append(
            Problem(line, "manager_email", f'"{manager_email[:300]}" is not an email address')
        )
        manager_email = ""
    start = None
    if values["start_date"]:
        try:
            start = date.fromisoformat(values["start_date"])
        except ValueError:
            problems.append(
                Problem(
                    line,
                    "start_date",
                    f'"{values["start_date"][:100]}" is not a date as YYYY-MM-DD',
                )
            )
    tz = values["timezone"] or "UTC"
    if tz not in timezone_names():
        problems.append(
            Problem(
                line,
                "timezone",
                f'"{tz[:100]}" is not an IANA timezone name (e.g. Europe/Berlin)',
            )
        )
    return Row(
        line, email, values["name"], values["title"], values["team"], manager_email, start, tz
    )


def _reported(problems: list[Problem], column: str) -> bool:
    return any(p.column == column for p in problems)


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def check_rows(rows: list[Row], existing: dict[str, User], problems: list[Problem]) -> None:
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
    _check_loops([r for r in rows if r.email], existing, problems)


def _check_loops(rows: list[Row], existing: dict[str, User], problems: list[Problem]) -> None:
    """The reporting line after the import (file over database) has no loop."""
    email_of = {u.pk: e for e, u in existing.items()}
    manager_of = {e: email_of.get(u.manager_id) for e, u in existing.items()}
    manager_of.update({r.email: r.manager_email or None for r in rows})
    line_of = {r.email: r.line for r in rows}
    reported: set[str] = set()
    for row in rows:
        path, seen, current = [], set(), row.email
        while current and current not in seen:
            path.append(current)
            seen.add(current)
            current = manager_of.get(current)
        # len(path) > 1: managing oneself is reported by check_rows already.
        if current and current == row.email and row.email not in reported and len(path) > 1:
            loop = [*path, current]
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


def import_people(text: str, *, dry_run: bool = False, actor: User | None = None) -> ImportReport:
    """Check the whole file; write it in one transaction only if every row is good."""
    report = ImportReport(dry_run=dry_run)
    if len(text) > MAX_FILE_BYTES:
        report.problems.append(
            Problem(0, "", f"larger than {size_in_words(MAX_FILE_BYTES)}, the most a file may be")
        )
        raise ImportFailed(report)
    rows = read_rows(text, report.problems)
    report.rows = len(rows)
    existing = {u.email.lower(): u for u in User.objects.all()}
    check_rows(rows, existing, report.problems)
    if report.problems:
        report.problems.sort(key=Problem.sort_key)  # stable: a line's problems keep their order
        raise ImportFailed(report)
    with transaction.atomic():
        _apply(rows, existing, report, actor)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _apply(rows: list[Row], existing: dict[str, User], report: ImportReport, actor) -> None:
    teams = _teams_for(rows, report, actor)
    reason = "people import"
    new_rows = [r for r in rows if r.email not in existing]
    if new_rows:
        _create_people(new_rows, existing, teams, actor, reason)
        report.created = len(new_rows)
        hooks.people_added(existing[r.email].pk for r in new_rows)
    new_emails = {r.email for r in new_rows}
    changed, fields, moves = [], set(), {}
    for row in rows:
        if row.email not in new_emails:
            person = existing[row.email]
            differs = _update_person(person, row, teams, existing)
            if differs:
                changed.append(person)
                fields |= differs
                moves[person.pk] = differs
    if changed:
        # Only the columns that differ somewhere: each one costs a CASE per row.
        bulk_update_with_history(
            changed,
            User,
            [f for f in UPDATED_FIELDS if f in fields],
            batch_size=1000,
            default_user=actor,
            default_change_reason=reason,
        )
        hooks.people_changed(moves)
    report.updated = len(changed)
    report.unchanged = report.rows - report.created - report.updated


def _create_people(
    rows: list[Row], people: dict[str, User], teams: dict[str, Team], actor, reason: str
) -> None:
    """Insert new people, then point those whose manager is also new at them (the file
    may name a manager after their reports), then write one history record each, so
    the record of creation shows the manager."""
    new_people = [
        User(
            email=r.email,
            name=r.name,
            title=r.title,
            team=teams.get(r.team),
            manager=people.get(r.manager_email),
            start_date=r.start_date,
            timezone=r.timezone,
            password="!",
        )
        for r in rows
    ]
    User.objects.bulk_create(new_people, batch_size=1000)
    if new_people[0].pk is None:  # a backend that does not return ids
        ids = dict(
            User.objects.filter(email__in=[r.email for r in rows]).values_list("email", "pk")
        )
        for person in new_people:
            person.pk = ids[person.email]
    people.update({p.email: p for p in new_people})
    later = []
    for person, row in zip(new_people, rows, strict=True):
        if row.manager_email and person.manager_id is None:
            person.manager = people[row.manager_email]
            later.append(person)
    if later:
        User.objects.bulk_update(later, ["manager"], batch_size=1000)
    User.history.bulk_history_create(
        new_people, batch_size=1000, default_user=actor, default_change_reason=reason
    )


def _teams_for(rows: list[Row], report: ImportReport, actor) -> dict[str, Team]:
    names = {r.team for r in rows if r.team}
    teams = {t.name: t for t in Team.objects.filter(name__in=names)}
    missing = [Team(name=n) for n in sorted(names - teams.keys())]
    if missing:
        bulk_create_with_history(
            missing, Team, default_user=actor, default_change_reason="people import"
        )
        teams = {t.name: t for t in Team.objects.filter(name__in=names)}
        report.teams_created = len(missing)
    return teams


def _update_person(
    person: User, row: Row, teams: dict[str, Team], people: dict[str, User]
) -> set[str]:
    """Copy the row onto the person; the names of the fields that changed."""
    target = {
        "name": row.name,
        "title": row.title,
        "team": teams[row.team].pk if row.team else None,
        "manager": people[row.manager_email].pk if row.manager_email else None,
        "start_date": row.start_date,
        "timezone": row.timezone,
    }
    changed = set()
    for name, value in target.items():
        attr = person._meta.get_field(name).attname
        if getattr(person, attr) != value:
            setattr(person, attr, value)
            changed.add(name)
    return changed
