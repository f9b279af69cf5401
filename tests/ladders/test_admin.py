"""The ladder admin: people team only, publish and new-draft actions, read-only
once published, file import (dry run, bad file, real) and export downloads."""

import json
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ladders.exchange import check, parse_text
from ladders.models import Competency, Expectation, Ladder, Level, Placement, Revision
from ladders.services.exchange_io import revision_to_dict
from ladders.services.revisions import ladder_import, revision_start_draft
from tests.ladders.factories import PlacementFactory, published_ladder

pytestmark = pytest.mark.django_db

DEFAULT_LADDER = Path(settings.BASE_DIR) / "ladders" / "data" / "engineering.yml"
IMPORT_URL = reverse("admin:ladders_ladder_import")


def default_data():
    return check(parse_text(DEFAULT_LADDER.read_text(encoding="utf-8")))


@pytest.fixture
def published(org):
    """The default ladder, published, with the engineer placed on it."""
    revision = ladder_import(data=default_data(), publish=True)
    PlacementFactory(person=org.engineer, level=revision.levels.get(code="L2"))
    return revision


@pytest.fixture
def hr_client(client, org):
    client.force_login(org.hr)
    return client


def admin_pages(revision: Revision) -> list[str]:
    level = revision.levels.first()
    competency = revision.competencies.first()
    expectation = Expectation.objects.filter(level=level).first()
    placement = Placement.objects.first()
    pages = [
        reverse("admin:app_list", args=["ladders"]),
        IMPORT_URL,
        reverse("admin:ladders_revision_export", args=[revision.pk, "yaml"]),
        reverse("admin:ladders_revision_export", args=[revision.pk, "json"]),
        reverse("admin:ladders_placement_history", args=[placement.pk]),
    ]
    for model, obj in [
        ("ladder", revision.ladder),
        ("revision", revision),
        ("level", level),
        ("competency", competency),
        ("expectation", expectation),
        ("placement", placement),
    ]:
        pages.append(reverse(f"admin:ladders_{model}_changelist"))
        pages.append(reverse(f"admin:ladders_{model}_change", args=[obj.pk]))
    pages += [
        reverse(f"admin:ladders_{m}_add") for m in ("ladder", "level", "competency", "placement")
    ]
    return pages


def upload(text: str, *, name="engineering.yml", dry_run=False, publish=False) -> dict:
    data = {"file": SimpleUploadedFile(name, text.encode(), content_type="application/yaml")}
    if dry_run:
        data["dry_run"] = "on"
    if publish:
        data["publish"] = "on"
    return data


# --- Access -----------------------------------------------------------------------------


def test_it_lets_the_people_team_reach_every_ladder_admin_page(hr_client, published):
    for url in admin_pages(published):
        assert hr_client.get(url).status_code == 200, url


def test_it_sends_an_engineer_to_the_admin_sign_in_from_every_ladder_admin_page(
    client, org, published
):
    client.force_login(org.engineer)

    for url in admin_pages(published):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login")), url


def test_it_refuses_staff_outside_the_people_team(client, org, published):
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)

    for url in admin_pages(published)[1:]:
        assert client.get(url).status_code == 404, url  # as if it did not exist (issue 9)
    assert b"Ladders" not in client.get(reverse("admin:index")).content


def test_it_refuses_writes_from_staff_outside_the_people_team(client, org, published):
    draft = revision_start_draft(ladder=published.ladder)
    org.manager.is_staff = True
    org.manager.save()
    client.force_login(org.manager)

    response = client.post(reverse("admin:ladders_revision_publish", args=[draft.pk]))

    assert response.status_code == 404
    assert Revision.objects.get(pk=draft.pk).status == Revision.Status.DRAFT


# --- Publish and start a new draft -------------------------------------------------------


def test_it_publishes_a_draft_from_the_list_and_shows_what_changed(hr_client, org, published):
    data = default_data()
    data.competencies[0]["name"] = "Code health"
    data.expectations[0]["text"] = "Writes clear code."
    draft = ladder_import(data=data)

    response = hr_client.post(
        reverse("admin:ladders_revision_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
        follow=True,
    )

    body = response.content.decode()
    assert "Published Engineering r2 (published). What changed:" in body
    assert "<li>Competency code-quality: name changed.</li>" in body
    assert "<li>Expectation L1 x code-quality changed.</li>" in body
    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == org.hr


def test_it_publishes_from_the_draft_page(hr_client, published):
    draft = revision_start_draft(ladder=published.ladder)
    page = hr_client.get(reverse("admin:ladders_revision_change", args=[draft.pk]))
    assert b"Publish revision 2" in page.content

    response = hr_client.post(
        reverse("admin:ladders_revision_publish", args=[draft.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse(
        "admin:ladders_revision_change", args=[draft.pk]
    )
    assert "<li>No changes.</li>" in response.content.decode()
    assert Revision.objects.get(pk=draft.pk).is_published


def test_it_does_not_publish_on_a_get(hr_client, published):
    draft = revision_start_draft(ladder=published.ladder)

    hr_client.get(reverse("admin:ladders_revision_publish", args=[draft.pk]))

    assert Revision.objects.get(pk=draft.pk).status == Revision.Status.DRAFT


def test_it_starts_a_new_draft_from_the_ladder_list(hr_client, published):
    response = hr_client.post(
        reverse("admin:ladders_ladder_changelist"),
        {"action": "start_drafts", "_selected_action": [published.ladder.pk]},
        follow=True,
    )

    draft = published.ladder.revisions.get(status=Revision.Status.DRAFT)
    assert draft.number == 2
    assert revision_to_dict(draft) == revision_to_dict(published)
    assert "Started Engineering r2 (draft)" in response.content.decode()


def test_it_says_why_it_does_not_start_a_second_draft(hr_client, published):
    revision_start_draft(ladder=published.ladder)

    response = hr_client.post(
        reverse("admin:ladders_ladder_start_draft", args=[published.ladder.pk]), follow=True
    )

    assert "already has a draft; edit or publish that one." in response.content.decode()
    assert published.ladder.revisions.count() == 2


def test_it_lists_a_ladders_revisions_with_their_status_and_links(hr_client, published):
    draft = revision_start_draft(ladder=published.ladder)

    body = hr_client.get(
        reverse("admin:ladders_ladder_change", args=[published.ladder.pk])
    ).content.decode()

    assert reverse("admin:ladders_revision_change", args=[draft.pk]) in body
    assert reverse("admin:ladders_revision_change", args=[published.pk]) in body
    assert reverse("admin:ladders_revision_export", args=[published.pk, "json"]) in body
    assert "Published" in body and "Draft" in body


# --- Read-only once published --------------------------------------------------------------


def level_form(level: Level, **changes) -> dict:
    data = {
        "code": level.code,
        "name": level.name,
        "track": level.track,
        "position": level.position,
        "summary": level.summary,
        "expectations-TOTAL_FORMS": "0",
        "expectations-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


def test_it_refuses_to_change_a_level_of_a_published_revision(hr_client, published):
    level = published.levels.get(code="L1")
    url = reverse("admin:ladders_level_change", args=[level.pk])

    page = hr_client.get(url).content.decode()
    response = hr_client.post(url, level_form(level, name="Apprentice"))

    assert 'name="name"' not in page and "Engineer I" in page
    assert response.status_code == 403
    assert Level.objects.get(pk=level.pk).name == "Engineer I"


def test_it_changes_a_level_of_a_draft(hr_client, published):
    draft = revision_start_draft(ladder=published.ladder)
    level = draft.levels.get(code="L1")

    response = hr_client.post(
        reverse("admin:ladders_level_change", args=[level.pk]),
        level_form(level, name="Apprentice"),
    )

    assert response.status_code == 302
    assert Level.objects.get(pk=level.pk).name == "Apprentice"
    assert published.levels.get(code="L1").name == "Engineer I"


def test_it_refuses_to_change_or_delete_a_published_expectation(hr_client, published):
    expectation = Expectation.objects.filter(level__revision=published).first()
    text = expectation.text

    changed = hr_client.post(
        reverse("admin:ladders_expectation_change", args=[expectation.pk]),
        {
            "level": expectation.level_id,
            "competency": expectation.competency_id,
            "text": "Rewritten.",
            "examples": "",
        },
    )
    deleted = hr_client.post(
        reverse("admin:ladders_expectation_delete", args=[expectation.pk]), {"post": "yes"}
    )

    assert changed.status_code == 403 and deleted.status_code == 403
    assert Expectation.objects.get(pk=expectation.pk).text == text


def test_it_refuses_to_delete_a_published_revision_even_in_bulk(hr_client, published):
    response = hr_client.post(
        reverse("admin:ladders_revision_changelist"),
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )

    assert response.status_code in {200, 403}
    assert Revision.objects.filter(pk=published.pk).exists()
    assert Expectation.objects.filter(level__revision=published).count() == 96


def test_it_shows_the_inlines_of_a_published_revision_read_only(hr_client, published):
    draft = revision_start_draft(ladder=published.ladder)

    published_page = hr_client.get(
        reverse("admin:ladders_revision_change", args=[published.pk])
    ).content.decode()
    draft_page = hr_client.get(
        reverse("admin:ladders_revision_change", args=[draft.pk])
    ).content.decode()

    assert 'name="levels-0-code"' not in published_page and "Senior Engineer" in published_page
    assert 'name="competencies-0-code"' not in published_page
    assert 'name="levels-0-code"' in draft_page and 'name="competencies-0-code"' in draft_page


def test_it_edits_an_expectations_examples_one_per_line(hr_client, published):
    draft = revision_start_draft(ladder=published.ladder)
    expectation = Expectation.objects.filter(level__revision=draft).first()

    response = hr_client.post(
        reverse("admin:ladders_expectation_change", args=[expectation.pk]),
        {
            "level": expectation.level_id,
            "competency": expectation.competency_id,
            "text": "Writes code a newcomer can follow.",
            "examples": "Names things well.\n\n  Splits large changes.  \n",
        },
    )

    assert response.status_code == 302
    expectation.refresh_from_db()
    assert expectation.examples == ["Names things well.", "Splits large changes."]


def test_it_refuses_an_expectation_mixing_two_revisions(hr_client, published):
    draft = revision_start_draft(ladder=published.ladder)
    draft.levels.get(code="L1").expectations.all().delete()

    response = hr_client.post(
        reverse("admin:ladders_expectation_add"),
        {
            "level": draft.levels.get(code="L1").pk,
            "competency": published.competencies.get(code="testing").pk,
            "text": "Tests.",
            "examples": "",
        },
    )

    assert "Pick a competency of the same revision as the level" in response.content.decode()
    assert not Expectation.objects.filter(level__code="L1", level__revision=draft).exists()


# --- Expectations and placements: search, filters, autocomplete ------------------------------


def test_it_searches_and_filters_expectations(hr_client, published):
    url = reverse("admin:ladders_expectation_changelist")

    found = hr_client.get(url, {"q": "contract tests"})
    by_level = hr_client.get(url, {"level_code": "M2", "competency_code": "testing"})
    by_revision = hr_client.get(url, {"level__revision__id__exact": published.pk})

    assert [str(e) for e in found.context["cl"].result_list] == ["L4 / testing"]
    assert [str(e) for e in by_level.context["cl"].result_list] == ["M2 / testing"]
    assert by_revision.context["cl"].result_count == 96


def test_it_lists_expectations_with_the_same_queries_for_few_and_many(hr_client, published):
    url = reverse("admin:ladders_expectation_changelist")

    def queries_for(params):
        with CaptureQueriesContext(connection) as queries:
            response = hr_client.get(url, params)
        assert response.status_code == 200
        return len(queries)

    few = queries_for({"level_code": "L1", "competency__theme": "Craft"})  # 4 rows
    many = queries_for({"level__revision__id__exact": published.pk})  # 96 rows, 1 page
    assert few == many


def autocomplete(client, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "ladders", "model_name": model_name, "field_name": field_name},
    )
    return {int(r["id"]) for r in response.json()["results"]}


def test_it_offers_published_levels_for_placements_and_draft_ones_for_expectations(
    hr_client, published
):
    draft = revision_start_draft(ladder=published.ladder)

    for_placement = autocomplete(hr_client, "placement", "level", "Staff")
    for_expectation = autocomplete(hr_client, "expectation", "level", "Staff")

    assert for_placement == {published.levels.get(code="L4").pk}
    assert for_expectation == {draft.levels.get(code="L4").pk}


def test_it_places_a_person_and_records_who_did(hr_client, org, published):
    level = published.levels.get(code="L3")

    response = hr_client.post(
        reverse("admin:ladders_placement_add"),
        {"person": org.peer.pk, "level": level.pk, "since": "2026-01-05"},
    )

    assert response.status_code == 302
    placement = Placement.objects.get(person=org.peer)
    assert placement.level == level and placement.recorded_by == org.hr
    assert placement.history.get().history_user == org.hr


def test_it_refuses_to_place_someone_on_a_draft_level(hr_client, org, published):
    draft = revision_start_draft(ladder=published.ladder)

    response = hr_client.post(
        reverse("admin:ladders_placement_add"),
        {"person": org.peer.pk, "level": draft.levels.get(code="L3").pk, "since": "2026-01-05"},
    )

    assert "is a draft: place people on a level of a published revision" in (
        response.content.decode()
    )
    assert not Placement.objects.filter(person=org.peer).exists()


def test_it_refuses_a_placement_starting_before_the_current_one_and_keeps_the_form(
    hr_client, org, published
):
    response = hr_client.post(
        reverse("admin:ladders_placement_add"),
        {
            "person": org.engineer.pk,
            "level": published.levels.get(code="L3").pk,
            "since": "2024-06-01",
        },
    )

    body = response.content.decode()
    assert "a new placement cannot start earlier." in body
    assert 'value="2024-06-01"' in body
    assert Placement.objects.filter(person=org.engineer).count() == 1


def test_it_filters_placements_by_level(hr_client, org, published):
    PlacementFactory(person=org.peer, level=published.levels.get(code="L3"))

    response = hr_client.get(
        reverse("admin:ladders_placement_changelist"),
        {"level__id__exact": published.levels.get(code="L3").pk},
    )

    assert [p.person for p in response.context["cl"].result_list] == [org.peer]


# --- Import and export ----------------------------------------------------------------------


def test_it_shows_the_import_form(hr_client):
    body = hr_client.get(IMPORT_URL).content.decode()

    assert 'enctype="multipart/form-data"' in body
    assert 'name="dry_run"' in body and 'name="publish"' in body


def test_it_dry_runs_an_import_and_writes_nothing(hr_client):
    response = hr_client.post(
        IMPORT_URL, upload(DEFAULT_LADDER.read_text(encoding="utf-8"), dry_run=True)
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "the file is valid, nothing was written" in body
    assert "Creates the ladder Engineering (engineering) with revision 1." in body
    assert "12 competencies in 4 themes" in body and "96 of 96 expectations" in body
    assert not Ladder.objects.exists()


def test_it_says_a_dry_run_into_a_published_ladder_makes_a_new_draft(hr_client, published):
    response = hr_client.post(
        IMPORT_URL, upload(DEFAULT_LADDER.read_text(encoding="utf-8"), dry_run=True, publish=True)
    )

    assert (
        "Creates draft revision 2 of Engineering; published revisions stay as they are, "
        "then publishes it."
    ) in response.content.decode()
    assert Revision.objects.count() == 1


def test_it_lists_every_problem_of_a_bad_file_and_writes_nothing(hr_client, published):
    text = DEFAULT_LADDER.read_text(encoding="utf-8")
    text = text.replace("level: L1\n", "level: L9\n", 1)
    text = text.replace("competency: testing\n", "competency: tests\n", 1)
    counts = (Revision.objects.count(), Level.objects.count(), Competency.objects.count())

    response = hr_client.post(IMPORT_URL, upload(text, publish=True))

    body = response.content.decode()
    assert "engineering.yml: 2 problems. Nothing was imported" in body
    assert "<li>expectations[8].competency: unknown competency &quot;tests&quot;</li>" in body
    assert "<li>expectations[0].level: unknown level &quot;L9&quot;</li>" in body
    assert (Revision.objects.count(), Level.objects.count(), Competency.objects.count()) == counts


def test_it_names_the_line_of_invalid_json(hr_client):
    response = hr_client.post(
        IMPORT_URL, upload('{"ladder": {"slug": "x",}}', name="ladder.json", dry_run=True)
    )

    assert (
        "line 1, column 25: invalid JSON: Expecting property name enclosed in double quotes"
        in response.content.decode()
    )


def test_it_imports_a_file_into_a_draft(hr_client, org):
    response = hr_client.post(IMPORT_URL, upload(DEFAULT_LADDER.read_text(encoding="utf-8")))

    revision = Revision.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:ladders_revision_change", args=[revision.pk])
    assert revision.status == Revision.Status.DRAFT
    assert Expectation.objects.filter(level__revision=revision).count() == 96


def test_it_imports_and_publishes_a_file(hr_client, org, published):
    text = DEFAULT_LADDER.read_text(encoding="utf-8").replace(
        "name: Staff Engineer", "name: Staff Software Engineer"
    )

    response = hr_client.post(IMPORT_URL, upload(text, publish=True), follow=True)

    body = response.content.decode()
    revision = published.ladder.revisions.get(number=2)
    assert revision.is_published and revision.published_by == org.hr
    assert "Published Engineering r2 (published). What changed:" in body
    assert "<li>Level L4: name changed.</li>" in body
    assert revision.levels.get(code="L4").name == "Staff Software Engineer"
    assert published.levels.get(code="L4").name == "Staff Engineer"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_it_downloads_a_revision_as_a_file_that_imports_back(hr_client, published, fmt):
    response = hr_client.get(reverse("admin:ladders_revision_export", args=[published.pk, fmt]))

    text = response.content.decode()
    assert response["Content-Disposition"] == f'attachment; filename="engineering-r1.{fmt}"'
    assert response["Content-Type"].startswith(f"application/{fmt}")
    assert (json.loads(text) if fmt == "json" else yaml.safe_load(text)) == revision_to_dict(
        published
    )
    again = hr_client.post(IMPORT_URL, upload(text, name=f"back.{fmt}", publish=True))
    assert again.status_code == 302
    assert revision_to_dict(published.ladder.revisions.get(number=2)) == revision_to_dict(published)


def test_it_answers_404_for_an_unknown_export_format(hr_client, published):
    response = hr_client.get(reverse("admin:ladders_revision_export", args=[published.pk, "csv"]))

    assert response.status_code == 404


def test_it_keeps_the_small_factory_ladder_exportable(hr_client):
    revision = published_ladder(slug="design", levels=("D1", "D2"), competencies=("craft",))

    response = hr_client.get(reverse("admin:ladders_revision_export", args=[revision.pk, "yaml"]))

    data = yaml.safe_load(response.content)
    assert [level["code"] for level in data["levels"]] == ["D1", "D2"]
    assert len(data["expectations"]) == 2
