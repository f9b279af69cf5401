"""Benchmark of the CSV people import: a dry run, a first import, the same file
again, then the file with a tenth of the people promoted.

    .venv/bin/python bench/import_people.py [--rows 10000] [--seed 1]

Runs against DATABASE_URL, which must hold no people yet (migrations are applied);
without it, against a fresh temporary SQLite file. Not a test: it prints figures.
"""

import argparse
import csv
import io
import random
import tempfile
import time
import unicodedata
from datetime import date, timedelta

import support

FIRST_NAMES = ["Ada", "Amara", "Ben", "Chloe", "Dev", "Farah", "Grace", "Jonas", "Kemi", "Lars"]
FIRST_NAMES += ["Linus", "Maya", "Noor", "Omar", "Pia", "Priya", "Tomás", "Wei", "Yusuf", "Zoë"]
LAST_NAMES = ["Adeyemi", "Bauer", "Chen", "Costa", "Dubois", "García", "Haddad", "Jensen", "Kim"]
LAST_NAMES += ["Mensah", "Novak", "Okafor", "O'Brien", "Patel", "Rao", "Sato", "Van Dijk", "Xu"]
AREAS = ["Core", "Mobile", "Web", "Data", "Infra", "Partner", "Enterprise"]
DOMAINS = ["Payments", "Search", "Identity", "Billing", "Growth", "Checkout", "Messaging"]
TIMEZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles"]
TIMEZONES += ["America/Sao_Paulo", "Asia/Kolkata", "Asia/Tokyo", "Africa/Lagos", "UTC"]
TITLES_BY_DEPTH = ["CTO", "VP Engineering", "Director of Engineering", "Engineering Manager"]
IC_TITLES = ["Software Engineer", "Senior Engineer", "Staff Engineer", "Engineer, Platform"]


def people_csv(rows: int, seed: int) -> tuple[str, int, int, float]:
    """A reporting tree (each manager has 3 to 9 reports) in shuffled order, so about
    half the reports come before their manager. Returns the CSV, the number of teams,
    the depth of the tree and the share of people listed before their manager."""
    rng = random.Random(seed)
    teams = ["Leadership"] + [f"{area} {domain}" for area in AREAS for domain in DOMAINS]
    people: list[dict] = []
    depth_of: list[int] = []
    reports = [0] * rows
    next_manager = next_team = 0
    for i in range(rows):
        if i == 0:
            manager, depth, team = None, 0, teams[0]
        else:
            # Managers are taken in order of creation, each given 3 to 9 reports.
            if reports[next_manager] >= people[next_manager]["span"]:
                next_manager += 1
            manager, depth = next_manager, depth_of[next_manager] + 1
            reports[manager] += 1
            if depth == 1:
                team = teams[0]
            elif depth in (2, 3):  # directors and their managers lead the teams in turn
                team = teams[1 + next_team % (len(teams) - 1)]
                next_team += 1
            else:
                team = people[manager]["team"]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.append(
            {
                "email": _ascii(f"{first}.{last}.{i}@example.com"),
                "name": f"{first} {last}",
                "manager": manager,
                "span": rng.randint(3, 9),
                "team": team,
                "depth": depth,
            }
        )
        depth_of.append(depth)
    text, before_manager = _write(people, rng)
    return text, len({p["team"] for p in people}), max(depth_of) + 1, before_manager


def _ascii(email: str) -> str:
    """Tomás O'Brien -> tomas.obrien: email local parts are plain ASCII."""
    plain = unicodedata.normalize("NFKD", email).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", "").replace("'", "")


def _write(people: list[dict], rng: random.Random) -> tuple[str, float]:
    managers = {p["manager"] for p in people}
    order = list(range(len(people)))
    rng.shuffle(order)
    position = {i: at for at, i in enumerate(order)}
    before_manager = sum(
        1
        for i, p in enumerate(people)
        if p["manager"] is not None and position[i] < position[p["manager"]]
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["email", "name", "title", "team", "manager_email", "start_date", "timezone"])
    for i in order:
        person = people[i]
        depth = person["depth"]
        if depth < len(TITLES_BY_DEPTH) and (depth < 3 or i in managers):
            title = TITLES_BY_DEPTH[depth]
        else:
            title = rng.choice(IC_TITLES)
        start = date(2010, 1, 1) + timedelta(days=rng.randrange(15 * 365))
        manager = person["manager"]
        writer.writerow(
            [
                person["email"],
                person["name"],
                title,
                person["team"],
                people[manager]["email"] if manager is not None else "",
                start.isoformat() if rng.random() > 0.05 else "",
                rng.choice(TIMEZONES) if rng.random() > 0.05 else "",
            ]
        )
    return out.getvalue(), before_manager / len(people)


def with_changes(text: str, every: int = 10) -> str:
    """The same file with every tenth person promoted: a typical update."""
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows[1::every]:
        row[2] = "Principal Engineer"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        support.setup_django(tmp)
        from django.db import connection

        from people.imports import import_people
        from people.models import Team, User

        support.require_no_people()
        started = time.perf_counter()
        text, teams, depth, before_manager = people_csv(args.rows, args.seed)
        generated = time.perf_counter() - started

        steps = []
        for step, text_of_step, kwargs in [
            ("dry run", text, {"dry_run": True}),
            ("first import", text, {}),
            ("second import (same file)", text, {}),
            ("update (10% promoted)", with_changes(text), {}),
        ]:
            history_before = User.history.count()
            report, seconds, queries = support.measure(
                lambda t=text_of_step, k=kwargs: import_people(t, **k)
            )
            new_history = User.history.count() - history_before
            steps.append((step, seconds, queries, report, new_history))

        print(
            f"\n{support.database_version(connection)} ({connection.vendor}); "
            f"{args.rows:,} rows, {teams} teams, reporting tree {depth} levels deep, "
            f"{before_manager:.0%} of people listed before their manager; "
            f"CSV of {len(text) / 1e6:.1f} MB generated in {generated:.2f} s"
        )
        print(
            f"{'step':<27}{'seconds':>9}{'queries':>9}{'created':>9}{'updated':>9}"
            f"{'unchanged':>11}{'history+':>10}"
        )
        for step, seconds, queries, report, new_history in steps:
            print(
                f"{step:<27}{seconds:>9.2f}{queries:>9}{report.created:>9}{report.updated:>9}"
                f"{report.unchanged:>11}{new_history:>10}"
            )
        print(f"people in the database: {User.objects.count():,}; teams: {Team.objects.count()}")
        connection.close()


if __name__ == "__main__":
    main()
