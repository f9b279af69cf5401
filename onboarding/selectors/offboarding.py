"""Reading offboarding checklists: the leavers page (a fixed number of
queries however many leavers) and one checklist with its tasks."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from mentorship.models import Pairing
from people import access
from people.models import User
from people.selectors import reports_subquery

from ..models import OffboardingChecklist, OffboardingTask
from .checklist import Progress

Status = OffboardingChecklist.Status


@dataclass
class LeaverRow:
    checklist: OffboardingChecklist
    progress: Progress
    overdue: int


def leavers_visible_to(viewer: User) -> QuerySet[OffboardingChecklist]:
    """Current checklists the viewer may see: every one for the people team,
    those of people under them for a manager."""
    checklists = OffboardingChecklist.objects.filter(current=True)
    if access.is_people_team(viewer):
        return checklists
    return checklists.filter(leaver_id__in=reports_subquery(manager_id=viewer.pk))


def with_progress(checklists: QuerySet[OffboardingChecklist], *, today):
    """Each checklist with its counts, open ones first by last day (one query a page)."""
    return (
        checklists.select_related("leaver__team", "leaver__manager")
        .annotate(
            total=Count("tasks"),
            done=Count("tasks", filter=Q(tasks__status=OffboardingTask.Status.DONE)),
            overdue=Count(
                "tasks",
                filter=Q(tasks__status=OffboardingTask.Status.OPEN, tasks__due_on__lt=today),
            ),
            pairings_left=_pairings_left_count(),
        )
        .order_by("-status", "last_day", "pk")
    )


def _pairings_left_count():
    """Rotation pairings the leaver left, for the people team to decide on."""
    counted = (
        Pairing.objects.filter(left_person=OuterRef("leaver"))
        .values("left_person")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def pairings_left_by(leaver: User) -> list[Pairing]:
    """The pairings the leaver left, with the other person and the cycle."""
    return list(
        Pairing.objects.filter(left_person=leaver)
        .select_related("cycle", "mentor__person", "mentee__person")
        .order_by("cycle__starts_on", "pk")
    )


def leaver_rows(checklists) -> list[LeaverRow]:
    """One page of with_progress() as rows."""
    return [LeaverRow(c, Progress(done=c.done, total=c.total), c.overdue) for c in checklists]


def checklist_tasks(checklist: OffboardingChecklist) -> list[OffboardingTask]:
    return list(
        checklist.tasks.select_related("assignee", "done_by").order_by("due_on", "position")
    )
