"""Drafts and published revisions: publishing records what changed, a published
revision never changes (not even through the admin), a new draft copies the
published content, and an import never touches a published revision."""

import copy

import pytest
from django.urls import reverse

from ladders.exchange import check
from ladders.models import Expectation, Level, Revision
from ladders.services.exchange_io import revision_to_dict
from ladders.services.revisions import (
    ladder_import,
    published_revision,
    revision_publish,
    revision_start_draft,
)
from people.errors import ApplicationError
from tests.ladders.factories import MENTORING, TESTING, PlacementFactory, two_level_file

pytestmark = pytest.mark.django_db

FIRST = two_level_file(
    TESTING, ("planning", "Planning", "Delivery", "Plans own tasks.", "Plans features.")
)


def second_version() -> dict:
    """Planning removed, mentoring added, testing renamed, one text reworded."""
    renamed = ("testing", "Testing and quality", "Craft", "Tests every change they make.")
    return two_level_file((*renamed, "Chooses the right test."), MENTORING)


def publish_first(actor=None) -> Revision:
    return ladder_import(data=check(copy.deepcopy(FIRST)), actor=actor, publish=True)


def test_it_calls_the_first_published_revision_the_first(org):
    revision = publish_first(actor=org.hr)

    assert revision.is_published and revision.number == 1
    assert revision.changes == ["First published revision."]
    assert revision.published_by == org.hr and revision.published_at is not None


def test_it_records_added_removed_and_changed_competencies_and_expectations():
    publish_first()

    revision = ladder_import(data=check(second_version()), publish=True)

    assert revision.number == 2
    assert revision.changes == [
        "Competency added: Mentoring (mentoring).",
        "Competency removed: Planning (planning).",
        "Competency testing: name changed.",
        "Expectation L1 x mentoring added.",
        "Expectation L1 x planning removed.",
        "Expectation L1 x testing changed.",
        "Expectation L2 x mentoring added.",
        "Expectation L2 x planning removed.",
    ]


def test_it_records_added_and_reordered_levels():
    publish_first()
    data = copy.deepcopy(FIRST)
    data["levels"] = [
        {"code": "L2", "name": "Engineer II"},
        {"code": "L1", "name": "Engineer I"},
        {"code": "M1", "name": "Engineering Manager", "track": "manager"},
    ]

    revision = ladder_import(data=check(data), publish=True)

    assert revision.changes == ["Level added: M1.", "Levels were reordered."]


def test_it_refuses_to_publish_a_published_revision_again():
    revision = publish_first()
    published_at = revision.published_at

    with pytest.raises(ApplicationError, match="already published"):
        revision_publish(revision=revision)

    revision.refresh_from_db()
    assert revision.published_at == published_at
    assert revision.changes == ["First published revision."]


def test_it_refuses_to_publish_again_through_the_admin_and_says_why(client, org):
    revision = publish_first()
    client.force_login(org.hr)

    response = client.post(
        reverse("admin:ladders_revision_changelist"),
        {"action": "publish", "_selected_action": [revision.pk]},
        follow=True,
    )

    assert "is already published; published revisions never change" in response.content.decode()
    assert Revision.objects.get().published_at == revision.published_at


def test_it_does_not_let_the_admin_edit_a_published_revision(client, org):
    revision = publish_first()
    level = revision.levels.get(code="L1")
    client.force_login(org.hr)
    url = reverse("admin:ladders_revision_change", args=[revision.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "levels-TOTAL_FORMS": "1",
            "levels-INITIAL_FORMS": "1",
            "levels-0-id": level.pk,
            "levels-0-revision": revision.pk,
            "levels-0-code": "L1",
            "levels-0-name": "Renamed",
            "levels-0-track": "ic",
            "levels-0-position": "0",
            "competencies-TOTAL_FORMS": "0",
            "competencies-INITIAL_FORMS": "0",
        },
    )

    assert 'name="levels-0-name"' not in page
    assert "Published: read-only" in page
    assert response.status_code == 403
    assert Level.objects.get(pk=level.pk).name == "Engineer I"


def test_it_lets_the_admin_edit_a_draft(client, org):
    revision = ladder_import(data=check(copy.deepcopy(FIRST)))
    level = revision.levels.get(code="L1")
    other = revision.levels.get(code="L2")
    client.force_login(org.hr)

    response = client.post(
        reverse("admin:ladders_revision_change", args=[revision.pk]),
        {
            "levels-TOTAL_FORMS": "2",
            "levels-INITIAL_FORMS": "2",
            "levels-0-id": level.pk,
            "levels-0-revision": revision.pk,
            "levels-0-code": "L1",
            "levels-0-name": "Junior Engineer",
            "levels-0-track": "ic",
            "levels-0-position": "0",
            "levels-1-id": other.pk,
            "levels-1-revision": revision.pk,
            "levels-1-code": "L2",
            "levels-1-name": "Engineer II",
            "levels-1-track": "ic",
            "levels-1-position": "1",
            "competencies-TOTAL_FORMS": "0",
            "competencies-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert Level.objects.get(pk=level.pk).name == "Junior Engineer"


def test_it_starts_a_draft_as_a_copy_of_the_published_content():
    published = publish_first()

    draft = revision_start_draft(ladder=published.ladder)

    assert draft.number == 2 and draft.status == Revision.Status.DRAFT
    assert revision_to_dict(draft) == revision_to_dict(published)
    assert not set(draft.levels.values_list("pk", flat=True)) & set(
        published.levels.values_list("pk", flat=True)
    )


def test_it_refuses_a_second_draft_of_the_same_ladder():
    published = publish_first()
    revision_start_draft(ladder=published.ladder)

    with pytest.raises(ApplicationError, match="already has a draft"):
        revision_start_draft(ladder=published.ladder)
    assert published.ladder.revisions.count() == 2


def test_it_imports_into_a_new_draft_and_leaves_the_published_revision_untouched():
    published = publish_first()
    before = revision_to_dict(published)

    draft = ladder_import(data=check(second_version()))

    assert draft.number == published.number + 1
    assert draft.status == Revision.Status.DRAFT
    assert revision_to_dict(draft)["competencies"][1]["code"] == "mentoring"
    published.refresh_from_db()
    assert published.status == Revision.Status.PUBLISHED
    assert revision_to_dict(published) == before
    assert published_revision(ladder=published.ladder) == published


def test_it_replaces_the_content_of_an_existing_draft_on_import():
    publish_first()
    draft = ladder_import(data=check(second_version()))

    again = ladder_import(data=check(copy.deepcopy(FIRST)))

    assert again.pk == draft.pk and again.number == 2
    assert revision_to_dict(again)["competencies"] == FIRST["competencies"]


def test_it_keeps_placements_pointing_at_the_revision_they_were_made_against():
    published = publish_first()
    placement = PlacementFactory(level=published.levels.get(code="L1"))

    ladder_import(data=check(second_version()), publish=True)

    placement.refresh_from_db()
    assert placement.level.revision == published
    texts = Expectation.objects.filter(level=placement.level).values_list("text", flat=True)
    assert set(texts) == {"Tests own changes.", "Plans own tasks."}
