"""The person lifecycle for one person: joining, changing (reporting lines
included), leaving and returning, as every entry point (admin, import, API,
SCIM) goes through it. Leaving and returning have their one implementation
in bulk.py, called here with one person."""

import datetime as dt
import itertools

from django.db import transaction

from .. import hooks
from ..errors import ApplicationError
from ..models import Team, User
from ..rules import reporting_loop
from ..selectors import manager_chain_ids
from . import bulk


def reporting_loop_error(*, person: User, manager: User | None) -> str | None:
    """The reason a manager change would make a loop, or None if it would not."""
    if manager is None or person.pk is None:
        return None
    if manager.pk == person.pk:
        return f"{person} cannot be their own manager."
    chain = [manager.pk, *manager_chain_ids(person_id=manager.pk)]
    manager_of = {**dict(itertools.pairwise(chain)), person.pk: manager.pk}
    if reporting_loop(person.pk, manager_of.get):
        return (
            f"{manager} already reports to {person} (directly or further down), "
            f"so {person} cannot report to {manager}: that would make a loop."
        )
    return None


@transaction.atomic
def person_set_manager(*, person: User, manager: User | None) -> User:
    error = reporting_loop_error(person=person, manager=manager)
    if error:
        raise ApplicationError(error, field="manager")
    changed = person.manager_id != (manager.pk if manager else None)
    person.manager = manager
    person.save(update_fields=["manager", "updated_at"])
    if changed:
        hooks.people_changed({person.pk: {"manager"}})
    return person


@transaction.atomic
def person_create(
    *,
    email: str,
    name: str,
    title: str = "",
    team: Team | None = None,
    manager: User | None = None,
    start_date=None,
    timezone_name: str = "UTC",
    employee_id: str | None = None,
    end_date=None,
) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise ApplicationError(f"{email} already belongs to someone.", field="email")
    person = User(
        email=email.strip().lower(),
        name=name.strip(),
        title=title.strip(),
        team=team,
        manager=manager,
        start_date=start_date,
        end_date=end_date,
        timezone=timezone_name,
        employee_id=(employee_id or "").strip() or None,
    )
    person.set_unusable_password()
    person.full_clean()
    person.save()
    hooks.people_added([person.pk])
    if end_date is not None:
        bulk.last_days_set([person])
    return person


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()  # "leave as it is", distinct from None ("clear it")


def person_update(
    *,
    person: User,
    email: str | _Unset = UNSET,
    name: str | _Unset = UNSET,
    title: str | _Unset = UNSET,
    team: Team | _Unset | None = UNSET,
    manager: User | _Unset | None = UNSET,
    start_date: dt.date | _Unset | None = UNSET,
    end_date: dt.date | _Unset | None = UNSET,
    timezone_name: str | _Unset = UNSET,
    employee_id: str | _Unset | None = UNSET,
) -> list[str]:
    """Change what is given and return the names of the fields that changed.
    Nothing changed saves nothing (no history row, updated_at kept), so the
    same update sent twice by a sync is a no-op the second time."""
    wanted = {
        "email": email if isinstance(email, _Unset) else email.strip().lower(),
        "name": name if isinstance(name, _Unset) else name.strip(),
        "title": title if isinstance(title, _Unset) else title.strip(),
        "team": team,
        "manager": manager,
        "start_date": start_date,
        "end_date": end_date,
        "timezone": timezone_name,
        "employee_id": (
            employee_id
            if isinstance(employee_id, _Unset)
            else ((employee_id or "").strip() or None)
        ),
    }
    changed = [
        field
        for field, value in wanted.items()
        if not isinstance(value, _Unset) and _current(person, field) != _comparable(value)
    ]
    if not changed:
        # Decided before any transaction: a sync of thousands of unchanged
        # people costs no savepoint per person.
        return []
    _person_apply(person=person, wanted=wanted, changed=changed)
    return changed


def _current(person: User, field: str):
    # Relations compare by id, so an unchanged manager costs no query.
    return (
        getattr(person, f"{field}_id") if field in ("team", "manager") else getattr(person, field)
    )


def _comparable(value):
    return value.pk if isinstance(value, (User, Team)) else value


@transaction.atomic
def _person_apply(*, person: User, wanted: dict, changed: list[str]) -> None:
    if "email" in changed and (
        User.objects.filter(email__iexact=wanted["email"]).exclude(pk=person.pk).exists()
    ):
        raise ApplicationError(f"{wanted['email']} already belongs to someone.", field="email")
    if "manager" in changed:
        error = reporting_loop_error(person=person, manager=wanted["manager"])
        if error:
            raise ApplicationError(error, field="manager")
    for field in changed:
        setattr(person, field, wanted[field])
    person.full_clean()
    person.save(update_fields=[*changed, "updated_at"])
    hooks.people_changed({person.pk: set(changed)})
    if "end_date" in changed and person.is_active:
        # Set, moved or cleared: announced; leaving now if the day has come.
        bulk.last_days_set([person])


def person_deactivate(*, person: User, end_date: dt.date | None = None) -> bool:
    """The person has left: they can no longer sign in and their sessions end.
    Rows are never deleted; history stays. Every way of leaving (SCIM, the
    API, the import, the admin, the sweep of last days) comes here or to its
    batch form, bulk.people_deactivate_many, which holds the rule;
    the hand-overs follow from the events it announces (people/hooks.py).
    Returns whether anything changed."""
    last_days = {person.pk: end_date} if end_date else None
    return bool(bulk.people_deactivate_many([person], last_days=last_days))


def person_reactivate(*, person: User) -> bool:
    """Rehired, or deactivated by mistake: sign-in works again. What was
    handed over when they left stays handed over."""
    return bool(bulk.people_reactivate_many([person]))


@transaction.atomic
def person_set_access(*, person: User, is_staff: bool, is_superuser: bool) -> list[str]:
    """Who may use the admin: not a lifecycle event, but a write all the same."""
    wanted = {"is_staff": is_staff, "is_superuser": is_superuser}
    changed = [field for field, value in wanted.items() if getattr(person, field) != value]
    for field in changed:
        setattr(person, field, wanted[field])
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    return changed
