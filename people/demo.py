"""The demo organisation behind `manage.py seed_demo`: about 210 people in 19
teams, four levels of management, new hires starting next week, a people-team
account and an admin, all with one known password.

`build_org()` decides who is who without touching the database (a fixed seed, so
every run draws the same people); `seed_people()` makes the database match it,
keyed by email, so running it again creates nothing. Later seeding steps
(ladders, mentorship, onboarding) start from the `DemoOrg` it returns.
"""

import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.timezone import localdate
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import Team, User

SEED = 2026
DEMO_PASSWORD = "growth-demo-2026"
# A fixed salt gives the same hash on every run, so a rerun compares strings
# instead of checking 200 passwords (slow by design). The password is public
# anyway. At least 22 characters: Django re-hashes on login below 128 bits.
_DEMO_SALT = "growthdemo2026growthdemo"
CHANGE_REASON = "demo seed"
HR_EMAIL = "hr@example.com"
ADMIN_EMAIL = "admin@example.com"

# First names | last names, one naming culture per entry: a name is drawn from one
# culture so that it reads like a real person's rather than a random mix.
_NAMES = """
Oliver Amelia Harry Isla Jack Freya George Poppy Callum Niamh Rory Siobhan
    | Smith Jones Taylor Brown Wilson Evans Walsh Murphy Kelly Campbell Hughes Byrne
Lukas Hannah Jonas Lea Felix Anna Maximilian Sophie Jan Marieke Daan Sanne
    | Müller Schmidt Schneider Fischer Weber Becker Hoffmann Jansen Visser Bakker Smit
Lars Ingrid Søren Astrid Mikko Aino Erik Sigrid Henrik Liv Ólafur Saga
    | Andersson Johansson Nielsen Hansen Larsen Virtanen Korhonen Lindqvist Berg Dahl
José Lucía Mateo Valentina Diego Camila Javier Sofía Andrés Carmen Pablo Elena
    | García Martínez López Hernández González Rodríguez Pérez Sánchez Romero Torres
Aarav Priya Rohan Ananya Vikram Kavya Arjun Meera Rahul Divya Karthik Sneha
    | Sharma Patel Iyer Reddy Nair Gupta Singh Menon Rao Desai Kulkarni Banerjee
Wei Li Jun Mei Hao Xin Yu Lan Jie Ying Tao Hui
    | Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Lin Guo
Haruto Yui Sota Aoi Daiki Hina Kenji Sakura Ren Yuki Takumi Emi
    | Sato Suzuki Takahashi Tanaka Watanabe Yamamoto Nakamura Kobayashi Ito Kato
Minjun Jiwoo Seoyeon Jisoo Hyunwoo Jiho Eunji Dohyun Sumin Yejin
    | Kim Lee Park Choi Jung Kang Cho Yoon Han Lim
Chinedu Amara Kwame Ama Tunde Ngozi Kofi Adaeze Emeka Zainab Yaw Funmilayo
    | Okafor Adeyemi Mensah Boateng Okonkwo Eze Asante Balogun Owusu Nwosu Danjuma
Omar Layla Yusuf Fatima Karim Noor Emre Elif Reza Leila Tariq Yasmin
    | Haddad Khalil Nasser Yilmaz Demir Kaya Hosseini Rahimi Aziz Mansour Farah
Łukasz Zofia Piotr Katarzyna Tomasz Agnieszka Kamil Magdalena Jakub Marta
    | Nowak Wójcik Kowalczyk Mazur Krawczyk Kaczmarek Dudek Pawlak
Oleksandr Olena Andriy Iryna Dmytro Oksana Taras Kateryna Bohdan Yulia
    | Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Savchenko
Louis Chloé Hugo Camille Luca Giulia Marco Francesca Théo Manon Matteo Chiara
    | Dubois Moreau Laurent Lefèvre Rossi Russo Ferrari Bianchi Romano Colombo Girard
Ethan Madison Tyler Brianna Jordan Riley Marcus Jasmine Caleb Morgan Darius Avery
    | Johnson Williams Miller Davis Anderson Thomas Jackson White Harris Robinson Clark
"""
NAME_POOLS = [
    tuple(part.split() for part in line.split("|"))
    for line in _NAMES.replace("\n    |", " |").strip().splitlines()
]


# Titles per discipline, junior to senior, with how often each appears.
IC_TITLES = {
    "software": [
        ("Software Engineer", 30),
        ("Senior Software Engineer", 45),
        ("Staff Engineer", 10),
    ],
    "mobile": [
        ("iOS Engineer", 15),
        ("Android Engineer", 15),
        ("Senior iOS Engineer", 20),
        ("Senior Android Engineer", 20),
        ("Staff Engineer", 8),
    ],
    "design": [
        ("Product Designer", 35),
        ("Senior Product Designer", 40),
        ("UX Researcher", 15),
        ("Staff Product Designer", 8),
    ],
    "sre": [
        ("Site Reliability Engineer", 30),
        ("Senior Site Reliability Engineer", 45),
        ("Staff Site Reliability Engineer", 10),
    ],
    "security": [
        ("Security Engineer", 35),
        ("Senior Security Engineer", 45),
        ("Staff Security Engineer", 10),
    ],
    "data": [("Data Engineer", 30), ("Senior Data Engineer", 45), ("Staff Data Engineer", 10)],
    "analytics": [("Data Analyst", 30), ("Data Scientist", 35), ("Senior Data Scientist", 25)],
    "ml": [
        ("Machine Learning Engineer", 30),
        ("Senior Machine Learning Engineer", 35),
        ("Data Scientist", 20),
        ("Staff Machine Learning Engineer", 8),
    ],
}
# A few people work away from their team's hubs.
REMOTE_TIMEZONES = [
    "Europe/Lisbon",
    "America/Toronto",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Singapore",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Europe/Athens",
]


@dataclass(frozen=True)
class Department:
    name: str
    head_title: str
    principal_title: str
    timezone: str


@dataclass(frozen=True)
class Squad:
    name: str
    department: str
    engineers: int  # individual contributors, not counting managers
    discipline: str  # a key of IC_TITLES
    timezones: tuple[str, ...]  # the team's hubs


PRODUCT, PLATFORM, DATA = "Product Engineering", "Platform", "Data"
DEPARTMENTS = [
    Department(PRODUCT, "VP Engineering", "Principal Engineer", "Europe/London"),
    Department(PLATFORM, "Director of Engineering", "Principal Engineer", "Europe/Dublin"),
    Department(DATA, "Director of Data", "Principal Data Scientist", "America/New_York"),
]
SQUADS = [
    Squad("Payments", PRODUCT, 18, "software", ("Europe/London", "Europe/Berlin")),
    Squad("Checkout", PRODUCT, 13, "software", ("Europe/London", "Europe/Madrid")),
    Squad("Search", PRODUCT, 15, "software", ("America/New_York", "America/Chicago")),
    Squad("Mobile", PRODUCT, 15, "mobile", ("Europe/Berlin", "Europe/Warsaw")),
    Squad("Growth", PRODUCT, 11, "software", ("America/Los_Angeles", "America/Denver")),
    Squad("Product Design", PRODUCT, 9, "design", ("Europe/London", "America/New_York")),
    Squad("Identity", PLATFORM, 13, "software", ("Asia/Kolkata", "Europe/London")),
    Squad("Observability", PLATFORM, 10, "sre", ("Europe/Dublin", "America/New_York")),
    Squad("Developer Experience", PLATFORM, 10, "software", ("Europe/Amsterdam",)),
    Squad("Infrastructure", PLATFORM, 15, "sre", ("America/Chicago", "Asia/Singapore")),
    Squad("Security", PLATFORM, 8, "security", ("Europe/London", "Australia/Sydney")),
    Squad("Data Platform", DATA, 12, "data", ("Asia/Kolkata", "Asia/Singapore")),
    Squad("Analytics", DATA, 11, "analytics", ("America/New_York", "America/Sao_Paulo")),
    Squad("Machine Learning", DATA, 13, "ml", ("America/Los_Angeles", "Asia/Tokyo")),
]
ENGINEERING = "Engineering"
PEOPLE = "People"
TEAM_DESCRIPTIONS = {
    ENGINEERING: "Everyone who builds the product.",
    PEOPLE: "The people team: hiring, onboarding and growth.",
    PRODUCT: "The teams that build what customers see and pay for.",
    PLATFORM: "Shared services, infrastructure and tools for every other team.",
    DATA: "Data pipelines, analytics and machine learning.",
    "Payments": "Card payments, payouts and invoicing.",
    "Checkout": "Basket, checkout flow and promotions.",
    "Search": "Search, ranking and recommendations.",
    "Mobile": "The iOS and Android apps.",
    "Growth": "Sign-up, activation and experiments.",
    "Product Design": "Product design and user research.",
    "Identity": "Accounts, sign-in, permissions and single sign-on.",
    "Observability": "Metrics, logs, tracing and on-call tooling.",
    "Developer Experience": "CI, build tooling and local development.",
    "Infrastructure": "Cloud accounts, Kubernetes and databases.",
    "Security": "Application security, threat modelling and incident response.",
    "Data Platform": "The warehouse, pipelines and event streams.",
    "Analytics": "Dashboards, metric definitions and experiment analysis.",
    "Machine Learning": "Ranking, fraud and forecasting models.",
}
NEW_HIRES = 5
SQUAD_SIZE = 5  # engineers a tech-lead manager looks after


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


@dataclass
class DemoOrg:
    """What seed_people wrote, for the command to print and later steps to use."""

    people: dict[str, User]  # by email
    teams: dict[str, Team]  # by name
    logins: list[Login]
    created: int = 0
    updated: int = 0
    password: str = DEMO_PASSWORD


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
        people=people, teams=teams, logins=_logins(specs, today), created=created, updated=updated
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


def _manager_spec(by_email: dict[str, PersonSpec], spec: PersonSpec) -> PersonSpec:
    if spec.manager is None:
        raise ValueError(f"{spec.email} has no manager in the demo organisation")
    return by_email[spec.manager]


def _logins(specs: list[PersonSpec], today: date) -> list[Login]:
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
