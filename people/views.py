"""Pages about people. Thin: ask the policy, call a selector, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.paging import page_of

from . import access, selectors
from .audit import audit_entries
from .filters import AuditFilter, PersonFilter
from .forms import InvitationAcceptForm
from .invitations import invitation_person
from .models import Team, User
from .services import invitations as invitation_services


@login_required
def home(request):
    return render(
        request,
        "people/home.html",
        {
            "reports": selectors.direct_reports(manager=request.user)[:12],
            "chain": selectors.manager_chain(person=request.user),
        },
    )


@login_required
def person_list(request):
    people = selectors.with_report_count(selectors.people_list()).order_by("name")
    person_filter = PersonFilter(request.GET, queryset=people)
    page, query = page_of(request, person_filter.qs, 25)
    return render(
        request,
        "people/user_list.html",
        {
            "filter": person_filter,
            "page": page,
            "query": query,
        },
    )


@login_required
def person_detail(request, person_id: int):
    person = access.person_or_404(request.user, person_id)
    return render(
        request,
        "people/user_detail.html",
        {
            "person": person,
            "chain": selectors.manager_chain(person=person),
            "reports": selectors.direct_reports(manager=person),
            "teammates": selectors.people_list()
            .filter(team_id=person.team_id)
            .exclude(pk=person.pk)
            .order_by("name")[:12]
            if person.team_id
            else [],
            "can_view_private": access.can_view_private(request.user, person),
        },
    )


@login_required
def person_reports(request, person_id: int):
    """Everyone under a manager, all the way down: for them, their chain, HR."""
    person = access.person_or_404(request.user, person_id, access.can_view_private)
    return _render_team(request, person)


@login_required
def my_team(request):
    return _render_team(request, request.user)


# Direct reports shown as cards above the searchable list of everyone below.
DIRECT_SHOWN = 24
TEAM_PAGE_SIZE = 50


def _render_team(request, manager: User):
    """Direct reports first, then everyone below, searched and paginated, so a
    CTO's page costs the same as a team lead's."""
    everyone = selectors.team_tree(manager=manager)
    direct = selectors.with_report_count(selectors.direct_reports_plain(manager=manager))
    text = request.GET.get("q", "").strip()
    found = selectors.search_people(everyone, text) if text else everyone
    page = Paginator(selectors.with_report_count(found), TEAM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Without a search the paginator has counted everyone already.
    total = everyone.count() if text else page.paginator.count
    direct_count = direct.count()
    return render(
        request,
        "people/user_team.html",
        {
            "manager": manager,
            "direct": direct[:DIRECT_SHOWN],
            "direct_count": direct_count,
            "direct_hidden": max(direct_count - DIRECT_SHOWN, 0),
            "further_count": total - direct_count,
            "total": total,
            "page": page,
            "q": text,
            "query": urlencode({"q": text}) if text else "",
            "is_self": manager.pk == request.user.pk,
        },
    )


@login_required
def team_detail(request, team_id: int):
    team = access.found_or_404(lambda: selectors.team_get(team_id=team_id), Team.DoesNotExist)
    return render(request, "people/team_detail.html", {"team": team})


@login_required
def team_list(request):
    return render(request, "people/team_list.html", {"teams": selectors.team_list()})


@login_required
def audit_log(request):
    """Who changed what, across the organisation: the people team only."""
    access.require(access.can_read_audit_log(request.user))
    return _render_audit(request, person=None)


@login_required
def person_history(request, person_id: int):
    """One person's history: levels, assessments, ratings, stretch, rotations, onboarding."""
    person = access.person_or_404(request.user, person_id, access.can_read_audit_log)
    return _render_audit(request, person=person)


AUDIT_PAGE_SIZE = 25


def _render_audit(request, person: User | None):
    audit_filter = AuditFilter(request.GET, person=person)
    rows = audit_filter.rows()
    page, query = page_of(request, rows if rows is not None else [], AUDIT_PAGE_SIZE)
    return render(
        request,
        "people/audit_log.html",
        {
            "person": person,
            "filter": audit_filter,
            "page": page,
            "entries": audit_entries(page.object_list),
            "query": query,
        },
        status=200 if rows is not None else 400,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    person = invitation_person(token)
    if person is None:
        return render(request, "people/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation_services.invitation_accept(
            person=person, password=form.cleaned_data["new_password1"]
        )
        login(request, person, backend="people.backends.ModelBackend")
        messages.success(request, f"Welcome, {person.get_short_name()}! Your password is set.")
        return redirect("home")
    return render(request, "people/invitation_accept.html", {"form": form, "person": person})
