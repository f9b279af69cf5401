"""Reading a people CSV: the file, its header and each row on its own, every
problem with its line and column. Checks across rows and the writes are in
people/imports.py.

Header: email,name,title,team,manager_email,start_date,timezone (line 1),
optionally end_date and active (for leavers, in any order).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.limits import PEOPLE_CSV_MAX_BYTES, size_in_words

from .models import timezone_names
from .rules import last_day_has_come, leaving_conflict

COLUMNS = ["email", "name", "title", "team", "manager_email", "start_date", "timezone"]
OPTIONAL_COLUMNS = ["end_date", "active"]  # leavers; either may be left out
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
REQUIRED = ("email", "name")  # a tuple: problems come out in a stable order
MAX_FILE_BYTES = PEOPLE_CSV_MAX_BYTES
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}


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
        return self.line, ALL_COLUMNS.index(self.column) + 1 if self.column in ALL_COLUMNS else 0


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
    end_date: date | None = None
    end_date_given: bool = False  # the file has an end_date column
    active: bool | None = None  # None: not said (no column, or an empty cell)

    def leaves_now(self, today: date) -> bool:
        """The row says this person has gone: active false, or a last day come."""
        return self.active is False or (
            self.end_date is not None and last_day_has_come(self.end_date, today=today)
        )


@dataclass(frozen=True)
class Leaver:
    name: str
    email: str
    why: str  # "missing from the file", "line 12: active is false", ...

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.why})"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    last_days_set: int = 0  # a last day still to come
    returned: int = 0
    skipped: int = 0  # rows for people who left before ever being added here
    leavers: list[Leaver] = field(default_factory=list)  # deactivated by this import
    needs_confirmation: bool = False  # more leavers than the safety share
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        text = (
            f"{self.rows} rows: {self.created} people {verb} created, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.teams_created} teams {verb} created."
        )
        leaving = [
            (self.last_days_set, f"{self.last_days_set} last day(s) to come {verb} set"),
            (len(self.leavers), f"{len(self.leavers)} people {verb} deactivated (leavers)"),
            (self.returned, f"{self.returned} people {verb} reactivated"),
            (self.skipped, f"{self.skipped} rows of people who left before being added skipped"),
        ]
        said = [words for count, words in leaving if count]
        return text + (" " + "; ".join(said) + "." if said else "")


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


def read_rows(text: str, problems: list[Problem], *, today: date) -> list[Row]:
    """Parse and check each row on its own; cross-row checks come after, on the same rows.
    `today` is the organisation's, for rows whose last day and "active" disagree."""
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
        values = {c: given.get(c, "") for c in header}  # a short row: the rest empty
        row = _check_row(line_of_row, line, values, problems)
        row.end_date_given = "end_date" in header
        _check_leaving(row, today, problems)
        rows.append(row)
    return rows


def _header_problem(header: list[str], problems: list[Problem]) -> bool:
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in ALL_COLUMNS]
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
    problems.append(
        Problem(
            1,
            "",
            "; ".join(parts)
            + f"; expected: {','.join(COLUMNS)} (and optionally {', '.join(OPTIONAL_COLUMNS)})",
        )
    )
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
    values = {c: values.get(c, "").strip() for c in ALL_COLUMNS}
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
    start = _date(line, "start_date", values["start_date"], problems)
    end = _date(line, "end_date", values["end_date"], problems)
    if start and end and end < start:
        problems.append(
            Problem(line, "end_date", f"the last day {end} is before the first ({start})")
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
    row = Row(
        line, email, values["name"], values["title"], values["team"], manager_email, start, tz
    )
    row.end_date, row.active = end, _active(line, values["active"], problems)
    return row


def _date(line: int, column: str, value: str, problems) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(line, column, f'"{value[:100]}" is not a date as YYYY-MM-DD'))
        return None


def _active(line: int, value: str, problems) -> bool | None:
    word = value.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    if word:
        problems.append(
            Problem(
                line,
                "active",
                f'"{value[:100]}" is not true or false (yes/no and 1/0 work too; '
                "leave it empty to keep them as they are)",
            )
        )
    return None


def _check_leaving(row: Row, today: date, problems) -> None:
    conflict = leaving_conflict(end_date=row.end_date, active=row.active, today=today)
    if conflict:
        problems.append(Problem(row.line, "active", conflict))


def _reported(problems: list[Problem], column: str) -> bool:
    return any(p.column == column for p in problems)


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
