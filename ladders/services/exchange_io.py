"""Between the database and the exchange format."""

from ..exchange import LadderData
from ..models import Expectation, Revision


def revision_to_data(revision: Revision) -> LadderData:
    levels = list(revision.levels.order_by("position"))
    competencies = list(revision.competencies.order_by("position"))
    expectations = (
        Expectation.objects.filter(level__revision=revision)
        .select_related("level", "competency")
        .order_by("level__position", "competency__position")
    )
    return LadderData(
        slug=revision.ladder.slug,
        name=revision.ladder.name,
        description=revision.ladder.description,
        levels=[_level(lvl) for lvl in levels],
        competencies=[_competency(c) for c in competencies],
        expectations=[_expectation(e) for e in expectations],
    )


def revision_to_dict(revision: Revision) -> dict:
    """The file shape of docs/ladder-format.md (empty optional keys left out)."""
    data = revision_to_data(revision)
    ladder = {"slug": data.slug, "name": data.name}
    if data.description:
        ladder["description"] = data.description
    return {
        "ladder": ladder,
        "levels": data.levels,
        "competencies": data.competencies,
        "expectations": data.expectations,
    }


def _level(level) -> dict:
    item = {"code": level.code, "name": level.name, "track": level.track}
    if level.summary:
        item["summary"] = level.summary
    return item


def _competency(competency) -> dict:
    item = {"code": competency.code, "name": competency.name, "theme": competency.theme}
    if competency.description:
        item["description"] = competency.description
    return item


def _expectation(expectation) -> dict:
    item = {
        "level": expectation.level.code,
        "competency": expectation.competency.code,
        "text": expectation.text,
    }
    if expectation.examples:
        item["examples"] = list(expectation.examples)
    return item
