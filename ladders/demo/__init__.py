"""Demo data for ladders (run by `manage.py seed_demo` after the people):
the default engineering ladder, everyone placed on it, finalised assessments
for most people and a dozen open stretch assignments. Safe to run again."""

import datetime as dt
import random
import zlib
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ..exchange import check, parse_text
from ..models import (
    Assessment,
    Competency,
    CompetencyRating,
    Ladder,
    Level,
    Placement,
    Revision,
    Side,
    StretchAssignment,
    StretchParticipation,
)
from ..services.revisions import ladder_import, published_revision
from .content import STRETCH_IDEAS, TITLE_LEVELS

DEFAULT_LADDER = Path(__file__).parent.parent / "data" / "engineering.yml"
CHANGE_REASON = "demo seed"


def seed(org) -> str:
    """Called by seed_demo with the people it made; returns a summary line."""
    revision = _ladder()
    levels = {level.code: level for level in revision.levels.all()}
    rng = random.Random(2026)
    people = [p for p in org.people.values() if p.email != "hr@example.com" and not p.is_superuser]
    placed = _place(people, levels, rng)
    assessed = _assess(people, revision, rng)
    posted = _stretch(org, revision, rng)
    return (
        f"Ladders: {revision.ladder.name} r{revision.number}; {placed} placed, "
        f"{assessed} assessed, {posted} stretch assignments posted."
    )


def _ladder() -> Revision:
    ladder = Ladder.objects.filter(slug="engineering").first()
    current = published_revision(ladder=ladder) if ladder else None
    if current:
        return current
    data = check(parse_text(DEFAULT_LADDER.read_text(encoding="utf-8")))
    return ladder_import(data=data, publish=True)


def _level_for(person, levels: dict[str, Level], rng) -> Level:
    for word, code in TITLE_LEVELS:
        if word in person.title and code in levels:
            return levels[code]
    recent = person.start_date and person.start_date > dt.date.today() - dt.timedelta(days=500)
    return levels["L1"] if recent and rng.random() < 0.6 else levels["L2"]


def _place(people, levels, rng) -> int:
    already = set(Placement.objects.values_list("person_id", flat=True))
    new = [
        Placement(
            person=p,
            level=_level_for(p, levels, rng),
            since=max(p.start_date or dt.date(2024, 1, 1), dt.date(2023, 1, 2)),
        )
        for p in people
        if p.pk not in already
    ]
    bulk_create_with_history(new, Placement, default_change_reason=CHANGE_REASON)
    return len(new)


def _assess(people, revision, rng) -> int:
    """Finalised assessments for about four in five people who have a manager."""
    done = set(Assessment.objects.values_list("person_id", flat=True))
    placements = {p.person_id: p.level for p in Placement.objects.select_related("level")}
    competencies = list(Competency.objects.filter(revision=revision))
    candidates = [
        p
        for p in people
        # Chosen by email, not by the shared generator, so a rerun picks nobody new.
        if p.manager_id
        and p.pk not in done
        and p.pk in placements
        and zlib.crc32(p.email.encode()) % 5 != 0
    ]
    now = timezone.now()
    assessments = bulk_create_with_history(
        [
            Assessment(
                person=p,
                manager_id=p.manager_id,
                level=placements[p.pk],
                status=Assessment.Status.FINAL,
                self_submitted_at=now,
                manager_submitted_at=now,
                finalised_at=now - dt.timedelta(days=rng.randint(5, 120)),
                summary="Calibrated in the demo review cycle.",
            )
            for p in candidates
        ],
        Assessment,
        default_change_reason=CHANGE_REASON,
    )
    if assessments and assessments[0].pk is None:
        assessments = list(Assessment.objects.filter(person__in=candidates))
    ratings = []
    for assessment in assessments:
        for competency in competencies:
            manager = rng.choices([1, 2, 3, 4], weights=[1, 4, 9, 3])[0]
            own = max(1, min(4, manager + rng.choice([-1, 0, 0, 1])))
            ratings += [
                CompetencyRating(
                    assessment=assessment,
                    competency=competency,
                    side=Side.SELF,
                    rating=own,
                    evidence=_evidence(competency, own),
                ),
                CompetencyRating(
                    assessment=assessment,
                    competency=competency,
                    side=Side.MANAGER,
                    rating=manager,
                    evidence=_evidence(competency, manager),
                ),
            ]
    bulk_create_with_history(
        ratings, CompetencyRating, batch_size=2000, default_change_reason=CHANGE_REASON
    )
    return len(assessments)


def _evidence(competency, rating) -> str:
    return {
        1: f"Not yet visible in {competency.name.lower()}; pair on it next quarter.",
        2: f"Some good moments in {competency.name.lower()}, not yet consistent.",
        3: f"Consistently solid {competency.name.lower()} across the last projects.",
        4: f"Leads others in {competency.name.lower()}; ready for the next level.",
    }[rating]


def _stretch(org, revision, rng) -> int:
    existing = set(StretchAssignment.objects.values_list("title", flat=True))
    manager_ids = {p.manager_id for p in org.people.values() if p.manager_id}
    managers = [p for p in org.people.values() if p.pk in manager_ids]
    managers.sort(key=lambda m: m.pk)
    competencies = {c.code: c for c in Competency.objects.filter(revision=revision)}
    today = dt.date.today()
    posted = 0
    for i, (title, code, hours, seats) in enumerate(STRETCH_IDEAS):
        if title in existing:
            continue
        poster = managers[i * 7 % len(managers)]
        assignment = StretchAssignment.objects.create(
            title=title,
            posted_by=poster,
            team=poster.team,
            hours_per_week=hours,
            seats=seats,
            description=f"{title}. A focused piece of work over a few weeks, with the poster as "
            "sponsor and a clear outcome to show at the end.",
            starts_on=today + dt.timedelta(days=7 + i * 3),
            ends_on=today + dt.timedelta(days=60 + i * 5),
            cross_functional=i % 3 == 0,
        )
        assignment.competencies.set(
            [c for k, c in competencies.items() if k == code] or list(competencies.values())[:1]
        )
        _apply_some(assignment, org, rng)
        posted += 1
    return posted


def _apply_some(assignment, org, rng) -> None:
    """A few applications, never more than the seats."""
    applicants = [
        p
        for p in org.people.values()
        if p.manager_id
        and p.pk != assignment.posted_by_id
        and not p.email.startswith(("hr@", "admin@"))
    ]
    for person in rng.sample(applicants, k=min(assignment.seats - 1, len(applicants))):
        if StretchParticipation.objects.filter(
            Q(person=person) & Q(status=StretchParticipation.Status.APPLIED)
        ).exists():
            continue
        StretchParticipation.objects.create(
            assignment=assignment, person=person, motivation="I want to grow in this area."
        )
