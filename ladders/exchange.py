"""The ladder exchange format (docs/ladder-format.md): read, check, write.

Reading never touches the database. Every problem is collected with its path
(e.g. `expectations[12].level: unknown level "L9"`) so a person can fix a
file in one go; the caller writes nothing unless the list is empty.
"""

import json
import re
from dataclasses import dataclass, field

import yaml

from core.limits import LADDER_FILE_MAX_BYTES, TEXT_MAX_CHARS, size_in_words

from .models import Track

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
TRACKS = {t.value for t in Track}

# The C parser and emitter are ten times faster where libyaml is installed.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# The database's column sizes, and the free-text limit: longer values are
# problems, not crashes.
MAX_LENGTHS = {
    "slug": 50,
    "code": 40,
    "name": 120,
    "theme": 80,
    "description": TEXT_MAX_CHARS,
    "summary": TEXT_MAX_CHARS,
    "text": TEXT_MAX_CHARS,
}
MAX_EXAMPLES = 50
MAX_FILE_BYTES = LADDER_FILE_MAX_BYTES
# A ladder file nests 4 deep (top, list, record, examples); 20 leaves room for
# mistakes to be reported as wrong types rather than refused as too deep.
MAX_DEPTH = 20
# Values after expanding YAML aliases: a 10 x 80 ladder has about 10,000.
MAX_NODES = 500_000

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


def read_file(raw: bytes, *, filename: str = "") -> object:
    """An uploaded or read file to Python data: size, encoding, then syntax."""
    if len(raw) > MAX_FILE_BYTES:
        raise LadderFileError(
            [f"(file): larger than {size_in_words(MAX_FILE_BYTES)}, the most a ladder file may be."]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LadderFileError(
            [f"line {line}: not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as UTF-8."]
        ) from None
    return parse_text(text, filename=filename)


def parse_text(text: str, *, filename: str = "") -> object:
    """YAML or JSON text to Python data; a syntax error names its line.

    Size and nesting are bounded before the real parse: libyaml's C loader
    recurses once per level and a deep enough file crashes the process, and
    json raises RecursionError. Only LadderFileError ever leaves this function.
    """
    if len(text) > MAX_FILE_BYTES:
        raise LadderFileError(
            [f"(file): larger than {size_in_words(MAX_FILE_BYTES)}, the most a ladder file may be."]
        )
    as_json = filename.endswith(".json")
    try:
        if as_json:
            _check_json_shape(text)
            return json.loads(text)
        _check_yaml_shape(text)
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
    except (ValueError, OverflowError, RecursionError) as error:
        # e.g. a date that does not exist (2025-02-30), or a number of 5,000 digits.
        kind = "JSON" if as_json else "YAML"
        problem = f"(file): invalid {kind}: a value cannot be read ({error})"
        raise LadderFileError([problem]) from None


def _too_deep(line: int | None = None) -> LadderFileError:
    where = f"line {line}: " if line else "(file): "
    return LadderFileError(
        [f"{where}nested more than {MAX_DEPTH} levels deep; a ladder file needs 4 at most."]
    )


# Strings (with their escapes) or brackets: brackets inside strings do not nest.
JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _check_json_shape(text: str) -> None:
    depth = 0
    for token in JSON_TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(text.count("\n", 0, token.start()) + 1)
        elif char in "]}":
            depth -= 1


def _line(event: yaml.Event) -> int:
    """The line an event starts on, from 1 (PyYAML's parser marks every event)."""
    return event.start_mark.line + 1 if event.start_mark else 0


def _check_yaml_shape(text: str) -> None:
    """Walk libyaml's event stream (iterative, unlike its composer) and stop at
    the first level too deep, or once aliases would expand past MAX_NODES
    (a "billion laughs" file is a few lines long)."""
    open_sizes: list[tuple[str | None, int]] = []  # (anchor, nodes so far) per open collection
    sizes: dict[str, int] = {}  # an anchor's expanded size
    total = 0
    for event in yaml.parse(text, Loader=YAML_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            open_sizes.append((event.anchor, 1))
            if len(open_sizes) > MAX_DEPTH:
                raise _too_deep(_line(event))
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_sizes.pop()
            if anchor:
                sizes[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor or "", 1)  # an unknown anchor is the parser's to report
        else:
            continue
        if open_sizes:
            anchor, so_far = open_sizes[-1]
            open_sizes[-1] = (anchor, so_far + size)
        else:
            total += size
        if total + sum(s for _, s in open_sizes) > MAX_NODES:
            raise LadderFileError(
                [
                    f"line {_line(event)}: the file holds more than {MAX_NODES:,} "
                    "values once its aliases (*name) are expanded."
                ]
            )


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
    """One mapping: required keys present, known keys only, strings where strings
    go. Only the values that passed are kept, so later checks see the right types."""
    if not isinstance(value, dict):
        problems.append(f"{path}: expected a mapping, got {_kind(value)}")
        return {}
    for key in sorted(value.keys() - keys.keys(), key=str):
        problems.append(f"{path}.{key}: unknown key (expected one of {', '.join(keys)})")
    kept = {}
    for key, required in keys.items():
        if key not in value or value[key] is None or value[key] == "":
            if required:
                problems.append(f"{path}.{key}: missing")
            continue
        problem = (
            _examples_problem(value[key]) if key == "examples" else _string_problem(value[key], key)
        )
        if problem:
            problems.append(f"{path}.{key}: {problem}")
        else:
            kept[key] = value[key]
    return kept


def _string_problem(value, key: str) -> str | None:
    if not isinstance(value, str):
        return f"expected a string, got {_kind(value)}"
    if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
        return f"longer than {MAX_LENGTHS[key]:,} characters"
    return _character_problem(value)


def _examples_problem(value) -> str | None:
    if not isinstance(value, list) or not all(isinstance(e, str) for e in value):
        return "expected a list of strings"
    if len(value) > MAX_EXAMPLES:
        return f"{len(value)} examples; at most {MAX_EXAMPLES}"
    for i, example in enumerate(value):
        if len(example) > TEXT_MAX_CHARS:
            return f"[{i}] is longer than {TEXT_MAX_CHARS:,} characters"
        problem = _character_problem(example)
        if problem:
            return f"[{i}] {problem}"
    return None


# NUL cannot be stored in PostgreSQL text, and a lone surrogate (JSON "\\ud800")
# cannot be encoded at all: both would fail at write time instead of here.
BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def _character_problem(value: str) -> str | None:
    bad = BAD_CHARACTERS.search(value)
    if bad:
        return f"contains a character that cannot be stored (U+{ord(bad.group()):04X})"
    return None


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
