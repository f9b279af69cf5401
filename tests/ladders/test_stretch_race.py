"""Seats are never oversold when many people apply at the same moment. Only a
real database with row locks shows the race, so this runs on PostgreSQL."""

import datetime as dt

import pytest
from django.utils import timezone

from ladders.models import StretchParticipation
from ladders.services.stretch import stretch_apply
from tests.ladders.factories import StretchAssignmentFactory
from tests.people.factories import UserFactory
from tests.races import run_together

APPLICANTS = 20
SEATS = 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_accepts_exactly_3_of_20_concurrent_applications_for_3_seats():
    today = timezone.localdate()
    assignment = StretchAssignmentFactory(
        seats=SEATS, starts_on=today + dt.timedelta(days=7), ends_on=today + dt.timedelta(days=60)
    )
    people = UserFactory.create_batch(APPLICANTS)
    outcomes = run_together(
        [
            lambda person=person: stretch_apply(
                assignment=assignment, person=person, motivation="Me, please."
            )
            for person in people
        ],
        success="seat",
    )

    held = StretchParticipation.objects.filter(
        assignment=assignment, status__in=StretchParticipation.HOLDS_SEAT
    )
    refused = [o for o in outcomes if "seats are taken" in o]
    assert len(outcomes) == APPLICANTS, outcomes
    assert outcomes.count("seat") == SEATS, outcomes
    assert held.count() == SEATS
    assert len(refused) == APPLICANTS - SEATS, outcomes
