"""Benchmark of keeping Growth in sync with an HR system and an identity provider:

1. the REST API: 10,000 people created in batches (POST /api/v1/people/bulk/),
   then the same 10,000 again unchanged, then again with 1% changed;
2. SCIM: users created one by one (POST /scim/v2/Users), as Okta and Entra ID do.

    DATABASE_URL=postgres://.../growth_bench REDIS_URL=redis://.../13 \
        .venv/bin/python bench/api_sync.py [--people 10000] [--batch 1000] [--scim 2000]

Runs in-process through Django's test client (no HTTP server: the figures are
the application's and the database's), against DATABASE_URL, which must hold
no people yet (migrations are applied); without it, a temporary SQLite file.
Not a test: it prints seconds and queries per request.
"""

import argparse
import os
import random
import statistics
import tempfile
import time
from collections import deque

import support

TIMEZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]
TEAMS = [f"Team {n}" for n in range(40)]


def setup_django(tmp: str) -> None:
    os.environ.setdefault("API_TOKEN_RATE", "1000000/min")  # measure the work, not the throttle
    support.setup_django(tmp)


def people_rows(count: int, seed: int) -> list[dict]:
    """A reporting tree (each manager about 6 reports) with employee ids. A
    manager is in the same batch as their reports or an earlier one (as an HR
    export sorted by hierarchy), and within a batch the order is shuffled, so
    many reports come before their manager."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        manager = None if i == 0 else (i - 1) // 6
        rows.append(
            {
                "employee_id": f"E{i:06d}",
                "email": f"person.{i}@sync.example",
                "name": f"Person {i}",
                "title": "Engineer" if i > 100 else "Manager",
                "team": TEAMS[i % len(TEAMS)],
                "manager_employee_id": f"E{manager:06d}" if manager is not None else None,
                "start_date": "2024-01-01",
                "timezone": rng.choice(TIMEZONES),
            }
        )
    return rows


def shuffled_batches(rows: list[dict], batch: int, rng: random.Random) -> list[dict]:
    out = []
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        rng.shuffle(chunk)
        out.extend(chunk)
    return out


class Meter:
    """Wall time and queries of each request."""

    def __init__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.capture = lambda: CaptureQueriesContext(connection)
        self.seconds: list[float] = []
        self.queries: list[int] = []

    def __call__(self, send):
        from django.db import reset_queries

        reset_queries()  # the debug log keeps at most 9,000 queries
        with self.capture() as captured:
            started = time.perf_counter()
            response = send()
            self.seconds.append(time.perf_counter() - started)
        self.queries.append(len(captured))
        if response.status_code >= 300:
            raise SystemExit(f"{response.status_code}: {response.content[:500]!r}")
        return response

    def line(self, label: str) -> str:
        total = sum(self.seconds)
        ms = sorted(s * 1000 for s in self.seconds)
        p95 = ms[int(len(ms) * 0.95) - 1] if len(ms) >= 20 else ms[-1]
        return (
            f"{label:<38} {total:7.2f} s  {len(ms):5} requests  "
            f"median {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  "
            f"queries/request {min(self.queries)}-{max(self.queries)}"
        )


def api_sync(client, rows: list[dict], batch: int, label: str) -> None:
    meter = Meter()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for start in range(0, len(rows), batch):
        body = {"people": rows[start : start + batch]}
        response = meter(
            lambda b=body: client.post("/api/v1/people/bulk/", b, content_type="application/json")
        )
        for key in counts:
            counts[key] += response.json()[key]
    print(meter.line(label), f"  {counts}")


def scim_creates(client, count: int, start: int = 0) -> None:
    meter = Meter()
    for i in range(start, start + count):
        body = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": f"scim.{i}@idp.example",
            "name": {"givenName": "Scim", "familyName": f"User {i}"},
            "emails": [{"primary": True, "value": f"scim.{i}@idp.example", "type": "work"}],
            "displayName": f"Scim User {i}",
            "externalId": f"00u{i:08d}",
            "active": True,
        }
        meter(lambda b=body: client.post("/scim/v2/Users", b, content_type="application/scim+json"))
    print(meter.line(f"SCIM: create {count} users one by one"))


def round_trip_ms(connection) -> float:
    """The floor under every query here: on a busy shared machine it is
    milliseconds, on an idle one a tenth of that."""
    with connection.cursor() as cursor:
        started = time.perf_counter()
        for _ in range(200):
            cursor.execute("SELECT 1")
        return (time.perf_counter() - started) * 1000 / 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--scim", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--again",
        action="store_true",
        help="the database holds the people of an earlier run: skip the creates",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from api.services import token_create
        from people.models import User

        settings.DEBUG = False
        # Count every query of a 1,000-person request (Django keeps 9,000 by default).
        connection.queries_log = deque(maxlen=1_000_000)
        if User.objects.exists() != args.again:
            raise SystemExit(
                "DATABASE_URL must hold no people yet (a fresh database), "
                "or with --again the people of an earlier run."
            )
        print(f"database: {connection.vendor}; people: {args.people}; batch: {args.batch}")
        print(f"one round trip to the database (SELECT 1): {round_trip_ms(connection):.2f} ms")
        run = time.strftime("%H%M%S")
        api_token = token_create(name=f"HR {run}", scopes=["read", "write"])[1]
        idp_token = token_create(name=f"IdP {run}", scopes=["scim"])[1]
        api = Client(headers={"Authorization": f"Bearer {api_token}"})
        idp = Client(headers={"Authorization": f"Bearer {idp_token}"})
        rows = shuffled_batches(
            people_rows(args.people, args.seed), args.batch, random.Random(args.seed)
        )

        if args.again:  # undo the earlier run's 1% change first
            api_sync(api, rows, args.batch, "API: back to the starting data")
        else:
            api_sync(api, rows, args.batch, f"API: create {args.people}")
        api_sync(api, rows, args.batch, f"API: unchanged re-sync of {args.people}")
        rng = random.Random(args.seed + 1)
        changed = rng.sample(range(len(rows)), max(1, len(rows) // 100))
        for index in changed:
            rows[index] = {**rows[index], "title": "Senior Engineer"}
        api_sync(api, rows, args.batch, f"API: re-sync with {len(changed)} changed")
        scim_creates(idp, args.scim, start=int(run) * 10_000)


if __name__ == "__main__":
    main()
