"""No ladder file crashes the importer: whatever the bytes, reading and checking
either give a ladder or raise LadderFileError with at least one problem. The
number of examples is bounded so the suite stays fast."""

import copy
import json

import pytest
import yaml
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ladders.exchange import LadderData, LadderFileError, check, read_file
from ladders.services.revisions import ladder_import
from tests.ladders.test_exchange import SMALL

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Values of any shape a YAML or JSON file can hold, nested a few levels.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)
# Characters that mean something to a YAML or JSON parser, to make near-misses likely.
syntax = st.text(alphabet="[]{}:,-&*!|>'\"\\#?%@` \n\t\x00L1icmanager", max_size=200)


def read_and_check(raw: bytes, filename: str) -> None:
    try:
        result = check(read_file(raw, filename=filename))
    except LadderFileError as refused:
        assert refused.problems and all(isinstance(p, str) for p in refused.problems)
    else:
        assert isinstance(result, LadderData)


@FUZZ
@given(raw=st.binary(max_size=400), as_json=st.booleans())
@example(raw=b"[" * 50_000, as_json=False)
@example(raw=b"[" * 50_000, as_json=True)
@example(raw=b"ladder: {started: 2025-02-30}", as_json=False)
@example(raw=b"\xff\xfe", as_json=False)
def test_any_bytes_are_read_or_refused(raw, as_json):
    read_and_check(raw, "l.json" if as_json else "l.yml")


@FUZZ
@given(text=syntax, as_json=st.booleans())
def test_any_near_miss_of_the_syntax_is_read_or_refused(text, as_json):
    read_and_check(text.encode("utf-8", "surrogatepass"), "l.json" if as_json else "l.yml")


@FUZZ
@given(data=values)
def test_any_shape_of_data_is_checked_or_refused(data):
    read_and_check(json.dumps(data).encode(), "l.json")
    read_and_check(yaml.safe_dump(data).encode(), "l.yml")


@st.composite
def small_ladder_with_one_value_replaced(draw):
    """The small valid ladder with any one value (or record) swapped for anything."""
    data = copy.deepcopy(SMALL)
    section = draw(st.sampled_from(["ladder", "levels", "competencies", "expectations"]))
    target = data[section] if section == "ladder" else draw(st.sampled_from(data[section]))
    key = draw(st.sampled_from([*target.keys(), "examples", "track", "unknown"]))
    target[key] = draw(values)
    return data


@FUZZ
@given(data=small_ladder_with_one_value_replaced())
def test_a_valid_ladder_with_any_value_swapped_is_checked_or_refused(data):
    read_and_check(json.dumps(data).encode(), "l.json")
    read_and_check(yaml.safe_dump(data, allow_unicode=True).encode(), "l.yml")


# --- what passes the check can be written: never a database error at write time -----

any_text = st.text(min_size=1, max_size=60)  # NUL, surrogates, emoji, right-to-left...
codes = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=45)


@st.composite
def ladders_with_any_text(draw):
    level_codes = draw(st.lists(any_text, min_size=1, max_size=3, unique=True))
    competency_codes = draw(st.lists(codes, min_size=1, max_size=3, unique=True))
    return {
        "ladder": {"slug": draw(codes), "name": draw(any_text), "description": draw(any_text)},
        "levels": [
            {"code": code, "name": draw(any_text), "summary": draw(any_text)}
            for code in level_codes
        ],
        "competencies": [
            {"code": code, "name": draw(any_text), "theme": draw(any_text)}
            for code in competency_codes
        ],
        "expectations": [
            {
                "level": level,
                "competency": competency,
                "text": draw(any_text),
                "examples": draw(st.lists(any_text, max_size=2)),
            }
            for level in level_codes
            for competency in competency_codes
        ],
    }


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=ladders_with_any_text())
def test_a_ladder_that_passes_the_check_is_written_without_a_database_error(data):
    try:
        checked = check(read_file(json.dumps(data).encode(), filename="l.json"))
    except LadderFileError:
        return
    with transaction.atomic():
        ladder_import(data=checked, publish=True)
        transaction.set_rollback(True)  # each example starts from an empty database
