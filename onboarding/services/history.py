"""Creation records for rows inserted in bulk, in one query however many rows.

bulk_create() records no history, and simple_history's bulk helpers insert
the records in batches of about 40 rows on SQLite (Django caps a query at 999
parameters there), so a plan's query count would grow with its items. One
INSERT ... SELECT copies the rows the database already holds instead.
"""

from django.db import connection
from django.db.models import BigIntegerField, CharField, DateTimeField, QuerySet, Value
from django.utils import timezone


def history_record_created(*, rows: QuerySet, by=None, reason: str = "") -> None:
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
    columns = [historical._meta.get_field(name).column for name in [*tracked, *stamps]]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(historical._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({quoted}) {sql}", params)
