"""Ladder pages: where I stand, a ladder's levels, comparing levels, team gaps."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path

from people import access

from .. import policies
from ..charts import radar
from ..models import MEETS_LEVEL, MEETS_NEXT_LEVEL, Ladder, Rating
from ..selectors.standing import latest_published, level_comparison, standing_of, team_grid


@login_required
def my_ladder(request):
    return redirect("ladders:person_ladder", person_id=request.user.pk)


@login_required
def person_ladder(request, person_id: int):
    person = access.person_or_404(request.user, person_id, policies.can_view_growth)
    standing = standing_of(person=person)
    return render(
        request,
        "ladders/placement_detail.html",
        {
            "person": person,
            "standing": standing,
            "chart": _standing_chart(standing),
            "is_self": person.pk == request.user.pk,
            "scale": Rating.choices,
        },
    )


def _standing_chart(standing):
    if len(standing.rows) < 3:
        return None  # a radar needs three axes; the table says it all
    series = {
        "next": [MEETS_NEXT_LEVEL if standing.next_level else None] * len(standing.rows),
        "level": [MEETS_LEVEL] * len(standing.rows),
    }
    if standing.assessment:
        series["rating"] = [row.rating for row in standing.rows]
    return radar([row.competency.name for row in standing.rows], series)


@login_required
def ladder_detail(request, slug: str):
    ladder = Ladder.objects.filter(slug=slug).first()
    if ladder is None:
        raise access.not_found()
    revision = latest_published(ladder_id=ladder.pk)
    if revision is None:
        raise access.not_found()
    return render(
        request,
        "ladders/ladder_detail.html",
        {
            "ladder": ladder,
            "revision": revision,
            "levels": list(revision.levels.order_by("position")),
            "competencies": list(revision.competencies.order_by("position")),
        },
    )


@login_required
def level_compare(request, slug: str):
    ladder = Ladder.objects.filter(slug=slug).first()
    if ladder is None:
        raise access.not_found()
    revision = latest_published(ladder_id=ladder.pk)
    if revision is None:
        raise access.not_found()
    levels = list(revision.levels.order_by("position"))
    by_code = {level.code: level for level in levels}
    lower = by_code.get(request.GET.get("from")) or levels[0]
    default_upper = levels[min(levels.index(lower) + 1, len(levels) - 1)]
    upper = by_code.get(request.GET.get("to")) or default_upper
    rows = level_comparison(revision=revision, lower=lower, upper=upper)
    return render(
        request,
        "ladders/level_compare.html",
        {
            "ladder": ladder,
            "revision": revision,
            "levels": levels,
            "lower": lower,
            "upper": upper,
            "rows": rows,
            "changed_count": sum(1 for r in rows if r["changed"]),
        },
    )


@login_required
def my_team_gaps(request):
    return _team_gaps(request, request.user)


@login_required
def person_team_gaps(request, person_id: int):
    manager = access.person_or_404(request.user, person_id, policies.can_view_growth)
    return _team_gaps(request, manager)


def _team_gaps(request, manager):
    grid = team_grid(manager=manager)
    return render(
        request,
        "ladders/team_gaps.html",
        {
            "manager": manager,
            "grid": grid,
            "is_self": manager.pk == request.user.pk,
            "meets": MEETS_LEVEL,
        },
    )


urlpatterns = [
    path("", my_ladder, name="my_ladder"),
    path("people/<int:person_id>/", person_ladder, name="person_ladder"),
    path("team/", my_team_gaps, name="team_gaps"),
    path("people/<int:person_id>/team/", person_team_gaps, name="person_team_gaps"),
    path("ladder/<slug:slug>/", ladder_detail, name="ladder_detail"),
    path("ladder/<slug:slug>/compare/", level_compare, name="level_compare"),
]
