"""Demo data for rotations (run by `manage.py seed_demo` after the ladders): a
past cycle, closed, with published pairs, check-ins and feedback, and a cycle
open for sign-up now with a few dozen sign-ups. Safe to run again.

Sign-ups, check-ins and feedback are written in bulk, a fixed number of
queries whatever the size of the organisation, after the same checks the
services make (level rules, commitment limit, valid answers); the match is
the real matching service, and cycles move through the real status service."""

import datetime as dt
import random
from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from ladders.models import Ladder

from ..models import CheckIn, Feedback, MatchRun, Pairing, RotationCycle, SignUp
from ..services.cycles import cycle_move
from ..services.matching_run import match_run_execute
from .content import AUTUMN, CHECKIN_NOTES, LEARNED, WINTER, CycleSpec
from .signups import CHANGE_REASON, managers_above, sign_up

SEED = 2026
HR_EMAIL = "hr@example.com"
Status = RotationCycle.Status


def seed(org) -> str:
    """Called by seed_demo with the people it made; returns a summary line."""
    ladder = Ladder.objects.get(slug="engineering")
    existing = set(
        RotationCycle.objects.filter(name__in=[AUTUMN.name, WINTER.name]).values_list(
            "name", flat=True
        )
    )
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    engineer = org.people[_login(org, "engineer")]
    if AUTUMN.name not in existing:
        _seed_past_cycle(org, ladder, monday, engineer=engineer)
    if WINTER.name not in existing:
        _seed_open_cycle(org, ladder, monday, engineer=engineer)
    return "Rotations: " + "; ".join(
        _describe(cycle, cycle.name in existing) for cycle in _with_counts()
    )


def _login(org, role: str) -> str:
    return next(login.email for login in org.logins if login.role == role)


def _reports_of(org, manager) -> list:
    """Everyone under the manager, by email."""
    manager_of = {p.pk: p.manager_id for p in org.people.values()}
    return sorted(
        (p for p in org.people.values() if manager.pk in managers_above(p.pk, manager_of)),
        key=lambda p: p.email,
    )


def _with_counts():
    return (
        RotationCycle.objects.filter(name__in=[AUTUMN.name, WINTER.name])
        .annotate(
            signup_count=Count(
                "signups", filter=Q(signups__status=SignUp.Status.ACTIVE), distinct=True
            ),
            pair_count=Count(
                "pairings", filter=Q(pairings__status=Pairing.Status.PUBLISHED), distinct=True
            ),
            answer_count=Count("pairings__feedback", distinct=True),
        )
        .order_by("starts_on")
    )


class CycleCounts(TypedDict):
    signup_count: int
    pair_count: int
    answer_count: int


if TYPE_CHECKING:  # django-stubs-ext is a dev dependency: for mypy only
    from django_stubs_ext import WithAnnotations

    CycleWithCounts: TypeAlias = WithAnnotations[RotationCycle, CycleCounts]


def _describe(cycle: "CycleWithCounts", existed: bool) -> str:
    facts = f"{cycle.get_status_display().lower()}, {cycle.signup_count} sign-ups"
    if cycle.pair_count:
        facts += f", {cycle.pair_count} published pairs, {cycle.answer_count} feedback answers"
    return f"{cycle.name} ({facts}{', already there' if existed else ''})"


# --- the cycles ------------------------------------------------------------------


def _new_cycle(spec: CycleSpec, ladder, *, starts: dt.date, opens: dt.date, closes: dt.date):
    """A cycle of six weeks (Monday to Friday) with rules for the default ladder."""
    return RotationCycle.objects.create(
        name=spec.name,
        theme=spec.theme,
        description=spec.description,
        signup_opens_on=opens,
        signup_closes_on=closes,
        starts_on=starts,
        ends_on=starts + dt.timedelta(weeks=6, days=-3),
        status=Status.OPEN,
        ladder=ladder,
        mentor_min_level="L3",
        mentee_min_level="L1",
        mentee_max_level="L3",
        min_level_gap=1,
        default_mentor_capacity=1,
        require_cross_team=True,
        repeat_window=2,
        max_mentees_per_team=3,
    )


def _seed_open_cycle(org, ladder, monday: dt.date, *, engineer) -> RotationCycle:
    """Sign-up opened last Monday and closes on Friday next week; the rotation
    starts in two weeks."""
    cycle = _new_cycle(
        WINTER,
        ladder,
        starts=monday + dt.timedelta(weeks=2),
        opens=monday - dt.timedelta(weeks=1),
        closes=monday + dt.timedelta(days=11),
    )
    # The demo accounts stay free to sign up themselves, and the demo manager's
    # page shows their reports' sign-ups. The demo engineer is signed up only
    # if the past cycle left them unpaired: they have something to see either way.
    leave_out = {login.email for login in org.logins}
    first = _reports_of(org, org.people[_login(org, "manager")])
    paired = Pairing.objects.filter(
        cycle__name=AUTUMN.name, status=Pairing.Status.PUBLISHED, mentee__person=engineer
    ).exists()
    if not paired:
        leave_out.discard(engineer.email)
        first.insert(0, engineer)
    people = [p for p in org.people.values() if p.email not in leave_out]
    rng = random.Random(f"{SEED}-{WINTER.name}")
    sign_up(cycle, people, rng, WINTER, first_mentees=first)
    return cycle


def _seed_past_cycle(org, ladder, monday: dt.date, *, engineer) -> RotationCycle:
    """Signed up, matched, published, run and closed, fifteen to nine weeks ago."""
    starts = monday - dt.timedelta(weeks=15)
    cycle = _new_cycle(
        AUTUMN,
        ladder,
        starts=starts,
        opens=starts - dt.timedelta(weeks=4),
        closes=starts - dt.timedelta(days=10),
    )
    rng = random.Random(f"{SEED}-{AUTUMN.name}")
    sign_up(cycle, list(org.people.values()), rng, AUTUMN, first_mentees=[engineer])
    hr = org.people[HR_EMAIL]
    pairings = _match_and_publish(cycle, hr)
    cycle_move(cycle=cycle, to=Status.ACTIVE, by=hr)
    _check_in(cycle, pairings, rng)
    cycle_move(cycle=cycle, to=Status.CLOSED, by=hr)
    # The demo engineer's own feedback is left for them to give.
    _give_feedback(pairings, rng, leave_out={engineer.pk})
    _backdate(cycle)
    return cycle


def _match_and_publish(cycle: RotationCycle, hr) -> list[Pairing]:
    """The real matching service, run here rather than by a worker; published
    without the notification task: nobody should be emailed about a demo."""
    cycle_move(cycle=cycle, to=Status.MATCHING, by=hr)
    run = MatchRun.objects.create(cycle=cycle, requested_by=hr)
    match_run_execute(match_run_id=run.pk)
    run.refresh_from_db()
    if run.status != MatchRun.Status.DONE:
        raise RuntimeError(f"The demo match of {cycle} failed: {run.error}")
    pairings = list(run.pairings.select_related("mentor__person", "mentee__person").order_by("pk"))
    published = _at(cycle.signup_closes_on + dt.timedelta(days=3), 10)
    for pairing in pairings:
        pairing.status = Pairing.Status.PUBLISHED
        pairing.published_at = published
    bulk_update_with_history(
        pairings,
        Pairing,
        ["status", "published_at"],
        default_user=hr,
        default_change_reason=CHANGE_REASON,
    )
    cycle_move(cycle=cycle, to=Status.PUBLISHED, by=hr)
    return pairings


def _check_in(cycle: RotationCycle, pairings: list[Pairing], rng: random.Random) -> None:
    moods, weights = list(CHECKIN_NOTES), [7, 3, 1]
    answered = _at(cycle.checkin_on, 16)
    rows = []
    for pairing in pairings:
        for person in (pairing.mentor.person, pairing.mentee.person):
            if rng.random() < 0.85:
                mood = rng.choices(moods, weights)[0]
                note = rng.choice(CHECKIN_NOTES[mood])
                rows.append(
                    CheckIn(
                        pairing=pairing, person=person, mood=mood, note=note, answered_at=answered
                    )
                )
    CheckIn.objects.bulk_create(rows)


def _give_feedback(pairings: list[Pairing], rng: random.Random, *, leave_out: set[int]) -> None:
    landed = list(Feedback.Landed)
    rows = []
    for pairing in pairings:
        for person in (pairing.mentor.person, pairing.mentee.person):
            if person.pk in leave_out or rng.random() > 0.75:
                continue
            rows.append(
                Feedback(
                    pairing=pairing,
                    author=person,
                    project_landed=rng.choices(landed, [6, 3, 1])[0],
                    learned=rng.choice(LEARNED),
                    would_pair_again=rng.random() < 0.85,
                )
            )
    Feedback.objects.bulk_create(rows)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _backdate(cycle: RotationCycle) -> None:
    """Timestamps the database sets to now, moved to the cycle's past dates."""
    closed = _at(cycle.signup_closes_on + dt.timedelta(days=1), 9)
    cycle.signups.update(created_at=_at(cycle.signup_opens_on, 11), updated_at=closed)
    cycle.runs.update(created_at=closed, started_at=closed, finished_at=closed)
    Feedback.objects.filter(pairing__cycle=cycle).update(
        submitted_at=_at(cycle.ends_on + dt.timedelta(days=3), 15)
    )
