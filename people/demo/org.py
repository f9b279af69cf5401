"""Who is who in the demo organisation, decided without touching the database:
a fixed seed, so every run draws the same people (see build_org)."""

import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .content import (
    ADMIN_EMAIL,
    DEPARTMENTS,
    ENGINEERING,
    HR_EMAIL,
    IC_TITLES,
    NAME_POOLS,
    NEW_HIRES,
    PEOPLE,
    REMOTE_TIMEZONES,
    SEED,
    SQUAD_SIZE,
    SQUADS,
    TEAM_DESCRIPTIONS,
    Squad,
)


@dataclass(frozen=True)
class TeamSpec:
    name: str
    parent: str | None
    description: str
    level: int  # 0 for a top team: parents are written before children


@dataclass
class PersonSpec:
    email: str
    name: str
    title: str
    team: str | None
    manager: str | None  # the manager's email
    start_date: date
    timezone: str
    level: int  # 0 for the top of a reporting line: managers are written first
    is_staff: bool = False
    is_superuser: bool = False
    people_team: bool = False


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    name: str
    title: str


Years = tuple[float, float, float]  # (at least, at most, most often) years ago


@dataclass
class _Org:
    """The organisation as it is drawn, before anything is written."""

    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    people: list[PersonSpec] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # emails and names already used

    def hire(
        self, title: str, team: str, manager: PersonSpec | None, *, tz: str, years_ago: Years
    ) -> PersonSpec:
        """A new person with a fresh name, who started `years_ago` (see started())."""
        name, email = self._new_name()
        person = PersonSpec(
            email=email,
            name=name,
            title=title,
            team=team,
            manager=manager.email if manager else None,
            start_date=self.started(years_ago),
            timezone=tz,
            level=manager.level + 1 if manager else 0,
        )
        self.people.append(person)
        return person

    def _new_name(self) -> tuple[str, str]:
        while True:  # about 1,700 combinations for 210 people: ends quickly
            firsts, lasts = self.rng.choice(NAME_POOLS)
            first, last = self.rng.choice(firsts), self.rng.choice(lasts)
            email = f"{_ascii(first)}.{_ascii(last)}@example.com"
            name = f"{first} {last}"
            if email not in self.taken and name not in self.taken:
                self.taken.update({email, name})
                return name, email

    def started(self, years_ago: Years) -> date:
        """A past Monday between the first two bounds, most often around the third.
        Counted in weeks from this week's Monday, so a rerun in the same week
        changes nothing, and a later one keeps everyone's tenure."""
        least, most, usually = years_ago
        weeks = self.rng.triangular(least * 52, most * 52, usually * 52)
        return self.today - timedelta(days=self.today.weekday(), weeks=round(weeks))

    def home(self, squad: Squad) -> str:
        if self.rng.random() < 0.1:
            return self.rng.choice(REMOTE_TIMEZONES)
        return self.rng.choice(squad.timezones)


def _ascii(text: str) -> str:
    """'Søren' -> 'soren', for an email address."""
    text = text.translate(str.maketrans("øØłŁ", "oOlL"))
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode().lower().replace(" ", "")


def team_specs() -> list[TeamSpec]:
    tops = [(ENGINEERING, None, 0), (PEOPLE, None, 0)]
    departments = [(d.name, ENGINEERING, 1) for d in DEPARTMENTS]
    squads = [(s.name, s.department, 2) for s in SQUADS]
    return [
        TeamSpec(name, parent, TEAM_DESCRIPTIONS[name], level)
        for name, parent, level in [*tops, *departments, *squads]
    ]


def build_org(*, today: date) -> list[PersonSpec]:
    """Everyone in the demo, managers before their reports. Same seed, same people."""
    org = _Org(today=today)
    org.taken.update({HR_EMAIL, ADMIN_EMAIL})
    cto = org.hire("CTO", ENGINEERING, None, tz="Europe/London", years_ago=(7, 8, 8))
    for department in DEPARTMENTS:
        tz = department.timezone
        head = org.hire(department.head_title, department.name, cto, tz=tz, years_ago=(3, 7, 5))
        org.hire(department.principal_title, department.name, head, tz=tz, years_ago=(2, 7, 4))
        for squad in SQUADS:
            if squad.department == department.name:
                _staff_squad(org, squad, head)
    _hire_people_team(org)
    _start_next_week(org)
    return org.people


def _staff_squad(org: _Org, squad: Squad, head: PersonSpec) -> None:
    """An engineering manager; in bigger teams, tech-lead managers each with a
    squad; the remaining engineers report to the manager directly."""
    manager_title = "Design Manager" if squad.discipline == "design" else "Engineering Manager"
    manager = org.hire(manager_title, squad.name, head, tz=squad.timezones[0], years_ago=(1, 6, 3))
    leads = [
        org.hire("Tech Lead Manager", squad.name, manager, tz=org.home(squad), years_ago=(1, 5, 2))
        for _ in range(max(0, (squad.engineers - 6) // SQUAD_SIZE))
    ]
    titles, weights = zip(*IC_TITLES[squad.discipline], strict=True)
    for n in range(squad.engineers):
        lead = leads[n // SQUAD_SIZE] if n // SQUAD_SIZE < len(leads) else manager
        # Most of the company joined in the last few years: it is growing.
        title = org.rng.choices(titles, weights)[0]
        org.hire(title, squad.name, lead, tz=org.home(squad), years_ago=(0.05, 7, 1))


def _hire_people_team(org: _Org) -> None:
    head = org.hire("Head of People", PEOPLE, None, tz="Europe/London", years_ago=(4, 6, 5))
    hr = PersonSpec(
        email=HR_EMAIL,
        name="Harriet Ross",
        title="People Partner",
        team=PEOPLE,
        manager=head.email,
        start_date=org.started((1, 4, 2)),
        timezone="Europe/London",
        level=head.level + 1,
    )
    org.people.append(hr)
    org.hire("Talent Partner", PEOPLE, head, tz="America/New_York", years_ago=(0.5, 3, 1))
    org.hire("People Operations Specialist", PEOPLE, head, tz="Asia/Kolkata", years_ago=(0.5, 3, 1))
    for person in org.people:
        if person.team == PEOPLE:
            person.is_staff = person.people_team = True
    admin = PersonSpec(
        email=ADMIN_EMAIL,
        name="Demo Admin",
        title="Administrator",
        team=None,
        manager=None,
        start_date=org.started((5, 6, 6)),
        timezone="UTC",
        level=0,
        is_staff=True,
        is_superuser=True,
    )
    org.people.append(admin)


def _start_next_week(org: _Org) -> None:
    """A few engineers, each in a different team, start between next Monday and Friday,
    so onboarding has someone to onboard whatever day the demo is seeded."""
    next_monday = org.today + timedelta(days=7 - org.today.weekday())
    managers = {person.manager for person in org.people}
    squads = {squad.name for squad in SQUADS}
    engineers = defaultdict(list)
    for person in org.people:
        if person.team in squads and person.email not in managers:
            engineers[person.team].append(person)
    teams = org.rng.sample(sorted(engineers), NEW_HIRES)
    for n, team in enumerate(teams):
        new_hire = org.rng.choice(engineers[team])
        new_hire.start_date = next_monday + timedelta(days=(0, 0, 1, 0, 2)[n % 5])


def _manager_spec(by_email: dict[str, PersonSpec], spec: PersonSpec) -> PersonSpec:
    if spec.manager is None:
        raise ValueError(f"{spec.email} has no manager in the demo organisation")
    return by_email[spec.manager]


def logins_of(specs: list[PersonSpec], today: date) -> list[Login]:
    """One account per role a demo walks through."""
    by_email = {s.email: s for s in specs}
    cto = specs[0]
    # An engineer at the bottom of the longest chain, and the manager of their tech lead.
    engineer = next(s for s in specs if s.level == 4 and s.start_date <= today)
    manager = _manager_spec(by_email, _manager_spec(by_email, engineer))
    new_hire = min((s for s in specs if s.start_date > today), key=lambda s: (s.start_date, s.name))
    chosen = [
        ("people team", by_email[HR_EMAIL]),
        ("admin", by_email[ADMIN_EMAIL]),
        ("CTO", cto),
        ("manager", manager),
        ("engineer", engineer),
        ("new hire", new_hire),
    ]
    return [Login(role, s.email, s.name, s.title) for role, s in chosen]
