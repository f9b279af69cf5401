"""History that reads like an audit log: django-simple-history, minus the rows
that record no change.

simple-history writes a row on every save. Signing in saves ``last_login``
(which User's history leaves out), so each sign-in used to add an empty
"Changed" row; a form saved without edits did the same. Here a save adds a
row only when a tracked field differs from the latest row. Every model with
a history uses this class instead of simple-history's own.
"""

import datetime as dt
from typing import TYPE_CHECKING

from simple_history.models import HistoricalRecords

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
