"""The new hire's checklist page under load: gunicorn (2 workers) on
PostgreSQL, 50 new hires with about 30 tasks each (some overdue), each
request made by one of the new hires on their own plan page, with wrk at
1, 8 and 32 connections. Prints requests/s and p50/p95/p99.

    .venv/bin/python bench/onboarding_checklist_load.py [--duration 30]
        [--connections 1,8,32] [--database-url postgres://postgres@127.0.0.1:5432/bench_checklist]

Needs PostgreSQL and wrk (`apt-get install -y wrk`). It drops and re-creates
the database it is given. Traffic goes to 127.0.0.1 only; every run is
bounded by --duration. Figures, not a timed test.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
NEW_HIRES = 50
ITEMS = 30
BUDDIES = 10

# Each wrk thread cycles over the (path, cookie) pairs: every request is a new
# hire opening their own checklist. Non-200 answers (a redirect to the login
# page would look like success to wrk) are counted and reported.
LUA = r"""
local targets = %(targets)s
local index = 0
bad = 0  -- global: done() reads it from each thread
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  index = math.random(#targets) - 1
end

function request()
  index = index %% #targets + 1
  local t = targets[index]
  return wrk.format("GET", t[1], {["Cookie"] = "sessionid=" .. t[2]})
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do not_ok = not_ok + thread:get("bad") end
  io.write(string.format(
    "RESULT {\"requests\": %%d, \"seconds\": %%f, \"p50_ms\": %%f, \"p95_ms\": %%f, " ..
    "\"p99_ms\": %%f, \"errors\": %%d, \"not_200\": %%d}\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status,
    not_ok))
end
"""


# --- the seed step (runs in a child process with the bench settings) ----------------


def seed() -> None:
    """50 new hires who started over the last five weeks, ~30 tasks each from
    one template through the plans service, older tasks mostly done, the rest
    overdue. Prints the targets (plan path, the new hire's session cookie)."""
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from onboarding.models import (
        AssigneeRole,
        ChecklistTemplate,
        Holiday,
        Kind,
        OnboardingPlan,
        PlanTask,
        TemplateItem,
    )
    from onboarding.services.plans import plan_assign_role, plans_create
    from people.models import Team, User

    today = timezone.localdate()
    team = Team.objects.create(name="Payments")
    director = User.objects.create_user("director@bench.test", name="Dana Director", team=team)
    manager = User.objects.create_user(
        "manager@bench.test", name="Mo Manager", team=team, manager=director
    )
    hr = User.objects.create_user("hr@bench.test", name="Hil People", is_staff=True)
    hr.groups.add(Group.objects.get_or_create(name="People team")[0])
    buddies = [
        User.objects.create_user(
            f"buddy{i}@bench.test",
            name=f"Buddy {i}",
            team=team,
            manager=manager,
            start_date=today - dt.timedelta(days=900),
        )
        for i in range(BUDDIES)
    ]
    Holiday.objects.create(date=today - dt.timedelta(days=12), name="Bench holiday")
    template = ChecklistTemplate.objects.create(name="Base", applies_to="everyone")
    roles = [AssigneeRole.NEW_HIRE] * 4 + [
        AssigneeRole.BUDDY,
        AssigneeRole.MANAGER,
        AssigneeRole.PEOPLE_TEAM,
    ]
    kinds = [Kind.SETUP, Kind.PRODUCT_CONTEXT, Kind.PAIRING, Kind.READING, Kind.MEETING]
    TemplateItem.objects.bulk_create(
        TemplateItem(
            template=template,
            title=f"Item {i}: {kinds[i % 5].label.lower()} for week {i // 5 + 1}",
            description="See https://example.com/handbook for the details.",
            kind=kinds[i % 5],
            assignee_role=AssigneeRole.NEW_HIRE if kinds[i % 5] == Kind.PAIRING else roles[i % 7],
            due_offset=i * 4 // 3 - 2,
            position=i,
        )
        for i in range(ITEMS)
    )
    hires = [
        User.objects.create_user(
            f"hire{i}@bench.test",
            name=f"New Hire {i}",
            team=team,
            manager=manager,
            start_date=today - dt.timedelta(days=35 - i * 40 // NEW_HIRES),
            timezone="Europe/London",
        )
        for i in range(NEW_HIRES)
    ]
    plans = plans_create(people=hires)
    for i, plan in enumerate(plans):
        plan.buddy, plan.buddy_status = buddies[i % BUDDIES], "assigned"
    OnboardingPlan.objects.bulk_update(plans, ["buddy", "buddy_status"])
    for plan in plans:
        plan_assign_role(plan=plan, role=AssigneeRole.BUDDY, person=plan.buddy)
    # Three in four past tasks are done; the rest are overdue.
    past = PlanTask.objects.filter(due_on__lt=today).values_list("pk", flat=True)
    PlanTask.objects.filter(pk__in=[pk for pk in past if pk % 4]).update(
        status=PlanTask.Status.DONE, done_at=timezone.now()
    )
    targets = []
    for plan in OnboardingPlan.objects.select_related("new_hire").order_by("pk"):
        client = Client()
        client.force_login(plan.new_hire)  # log in once; wrk reuses the cookie
        targets.append([f"/onboarding/plans/{plan.pk}/", client.cookies["sessionid"].value])
    tasks = PlanTask.objects.count()
    overdue = PlanTask.objects.filter(status="open", due_on__lt=today).count()
    client = Client()
    client.force_login(plans[0].new_hire)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(targets[0][0], secure=True).status_code
    print(
        json.dumps(
            {
                "targets": targets,
                "tasks": tasks,
                "overdue": overdue,
                "queries_per_page": len(queries),
                "status": status,
            }
        )
    )


# --- the run ---------------------------------------------------------------------------


def run(cmd, env, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on port {port} within {timeout} s")


def check_page(port: int, target: list[str]) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{target[0]}", headers={"Cookie": f"sessionid={target[1]}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
        if response.status != 200 or "New Hire" not in body:
            raise SystemExit(f"the checklist page did not render: {response.status}")


def wrk(port: int, script: Path, connections: int, duration: int) -> dict:
    threads = min(connections, 2)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    if out.returncode != 0:
        raise SystemExit(f"wrk failed: {out.stderr or out.stdout}")
    line = next(line for line in out.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds per run")
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_checklist"
    )
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        sys.path.insert(0, str(ROOT))
        seed()
        return
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    var_dir = Path(tempfile.mkdtemp(prefix="bench-checklist-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": args.database_url,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "GROWTH_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)  # sessions live in the database; no cache needed
    gunicorn = None
    try:
        print(f"database {args.database_url} (re-created), static files in {var_dir}")
        recreate_database(args.database_url)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        seeded = json.loads(
            run([PYTHON, __file__, "--seed"], env, stdout=subprocess.PIPE, text=True).stdout
        )
        targets = seeded["targets"]
        print(
            f"{len(targets)} new hires, {seeded['tasks']} tasks, {seeded['overdue']} overdue; "
            f"one checklist page: {seeded['queries_per_page']} queries "
            f"(status {seeded['status']})"
        )
        script = var_dir / "checklist.lua"
        script.write_text(LUA % {"targets": _lua_table(targets)})

        port = free_port()
        gunicorn = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "config.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_for_port(port)
        check_page(port, targets[0])
        wrk(port, script, 2, 3)  # warm up: connections, templates, caches

        print(
            f"\n{'connections':>11} {'requests/s':>11} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8} {'errors':>7} {'non-200':>8} {'load before':>12}"
        )
        for connections in [int(c) for c in args.connections.split(",")]:
            # Other work on the machine skews the figures: show how busy it was.
            load = os.getloadavg()[0]
            r = wrk(port, script, connections, args.duration)
            print(
                f"{connections:>11} {r['rps']:>11.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} "
                f"{r['p99_ms']:>8.1f} {r['errors']:>7} {r['not_200']:>8} {load:>12.2f}"
            )
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


def _lua_table(targets: list[list[str]]) -> str:
    return "{" + ", ".join(f'{{"{path}", "{cookie}"}}' for path, cookie in targets) + "}"


if __name__ == "__main__":
    main()
