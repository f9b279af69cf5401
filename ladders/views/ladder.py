"""Ladder pages: where I stand, a ladder's levels and its whole matrix, comparing
levels, team gaps."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from people import access

from .. import policies
from ..charts import radar
from ..models import MEETS_LEVEL, MEETS_NEXT_LEVEL, Ladder, Rating
from ..selectors.ladder import (
    ladder_matrix,
    next_on_track,
    previous_on_track,
    track_levels,
)
from ..selectors.standing import (
    grid_of,
    latest_published,
    level_comparison,
    standing_of,
    team_grid,
)
from ..selectors.team_gaps import NO_TEAM, PERSON_GRID_LIMIT, people_below, team_gap_summary


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


def _published(slug: str):
    """The ladder and its latest published revision; the same 404 as any page
    for a ladder that does not exist or is not published yet."""
    ladder = Ladder.objects.filter(slug=slug).first()
    revision = latest_published(ladder_id=ladder.pk) if ladder else None
    if revision is None:
        raise access.not_found()
    return ladder, revision


@login_required
def ladder_detail(request, slug: str):
    ladder, revision = _published(slug)
    tracks = track_levels(revision=revision)
    levels = [level for _, rows in tracks for level in rows]
    # Each track's levels with the next one up the same track (None at the top).
    tracks_with_next = [
        (track, [(level, next_on_track(levels, level)) for level in rows]) for track, rows in tracks
    ]
    return render(
        request,
        "ladders/ladder_detail.html",
        {
            "ladder": ladder,
            "revision": revision,
            "tracks": tracks_with_next,
            "competencies": list(revision.competencies.order_by("position")),
        },
    )


@login_required
def ladder_matrix_view(request, slug: str):
    ladder, revision = _published(slug)
    return render(
        request,
        "ladders/ladder_matrix.html",
        {"ladder": ladder, "revision": revision, "matrix": ladder_matrix(revision=revision)},
    )


@login_required
def level_compare(request, slug: str):
    ladder, revision = _published(slug)
    tracks = track_levels(revision=revision)
    levels = [level for _, rows in tracks for level in rows]
    if not levels:
        raise access.not_found()
    lower, upper = _compared(levels, request.GET.get("from"), request.GET.get("to"))
    rows = level_comparison(revision=revision, lower=lower, upper=upper)
    return render(
        request,
        "ladders/level_compare.html",
        {
            "ladder": ladder,
            "revision": revision,
            "tracks": tracks,
            "lower": lower,
            "upper": upper,
            "rows": rows,
            "changed_count": sum(1 for r in rows if r["changed"]),
        },
    )


def _compared(levels, from_code, to_code):
    """The two levels to compare. Without "to", the next level on the same
    track; from the top of a track, the level below it and the top."""
    by_code = {level.code: level for level in levels}
    lower = by_code.get(from_code) or levels[0]
    upper = by_code.get(to_code)
    if upper is None:
        upper = next_on_track(levels, lower)
        if upper is None:
            lower, upper = previous_on_track(levels, lower) or lower, lower
    return lower, upper


@login_required
def my_team_gaps(request):
    return _team_gaps(request, request.user)


@login_required
def person_team_gaps(request, person_id: int):
    manager = access.person_or_404(request.user, person_id, policies.can_view_growth)
    return _team_gaps(request, manager)


DRILL_DOWN_PAGE_SIZE = 50


def _team_gaps(request, manager):
    """Everyone's cells for a small team; for a large one, a row per team with
    a drill-down into one team's people (?team=<id> or ?team=none)."""
    context = {"manager": manager, "is_self": manager.pk == request.user.pk, "meets": MEETS_LEVEL}
    team_key = request.GET.get("team")
    if team_key is not None:
        return _team_drill_down(request, context, team_key)
    summary = team_gap_summary(manager=manager)
    if summary.people <= PERSON_GRID_LIMIT:
        context["grid"] = team_grid(manager=manager)
    else:
        context["summary"] = summary
    return render(request, "ladders/team_gaps.html", context)


def _team_drill_down(request, context, team_key: str):
    if team_key != NO_TEAM and not team_key.isdigit():
        raise Http404("No such team.")
    manager = context["manager"]
    summary = team_gap_summary(manager=manager, team_key=team_key)
    if not summary.rows:
        raise Http404("No such team.")
    people = people_below(manager=manager, team_key=team_key).select_related("team")
    page = Paginator(people, DRILL_DOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        team=summary.rows[0],
        summary=summary,
        grid=grid_of(list(page.object_list), summary.competencies),
        page=page,
        query=urlencode({"team": team_key}),
    )
    return render(request, "ladders/team_gaps_team.html", context)
