"""The ladder exchange format (docs/ladder-format.md): read, check, write.

Reading never touches the database. Every problem is collected with its path
(e.g. `expectations[12].level: unknown level "L9"`) so a person can fix a
file in one go; the caller writes nothing unless the list is empty.
"""

import json
import re
from dataclasses import dataclass, field

import yaml

from .models import Track

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
TRACKS = {t.value for t in Track}

# The C parser and emitter are ten times faster where libyaml is installed.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# The database's column sizes: longer values are problems, not crashes.
MAX_LENGTHS = {"slug": 50, "code": 40, "name": 120, "theme": 80}

LADDER_KEYS = {"slug": True, "name": True, "description": False}
LEVEL_KEYS = {"code": True, "name": True, "track": False, "summary": False}
COMPETENCY_KEYS = {"code": True, "name": True, "theme": True, "description": False}
EXPECTATION_KEYS = {"level": True, "competency": True, "text": True, "examples": False}


@dataclass
class LadderData:
    """A checked ladder file, ready to write."""

    slug: str
    name: str
    description: str = ""
    levels: list[dict] = field(default_factory=list)
    competencies: list[dict] = field(default_factory=list)
    expectations: list[dict] = field(default_factory=list)


class LadderFileError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_text(text: str, *, filename: str = "") -> object:
    """YAML or JSON text to Python data; a syntax error names its line."""
    try:
        if filename.endswith(".json"):
            return json.loads(text)
        return yaml.load(text, Loader=YAML_LOADER)  # a safe loader, C or Python
    except json.JSONDecodeError as error:
        raise LadderFileError(
            [f"line {error.lineno}, column {error.colno}: invalid JSON: {error.msg}"]
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise LadderFileError([f"{where}invalid YAML: {problem}"]) from None


def check(data: object) -> LadderData:
    """Check the whole structure; raise LadderFileError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise LadderFileError(
            ["(top): expected a mapping with ladder, levels, competencies and expectations"]
        )
    for key in sorted(data.keys() - {"ladder", "levels", "competencies", "expectations"}, key=str):
        problems.append(f"{key}: unknown key")
    ladder = _record(data.get("ladder"), "ladder", LADDER_KEYS, problems)
    if ladder.get("slug") is not None and not SLUG.match(str(ladder["slug"])):
        problems.append(
            f'ladder.slug: "{ladder["slug"]}" must be lowercase letters, digits and dashes'
        )
    levels = _records(data, "levels", LEVEL_KEYS, problems, required=True)
    competencies = _records(data, "competencies", COMPETENCY_KEYS, problems, required=True)
    expectations = _records(data, "expectations", EXPECTATION_KEYS, problems, required=False)
    level_codes = _unique_codes(levels, "levels", problems)
    competency_codes = _unique_codes(competencies, "competencies", problems)
    for i, level in enumerate(levels):
        level.setdefault("track", Track.IC.value)
        if level["track"] not in TRACKS:
            problems.append(f'levels[{i}].track: "{level["track"]}" is not one of ic, manager')
    for i, competency in enumerate(competencies):
        code = competency.get("code")
        if isinstance(code, str) and code and not SLUG.match(code):
            problems.append(
                f'competencies[{i}].code: "{code}" must be lowercase letters, digits and dashes'
            )
    _check_expectations(expectations, level_codes, competency_codes, problems)
    if problems:
        raise LadderFileError(problems)
    return LadderData(
        slug=ladder["slug"],
        name=ladder["name"],
        description=ladder.get("description", ""),
        levels=levels,
        competencies=competencies,
        expectations=expectations,
    )


def _record(value, path: str, keys: dict[str, bool], problems: list[str]) -> dict:
    """One mapping: required keys present, known keys only, strings where strings go."""
    if not isinstance(value, dict):
        problems.append(f"{path}: expected a mapping, got {_kind(value)}")
        return {}
    for key in sorted(value.keys() - keys.keys(), key=str):
        problems.append(f"{path}.{key}: unknown key (expected one of {', '.join(keys)})")
    for key, required in keys.items():
        if key not in value or value[key] is None or value[key] == "":
            if required:
                problems.append(f"{path}.{key}: missing")
            continue
        if key == "examples":
            if not isinstance(value[key], list) or not all(isinstance(e, str) for e in value[key]):
                problems.append(f"{path}.examples: expected a list of strings")
        elif not isinstance(value[key], str):
            problems.append(f"{path}.{key}: expected a string, got {_kind(value[key])}")
        elif key in MAX_LENGTHS and len(value[key]) > MAX_LENGTHS[key]:
            problems.append(f"{path}.{key}: longer than {MAX_LENGTHS[key]} characters")
    return {k: v for k, v in value.items() if k in keys and v is not None}


def _records(data: dict, key: str, keys, problems, *, required: bool) -> list[dict]:
    value = data.get(key)
    if value is None:
        if required:
            problems.append(f"{key}: missing")
        return []
    if not isinstance(value, list):
        problems.append(f"{key}: expected a list, got {_kind(value)}")
        return []
    if required and not value:
        problems.append(f"{key}: must not be empty")
    return [_record(item, f"{key}[{i}]", keys, problems) for i, item in enumerate(value)]


def _unique_codes(records: list[dict], path: str, problems: list[str]) -> set[str]:
    first: dict[str, int] = {}
    for i, record in enumerate(records):
        code = record.get("code")
        if not isinstance(code, str) or not code:
            continue
        if code in first:
            problems.append(
                f'{path}[{i}].code: duplicate code "{code}" (first at {path}[{first[code]}])'
            )
        else:
            first[code] = i
    return set(first)


def _check_expectations(expectations, level_codes, competency_codes, problems) -> None:
    seen: dict[tuple, int] = {}
    for i, item in enumerate(expectations):
        level, competency = item.get("level"), item.get("competency")
        if isinstance(level, str) and level not in level_codes:
            problems.append(f'expectations[{i}].level: unknown level "{level}"')
        if isinstance(competency, str) and competency not in competency_codes:
            problems.append(f'expectations[{i}].competency: unknown competency "{competency}"')
        if not (isinstance(level, str) and isinstance(competency, str)):
            continue  # already reported as a wrong type
        cell = (level, competency)
        if cell in seen:
            problems.append(
                f"expectations[{i}]: a second expectation for {level} x {competency} "
                f"(first at expectations[{seen[cell]}])"
            )
        else:
            seen[cell] = i


def _kind(value) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def dump(data: dict, *, as_json: bool = False) -> str:
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(data, Dumper=YAML_DUMPER, sort_keys=False, allow_unicode=True, width=100)
