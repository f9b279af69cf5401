"""Which templates apply to a new hire, and how a template item becomes one of
their tasks: the pieces plan creation and re-sync share."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from ladders.models import Placement
from ladders.selectors.standing import current_placements
from people.models import Team, User

from ...calendar import add_working_days
from ...models import (
    AssigneeRole,
    ChecklistTemplate,
    Holiday,
    OnboardingPlan,
    PlanTask,
    Purpose,
    TemplateItem,
)


@dataclass(frozen=True)
class Catalogue:
    """What composing plans needs, loaded once for any number of new hires."""

    templates: list[ChecklistTemplate]
    team_parent: dict[int, int | None]
    holidays: frozenset[date]


def catalogue_load() -> Catalogue:
    """Active templates with their items, the team tree and the holidays: 4 queries."""
    return catalogue_load_for(Purpose.ONBOARDING)


def catalogue_load_for(purpose: str) -> Catalogue:
    """The same for one purpose: onboarding plans, or offboarding checklists."""
    templates = list(
        ChecklistTemplate.objects.filter(is_active=True, purpose=purpose).prefetch_related("items")
    )
    team_parent: dict[int, int | None] = dict(Team.objects.values_list("id", "parent_id"))
    holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    return Catalogue(templates, team_parent, holidays)


def applicable_templates(
    *,
    person: User,
    templates: Iterable[ChecklistTemplate],
    placement: Placement | None,
    team_parent: dict[int, int | None] | None = None,
) -> list[ChecklistTemplate]:
    """The templates whose rule takes in the person, in the order given.

    Rules: everyone; a team, which also takes in the members of its sub-teams
    (a template for Engineering applies to Payments under it); a level (the
    code of the person's current placement, case aside); a track (the track of
    that level). Without a placement, level and track templates do not apply.
    """
    if team_parent is None:
        team_parent = dict(Team.objects.values_list("id", "parent_id"))
    teams = _team_and_parents(person.team_id, team_parent)
    level = placement.level if placement else None
    return [t for t in templates if t.is_active and _takes_in(t, teams, level)]


def templates_by_person(
    people: Sequence[User], catalogue: Catalogue
) -> dict[int, list[ChecklistTemplate]]:
    """The templates that take in each person, by id (their levels read in one query)."""
    placements = current_placements(person_ids=[p.pk for p in people])
    return {
        p.pk: applicable_templates(
            person=p,
            templates=catalogue.templates,
            placement=placements.get(p.pk),
            team_parent=catalogue.team_parent,
        )
        for p in people
    }


def _team_and_parents(team_id: int | None, team_parent: dict[int, int | None]) -> set[int]:
    teams: set[int] = set()
    while team_id is not None and team_id not in teams:  # `not in`: a loop ends too
        teams.add(team_id)
        team_id = team_parent.get(team_id)
    return teams


def _takes_in(template: ChecklistTemplate, teams: set[int], level) -> bool:
    rule = ChecklistTemplate.AppliesTo
    if template.applies_to == rule.EVERYONE:
        return True
    if template.applies_to == rule.TEAM:
        return template.team_id in teams
    if level is None:
        return False
    if template.applies_to == rule.LEVEL:
        return level.code.strip().casefold() == template.level_code.strip().casefold()
    return template.applies_to == rule.TRACK and level.track == template.track


def composed_items(templates: Sequence[ChecklistTemplate]) -> list[TemplateItem]:
    """The templates' items, template by template (their items must be prefetched)."""
    return [item for template in templates for item in template.items.all()]


def assignee_id_for(role: str, *, plan: OnboardingPlan, person: User) -> int | None:
    """Who does a task of this role on this plan. The buddy is nobody until
    chosen (plan_assign_role fills it in then); people team tasks go to the
    team's shared queue, which every member sees."""
    assignees: dict[str, int | None] = {
        AssigneeRole.NEW_HIRE: person.pk,
        AssigneeRole.MANAGER: person.manager_id,
        AssigneeRole.BUDDY: plan.buddy_id,
    }
    return assignees.get(role)


class DueDates:
    """Due dates from start dates, remembered: a week's new hires share them."""

    def __init__(self, holidays: frozenset[date]):
        self.holidays = holidays
        self._known: dict[tuple[date, int], date] = {}

    def __call__(self, start: date, offset: int) -> date:
        key = (start, offset)
        if key not in self._known:
            self._known[key] = add_working_days(start, offset, self.holidays)
        return self._known[key]


def task_from_item(
    item: TemplateItem, *, plan: OnboardingPlan, person: User, due_on: date, position: int
) -> PlanTask:
    return PlanTask(
        plan=plan,
        source_item=item,
        title=item.title,
        description=item.description,
        kind=item.kind,
        assignee_role=item.assignee_role,
        assignee_id=assignee_id_for(item.assignee_role, plan=plan, person=person),
        due_offset=item.due_offset,
        due_on=due_on,
        competency_code=item.competency_code,
        position=position,
    )
