"""Reads for the check-in and feedback pages: the pairing with what the page
shows, and the person's own answers (never anyone else's)."""

from ..models import CheckIn, Feedback, Pairing


def pairing_get(*, pairing_id: int) -> Pairing:
    return Pairing.objects.select_related(
        "cycle", "mentor__person__team", "mentee__person__team"
    ).get(pk=pairing_id)


def checkin_of(*, pairing: Pairing, person) -> CheckIn | None:
    return CheckIn.objects.filter(pairing=pairing, person=person).first()


def feedback_of(*, pairing: Pairing, author) -> Feedback | None:
    return Feedback.objects.filter(pairing=pairing, author=author).first()
