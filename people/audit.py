"""The audit log: who changed what about a person, and when, read from the
django-simple-history tables of every app.

People may not import the apps above it (dependencies point one way), so the
kinds of records each app keeps history for are named in
`settings.AUDIT_KINDS` (config/wiring.py), as the lifecycle's subscribers are. A page of the log
is one UNION query over the kinds (for the page and its count), then two
queries per kind on the page (its rows with what they are about, and the rows
before them to diff against), and one per related model a change names: the
query count does not grow with the rows shown.
"""

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from django.conf import settings
from django.db.models import CharField as CharFieldType
from django.db.models import ForeignKey, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.module_loading import import_string

from core.fields import concrete_field

from .models import User

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}

# A row of a simple-history table. simple-history builds those models at run
# time and ships no types, so mypy cannot know their fields: Any, said once.
HistoryRow: TypeAlias = Any


@dataclass(frozen=True)
class AuditKind:
    """One kind of record in the log, e.g. an assessment or a pairing."""

    key: str
    label: str
    model: type[Model]  # the tracked model (its `history` manager is read)
    person_paths: tuple[str, ...]  # lookups from a history row to the id(s) of whom it is about
    fields: tuple[str, ...]  # the fields whose changes the log shows, in this order
    subject: Callable[[HistoryRow], str]  # a short description of a history row
    about: Callable[
        [HistoryRow], list[tuple[int, str]]
    ]  # (id, name) of whom a history row is about
    select_related: tuple[str, ...] = ()
    hide: Q | None = None  # rows not worth listing

    def history(self) -> Any:
        """The tracked model's simple-history manager (added at run time)."""
        return self.model.history  # type: ignore[attr-defined]  # simple-history adds it

    def rows(self) -> QuerySet:
        rows = self.history().all()
        return rows.exclude(self.hide) if self.hide is not None else rows

    def about_people(self, person_ids) -> Q:
        """Rows about any of these people (ids or a subquery of ids)."""
        query = Q()
        for path in self.person_paths:
            query |= Q(**{f"{path}__in": person_ids})
        return query


@functools.cache
def audit_kinds() -> dict[str, AuditKind]:
    """Every kind the log shows, by key, in the order settings.AUDIT_KINDS
    names them (resolved on first use, when every app is loaded)."""
    return {kind.key: kind for path in settings.AUDIT_KINDS for kind in import_string(path)}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in audit_kinds().values()]


# --- which rows --------------------------------------------------------------------------


def audit_union(parts: dict[str, QuerySet]) -> QuerySet | None:
    """One query over the filtered history rows of every kind, newest first:
    (history_id, history_date, kind) per row, for the paginator to count and slice."""
    selects = [
        # No ORDER BY inside the parts (SQLite refuses it): the union is ordered.
        rows.order_by()
        .annotate(kind_key=Value(key, output_field=CharFieldType()))
        .values_list("history_id", "history_date", "kind_key")
        for key, rows in parts.items()
    ]
    if not selects:
        return None
    union = selects[0].union(*selects[1:], all=True) if len(selects) > 1 else selects[0]
    return union.order_by("-history_date", "-history_id")


# --- what each row says ------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: object
    new: object


@dataclass
class AuditEntry:
    kind: AuditKind
    record: HistoryRow
    action: str
    subject: str
    about: list[tuple[int, str]]
    changes: list[Change] = field(default_factory=list)

    @property
    def at(self):
        return self.record.history_date

    @property
    def by(self):
        return self.record.history_user

    @property
    def reason(self) -> str:
        return self.record.history_change_reason or ""


def audit_entries(page_rows: Iterable[tuple[int, object, str]]) -> list[AuditEntry]:
    """The entries of one page, in the page's order, with what changed."""
    page_rows = list(page_rows)
    ids_by_kind: dict[str, list[int]] = defaultdict(list)
    for history_id, _at, key in page_rows:
        ids_by_kind[key].append(history_id)
    loaded: dict[tuple[str, int], AuditEntry] = {}
    pending: list[tuple[AuditEntry, HistoryRow | None]] = []
    for key, ids in ids_by_kind.items():
        kind = audit_kinds()[key]
        records, previous = _load(kind, ids)
        for record in records:
            entry = AuditEntry(
                kind=kind,
                record=record,
                action=ACTIONS.get(record.history_type, record.history_type),
                subject=kind.subject(record),
                about=kind.about(record),
            )
            loaded[(key, record.history_id)] = entry
            pending.append((entry, previous.get(record.prev_history_id)))
    _describe_changes(pending)
    return [loaded[(key, i)] for i, _at, key in page_rows if (key, i) in loaded]


def _load(kind: AuditKind, ids: list[int]) -> tuple[list[HistoryRow], dict[int, HistoryRow]]:
    """The rows, and for each the row before it of the same record: 2 queries."""
    history = kind.history()
    before = history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    records = list(
        history.filter(history_id__in=ids)
        .select_related("history_user", *kind.select_related)
        .annotate(
            prev_history_id=Subquery(
                before.order_by("-history_date", "-history_id").values("history_id")[:1]
            )
        )
    )
    prev_ids = [r.prev_history_id for r in records if r.prev_history_id is not None]
    previous = history.in_bulk(prev_ids, field_name="history_id") if prev_ids else {}
    return records, previous


def _describe_changes(pending: list[tuple[AuditEntry, HistoryRow | None]]) -> None:
    """Fill in each entry's changes; foreign keys are named with one query per
    related model for the whole page."""
    wanted: dict[type[Model], set] = defaultdict(set)
    raw: list[tuple[AuditEntry, list[tuple]]] = []
    for entry, before in pending:
        triples = _raw_changes(entry, before)
        raw.append((entry, triples))
        for model_field, old, new in triples:
            if isinstance(model_field, ForeignKey):
                wanted[model_field.related_model].update(v for v in (old, new) if v is not None)
    # select_related() follows the required foreign keys, which is what a
    # record's name usually reads (a sign-up names its person and cycle).
    names = {
        model: model._default_manager.select_related().in_bulk(list(pks))
        for model, pks in wanted.items()
    }
    for entry, triples in raw:
        entry.changes = [
            Change(
                label=str(model_field.verbose_name).capitalize(),
                old=_shown(model_field, old, names),
                new=_shown(model_field, new, names),
            )
            for model_field, old, new in triples
        ]


def _raw_changes(entry: AuditEntry, before: HistoryRow | None) -> list[tuple]:
    """(model field, old value, new value) for the kind's fields that differ;
    on creation, the fields given a value; on deletion, none."""
    record, kind = entry.record, entry.kind
    if record.history_type == "-":
        return []
    triples = []
    for name in kind.fields:
        model_field = concrete_field(kind.model, name)
        new = getattr(record, model_field.attname)
        if before is None:
            if new not in (None, "", [], {}):
                triples.append((model_field, None, new))
            continue
        old = getattr(before, model_field.attname)
        if old != new:
            triples.append((model_field, old, new))
    return triples


def _shown(model_field, value, names: dict) -> object:
    """A value as people read it: the choice's label, the related record's name."""
    if value is None or value == "":
        return None
    if isinstance(model_field, ForeignKey):
        related = names.get(model_field.related_model, {}).get(value)
        return str(related) if related is not None else f"(removed #{value})"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j M Y")
    return value


# --- people's own kind (named first in settings.AUDIT_KINDS) ---------------------------------


KINDS = (
    AuditKind(
        key="profile",
        label="Profile and reporting line",
        model=User,
        person_paths=("id",),
        fields=(
            "name",
            "email",
            "title",
            "team",
            "manager",
            "start_date",
            "timezone",
            "is_active",
            "is_staff",
        ),
        subject=lambda h: f"Profile of {h.name or h.email}",
        about=lambda h: [(h.id, h.name or h.email)],
    ),
)


def person(user) -> list[tuple[int, str]]:
    """(id, name) of a related person, for a kind's `about`."""
    return [(user.pk, str(user))] if user is not None else []


def kind_about(*paths: str, select_related: tuple[str, ...] = (), **kind: Any) -> AuditKind:
    """A kind whose rows are about the person at each of ``paths`` from the
    tracked row (``"person"``, ``"mentor__person"``): the paths give the lookups
    that find a person's rows, the names shown, and the joins that load them."""

    def about(row: HistoryRow) -> list[tuple[int, str]]:
        return [entry for path in paths for entry in person(_follow(row, path))]

    return AuditKind(
        person_paths=tuple(f"{path}_id" for path in paths),
        about=about,
        select_related=(*paths, *select_related),
        **kind,
    )


def _follow(row: HistoryRow, path: str) -> Any:
    for name in path.split("__"):
        row = getattr(row, name)
    return row
