"""manage.py seed_demo, rotations part: a cycle open for sign-up now with a few
dozen valid sign-ups, a closed past cycle with published pairs, check-ins and
feedback, and nothing more on a second run."""

import pytest
from django.utils import timezone

from ladders.selectors.commitments import active_commitments, commitment_limit
from ladders.selectors.standing import current_placements
from mentorship.models import (
    CheckIn,
    Feedback,
    MatchRun,
    Notification,
    Pairing,
    Preference,
    Role,
    RotationCycle,
    SignUp,
)
from mentorship.selectors.signups import cycle_competencies
from people.selectors import manager_chain_ids
from tests.demo import seed_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_allowed")]

LEVEL_ORDER = ["L1", "L2", "L3", "M1", "L4", "M2", "L5", "M3"]  # the default ladder


def counts() -> dict[str, int]:
    models = [RotationCycle, SignUp, Preference, MatchRun, Pairing, CheckIn, Feedback]
    figures = {model.__name__: model.objects.count() for model in models}
    figures["SignUp competencies"] = SignUp.competencies.through.objects.count()
    figures["Pairing history"] = Pairing.history.count()
    figures["RotationCycle history"] = RotationCycle.history.count()
    return figures


def level_of(signups) -> dict[int, str]:
    placements = current_placements(person_ids=[s.person_id for s in signups])
    return {s.pk: placements[s.person_id].level.code for s in signups}


def test_it_opens_a_cycle_for_sign_up_today_with_a_few_dozen_valid_sign_ups():
    output = seed_demo()
    cycle = RotationCycle.objects.get(name="Winter rotation")
    today = timezone.localdate()
    assert cycle.status == RotationCycle.Status.OPEN
    assert cycle.signup_opens_on <= today <= cycle.signup_closes_on
    assert cycle.starts_on > today
    signups = list(cycle.signups.filter(status=SignUp.Status.ACTIVE))
    assert len(signups) >= 24
    assert "Winter rotation (open for sign-up" in output
    levels = level_of(signups)
    mentors = [s for s in signups if s.role == Role.MENTOR]
    mentees = [s for s in signups if s.role == Role.MENTEE]
    assert len(mentors) >= 8 and len(mentees) >= 16
    for mentor in mentors:
        assert LEVEL_ORDER.index(levels[mentor.pk]) >= LEVEL_ORDER.index("L3")
        assert 1 <= mentor.capacity <= 2
        assert mentor.project_title and mentor.project_outcome
        assert mentor.competencies.exists()
    for mentee in mentees:
        assert levels[mentee.pk] in {"L1", "L2", "L3"}
        assert mentee.competencies.exists() and mentee.goals
    allowed = set(cycle_competencies(cycle=cycle))
    assert all(set(s.competencies.all()) <= allowed for s in signups)
    assert all(active_commitments(person=s.person) < commitment_limit() for s in signups)
    ranked = Preference.objects.filter(mentee__cycle=cycle)
    assert ranked.exists()
    assert all(p.mentor.role == Role.MENTOR and p.mentor.cycle_id == cycle.pk for p in ranked)
    assert all(p.mentor.person_id != p.mentee.person_id and p.rank <= 3 for p in ranked)


def test_it_closes_a_past_cycle_with_published_pairs_check_ins_and_feedback():
    seed_demo()
    cycle = RotationCycle.objects.get(name="Autumn rotation")
    assert cycle.status == RotationCycle.Status.CLOSED
    assert cycle.ends_on < timezone.localdate()
    assert cycle.runs.get().status == MatchRun.Status.DONE
    pairings = list(cycle.pairings.select_related("mentor__person", "mentee__person"))
    assert len(pairings) >= 5
    assert {p.status for p in pairings} == {Pairing.Status.PUBLISHED}
    for pairing in pairings:
        mentor, mentee = pairing.mentor.person, pairing.mentee.person
        assert mentor.team_id != mentee.team_id
        assert mentor.pk not in manager_chain_ids(person_id=mentee.pk)
        assert pairing.explanation
    assert Feedback.objects.filter(pairing__cycle=cycle).count() >= 5
    assert CheckIn.objects.filter(pairing__cycle=cycle).count() >= 5
    # The demo publishes without emailing anyone.
    assert not Notification.objects.exists()


def test_the_demo_engineer_has_a_rotation_to_look_at():
    output = seed_demo()
    assert "marco.romano@example.com" in output  # the engineer the command prints
    paired = Pairing.objects.filter(
        cycle__name="Autumn rotation",
        status=Pairing.Status.PUBLISHED,
        mentee__person__email="marco.romano@example.com",
    ).exists()
    signed_up = SignUp.objects.filter(
        cycle__name="Winter rotation",
        status=SignUp.Status.ACTIVE,
        person__email="marco.romano@example.com",
    ).exists()
    assert paired or signed_up


def test_a_second_run_changes_nothing():
    seed_demo()
    before = counts()
    output = seed_demo()
    assert counts() == before
    assert "Autumn rotation (closed" in output and "already there" in output
