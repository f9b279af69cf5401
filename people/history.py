"""History that reads like an audit log: django-simple-history, minus the rows
that record no change.

simple-history writes a row on every save. Signing in saves ``last_login``
(which User's history leaves out), so each sign-in used to add an empty
"Changed" row; a form saved without edits did the same. Here a save adds a
row only when a tracked field differs from the latest row. Every model with
a history uses this class instead of simple-history's own.

history_record_created() writes the "created" rows of rows inserted in bulk,
in one INSERT ... SELECT however many rows: bulk_create() records no history,
and simple-history's bulk helpers build one history object per row in Python
and insert them in batches (about 40 rows a query on SQLite), so a plan's
query count would grow with its items and a match run of 10,000 pairings
would take seconds.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import BigIntegerField, CharField, DateTimeField, Model, QuerySet, Value
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from core.fields import column

if TYPE_CHECKING:
    from .models import User

UNTRACKED = {"updated_at"}


class MeaningfulHistoricalRecords(HistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not self._changed(instance, kwargs.get("update_fields")):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _changed(self, instance, update_fields) -> bool:
        # updated_at changes on every save (it serves API syncs): not a change.
        tracked = {
            field.name: field.attname
            for field in self.fields_included(instance)
            if field.name not in UNTRACKED
        }
        if update_fields is not None and not set(update_fields) & set(tracked):
            return False  # e.g. save(update_fields=["last_login"]): no query needed
        manager = getattr(instance, self.manager_name)
        latest = manager.order_by("-history_date", "-history_id").values(*tracked.values()).first()
        if latest is None:
            return True  # created before its history (e.g. by a raw import): record it
        return any(latest[attname] != getattr(instance, attname) for attname in tracked.values())


class HistoryStamps:
    """What simple-history reads from an instance as it saves, declared for mypy
    (simple-history ships no types): set ``_history_user`` before ``save()`` to
    record who changed it where no request says so; ``_history_date`` and
    ``_change_reason`` likewise. Every model with a history lists this first."""

    _history_user: "User | None"
    _history_date: dt.datetime
    _change_reason: str


def history_record_created(*, rows: QuerySet, by=None, reason: str | None = None) -> None:
    """Write one "created" history record for each row of `rows`."""
    historical = rows.model.history.model
    tracked = [field.attname for field in historical.tracked_fields]
    stamps = {
        "history_date": Value(timezone.now(), output_field=DateTimeField()),
        "history_change_reason": Value(reason, output_field=CharField()),
        "history_type": Value("+", output_field=CharField()),
        "history_user_id": Value(by.pk if by else None, output_field=BigIntegerField()),
    }
    # Annotation names must not clash with model fields: prefix them.
    select = rows.order_by().annotate(**{f"_{name}": value for name, value in stamps.items()})
    select = select.values_list(*tracked, *(f"_{name}" for name in stamps))
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column(historical, name)) for name in [*tracked, *stamps])
    table = quote(historical._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def history_bulk_update(
    rows: Sequence[Model],
    *,
    same: Mapping[str, object],
    each: Sequence[str] = (),
    reason: str | None = None,
) -> None:
    """simple-history's bulk_update_with_history for `rows` of one model, each
    row's history with its own `_change_reason` (else `reason`), but the
    values every row takes alike (`same`, by attribute name) are written in
    one plain UPDATE: bulk_update's CASE per row and field costs more in
    Python than the database does, for hundreds of rows. `each`: the fields
    whose values differ, already set on the rows."""
    if not rows:
        return
    model = type(rows[0])
    for row in rows:
        for name, value in same.items():
            setattr(row, name, value)
    if same:
        model._default_manager.filter(pk__in=[row.pk for row in rows]).update(**same)
    bulk_update_with_history(rows, model, list(each), default_change_reason=reason)
