"""A withdrawn mentor never stays as someone's preference, whatever the timing.
Mentees pick a mentor at the very moment that mentor withdraws; only a real
database with row locks shows the race, so this runs on PostgreSQL."""

import datetime as dt

import pytest
from django.utils import timezone

from mentorship.models import Preference, SignUp
from mentorship.selectors.signups import signup_get
from mentorship.services.signups import signup_preferences_replace, signup_withdraw
from tests.mentorship.factories import MentorSignUpFactory, RotationCycleFactory, SignUpFactory
from tests.races import run_together

MENTEES = 19
ROUNDS = 2


def open_cycle():
    today = timezone.localdate()
    return RotationCycleFactory(
        signup_opens_on=today - dt.timedelta(days=5),
        signup_closes_on=today + dt.timedelta(days=10),
        starts_on=today + dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=80),
    )


def race(mentor: SignUp, mentees: list[SignUp]) -> list[str]:
    """Every mentee names the mentor first while the mentor withdraws, all at once."""

    def prefer(mentee):
        return lambda: signup_preferences_replace(signup=mentee, by=mentee.person, mentors=[mentor])

    actions = [prefer(mentee) for mentee in mentees]
    actions.insert(len(actions) // 2, lambda: signup_withdraw(signup=mentor, by=mentor.person))
    return run_together(actions)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_no_preference_points_at_a_mentor_who_withdrew_during_the_choice(round_):
    cycle = open_cycle()
    mentor = MentorSignUpFactory(cycle=cycle)
    mentees = SignUpFactory.create_batch(MENTEES, cycle=cycle)

    outcomes = race(mentor, mentees)

    mentor.refresh_from_db()
    assert mentor.status == SignUp.Status.WITHDRAWN
    assert len(outcomes) == MENTEES + 1, outcomes
    assert not [o for o in outcomes if o.startswith("unexpected")], outcomes
    refused = [o for o in outcomes if o != "done"]
    assert all("may just have withdrawn" in o for o in refused), outcomes
    assert not Preference.objects.filter(mentor=mentor).exists()
    for mentee in mentees:  # what each mentee's page shows
        assert list(signup_get(signup_id=mentee.pk).preferences.all()) == []
