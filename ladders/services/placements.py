"""Recording where a person stands: a new placement row; older rows stay as history."""

import datetime as dt

from django.db import transaction

from people.errors import ApplicationError

from ..models import Level, Placement
from ..selectors.standing import CURRENT_FIRST


@transaction.atomic
def placement_record(*, person, level: Level, since: dt.date, recorded_by=None) -> Placement:
    if not level.revision.is_published:
        raise ApplicationError("People are placed on published levels only.", field="level")
    latest = Placement.objects.filter(person=person).order_by(*CURRENT_FIRST).first()
    if latest and latest.level_id == level.pk:
        raise ApplicationError(f"{person} is already at {level.code}.", field="level")
    if latest and since < latest.since:
        raise ApplicationError(
            f"{person} has been at {latest.level.code} since {latest.since}; "
            "a new placement cannot start earlier.",
            field="since",
        )
    placement = Placement(person=person, level=level, since=since, recorded_by=recorded_by)
    if recorded_by is not None:
        placement._history_user = recorded_by  # the audit log says who, outside requests too
    placement.save()
    return placement
