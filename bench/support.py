"""What the benchmarks share around their own work: Django on DATABASE_URL (or
a fresh SQLite file in the run's temporary folder), a step timed with its
query count, the database named in the printout, and the parts of a generated
organisation that several benches build alike (the default ladder, finalised
manager assessments).

The scripts run as ``python bench/<name>.py``, so this folder is on sys.path
and ``import support`` finds this file; setup_django puts the repository on
sys.path too, for the apps."""

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
BATCH = 5000

T = TypeVar("T")


# --- the database -------------------------------------------------------------------------


def setup_django(
    tmp: str, *, var_dir: bool = False, create: bool = False, migrate: bool = True
) -> None:
    """Django set up on DATABASE_URL, or on a fresh SQLite file in ``tmp``, and
    migrated. ``var_dir``: the files the apps write go to ``tmp`` as well;
    ``create``: a PostgreSQL database that does not exist yet is created (for
    the benches whose database is their own, emptied before they build)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    if var_dir:
        os.environ["GROWTH_VAR_DIR"] = tmp
    url = urlparse(os.environ["DATABASE_URL"])
    if create and url.scheme.startswith("postgres"):
        create_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", verbosity=0)


def create_database(url) -> None:
    import psycopg

    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def empty_database() -> None:
    """Every table emptied (the bench's own database: never real data)."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def require_no_people() -> None:
    """Stop unless the database holds nobody yet: the bench counts what it creates."""
    from people.models import User

    if User.objects.exists():
        sys.exit(f"The database already holds {User.objects.count()} people; use a fresh one.")


def database_version(connection) -> str:
    """The database as the printouts name it, e.g. ``PostgreSQL 16.4``."""
    version = ".".join(str(part) for part in connection.get_database_version())
    return f"{connection.display_name} {version}"


# --- timing -------------------------------------------------------------------------------


def measure(call: Callable[[], T]) -> tuple[T, float, int]:
    """Run call(); return its result, its seconds and its number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries)


# --- a generated organisation -------------------------------------------------------------


def default_ladder():
    """The default engineering ladder imported and published: (revision, its
    levels by code, its competencies in order)."""
    from ladders.exchange import check, parse_text
    from ladders.services.revisions import ladder_import

    ladder_file = ROOT / "ladders" / "data" / "engineering.yml"
    revision = ladder_import(data=check(parse_text(ladder_file.read_text())), publish=True)
    levels = {level.code: level for level in revision.levels.all()}
    return revision, levels, list(revision.competencies.order_by("position"))


def place(people: Sequence, codes: Sequence[str], levels: dict) -> None:
    """Each person placed at the level of their code since 1 January 2025."""
    from ladders.models import Placement

    Placement.objects.bulk_create(
        (
            Placement(person=p, level=levels[code], since="2025-01-01")
            for p, code in zip(people, codes, strict=True)
        ),
        batch_size=BATCH,
    )


def finalised_assessments(people: Sequence, *, level, competencies: Sequence, ratings) -> list:
    """A finalised assessment at ``level`` for each person, their manager's
    side rated ``ratings[k][c]`` (one row a person, one column a competency)."""
    from ladders.models import Assessment, CompetencyRating, Side

    assessments = Assessment.objects.bulk_create(
        (
            Assessment(
                person=p,
                manager_id=p.manager_id,
                level=level,
                status=Assessment.Status.FINAL,
                finalised_at="2026-06-30T12:00:00Z",
            )
            for p in people
        ),
        batch_size=BATCH,
    )
    CompetencyRating.objects.bulk_create(
        (
            CompetencyRating(assessment=a, competency=c, side=Side.MANAGER, rating=int(r))
            for a, row in zip(assessments, ratings, strict=True)
            for c, r in zip(competencies, row, strict=True)
        ),
        batch_size=BATCH,
    )
    return assessments
