"""Benchmark of the ladder import: a generated 10-level x 80-competency ladder
(800 expectations) and the Financial Times engineering framework converted to
our format; for each, check, import, publish, then a changed file imported and
published again, with times and query counts.

    .venv/bin/python bench/ladder_import.py [--levels 10] [--competencies 80] [--seed 1]

Runs against DATABASE_URL (migrations applied; the two ladders must not exist
yet); without it, against a fresh temporary SQLite file. The framework is read
from $SHARED_DATA_DIR/frameworks/ft-engineering.yml, or ../shared/data next to
the repository; it is never copied into the repository. Not a test: it prints figures.
"""

import argparse
import copy
import os
import random
import re
import sys
import tempfile
from pathlib import Path

import support

SYNTHETIC_SLUG = "bench-synthetic"
FT_SLUG = "ft-engineering"

VERBS = ["Designs", "Reviews", "Improves", "Leads", "Documents", "Measures", "Plans", "Simplifies"]
VERBS += ["Automates", "Explains", "Negotiates", "Tests", "Mentors on", "Owns", "Prioritises"]
OBJECTS = ["service boundaries", "release pipelines", "on-call runbooks", "data models"]
OBJECTS += ["API contracts", "incident reviews", "capacity plans", "onboarding guides"]
OBJECTS += ["accessibility checks", "cost dashboards", "migration plans", "design documents"]
SCOPES = ["for their own tasks", "within a feature", "for the team", "across two teams"]
SCOPES += ["across a product group", "for the whole organisation", "with external partners"]
MANNERS = ["with guidance from a senior colleague", "on their own", "so that others can follow"]
MANNERS += ["while keeping stakeholders informed", "and checks the outcome with data"]
MANNERS += ["and makes the trade-offs explicit in writing", "before problems reach customers"]
THEMES = ["Craft", "Delivery", "Collaboration", "Leadership", "Product", "Operations"]
THEMES += ["Security", "Data"]


def sentence(rng: random.Random, scope: str) -> str:
    return (
        f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {scope} {rng.choice(MANNERS)}, "
        f"and {rng.choice(VERBS).lower()} {rng.choice(OBJECTS)} {rng.choice(MANNERS)}."
    )


def synthetic_ladder(levels: int, competencies: int, seed: int) -> dict:
    """Every cell filled; texts of 150-250 characters and two examples each,
    about the length of the default ladder's."""
    rng = random.Random(seed)
    level_rows = [
        {
            "code": f"L{i + 1}",
            "name": f"Engineer {i + 1}",
            "track": "manager" if i >= levels - levels // 3 else "ic",
            "summary": sentence(rng, SCOPES[min(i, len(SCOPES) - 1)]),
        }
        for i in range(levels)
    ]
    competency_rows = [
        {
            "code": f"competency-{i + 1:03d}",
            "name": f"{rng.choice(OBJECTS).capitalize()} {i + 1}",
            "theme": THEMES[i % len(THEMES)],
            "description": sentence(rng, "in the product"),
        }
        for i in range(competencies)
    ]
    expectations = [
        {
            "level": level["code"],
            "competency": competency["code"],
            "text": sentence(rng, SCOPES[min(i, len(SCOPES) - 1)]),
            "examples": [sentence(rng, "last quarter"), sentence(rng, "in a recent project")],
        }
        for i, level in enumerate(level_rows)
        for competency in competency_rows
    ]
    return {
        "ladder": {"slug": SYNTHETIC_SLUG, "name": "Synthetic benchmark ladder"},
        "levels": level_rows,
        "competencies": competency_rows,
        "expectations": expectations,
    }


def synthetic_changes(data: dict, seed: int) -> dict:
    """A typical new revision: a tenth of the texts reworded, two competencies
    added, one removed, one renamed."""
    rng = random.Random(seed + 1)
    changed = copy.deepcopy(data)
    removed = changed["competencies"].pop(5)["code"]
    changed["competencies"][0]["name"] += " (renamed)"
    changed["expectations"] = [e for e in changed["expectations"] if e["competency"] != removed]
    for expectation in rng.sample(changed["expectations"], len(changed["expectations"]) // 10):
        expectation["text"] = sentence(rng, "across the organisation")
    for n in (1, 2):
        code = f"new-competency-{n}"
        changed["competencies"].append({"code": code, "name": f"New {n}", "theme": "Craft"})
        changed["expectations"] += [
            {"level": level["code"], "competency": code, "text": sentence(rng, "for the team")}
            for level in changed["levels"]
        ]
    return changed


def shared_data_dir() -> Path:
    configured = os.environ.get("SHARED_DATA_DIR")
    return Path(configured) if configured else support.ROOT.parent / "shared" / "data"


def ft_ladder(path: Path) -> dict:
    """The FT framework in our format: its levels, its themes as competencies,
    and its one competency per level and theme as that cell's expectation."""
    import yaml

    source = yaml.safe_load(path.read_text(encoding="utf-8"))
    levels = [
        {
            "code": level["id"],
            "name": level["name"],
            # People-manager levels, and the director level above them.
            "track": "manager"
            if level["id"].endswith("-pm") or "director" in level["id"]
            else "ic",
        }
        for level in source["levels"]
    ]
    competencies = [
        {
            "code": theme["id"],
            "name": theme["name"],
            "theme": "Engineering",
            "description": _one_line(theme.get("summary", "")),
        }
        for theme in source["themes"]
    ]
    expectations = [
        {
            "level": item["level"],
            "competency": item["theme"],
            "text": _one_line(item["summary"]),
        }
        for item in source["competencies"]
    ]
    return {
        "ladder": {
            "slug": FT_SLUG,
            "name": f"FT {source['name']}",
            "description": _one_line(source.get("summary", "")),
        },
        "levels": levels,
        "competencies": competencies,
        "expectations": expectations,
    }


def ft_changes(data: dict) -> dict:
    changed = copy.deepcopy(data)
    for expectation in changed["expectations"][::10]:
        expectation["text"] += " Reviewed this year."
    return changed


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def run_ladder(label: str, first: dict, second: dict) -> list[tuple]:
    """check, import, publish, export; then the changed file imported and published."""
    from ladders.exchange import check, dump, parse_text
    from ladders.services.exchange_io import revision_to_dict
    from ladders.services.revisions import ladder_import, revision_publish

    rows = []
    for version, data in (("first", first), ("changed", second)):
        text = dump(data)
        checked, seconds, queries = support.measure(
            lambda t=text: check(parse_text(t, filename="l.yml"))
        )
        rows.append(
            (label, f"{version}: parse + check", seconds, queries, f"{len(text) / 1e3:.0f} kB")
        )
        draft, seconds, queries = support.measure(lambda d=checked: ladder_import(data=d))
        rows.append((label, f"{version}: import", seconds, queries, f"draft r{draft.number}"))
        published, seconds, queries = support.measure(lambda r=draft: revision_publish(revision=r))
        rows.append((label, f"{version}: publish", seconds, queries, changes_note(published)))
    _, seconds, queries = support.measure(lambda r=published: dump(revision_to_dict(r)))
    rows.append((label, "export (YAML)", seconds, queries, ""))
    return rows


def changes_note(revision) -> str:
    """The revision's change sentences counted by kind."""
    kinds: dict[str, int] = {}
    for change in revision.changes:
        words = change.rstrip(".").split()
        if len(words) > 1 and words[1] in {"added:", "removed:"}:
            kind = f"{words[0]} {words[1].rstrip(':')}"
        else:
            kind = f"{words[0]} {words[-1]}"
        kinds[kind.lower()] = kinds.get(kind.lower(), 0) + 1
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"{len(revision.changes)} change(s): {detail}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, default=10)
    parser.add_argument("--competencies", type=int, default=80)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    framework = shared_data_dir() / "frameworks" / "ft-engineering.yml"
    if not framework.exists():
        sys.exit(f"{framework} not found; set SHARED_DATA_DIR to the shared data folder.")

    with tempfile.TemporaryDirectory(prefix="bench-ladder-") as tmp:
        support.setup_django(tmp)
        from django.db import connection

        from ladders.models import Expectation, Ladder

        taken = Ladder.objects.filter(slug__in=[SYNTHETIC_SLUG, FT_SLUG])
        if taken.exists():
            sys.exit(f"The database already holds {list(taken)}; use a fresh one.")
        synthetic = synthetic_ladder(args.levels, args.competencies, args.seed)
        ft = ft_ladder(framework)
        rows = run_ladder(
            f"synthetic {args.levels}x{args.competencies}",
            synthetic,
            synthetic_changes(synthetic, args.seed),
        )
        rows += run_ladder(f"FT {len(ft['levels'])}x{len(ft['competencies'])}", ft, ft_changes(ft))

        print(
            f"\n{support.database_version(connection)} ({connection.vendor}); "
            f"synthetic: {len(synthetic['expectations'])} expectations; "
            f"FT framework from {framework}: {len(ft['expectations'])} expectations"
        )
        print(f"{'ladder':<18}{'step':<24}{'seconds':>9}{'queries':>9}  note")
        for label, step, seconds, queries, note in rows:
            print(f"{label:<18}{step:<24}{seconds:>9.3f}{queries:>9}  {note}")
        print(f"expectations in the database: {Expectation.objects.count():,}")
        connection.close()


if __name__ == "__main__":
    main()
