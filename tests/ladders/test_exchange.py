"""The ladder exchange format through `manage.py import_ladder` and `export_ladder`:
the default ladder round trip in YAML and JSON, and every kind of bad file refused
with its paths and nothing written."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from ladders.models import Competency, Expectation, Ladder, Level, Revision
from ladders.services.exchange_io import revision_to_dict
from ladders.services.revisions import published_revision
from tests.ladders.factories import MENTORING, TESTING, two_level_file

pytestmark = pytest.mark.django_db

DEFAULT_LADDER = Path(settings.BASE_DIR) / "ladders" / "data" / "engineering.yml"

SMALL = two_level_file(TESTING, MENTORING)


def small(change) -> str:
    """The small valid ladder with one change applied, as YAML."""
    data = copy.deepcopy(SMALL)
    change(data)
    return yaml.safe_dump(data, sort_keys=False)


def import_file(path: Path, *options: str) -> str:
    out = StringIO()
    call_command("import_ladder", str(path), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def refused(path: Path) -> tuple[set[str], str]:
    """Import the file for real (and publish); return the problem lines and the error."""
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_ladder", str(path), "--publish", stdout=StringIO(), stderr=err)
    return set(err.getvalue().splitlines()), str(error.value)


def rows_written() -> dict[str, int]:
    return {
        "ladders": Ladder.objects.count(),
        "revisions": Revision.objects.count(),
        "levels": Level.objects.count(),
        "competencies": Competency.objects.count(),
        "expectations": Expectation.objects.count(),
    }


# --- The default ladder and the round trip ------------------------------------------


def test_it_ships_a_default_ladder_with_an_expectation_for_every_level_and_competency():
    data = yaml.safe_load(DEFAULT_LADDER.read_text(encoding="utf-8"))

    levels = [level["code"] for level in data["levels"]]
    competencies = [c["code"] for c in data["competencies"]]
    cells = {(e["level"], e["competency"]) for e in data["expectations"]}
    assert levels == ["L1", "L2", "L3", "M1", "L4", "M2", "L5", "M3"]
    assert len(competencies) == 12
    assert {c["theme"] for c in data["competencies"]} == {
        "Craft",
        "Delivery",
        "Collaboration",
        "Leadership",
    }
    assert cells == {(level, c) for level in levels for c in competencies}
    assert len(data["expectations"]) == len(cells)
    assert all(1 <= len(e["examples"]) <= 2 for e in data["expectations"])
    assert all(level["summary"] for level in data["levels"])
    assert all(c["description"] for c in data["competencies"])


def test_it_dry_runs_the_default_ladder_without_writing_anything():
    output = import_file(DEFAULT_LADDER, "--dry-run")

    assert "Dry run, nothing written. Engineering: 8 levels, 12 competencies" in output
    assert "96 expectations" in output
    assert rows_written()["ladders"] == 0


def test_it_imports_the_default_ladder_without_losing_anything():
    import_file(DEFAULT_LADDER, "--publish")

    source = yaml.safe_load(DEFAULT_LADDER.read_text(encoding="utf-8"))
    exported = revision_to_dict(Revision.objects.get())
    assert exported["ladder"] == source["ladder"]
    assert exported["levels"] == source["levels"]
    assert exported["competencies"] == source["competencies"]

    def by_cell(expectations):
        return sorted(expectations, key=lambda e: (e["level"], e["competency"]))

    assert by_cell(exported["expectations"]) == by_cell(source["expectations"])
    tracks = dict(Level.objects.values_list("code", "track"))
    assert tracks["M1"] == "manager" and tracks["L4"] == "ic"


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_it_imports_an_export_back_as_the_same_ladder(tmp_path, suffix):
    import_file(DEFAULT_LADDER, "--publish")
    ladder = Ladder.objects.get(slug="engineering")
    first = revision_to_dict(published_revision(ladder=ladder))
    exported = tmp_path / f"engineering.{suffix}"

    call_command("export_ladder", "engineering", "-o", str(exported), stderr=StringIO())
    text = exported.read_text(encoding="utf-8")
    assert (json.loads(text) if suffix == "json" else yaml.safe_load(text)) == first
    output = import_file(exported, "--publish")

    second = published_revision(ladder=ladder)
    assert second.number == 2
    assert revision_to_dict(second) == first
    assert second.changes == ["No changes."]
    assert "published as revision 2" in output
    assert revision_to_dict(ladder.revisions.get(number=1)) == first


def test_it_exports_to_standard_output_as_yaml():
    import_file(DEFAULT_LADDER, "--publish")
    out = StringIO()

    call_command("export_ladder", "engineering", stdout=out)

    assert yaml.safe_load(out.getvalue()) == revision_to_dict(Revision.objects.get())


def test_it_names_the_known_ladders_when_exporting_an_unknown_one():
    import_file(DEFAULT_LADDER, "--publish")

    with pytest.raises(CommandError, match=r'No ladder "sales" \(known: engineering\)'):
        call_command("export_ladder", "sales", stdout=StringIO())


# --- Bad files: every problem listed with its path, nothing written ---------------------

BAD_FILES = {
    "unknown level in an expectation": (
        "unknown-level.yml",
        small(lambda d: d["expectations"][1].update(level="L9")),
        {'expectations[1].level: unknown level "L9"'},
    ),
    "unknown competency in an expectation": (
        "unknown-competency.yml",
        small(lambda d: d["expectations"][3].update(competency="planning")),
        {'expectations[3].competency: unknown competency "planning"'},
    ),
    "duplicate level code": (
        "duplicate-level.yml",
        small(lambda d: d["levels"].append({"code": "L1", "name": "Engineer One"})),
        {'levels[2].code: duplicate code "L1" (first at levels[0])'},
    ),
    "duplicate competency code": (
        "duplicate-competency.yml",
        small(
            lambda d: d["competencies"].append({"code": "testing", "name": "Tests", "theme": "X"})
        ),
        {'competencies[2].code: duplicate code "testing" (first at competencies[0])'},
    ),
    "duplicate expectation cell": (
        "duplicate-cell.yml",
        small(lambda d: d["expectations"].append(dict(d["expectations"][0], text="Again."))),
        {"expectations[4]: a second expectation for L1 x testing (first at expectations[0])"},
    ),
    "missing fields": (
        "missing.yml",
        small(
            lambda d: (
                d["ladder"].pop("slug"),
                d["levels"][1].pop("name"),
                d["competencies"][0].pop("theme"),
                d["expectations"][2].pop("text"),
            )
        ),
        {
            "ladder.slug: missing",
            "levels[1].name: missing",
            "competencies[0].theme: missing",
            "expectations[2].text: missing",
        },
    ),
    "missing sections": (
        "no-levels.yml",
        small(lambda d: (d.pop("levels"), d.update(competencies=[]), d.pop("expectations"))),
        {"levels: missing", "competencies: must not be empty"},
    ),
    "wrong types": (
        "types.yml",
        small(
            lambda d: (
                d["ladder"].update(name=42),
                d["levels"][0].update(track="staff"),
                d["levels"].append("Engineer III"),
                d["expectations"][0].update(text=["a", "b"], examples="one example"),
                d["expectations"][1].update(examples=["fine", 3]),
            )
        ),
        {
            "ladder.name: expected a string, got a number",
            'levels[0].track: "staff" is not one of ic, manager',
            "levels[2]: expected a mapping, got a string",
            "expectations[0].text: expected a string, got a list",
            "expectations[0].examples: expected a list of strings",
            "expectations[1].examples: expected a list of strings",
        },
    ),
    "a list where a mapping goes and the reverse": (
        "shapes.yml",
        small(lambda d: d.update(ladder=["engineering"], competencies={"code": "testing"})),
        {
            "ladder: expected a mapping, got a list",
            "competencies: expected a list, got a mapping",
            'expectations[0].competency: unknown competency "testing"',
            'expectations[1].competency: unknown competency "mentoring"',
            'expectations[2].competency: unknown competency "testing"',
            'expectations[3].competency: unknown competency "mentoring"',
        },
    ),
    "bad codes": (
        "codes.yml",
        small(
            lambda d: (
                d["ladder"].update(slug="Engineering Ladder"),
                d["competencies"][1].update(code="Mentoring!"),
                d["expectations"][1].update(competency="Mentoring!"),
                d["expectations"][3].update(competency="Mentoring!"),
            )
        ),
        {
            'ladder.slug: "Engineering Ladder" must be lowercase letters, digits and dashes',
            'competencies[1].code: "Mentoring!" must be lowercase letters, digits and dashes',
        },
    ),
    "unknown keys": (
        "keys.yml",
        small(lambda d: (d.update(notes="hello"), d["levels"][0].update(colour="blue"))),
        {
            "notes: unknown key",
            "levels[0].colour: unknown key (expected one of code, name, track, summary)",
        },
    ),
    "invalid YAML": (
        "broken.yml",
        "ladder:\n  slug: engineering\n  name: [Engineering\nlevels: []\n",
        {"line 4, column 7: invalid YAML: did not find expected ',' or ']'"},
    ),
    "invalid JSON": (
        "broken.json",
        '{\n  "ladder": {"slug": "engineering",}\n}\n',
        {"line 2, column 36: invalid JSON: Expecting property name enclosed in double quotes"},
    ),
    "empty file": (
        "empty.yml",
        "",
        {"(top): expected a mapping with ladder, levels, competencies and expectations"},
    ),
    "top level not a mapping": (
        "list.yml",
        "- ladder\n- levels\n",
        {"(top): expected a mapping with ladder, levels, competencies and expectations"},
    ),
}


@pytest.mark.parametrize("case", BAD_FILES.keys())
def test_it_refuses_a_bad_file_listing_every_problem_with_its_path(tmp_path, case):
    name, text, problems = BAD_FILES[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    lines, error = refused(path)

    assert lines == {f"{path}: {problem}" for problem in problems}
    assert error == f"{len(problems)} problem(s); nothing was written."
    assert rows_written() == dict.fromkeys(rows_written(), 0)


def test_it_lists_problems_of_every_kind_in_one_go(tmp_path):
    path = tmp_path / "many.yml"
    path.write_text(
        small(
            lambda d: (
                d["levels"].append({"code": "L2", "name": "Again"}),
                d["expectations"][0].update(level="L9"),
                d["expectations"][1].pop("text"),
                d["expectations"][2].update(competency="planning"),
            )
        ),
        encoding="utf-8",
    )

    lines, error = refused(path)

    assert lines == {
        f'{path}: levels[2].code: duplicate code "L2" (first at levels[1])',
        f'{path}: expectations[0].level: unknown level "L9"',
        f"{path}: expectations[1].text: missing",
        f'{path}: expectations[2].competency: unknown competency "planning"',
    }
    assert error.startswith("4 problem(s)")


def test_it_leaves_a_published_ladder_untouched_when_a_bad_file_comes_in(tmp_path):
    import_file(DEFAULT_LADDER, "--publish")
    before = revision_to_dict(Revision.objects.get())
    counts = rows_written()
    path = tmp_path / "bad.yml"
    path.write_text(small(lambda d: d["expectations"][0].update(level="L9")), encoding="utf-8")

    refused(path)

    assert rows_written() == counts
    assert revision_to_dict(Revision.objects.get()) == before


def test_it_says_when_the_file_is_not_utf8_text(tmp_path):
    path = tmp_path / "latin1.yml"
    path.write_bytes("ladder: {slug: ingénierie}".encode("latin-1"))

    err = StringIO()
    # Changed on purpose: the encoding problem is listed like any other, with its line.
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_ladder", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue() == f"{path}: line 1: not UTF-8 text (byte 0xe9); save it as UTF-8.\n"
    assert rows_written()["ladders"] == 0
