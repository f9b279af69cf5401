"""Create or update people from an outside system (the API, SCIM), through
people/services/ only, so a person added here starts onboarding exactly
as one added in the admin.

A row is matched by its employee id when it has one, else by email; a row
matched by email links its employee id. Rows are applied managers first, so
a batch may hold a manager and their reports in any order. The whole batch
loads what it needs in a fixed number of queries, and a row that changes
nothing writes nothing: an unchanged re-sync is reads only.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core.errors import ApplicationError
from people.models import Team, User
from people.services.lifecycle import (
    UNSET,
    person_create,
    person_deactivate,
    person_reactivate,
    person_update,
)
from people.services.teams import team_create

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class RowError(Exception):
    index: int
    field: str
    message: str


@dataclass
class Outcome:
    index: int
    person: User
    status: str
    changed: list[str] = field(default_factory=list)


@dataclass
class _Lookup:
    by_email: dict[str, User]
    by_employee_id: dict[str, User]
    teams: dict[str, Team]
    by_id: dict[int, User] = field(default_factory=dict)

    def person(self, *, email: str | None, employee_id: str | None, pk=None) -> User | None:
        if pk is not None:
            return self.by_id.get(int(pk))
        if employee_id and employee_id in self.by_employee_id:
            return self.by_employee_id[employee_id]
        if email:
            return self.by_email.get(email.lower())
        return None

    def forget(self, person: User, email: str) -> None:
        if self.by_email.get(email) is person:
            del self.by_email[email]

    def remember(self, person: User) -> None:
        self.by_id[person.pk] = person
        self.by_email[person.email] = person
        if person.employee_id:
            self.by_employee_id[person.employee_id] = person


def _keys(rows: list[dict]) -> tuple[set[str], set[str], set[int]]:
    emails, employee_ids, ids = set(), set(), set()
    for row in rows:
        for key in ("match_id", "manager_id"):
            if row.get(key):
                ids.add(int(row[key]))
        for key in ("email", "match_email", "manager_email"):
            if row.get(key):
                emails.add(row[key].lower())
        for key in ("employee_id", "manager_employee_id"):
            if row.get(key):
                employee_ids.add(row[key])
    return emails, employee_ids, ids


def _load(rows: list[dict]) -> _Lookup:
    emails, employee_ids, ids = _keys(rows)
    people = User.objects.select_related("team").filter(
        Q(email__in=emails) | Q(employee_id__in=employee_ids) | Q(pk__in=ids)
    )
    lookup = _Lookup({}, {}, {})
    for person in people:
        lookup.remember(person)
    names = {row["team"] for row in rows if row.get("team")}
    lookup.teams = {team.name: team for team in Team.objects.filter(name__in=names)}
    return lookup


def _managers_first(rows: list[dict]) -> list[int]:
    """Row indexes ordered so a manager in the batch comes before their reports
    (a loop keeps its rows in place; the service then refuses it)."""
    key_of = {}
    for index, row in enumerate(rows):
        if row.get("employee_id"):
            key_of[("e", row["employee_id"])] = index
        if row.get("email"):
            key_of[("m", row["email"].lower())] = index

    def manager_of(index: int) -> int | None:
        row = rows[index]
        manager = key_of.get(("e", row.get("manager_employee_id")))
        if manager is None:
            manager = key_of.get(("m", (row.get("manager_email") or "").lower()))
        return manager

    done: set[int] = set()
    order: list[int] = []
    for first in range(len(rows)):
        # Walk up to the highest manager not yet placed, then place downwards
        # (iteratively: a chain may be deeper than Python's recursion limit).
        chain: list[int] = []
        seen: set[int] = set()
        step: int | None = first
        while step is not None and step not in done and step not in seen:
            seen.add(step)
            chain.append(step)
            step = manager_of(step)
        for index in reversed(chain):
            done.add(index)
            order.append(index)
    return order


def _team(row: dict, lookup: _Lookup):
    if "team" not in row:
        return UNSET
    name = (row["team"] or "").strip()
    if not name:
        return None
    if name not in lookup.teams:
        lookup.teams[name] = team_create(name=name)
    return lookup.teams[name]


def _manager(index: int, row: dict, lookup: _Lookup):
    keys = ("manager_email", "manager_employee_id", "manager_id")
    if not any(key in row for key in keys):
        return UNSET
    email, employee_id = row.get("manager_email"), row.get("manager_employee_id")
    if not any(row.get(key) for key in keys):
        return None
    if row.get("manager_id"):
        manager = lookup.person(email=None, employee_id=None, pk=row["manager_id"])
        if manager is None:
            raise RowError(index, "manager", f"No person with id {row['manager_id']}.")
        return manager
    manager = lookup.person(email=email, employee_id=employee_id)
    if manager is None:
        which = "manager_employee_id" if employee_id else "manager_email"
        raise RowError(
            index, which, f"No person with {which.split('_', 1)[1]} {employee_id or email}."
        )
    return manager


def _given(row: dict, key: str):
    return row.get(key, UNSET)


def _apply(index: int, row: dict, lookup: _Lookup, *, create: bool) -> Outcome:
    email, employee_id = row.get("email"), row.get("employee_id")
    person = lookup.person(
        email=row.get("match_email") or email, employee_id=employee_id, pk=row.get("match_id")
    )
    team, manager = _team(row, lookup), _manager(index, row, lookup)
    if person is None:
        if not create:
            raise RowError(index, "email", "No such person.")
        return _create(index, row, lookup, team=team, manager=manager)
    if employee_id and person.employee_id and person.employee_id != employee_id:
        raise RowError(
            index,
            "employee_id",
            f"{person.email} has employee id {person.employee_id}, not {employee_id}.",
        )
    # Back first, so a last day given with the return is kept (returning clears it).
    returned = row.get("active") is True and person_reactivate(person=person)
    changed = person_update(
        person=person,
        email=_given(row, "email"),
        name=_given(row, "name"),
        title=_given(row, "title"),
        team=team,
        manager=manager,
        start_date=_given(row, "start_date"),
        end_date=_given(row, "end_date"),
        timezone_name=_given(row, "timezone"),
        employee_id=_given(row, "employee_id") if employee_id else UNSET,
    )
    if returned or _active_change(person, row):
        changed.append("active")
    if "email" in changed and row.get("match_email"):
        lookup.forget(person, row["match_email"].lower())
    lookup.remember(person)
    return Outcome(index, person, UPDATED if changed else UNCHANGED, changed)


def _create(index: int, row: dict, lookup: _Lookup, *, team, manager) -> Outcome:
    for required in ("email", "name"):
        if not row.get(required):
            raise RowError(
                index,
                required,
                f"A new person needs {'an' if required == 'email' else 'a'} {required}.",
            )
    person = person_create(
        email=row["email"],
        name=row["name"],
        title=row.get("title") or "",
        team=None if team is UNSET else team,
        manager=None if manager is UNSET else manager,
        start_date=row.get("start_date"),
        end_date=row.get("end_date"),
        timezone_name=row.get("timezone") or "UTC",
        employee_id=row.get("employee_id"),
    )
    _active_change(person, row)
    lookup.remember(person)
    return Outcome(index, person, CREATED)


def _active_change(person: User, row: dict) -> bool:
    """active false: leaving now (a last day that has come may already have
    made them leave, in person_update or person_create)."""
    if row.get("active") is not False or not person.is_active:
        return False
    return person_deactivate(person=person, end_date=row.get("end_date"))


def _api_name(model_field: str) -> str:
    return {"timezone": "timezone", "is_active": "active", "__all__": "non_field_errors"}.get(
        model_field, model_field
    )


def people_upsert(*, rows: list[dict], create: bool = True) -> list[Outcome]:
    """Apply every row or none: the first refused row raises RowError naming
    its index and field, and the transaction rolls back."""
    with transaction.atomic():
        lookup = _load(rows)
        outcomes = []
        for index in _managers_first(rows):
            try:
                outcomes.append(_apply(index, rows[index], lookup, create=create))
            except ApplicationError as error:
                raise RowError(index, error.field or "non_field_errors", error.message) from None
            except ValidationError as error:
                field_name, messages = next(iter(error.message_dict.items()))
                raise RowError(index, _api_name(field_name), " ".join(messages)) from None
        return sorted(outcomes, key=lambda o: o.index)


# --- Recognising unchanged rows before any validation ------------------------------
# A nightly sync sends everyone, and almost everyone is unchanged. What is stored
# was valid when it was stored, so a raw row equal to it needs no validation and
# no write; only the others go through the serializer and the services.


# The stored values compared with a raw row, read as plain values (no model
# instances: building them is most of the cost of 1,000 unchanged rows).
STORED = {
    "id": "pk",
    "email": "email",
    "employee_id": "employee_id",
    "name": "name",
    "title": "title",
    "team": "team__name",
    "manager_email": "manager__email",
    "manager_employee_id": "manager__employee_id",
    "start_date": "start_date",
    "end_date": "end_date",
    "timezone": "timezone",
    "active": "is_active",
}


def _same(row: dict, stored: dict) -> bool:
    for key, value in row.items():
        if key not in STORED or key == "id":
            return False  # an unknown key: let the serializer say so
        current = stored[key]
        if hasattr(current, "isoformat"):
            current = current.isoformat()
        if key in ("email", "manager_email") and isinstance(value, str):
            value = value.strip().lower()
        elif isinstance(value, str):
            value = value.strip()
        if value in ("", None) and current in ("", None):
            continue
        if value != current:
            return False
    return True


def unchanged_rows(raw_rows: list) -> dict[int, tuple[int, str]]:
    """{index: (person id, email)} for the raw rows that would change nothing,
    in one query."""
    rows = [r for r in raw_rows if isinstance(r, dict)]
    emails = {r["email"].lower() for r in rows if isinstance(r.get("email"), str)}
    employee_ids = {r["employee_id"] for r in rows if isinstance(r.get("employee_id"), str)}
    found = _stored_values(emails, employee_ids)
    by_email = {p["email"]: p for p in found}
    by_employee_id = {p["employee_id"]: p for p in found if p["employee_id"]}
    same = {}
    for index, row in enumerate(raw_rows):
        if not isinstance(row, dict):
            continue
        stored = by_employee_id.get(row.get("employee_id")) if row.get("employee_id") else None
        if stored is None and isinstance(row.get("email"), str):
            stored = by_email.get(row["email"].lower())
        if stored is not None and _same(row, stored):
            same[index] = (stored["id"], stored["email"])
    return same


def _stored_values(emails: set[str], employee_ids: set[str]) -> list[dict]:
    paths = list(STORED.values())
    people = User.objects.filter(Q(email__in=emails) | Q(employee_id__in=employee_ids))
    return [dict(zip(STORED, values, strict=True)) for values in people.values_list(*paths)]
