"""The demo organisation behind `manage.py seed_demo`: about 210 people in 19
teams, four levels of management, new hires starting next week, a people-team
account and an admin, all with one known password.

`build_org()` decides who is who without touching the database (a fixed seed, so
every run draws the same people); `seed_people()` makes the database match it,
keyed by email, so running it again creates nothing. Later seeding steps
(ladders, mentorship, onboarding) start from the `DemoOrg` it returns.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.timezone import localdate
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ..models import Team, User
from .content import ADMIN_EMAIL, CHANGE_REASON, DEMO_PASSWORD, HR_EMAIL
from .org import Login, PersonSpec, TeamSpec, build_org, logins_of, team_specs

__all__ = [
    "ADMIN_EMAIL",
    "CHANGE_REASON",
    "DEMO_PASSWORD",
    "HR_EMAIL",
    "DemoOrg",
    "Login",
    "build_org",
    "seed_people",
]

# A fixed salt gives the same hash on every run, so a rerun compares strings
# instead of checking 200 passwords (slow by design). The password is public
# anyway. At least 22 characters: Django re-hashes on login below 128 bits.
_DEMO_SALT = "growthdemo2026growthdemo"


@dataclass
class DemoOrg:
    """What seed_people wrote, for the command to print and later steps to use."""

    people: dict[str, User]  # by email
    teams: dict[str, Team]  # by name
    logins: list[Login]
    created: int = 0
    updated: int = 0
    password: str = DEMO_PASSWORD


@transaction.atomic
def seed_people(*, today: date | None = None) -> DemoOrg:
    """Make the demo people and teams match build_org(); create what is missing,
    update what drifted, leave everyone else alone."""
    today = today or localdate()
    specs = build_org(today=today)
    teams = _sync_teams(team_specs())
    people, created, updated = _sync_people(specs, teams)
    group, _ = Group.objects.get_or_create(name=settings.PEOPLE_TEAM_GROUP)
    group.user_set.add(*(people[s.email] for s in specs if s.people_team))
    _verify_emails(list(people.values()))
    return DemoOrg(
        people=people, teams=teams, logins=logins_of(specs, today), created=created, updated=updated
    )


def _by_level(specs):
    levels = defaultdict(list)
    for spec in specs:
        levels[spec.level].append(spec)
    return [levels[level] for level in sorted(levels)]


def _sync_teams(specs: list[TeamSpec]) -> dict[str, Team]:
    teams = Team.objects.in_bulk([s.name for s in specs], field_name="name")
    for wave in _by_level(specs):  # parents first, so a new team is written once
        missing = [
            Team(name=s.name, parent=teams.get(s.parent), description=s.description)
            for s in wave
            if s.name not in teams
        ]
        if missing:
            created = bulk_create_with_history(missing, Team, default_change_reason=CHANGE_REASON)
            teams.update({team.name: team for team in created})
    changed = [
        teams[s.name]
        for s in specs
        if _copy_onto(
            teams[s.name],
            {
                "parent_id": teams[s.parent].pk if s.parent else None,
                "description": s.description,
            },
        )
    ]
    if changed:
        bulk_update_with_history(
            changed, Team, ["parent", "description"], default_change_reason=CHANGE_REASON
        )
    return teams


def _sync_people(
    specs: list[PersonSpec], teams: dict[str, Team]
) -> tuple[dict[str, User], int, int]:
    password = make_password(DEMO_PASSWORD, salt=_DEMO_SALT)
    people = User.objects.in_bulk([s.email for s in specs], field_name="email")
    created = 0
    for wave in _by_level(specs):  # managers first, so a new person is written once
        missing = [
            User(email=s.email, password=password, **_fields(s, teams, people))
            for s in wave
            if s.email not in people
        ]
        if missing:
            saved = bulk_create_with_history(
                missing, User, batch_size=500, default_change_reason=CHANGE_REASON
            )
            people.update({person.email: person for person in saved})
            created += len(missing)
    changed = [
        people[s.email]
        for s in specs
        if _copy_onto(people[s.email], {**_fields(s, teams, people), "password": password})
    ]
    if changed:
        bulk_update_with_history(
            changed,
            User,
            [*_PERSON_FIELDS, "password"],
            batch_size=500,
            default_change_reason=CHANGE_REASON,
        )
    return people, created, len(changed)


_PERSON_FIELDS = [
    "name",
    "title",
    "team",
    "manager",
    "start_date",
    "timezone",
    "is_active",
    "is_staff",
    "is_superuser",
]


def _fields(spec: PersonSpec, teams: dict[str, Team], people: dict[str, User]) -> dict:
    return {
        "name": spec.name,
        "title": spec.title,
        "team_id": teams[spec.team].pk if spec.team else None,
        "manager_id": people[spec.manager].pk if spec.manager else None,
        "start_date": spec.start_date,
        "timezone": spec.timezone,
        "is_active": True,
        "is_staff": spec.is_staff,
        "is_superuser": spec.is_superuser,
    }


def _copy_onto(obj, values: dict) -> bool:
    """Set the values on obj; True if any of them differed."""
    changed = False
    for attr, value in values.items():
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    return changed


def _verify_emails(people: list[User]) -> None:
    """Sign-in needs a verified address (ACCOUNT_EMAIL_VERIFICATION is mandatory)."""
    known = set(EmailAddress.objects.filter(user__in=people).values_list("user_id", "email"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=p, email=p.email, verified=True, primary=True)
            for p in people
            if (p.pk, p.email) not in known
        ],
        ignore_conflicts=True,  # an address someone else holds: leave it to them
    )
    EmailAddress.objects.filter(user__in=people, email__in=[p.email for p in people]).exclude(
        verified=True, primary=True
    ).update(verified=True, primary=True)
