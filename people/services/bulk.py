"""The person lifecycle for many people at once: the CSV import, the admin's
actions on a selection and the daily sweep of last days. The single-person
services in lifecycle.py come here for leaving and returning, so each event
has one implementation; a batch announces each event once, with every id.

Callers have checked the rows (the import checks a whole file in one pass,
reporting loops with people.rules.reporting_loop); these write and announce.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .. import hooks
from ..errors import ApplicationError
from ..history import history_bulk_update
from ..models import User
from ..rules import last_day_has_come, organisation_today

SWEEP_CHUNK = 200


@transaction.atomic
def people_create_many(
    people: list[User], *, new_managers: dict[str, str] | None = None, actor=None, reason=""
) -> list[User]:
    """Insert checked, unsaved people; `new_managers` maps the email of someone
    whose manager is also new in this batch to that manager's email (a file
    may list a manager after their reports). One history record each, written
    once the manager is set, and person_added announced once for all."""
    if not people:
        return []
    for person in people:
        # Unusable, as set_unusable_password makes it, without its random
        # suffix: 10,000 of those cost most of a second.
        person.password = UNUSABLE_PASSWORD_PREFIX
    User.objects.bulk_create(people, batch_size=1000)
    if people[0].pk is None:  # a backend that does not return ids
        ids = dict(
            User.objects.filter(email__in=[p.email for p in people]).values_list("email", "pk")
        )
        for person in people:
            person.pk = ids[person.email]
            person._state.adding = False
    by_email = {p.email: p for p in people}
    later = []
    for email, manager_email in (new_managers or {}).items():
        by_email[email].manager = by_email[manager_email]
        later.append(by_email[email])
    if later:
        User.objects.bulk_update(later, ["manager"], batch_size=1000)
    User.history.bulk_history_create(
        people, batch_size=1000, default_user=actor, default_change_reason=reason
    )
    hooks.people_added([p.pk for p in people])
    last_days_set([p for p in people if p.end_date])
    return people


@transaction.atomic
def people_update_many(changes: list[tuple[User, dict]], *, actor=None, reason="") -> list[User]:
    """Apply checked changes ({field name: value}) to many people in a few
    queries, with history; a last day set, moved or cleared here is announced
    as in person_update (and one that has come means leaving now)."""
    changed: list[User] = []
    fields: set[str] = set()
    fields_of: dict[int, set[str]] = {}
    last_day_changed: list[User] = []
    now = timezone.now()  # bulk_update skips auto_now: the API's updated_since needs it
    for person, values in changes:
        if not values:
            continue
        for name, value in values.items():  # a relation may be given by its id
            setattr(person, attname(name), value)
        person.updated_at = now
        changed.append(person)
        fields |= values.keys()
        fields_of[person.pk] = set(values)
        if "end_date" in values and person.is_active:
            last_day_changed.append(person)
    if changed:
        # Only the columns that differ somewhere: each one costs a CASE per row.
        bulk_update_with_history(
            changed,
            User,
            [*sorted(fields), "updated_at"],
            batch_size=1000,
            default_user=actor,
            default_change_reason=reason,
        )
    hooks.people_changed(fields_of)  # once for the whole batch
    last_days_set(last_day_changed)
    return changed


def attname(field_name: str) -> str:
    return User._meta.get_field(field_name).get_attname()  # type: ignore[union-attr]


def last_days_set(people: list[User]) -> None:
    """After a last day was set, moved or cleared for active people: announce
    it (person_leaving; cleared, they are not leaving any more), and those
    whose day has already come leave at once."""
    hooks.people_leaving([p.pk for p in people])
    due = [p for p in people if last_day_has_come(p.end_date)]
    if due:
        people_deactivate_many(due)


@transaction.atomic
def people_deactivate_many(
    people: Iterable[User], *, last_days: Mapping[int, dt.date] | None = None
) -> list[User]:
    """They have left: no more sign-in, sessions ended, rows and history kept.
    Each one's last day is the one given in `last_days` (by id), else the one
    known if it has come, else today; a last day still to come is refused
    (they leave on it by themselves). Announces person_leaving for those
    whose last day changed and person_left for those who were active;
    returns the people changed."""
    today = organisation_today()
    last_days = last_days or {}
    for end_date in last_days.values():
        if not last_day_has_come(end_date, today=today):
            raise ApplicationError(
                f"The last day {end_date.isoformat()} is still to come: keep them active and "
                "they leave on that day, or give today's date to end it now.",
                field="end_date",
            )
    new_last_day, left = [], []
    for person in people:
        if person.is_active:
            left.append(person)
        known = person.end_date if last_day_has_come(person.end_date, today=today) else None
        last_day = last_days.get(person.pk) or known or today
        if person.end_date != last_day:
            person.end_date = last_day
            new_last_day.append(person)
    changed = list({p.pk: p for p in [*left, *new_last_day]}.values())
    _people_write(changed, is_active=False)
    sessions_end(person_ids={p.pk for p in left})
    hooks.people_leaving([p.pk for p in new_last_day])
    hooks.people_left([p.pk for p in left])
    return changed


@transaction.atomic
def people_reactivate_many(people: Iterable[User]) -> list[User]:
    """Rehired, or deactivated by mistake: sign-in works again and the last
    day is cleared. What was handed over when they left stays handed over."""
    returned = [person for person in people if not person.is_active]
    for person in returned:
        person.end_date = None
    _people_write(returned, is_active=True)
    hooks.people_returned([p.pk for p in returned])
    return returned


def _people_write(people: list[User], *, is_active: bool) -> None:
    """Save leaving or returning (their last days already set on the rows) in
    a fixed number of queries, whatever the count: what all share in one
    UPDATE, the last days in one more when they differ (a file's leavers),
    and one history row each, recorded as a save would (whoever made the
    request, the row's own change reason)."""
    same: dict[str, object] = {"is_active": is_active, "updated_at": timezone.now()}
    last_days = {person.end_date for person in people}
    if len(last_days) == 1:
        same["end_date"] = last_days.pop()
    history_bulk_update(people, same=same, each=[] if "end_date" in same else ["end_date"])


def sessions_end(*, person_ids: set[int]) -> int:
    """Delete these people's sessions. Django's database sessions are not
    indexed by user, so the live ones are decoded, once for all the people;
    the sign-in backends already refuse them, this removes what is left."""
    if not person_ids:
        return 0
    wanted = {str(pk) for pk in person_ids}
    ids = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) in wanted
    ]
    Session.objects.filter(pk__in=ids).delete()
    return len(ids)


def last_days_sweep(*, today: dt.date | None = None) -> int:
    """Deactivate everyone still active whose last day has come (the daily
    beat task). Durable and safe to run twice: a chunk at a time, each in its
    own transaction with its rows locked and the rule asked again, so a
    crash keeps what was done and a second run finds nothing left to do.
    Returns how many people left."""
    today = today or organisation_today()
    due = list(
        User.objects.filter(is_active=True, end_date__lte=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    left = 0
    for start in range(0, len(due), SWEEP_CHUNK):
        with transaction.atomic():
            people = User.objects.select_for_update().filter(
                pk__in=due[start : start + SWEEP_CHUNK], is_active=True, end_date__lte=today
            )
            left += len(people_deactivate_many(list(people)))
    return left
