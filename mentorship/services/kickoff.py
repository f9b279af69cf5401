"""Either side of a published pairing proposes another kick-off slot, in
their own timezone: the pairing keeps it and both are sent the invitation
again with the same UID and SEQUENCE + 1, so their calendars move the event."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.jobs import job_enqueue
from core.timezones import zone_of
from people.errors import ApplicationError

from .. import policies
from ..models import Pairing, RotationCycle

OPEN = (RotationCycle.Status.PUBLISHED, RotationCycle.Status.ACTIVE)


@transaction.atomic
def kickoff_propose(*, pairing: Pairing, person, day: dt.date, at: dt.time) -> Pairing:
    """Move the kick-off to ``day`` at ``at`` in ``person``'s timezone."""
    pairing = Pairing.objects.select_for_update().select_related("cycle").get(pk=pairing.pk)
    if not policies.is_pairing_participant(person, pairing):
        raise ApplicationError("Only the mentor and the mentee can move their kick-off.")
    if pairing.status != Pairing.Status.PUBLISHED or pairing.cycle.status not in OPEN:
        raise ApplicationError("This rotation is not running, so its kick-off cannot move.")
    starts_at = dt.datetime.combine(day, at, tzinfo=zone_of(person.timezone))
    if starts_at <= timezone.now():
        raise ApplicationError("Choose a time in the future.", field="day")
    if day > pairing.cycle.ends_on:
        raise ApplicationError(
            f"Choose a day before the rotation ends ({pairing.cycle.ends_on:%d %B %Y}).",
            field="day",
        )
    if pairing.kickoff_at == starts_at:
        return pairing
    pairing.kickoff_at = starts_at
    pairing._history_user = person
    pairing.save(update_fields=["kickoff_at"])
    job_enqueue("mentorship.tasks.kickoff_reinvite_task", pairing.pk, person.pk)
    return pairing
