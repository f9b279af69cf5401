"""Drop the history rows that record no change: every sign-in used to add one
to the person's history (a save of last_login, which the history leaves out)."""

from django.db import migrations

BATCH = 2000


def drop_empty_rows(apps, schema_editor):
    historical = apps.get_model("people", "HistoricalUser")
    tracked = [
        f.attname
        for f in historical._meta.concrete_fields
        if not f.name.startswith("history_") and f.name != "history_id"
    ]
    previous: dict[int, dict] = {}
    empty: list[int] = []
    rows = historical.objects.order_by("id", "history_date", "history_id").values(
        "history_id", "history_type", *tracked
    )
    for row in rows.iterator(chunk_size=BATCH):
        values = {name: row[name] for name in tracked}
        if row["history_type"] == "~" and previous.get(row["id"]) == values:
            empty.append(row["history_id"])
        previous[row["id"]] = values
    for start in range(0, len(empty), BATCH):
        historical.objects.filter(history_id__in=empty[start : start + BATCH]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_people_team_group")]

    operations = [migrations.RunPython(drop_empty_rows, migrations.RunPython.noop)]
