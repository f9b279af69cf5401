"""Ladder files built to hurt: too deep, too large, aliases that expand without
end, values of the wrong type, characters the database cannot store. Each is
refused with its path or line, through the command and the admin, and nothing
is written. (Before: a deep YAML file crashed the process, deep JSON and
`track: [ic]` answered 500, and a 16 MB ladder was saved.)"""

import copy
import json
from io import StringIO

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from ladders import exchange
from ladders.exchange import LadderFileError, check, parse_text, read_file
from ladders.models import Ladder
from tests.ladders.test_exchange import SMALL, rows_written

IMPORT_URL = reverse("admin:ladders_ladder_import")


def with_change(change) -> dict:
    data = copy.deepcopy(SMALL)
    change(data)
    return data


def problems(text: str, filename: str = "ladder.yml") -> list[str]:
    with pytest.raises(LadderFileError) as error:
        check(read_file(text.encode("utf-8"), filename=filename))
    return error.value.problems


BILLION_LAUGHS = "\n".join(
    [
        "a: &a [x, x, x, x, x, x, x, x, x, x]",
        *(
            f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]"
            for previous, name in zip("abcdef", "bcdefg", strict=True)
        ),
    ]
)


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        pytest.param(
            "[" * 100_000,
            "deep.yml",
            ["line 1: nested more than 20 levels deep; a ladder file needs 4 at most."],
            id="deep YAML flow",
        ),
        pytest.param(
            "a:\n" + "".join(" " * i + "- \n" for i in range(1, 100)),
            "deep.yml",
            ["line 21: nested more than 20 levels deep; a ladder file needs 4 at most."],
            id="deep YAML blocks",
        ),
        pytest.param(
            '{"a": ' * 50_000,
            "deep.json",
            ["line 1: nested more than 20 levels deep; a ladder file needs 4 at most."],
            id="deep JSON",
        ),
        pytest.param(
            BILLION_LAUGHS,
            "laughs.yml",
            [
                "line 6: the file holds more than 500,000 values once its aliases (*name) are "
                "expanded."
            ],
            id="aliases that expand to a million values",
        ),
        pytest.param(
            "ladder: {started: 2025-02-30}",
            "date.yml",
            ["(file): invalid YAML: a value cannot be read (day is out of range for month)"],
            id="a date that does not exist",
        ),
        pytest.param(
            '{"ladder": ' + "9" * 5000 + "}",
            "big.json",
            [
                "(file): invalid JSON: a value cannot be read (Exceeds the limit (4300 digits) "
                "for integer string conversion: value has 5000 digits; use "
                "sys.set_int_max_str_digits() to increase the limit)"
            ],
            id="a number of 5000 digits",
        ),
    ],
)
def test_it_refuses_a_hostile_file_before_parsing_it(text, filename, expected):
    assert problems(text, filename) == expected


def test_it_refuses_a_file_over_the_size_limit_before_decoding_it():
    raw = b"#" * (exchange.MAX_FILE_BYTES + 1)

    with pytest.raises(LadderFileError) as error:
        read_file(raw, filename="big.yml")

    assert error.value.problems == ["(file): larger than 2.0 MB, the most a ladder file may be."]


def test_it_reports_a_list_where_a_track_belongs_by_its_path():
    data = with_change(lambda d: d["levels"][0].update(track=["ic"]))

    for text, name in ((yaml.safe_dump(data), "l.yml"), (json.dumps(data), "l.json")):
        assert problems(text, name) == ["levels[0].track: expected a string, got a list"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda d: d["levels"][0].update(name={"a": 1}),
            "levels[0].name: expected a string, got a mapping",
            id="mapping as a name",
        ),
        pytest.param(
            lambda d: d["expectations"][0].update(level=["L1"]),
            "expectations[0].level: expected a string, got a list",
            id="list as a level",
        ),
        pytest.param(
            lambda d: d["ladder"].update(name="Eng\x00ineering"),
            "ladder.name: contains a character that cannot be stored (U+0000)",
            id="NUL in a name",
        ),
        pytest.param(
            lambda d: d["expectations"][0].update(text="x" * 10_001),
            "expectations[0].text: longer than 10,000 characters",
            id="text over the limit",
        ),
        pytest.param(
            lambda d: d["expectations"][0].update(examples=["x"] * 51),
            "expectations[0].examples: 51 examples; at most 50",
            id="too many examples",
        ),
        pytest.param(
            lambda d: d["expectations"][0].update(examples=["fine", "\x00"]),
            "expectations[0].examples: [1] contains a character that cannot be stored (U+0000)",
            id="NUL in an example",
        ),
    ],
)
def test_it_reports_a_wrong_value_by_its_path(change, expected):
    assert problems(json.dumps(with_change(change)), "l.json") == [expected]


def test_it_reports_a_lone_surrogate_from_json_by_its_path():
    text = json.dumps(SMALL).replace('"Engineering"', '"Eng\\ud800"', 1)

    assert problems(text, "l.json") == [
        "ladder.name: contains a character that cannot be stored (U+D800)"
    ]


def test_it_still_reads_anchors_and_aliases_within_the_limits():
    text = (
        yaml.safe_dump(SMALL)
        .replace("text: Tests own changes.", "text: &same Tests own changes.")
        .replace("text: Chooses the right test.", "text: *same")
    )

    data = check(parse_text(text))

    assert data.expectations[2]["text"] == "Tests own changes."


# --- through the command and the admin -----------------------------------------------


@pytest.mark.django_db
def test_the_command_refuses_a_deep_file_and_writes_nothing(tmp_path):
    path = tmp_path / "deep.yml"
    path.write_text("[" * 200_000, encoding="utf-8")
    err = StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_ladder", str(path), stdout=StringIO(), stderr=err)

    assert "nested more than 20 levels deep" in err.getvalue()
    assert rows_written()["ladders"] == 0


@pytest.mark.django_db
def test_the_command_refuses_a_file_over_the_limit_without_reading_it_all(tmp_path):
    path = tmp_path / "big.yml"
    path.write_bytes(b"# padding\n" * 1_700_000)  # 17 MB
    err = StringIO()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_ladder", str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue() == f"{path}: (file): larger than 2.0 MB, the most a ladder file may be.\n"


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def post(client, content: bytes, name: str = "ladder.yml"):
    upload = SimpleUploadedFile(name, content, content_type="application/yaml")
    return client.post(IMPORT_URL, {"file": upload})


def test_the_admin_states_the_size_limit_on_the_form(hr_client):
    response = hr_client.get(IMPORT_URL)

    assert "at most 2.0 MB" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        pytest.param(
            b"[" * 200_000,
            "deep.yml",
            "line 1: nested more than 20 levels deep; a ladder file needs 4 at most.",
            id="deep YAML",
        ),
        pytest.param(
            b"[" * 200_000,
            "deep.json",
            "line 1: nested more than 20 levels deep; a ladder file needs 4 at most.",
            id="deep JSON",
        ),
        pytest.param(
            yaml.safe_dump(with_change(lambda d: d["levels"][0].update(track=["ic"]))).encode(),
            "track.yml",
            "levels[0].track: expected a string, got a list",
            id="list as a track",
        ),
    ],
)
def test_the_admin_lists_the_problem_of_a_hostile_file_and_writes_nothing(
    hr_client, content, name, expected
):
    response = post(hr_client, content, name)

    assert response.status_code == 200
    assert response.context["problems"] == [expected]
    assert not Ladder.objects.exists()


def test_the_admin_refuses_an_upload_over_the_limit_on_the_form(hr_client):
    response = post(hr_client, b"#" * (exchange.MAX_FILE_BYTES + 1))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file is larger than 2.0 MB, the most accepted here."]
    }
    assert not Ladder.objects.exists()
