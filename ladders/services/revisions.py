"""Writing ladders: import a file into a draft, publish, start the next draft."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from people.errors import ApplicationError

from ..exchange import LadderData
from ..models import Competency, Expectation, Ladder, Level, Revision
from .exchange_io import revision_to_data


@transaction.atomic
def ladder_import(*, data: LadderData, actor=None, publish: bool = False) -> Revision:
    """Replace the ladder's draft with the file's content (creating the ladder
    and the draft as needed), and publish it if asked. A fixed number of
    queries however big the ladder is."""
    ladder, _ = Ladder.objects.update_or_create(
        slug=data.slug, defaults={"name": data.name, "description": data.description}
    )
    draft = draft_for(ladder=ladder)
    draft.levels.all().delete()  # cascades to expectations
    draft.competencies.all().delete()
    _write_content(draft, data)
    if publish:
        draft = revision_publish(revision=draft, actor=actor)
    return draft


def draft_for(*, ladder: Ladder) -> Revision:
    """The ladder's one draft, created (empty) if there is none."""
    draft = ladder.revisions.select_for_update().filter(status=Revision.Status.DRAFT).first()
    if draft:
        return draft
    last = ladder.revisions.aggregate(n=Max("number"))["n"] or 0
    return Revision.objects.create(ladder=ladder, number=last + 1)


def _write_content(revision: Revision, data: LadderData) -> None:
    levels = Level.objects.bulk_create(
        [
            Level(
                revision=revision,
                code=item["code"],
                name=item["name"],
                track=item["track"],
                summary=item.get("summary", ""),
                position=i,
            )
            for i, item in enumerate(data.levels)
        ]
    )
    competencies = Competency.objects.bulk_create(
        [
            Competency(
                revision=revision,
                code=item["code"],
                name=item["name"],
                theme=item["theme"],
                description=item.get("description", ""),
                position=i,
            )
            for i, item in enumerate(data.competencies)
        ]
    )
    level_by_code = _ids_by_code(Level, revision, levels)
    competency_by_code = _ids_by_code(Competency, revision, competencies)
    Expectation.objects.bulk_create(
        [
            Expectation(
                level_id=level_by_code[item["level"]],
                competency_id=competency_by_code[item["competency"]],
                text=item["text"],
                examples=item.get("examples", []),
            )
            for item in data.expectations
        ],
        batch_size=500,
    )


def _ids_by_code(model, revision, created) -> dict[str, int]:
    if created and created[0].pk is not None:
        return {obj.code: obj.pk for obj in created}
    return dict(model.objects.filter(revision=revision).values_list("code", "id"))


@transaction.atomic
def revision_publish(*, revision: Revision, actor=None) -> Revision:
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.is_published:
        raise ApplicationError(
            f"{revision} is already published; published revisions never change."
        )
    if not revision.levels.exists() or not revision.competencies.exists():
        raise ApplicationError("A revision needs at least one level and one competency.")
    previous = (
        revision.ladder.revisions.filter(status=Revision.Status.PUBLISHED)
        .order_by("-number")
        .first()
    )
    revision.changes = revision_changes(old=previous, new=revision)
    revision.status = Revision.Status.PUBLISHED
    revision.published_at = timezone.now()
    revision.published_by = actor
    revision.save()
    return revision


@transaction.atomic
def revision_start_draft(*, ladder: Ladder, actor=None) -> Revision:
    """A new draft, copied from the latest published revision."""
    if ladder.revisions.filter(status=Revision.Status.DRAFT).exists():
        raise ApplicationError(f"{ladder} already has a draft; edit or publish that one.")
    latest = published_revision(ladder=ladder)
    draft = draft_for(ladder=ladder)
    if latest:
        _write_content(draft, revision_to_data(latest))
    return draft


def published_revision(*, ladder: Ladder) -> Revision | None:
    return ladder.revisions.filter(status=Revision.Status.PUBLISHED).order_by("-number").first()


def revision_changes(*, old: Revision | None, new: Revision) -> list[str]:
    """What changed between two revisions, one sentence per change."""
    if old is None:
        return ["First published revision."]
    changes: list[str] = []
    old_c, new_c = _competencies(old), _competencies(new)
    for code in sorted(new_c.keys() - old_c.keys()):
        changes.append(f"Competency added: {new_c[code]['name']} ({code}).")
    for code in sorted(old_c.keys() - new_c.keys()):
        changes.append(f"Competency removed: {old_c[code]['name']} ({code}).")
    for code in sorted(old_c.keys() & new_c.keys()):
        for attr in ("name", "theme", "description"):
            if old_c[code][attr] != new_c[code][attr]:
                changes.append(f"Competency {code}: {attr} changed.")
    old_levels, new_levels = _levels(old), _levels(new)
    for code in [c for c in new_levels if c in old_levels]:
        for attr in ("name", "track", "summary"):
            if old_levels[code][attr] != new_levels[code][attr]:
                changes.append(f"Level {code}: {attr} changed.")
    old_l, new_l = list(old_levels), list(new_levels)
    changes += [f"Level added: {c}." for c in new_l if c not in old_l]
    changes += [f"Level removed: {c}." for c in old_l if c not in new_l]
    if [c for c in old_l if c in new_l] != [c for c in new_l if c in old_l]:
        changes.append("Levels were reordered.")
    old_e, new_e = _expectations(old), _expectations(new)
    for cell in sorted(old_e.keys() | new_e.keys()):
        if old_e.get(cell) != new_e.get(cell):
            verb = "added" if cell not in old_e else "removed" if cell not in new_e else "changed"
            changes.append(f"Expectation {cell[0]} x {cell[1]} {verb}.")
    return changes or ["No changes."]


def _competencies(revision):
    return {
        c["code"]: c for c in revision.competencies.values("code", "name", "theme", "description")
    }


def _levels(revision) -> dict[str, dict]:
    """Levels by code, in ladder order."""
    rows = revision.levels.order_by("position").values("code", "name", "track", "summary")
    return {row["code"]: row for row in rows}


def _expectations(revision):
    rows = Expectation.objects.filter(level__revision=revision).values_list(
        "level__code", "competency__code", "text", "examples"
    )
    return {(lvl, comp): (text, examples) for lvl, comp, text, examples in rows}
