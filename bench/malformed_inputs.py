"""A catalogue of malformed files and inputs tried against the real pages (the
admin's imports and forms, the people's forms) and the import commands. Each
case is sorted into one of three outcomes:

- crashed: a 5xx answer, an exception, or the process killed (a segfault);
- silently accepted: no refusal shown, or something written;
- refused with a message: a message on the page (or the command's output) and
  nothing written; "refused in raw words" when that message is a database
  constraint's name or an exception's text.

    .venv/bin/python bench/malformed_inputs.py [--verbose]

Each case runs in a forked child process, so a parser that kills its process is
counted instead of ending the run. Runs against a fresh temporary SQLite file
unless DATABASE_URL is set (then that database must be a scratch one: the
script adds a people-team account and a ladder). Not a test: it prints figures.
"""

import argparse
import json
import multiprocessing
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import support

CRASHED, ACCEPTED, REFUSED = "crashed", "silently accepted", "refused with a message"
RAW = "refused in raw words"  # e.g. 'Constraint "..." is violated.': true, but says nothing
RAW_MARKS = ("is violated", "Traceback", "Error:")


@dataclass
class Case:
    group: str
    name: str
    run: Callable[[], tuple[str, str]]  # () -> (outcome, detail), in the child


def setup_django(tmp: str) -> None:
    support.setup_django(tmp)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # so the client sees each page's context (its form, its problems)


# --- the world the cases run in -----------------------------------------------------------


def prepare() -> dict:
    """A people-team account, the default ladder published, a manager."""
    from django.conf import settings
    from django.contrib.auth.models import Group

    from ladders.exchange import check, parse_text
    from ladders.services.revisions import ladder_import
    from people.models import User

    hr, _ = User.objects.get_or_create(
        email="bench-hr@example.com", defaults={"name": "Bench HR", "is_staff": True}
    )
    hr.groups.add(Group.objects.get_or_create(name=settings.PEOPLE_TEAM_GROUP)[0])
    text = (support.ROOT / "ladders" / "data" / "engineering.yml").read_text(encoding="utf-8")
    ladder_import(data=check(parse_text(text)), publish=True)
    return {"hr": hr.pk}


def counts() -> dict[str, int]:
    """What a refusal must leave as it was."""
    from ladders.models import Expectation, Ladder, Level, Revision, StretchAssignment
    from mentorship.models import RotationCycle
    from onboarding.models import ChecklistTemplate
    from people.models import Team, User

    models = [User, Team, Ladder, Revision, Level, Expectation, StretchAssignment]
    models += [RotationCycle, ChecklistTemplate]
    return {m.__name__: m.objects.count() for m in models}


def client_for(world: dict):
    from django.test import Client

    from people.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(pk=world["hr"]))
    return client


def judge(response) -> tuple[str, str]:
    """A page's answer: 5xx, a refusal with its first message, or neither."""
    if response.status_code >= 500:
        return CRASHED, f"HTTP {response.status_code}"
    context = response.context or {}
    problems = context.get("problems") if hasattr(context, "get") else None
    if problems:
        return REFUSED, str(problems[0])
    for key in ("form", "adminform"):
        form = context.get(key) if hasattr(context, "get") else None
        form = getattr(form, "form", form)
        if form is not None and form.errors:
            field, errors = next(iter(form.errors.items()))
            return REFUSED, f"{field}: {errors[0]}"
    return ACCEPTED, f"HTTP {response.status_code}, no message"


# --- uploads ------------------------------------------------------------------------------


def upload(url: str, name: str, content: bytes, **fields) -> Callable[[dict], tuple[str, str]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def run(world):
        file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
        return judge(client_for(world).post(url, {"file": file, **fields}))

    return run


def command(name: str, filename: str, content: bytes) -> Callable[[dict], tuple[str, str]]:
    """manage.py import_ladder / import_people: a CommandError with problems is a refusal."""

    def run(world):
        from io import StringIO

        from django.core.management import CommandError, call_command

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / filename
            path.write_bytes(content)
            err = StringIO()
            try:
                call_command(name, str(path), stdout=StringIO(), stderr=err)
            except CommandError as error:
                first = err.getvalue().splitlines()[:1] or [str(error)]
                return REFUSED, first[0].replace(str(path), filename)
        return ACCEPTED, "imported"

    return run


def ladder_json(change: Callable[[dict], None]) -> bytes:
    data = {
        "ladder": {"slug": "probe", "name": "Probe"},
        "levels": [{"code": "L1", "name": "One", "track": "ic"}],
        "competencies": [{"code": "testing", "name": "Testing", "theme": "Craft"}],
        "expectations": [{"level": "L1", "competency": "testing", "text": "Tests."}],
    }
    change(data)
    return json.dumps(data).encode()


def ladder_cases() -> list[tuple[str, str, bytes]]:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
        for p, n in zip("abcdefg", "bcdefgh", strict=True)
    )
    huge_description = (
        "ladder:\n  slug: huge\n  name: Huge\n  description: " + "x" * 16_000_000 + "\n"
        "levels: [{code: L1, name: One}]\ncompetencies: [{code: c, name: C, theme: T}]\n"
    )
    return [
        ("200 KB of '[' (YAML)", "deep.yml", b"[" * 200_000),
        (
            "indentation nested 300 deep (YAML)",
            "deep.yml",
            b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(1, 300)),
        ),
        ("200 KB of '{\"a\": ' (JSON)", "deep.json", b'{"a": ' * 40_000),
        (
            "track: [ic]",
            "track.yml",
            b"ladder: {slug: p, name: P}\nlevels:\n  - {code: L1, name: One, track: [ic]}\n"
            b"competencies: [{code: c, name: C, theme: T}]\n",
        ),
        ("16 MB ladder", "huge.yml", huge_description.encode()),
        ("aliases expanding to 10^7 values", "laughs.yml", laughs.encode()),
        ("a date that does not exist", "date.yml", b"ladder: {slug: p, name: P, x: 2025-02-30}"),
        ("a 5,000-digit number", "big.json", b'{"ladder": ' + b"9" * 5000 + b"}"),
        ("NUL in a name", "nul.json", ladder_json(lambda d: d["ladder"].update(name="P\x00"))),
        (
            "lone surrogate in a name",
            "sur.json",
            ladder_json(lambda d: d["ladder"].update(name="P")).replace(b'"P"', b'"\\ud800"'),
        ),
        ("latin-1 text", "latin.yml", "ladder: {slug: p, name: Ingénierie}".encode("latin-1")),
        ("random bytes", "random.yml", bytes(range(256)) * 40),
        ("empty file", "empty.yml", b""),
        ("a Python object tag", "tag.yml", b'!!python/object/apply:os.system ["echo pwned"]'),
        ("two YAML documents", "two.yml", b"ladder: {}\n---\nladder: {}\n"),
        ("a list as a mapping key", "key.yml", b"? [a, b]\n: c\n"),
        (
            "expectation text of 20,000 characters",
            "long.json",
            ladder_json(lambda d: d["expectations"][0].update(text="x" * 20_000)),
        ),
        ("a list at the top", "list.json", b"[1, 2, 3]"),
        ("UTF-16 with a byte-order mark", "utf16.yml", "ladder: {}".encode("utf-16")),
    ]


HEADER = b"email,name,title,team,manager_email,start_date,timezone\n"
GRACE = b"grace@example.com,Grace Hopper,Director,Platform,,2020-01-15,UTC\n"


def people_cases() -> list[tuple[str, str, bytes]]:
    return [
        ("a NUL byte in a name", "p.csv", HEADER + GRACE + b"ada@example.com,Ada\x00,,,,,\n"),
        (
            "a stray quote in the last row",
            "p.csv",
            HEADER + GRACE + b'probe@example.com,"Open quote,Engineer,Probe team,,,\n',
        ),
        (
            "a stray quote in a middle row",
            "p.csv",
            HEADER + b'probe@example.com,"Open quote,Engineer,,,,\n' + GRACE,
        ),
        ("text after a closing quote", "p.csv", HEADER + b'ada@example.com,"Ada" L,,,,,\n'),
        (
            "a field of 131,073 characters",
            "p.csv",
            HEADER + b"ada@example.com," + b"A" * 131_073 + b",,,,,\n",
        ),
        ("latin-1 text", "p.csv", HEADER + "zoe@example.com,Zoë,,,,,\n".encode("latin-1")),
        ("UTF-16 with a byte-order mark", "p.csv", (HEADER + GRACE).decode().encode("utf-16")),
        ("an 11 MB file", "p.csv", HEADER + GRACE * 180_000),
        ("a wrong header", "p.csv", b"email;name\nada@example.com;Ada\n"),
        ("an empty file", "p.csv", b""),
        ("random bytes", "p.csv", bytes(range(256)) * 40),
        (
            "a line break inside a quoted title",
            "p.csv",
            HEADER + b'ada@example.com,Ada,"Staff\nEngineer",,,,\n',
        ),
        (
            "unknown manager, loop and duplicate together",
            "p.csv",
            HEADER
            + b"a@example.com,A,,,b@example.com,2024-13-01,\nb@example.com,B,,,a@example.com,,\n"
            + b"c@example.com,C,,,nobody@example.com,,\nC@example.com,C2,,,,,\n",
        ),
        (
            "a name of 1,000 characters",
            "p.csv",
            HEADER + b"ada@example.com," + b"A" * 1000 + b",,,,,\n",
        ),
    ]


# --- forms --------------------------------------------------------------------------------


def admin_add(url: str, overrides: dict) -> Callable[[dict], tuple[str, str]]:
    """Fill an admin add page as its initial values have it, with the overrides."""

    def run(world):
        client = client_for(world)
        page = client.get(url)
        data = {}
        for field in page.context["adminform"].form:
            value = field.value()
            if value not in (None, ""):
                data[field.html_name] = value
        for formset in page.context["inline_admin_formsets"]:
            data[f"{formset.formset.prefix}-TOTAL_FORMS"] = 0
            data[f"{formset.formset.prefix}-INITIAL_FORMS"] = 0
        data.update(overrides)
        return judge(client.post(url, data))

    return run


def stretch(overrides: dict) -> Callable[[dict], tuple[str, str]]:
    def run(world):
        import datetime as dt

        from django.urls import reverse

        from ladders.selectors.stretch import stretch_competency_choices

        today = dt.date.today()
        data = {
            "title": "Probe",
            "description": "A probe.",
            "competencies": [stretch_competency_choices().first().pk],
            "team": "",
            "hours_per_week": "3",
            "seats": "1",
            "starts_on": (today + dt.timedelta(days=3)).isoformat(),
            "ends_on": (today + dt.timedelta(days=60)).isoformat(),
            **overrides,
        }
        return judge(client_for(world).post(reverse("ladders:stretch_create"), data))

    return run


def cycle(overrides: dict) -> Callable[[dict], tuple[str, str]]:
    def run(world):
        from django.urls import reverse

        from ladders.models import Ladder

        data = {
            "name": "Probe cycle",
            "theme": "Probing",
            "signup_opens_on": "2031-05-01",
            "signup_closes_on": "2031-05-20",
            "starts_on": "2031-06-01",
            "ends_on": "2031-07-31",
            "ladder": Ladder.objects.get(slug="engineering").pk,
            "mentor_min_level": "L4",
            "mentee_min_level": "L1",
            "mentee_max_level": "L3",
            "min_level_gap": 1,
            "default_mentor_capacity": 1,
            "repeat_window": 2,
            **overrides,
        }
        return judge(client_for(world).post(reverse("admin:mentorship_rotationcycle_add"), data))

    return run


def catalogue() -> list[Case]:
    from django.urls import reverse

    ladder_url = reverse("admin:ladders_ladder_import")
    people_url = reverse("admin:people_user_import")
    cases = []
    for name, filename, content in ladder_cases():
        cases.append(Case("ladder import (admin)", name, upload(ladder_url, filename, content)))
        cases.append(
            Case("ladder import (command)", name, command("import_ladder", filename, content))
        )
    for name, filename, content in people_cases():
        cases.append(Case("people CSV (admin)", name, upload(people_url, filename, content)))
        cases.append(
            Case("people CSV (command)", name, command("import_people", filename, content))
        )
    two_million = "x" * 2_000_000
    cases += [
        Case(
            "free text",
            "stretch description of 2,000,000 characters",
            stretch({"description": two_million}),
        ),
        Case(
            "free text",
            "cycle description of 2,000,000 characters",
            cycle({"description": two_million}),
        ),
        Case(
            "free text",
            "team description of 2,000,000 characters",
            admin_add(
                reverse("admin:people_team_add"), {"name": "Probe", "description": two_million}
            ),
        ),
        Case(
            "free text",
            "checklist template description of 2,000,000 characters",
            admin_add(
                reverse("admin:onboarding_checklisttemplate_add"),
                {"name": "Probe", "description": two_million},
            ),
        ),
        Case(
            "free text",
            "ladder description of 2,000,000 characters",
            admin_add(
                reverse("admin:ladders_ladder_add"),
                {"name": "Probe", "slug": "probe", "description": two_million},
            ),
        ),
        Case(
            "cross-field",
            "cycle with mentee levels L3..L1",
            cycle({"mentee_min_level": "L3", "mentee_max_level": "L1"}),
        ),
        Case(
            "cross-field",
            "cycle ending before it starts",
            cycle({"starts_on": "2031-06-01", "ends_on": "2031-05-01"}),
        ),
        Case(
            "cross-field",
            "cycle whose sign-ups close before they open",
            cycle({"signup_closes_on": "2031-04-01"}),
        ),
        Case(
            "cross-field",
            "cycle with a mentor capacity of 0",
            cycle({"default_mentor_capacity": 0}),
        ),
        Case(
            "cross-field",
            "stretch assignment ending before it starts",
            stretch({"ends_on": "2020-01-01"}),
        ),
        Case("cross-field", "stretch assignment with 0 seats", stretch({"seats": "0"})),
    ]
    return cases


# --- running each case in a child process -------------------------------------------------


def run_case(case: Case, world: dict) -> tuple[str, str]:
    """The case in a forked child, inside a transaction rolled back at the end, so
    that what one case wrote cannot change how the next one is judged."""
    from django.db import connections

    connections.close_all()  # the child opens its own
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)

    def child():
        from django.db import transaction

        try:
            with transaction.atomic():
                before = counts()
                outcome, detail = case.run(world)
                written = {k: v - before[k] for k, v in counts().items() if v != before[k]}
                transaction.set_rollback(True)
            if outcome == REFUSED and any(mark in detail for mark in RAW_MARKS):
                outcome = RAW
            if written and outcome in (REFUSED, RAW):
                outcome, detail = ACCEPTED, f"refused but wrote {written}"
            elif written:
                detail = f"{detail}; wrote {written}"
            send.send((outcome, detail))
        except BaseException as error:  # any exception is a crash
            send.send((CRASHED, f"{type(error).__name__}: {error}"[:200]))
            traceback.print_exc(limit=3)
        finally:
            connections.close_all()

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(timeout=120)
    if process.is_alive():
        process.kill()
        return CRASHED, "still running after 120 s"
    if process.exitcode and process.exitcode < 0:
        return CRASHED, f"killed by signal {-process.exitcode}"
    return receive.recv() if receive.poll() else (CRASHED, "no answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every case's message")
    parser.add_argument("--only", default="", help="run the groups whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-malformed-") as tmp:
        setup_django(tmp)
        world = prepare()
        results = []
        for case in [c for c in catalogue() if args.only in c.group]:
            outcome, detail = run_case(case, world)
            results.append((case, outcome, detail))
            if args.verbose or outcome != REFUSED:
                print(f"{outcome:<24}{case.group:<26}{case.name}: {detail[:150]}")
        outcomes = (CRASHED, ACCEPTED, RAW, REFUSED)
        total = {o: sum(1 for _, out, _ in results if out == o) for o in outcomes}
        print(
            f"\n{len(results)} malformed inputs: {total[CRASHED]} crashed, "
            f"{total[ACCEPTED]} silently accepted, {total[RAW]} refused in raw words, "
            f"{total[REFUSED]} refused with a message"
        )
        for group in sorted({case.group for case, _, _ in results}):
            mine = [out for case, out, _ in results if case.group == group]
            print(
                f"  {group:<26}{len(mine):>3} tried: {mine.count(CRASHED)} crashed, "
                f"{mine.count(ACCEPTED)} silently accepted, {mine.count(RAW)} raw, "
                f"{mine.count(REFUSED)} refused"
            )


if __name__ == "__main__":
    main()
