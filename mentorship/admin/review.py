"""The match review, the people team's page for a run's proposal: its figures,
the pairings and the unmatched a page at a time with a search, and the edits
(lock, remove, swap, pair by hand), re-run and publish, each through a service
in services/review.py or services/cycles.py. The swap's and the pair-by-hand
fields are search pickers (static/js/review_picker.js) filled by the small
JSON endpoints here: a run of 5,000 pairings renders a page of them, not all
of them in selects."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from people import access
from people.errors import ApplicationError

from .. import policies
from ..forms import PairByHandForm, SwapForm
from ..models import MatchRun, Pairing, Role, RotationCycle
from ..scoring.reasons import in_third_person
from ..selectors.review import (
    PICKER_LIMIT,
    cycle_mentors,
    exclusions_of,
    pairing_choices,
    pairing_label,
    pairing_search,
    run_pairings,
    signup_choices,
    unmatched_mentees,
    unmatched_reason,
    unmatched_search,
)
from ..services.cycles import cycle_rerun
from ..services.matching_run import cycle_publish
from ..services.review import (
    latest_done_run,
    pairing_create_by_hand,
    pairing_lock,
    pairing_remove,
    pairing_swap,
)

PAIRINGS_PER_PAGE = 50
UNMATCHED_PER_PAGE = 50
FIGURE_LABELS = [
    ("participants", "Participants"),
    ("mentors", "Mentors"),
    ("mentees", "Mentees"),
    ("capacity", "Mentor places offered"),
    ("eligible_pairs", "Candidate pairs weighed"),
    ("matched", "Mentees matched"),
    ("match_rate", "Match rate"),
    ("crossing_teams", "Pairs crossing teams"),
    ("locked_kept", "Locked pairs kept"),
    ("locked", "Pairs locked now"),
    ("total_score", "Total score"),
    ("average_score", "Average score"),
]
PHASES = [("load", "Loading"), ("score", "Scoring"), ("solve", "Solving"), ("write", "Writing")]
TEMPLATE = "admin/mentorship/rotationcycle/review.html"


def review_urls(model_admin) -> list:
    """The page and its pickers' search, under the cycle admin's URLs."""
    site = model_admin.admin_site

    def page(request, object_id):
        return review_view(model_admin, request, object_id)

    return [
        path(
            "<path:object_id>/review/",
            site.admin_view(page),
            name="mentorship_rotationcycle_review",
        ),
        path(
            "<path:object_id>/review/pairings/",
            site.admin_view(pairing_search_view),
            name="mentorship_rotationcycle_review_pairings",
        ),
        path(
            "<path:object_id>/review/signups/<str:role>/",
            site.admin_view(signup_search_view),
            name="mentorship_rotationcycle_review_signups",
        ),
    ]


def review_view(model_admin, request, object_id):
    cycle = _cycle_or_404(request, object_id)
    run = latest_done_run(cycle=cycle)
    pairings = run_pairings(run) if run else Pairing.objects.none()
    initial = swap_initial(pairings, request.GET.get("swap"))
    swap = SwapForm(request.POST or None, pairings=pairings, initial=initial)
    mentees = unmatched_mentees(run, cycle)
    by_hand = PairByHandForm(request.POST or None, mentees=mentees, mentors=cycle_mentors(cycle))
    if request.method == "POST":
        response = _review_post(request, cycle, swap, by_hand)
        if response is not None:
            return response
    latest = MatchRun.objects.filter(cycle=cycle).select_related("requested_by").first()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": f"Review the match: {cycle}",
        "cycle": cycle,
        "run": run,
        "newer_run": latest if latest and (run is None or latest.pk != run.pk) else None,
        **_in_third_person(review_listing(request, run, pairings)),
        "figures": figure_rows(run) if run else [],
        "phases": phase_rows(run) if run else [],
        "swap": swap,
        "by_hand": by_hand,
        "anyone_to_pair": mentees.exists(),
        "exclusions": list(exclusions_of(cycle=cycle)),
        "in_review": cycle.status == RotationCycle.Status.REVIEW,
        "can_rerun": can_rerun(cycle, latest),
    }
    return TemplateResponse(request, TEMPLATE, context)


def _cycle_or_404(request, object_id) -> RotationCycle:
    """The same 404 for a cycle that does not exist and a page not theirs."""
    cycle = (
        RotationCycle.objects.select_related("ladder").filter(pk=object_id).first()
        if str(object_id).isdigit()
        else None
    )
    if cycle is None or not policies.can_run_cycles(request.user):
        raise access.not_found()
    return cycle


# --- the buttons ------------------------------------------------------------------------


def _review_post(request, cycle, swap, by_hand):
    """Run the button's service; None re-renders the page (a form error)."""
    action = request.POST.get("action")
    forms = {"swap": swap, "pair": by_hand}
    form = forms.get(action)
    if form is not None and not form.is_valid():
        return None
    try:
        done = ACTIONS.get(action, _unknown)(request, cycle, form)
    except ApplicationError as error:
        if form is None:
            messages.error(request, error.message)
            return redirect(request.get_full_path())
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    return done or redirect(request.get_full_path())  # the same page and search


def _pair(request, cycle, by_hand):
    pairing = pairing_create_by_hand(cycle=cycle, by=request.user, **by_hand.chosen())
    messages.success(request, f"Paired {pairing}: locked, so a re-run keeps the pair.")


def _swap(request, cycle, swap):
    first, second = swap.chosen()
    pairing_swap(pairing_a=first, pairing_b=second)
    messages.success(
        request,
        f"Swapped the mentors of {first.mentee.person} and {second.mentee.person}; "
        "both pairs are locked, so a re-run keeps the swap.",
    )


def _lock(request, cycle, _form, locked=True):
    pairing = pairing_lock(pairing=_pairing(request, cycle), locked=locked)
    messages.success(request, f"{pairing}: {'locked' if locked else 'unlocked'}.")


def _unlock(request, cycle, form):
    _lock(request, cycle, form, locked=False)


def _remove(request, cycle, _form):
    pairing = _pairing(request, cycle)
    pairing_remove(pairing=pairing, by=request.user)
    messages.success(
        request,
        f"Removed {pairing}: both are listed as unmatched, and a re-run will "
        "not pair them again in this cycle.",
    )


def _rerun(request, cycle, _form):
    cycle_rerun(cycle=cycle, by=request.user)
    messages.success(request, "The match is re-running, keeping the locked pairs.")


def _publish(request, cycle, _form):
    published = cycle_publish(cycle=cycle, by=request.user)
    messages.success(request, f"Published {published.count} pairings; emails are on their way.")
    for sentence in published.dropped:
        messages.warning(request, sentence)
    return redirect("admin:mentorship_rotationcycle_changelist")


def _unknown(request, cycle, _form):
    messages.error(request, "Unknown action: nothing was changed.")


ACTIONS = {
    "pair": _pair,
    "swap": _swap,
    "lock": _lock,
    "unlock": _unlock,
    "remove": _remove,
    "rerun": _rerun,
    "publish": _publish,
}


def _pairing(request, cycle) -> Pairing:
    pairing = (
        Pairing.objects.select_related("mentor__person", "mentee__person")
        .filter(cycle=cycle, pk=request.POST.get("pairing") or 0)
        .first()
    )
    if pairing is None:
        raise ApplicationError("That pairing no longer exists: the page was out of date.")
    return pairing


# --- what the page shows --------------------------------------------------------------


def _in_third_person(listing: dict) -> dict:
    """Explanations and unmatched reasons are stored as the person reads them
    ("your learning goals"); this page is about them, not to them, so its rows
    read in the third person."""
    pairings = list(listing["pairings"])
    for pairing in pairings:
        pairing.team_explanation = in_third_person(
            pairing.explanation, mentee=str(pairing.mentee.person)
        )
    unmatched = [{**row, "team_reason": unmatched_reason(row)} for row in listing["unmatched"]]
    return {**listing, "pairings": pairings, "unmatched": unmatched}


def can_rerun(cycle: RotationCycle, latest: MatchRun | None) -> bool:
    """In review, or still matching after the last run failed."""
    if cycle.status == RotationCycle.Status.REVIEW:
        return True
    failed = latest is not None and latest.status == MatchRun.Status.FAILED
    return cycle.status == RotationCycle.Status.MATCHING and failed


def figure_rows(run: MatchRun) -> list[tuple[str, object]]:
    figures = run.figures or {}
    rows = []
    for key, label in FIGURE_LABELS:
        if key in figures:
            value = figures[key]
            rows.append((label, f"{value:.0%}" if key == "match_rate" else value))
    return rows


def phase_rows(run: MatchRun) -> list[tuple[str, object]]:
    seconds = (run.figures or {}).get("seconds", {})
    rows = [(label, seconds[key]) for key, label in PHASES if key in seconds]
    if "total" in seconds:
        rows.append(("In all", seconds["total"]))
    return rows


def swap_initial(pairings: QuerySet[Pairing], swap_from: str | None) -> dict:
    """A row's "Swap…" link fills the first field with that pairing."""
    if not swap_from or not swap_from.isdigit():
        return {}
    pairing = pairings.filter(pk=int(swap_from)).first()
    return {"pairing_a": pairing_label(pairing)} if pairing else {}


def review_listing(request, run, pairings: QuerySet[Pairing]) -> dict:
    """The page's share of the context: one page of pairings and of unmatched
    people, both narrowed by ?q=, with the counts and the query to keep."""
    text = request.GET.get("q", "").strip()
    found = pairing_search(pairings, text) if text else pairings
    page = Paginator(found, PAIRINGS_PER_PAGE).get_page(request.GET.get("page"))
    unmatched_all = run.unmatched if run else []
    unmatched = unmatched_search(unmatched_all, text)
    unmatched_page = Paginator(unmatched, UNMATCHED_PER_PAGE).get_page(
        request.GET.get("unmatched_page")
    )
    pairing_total = pairings.count() if text else page.paginator.count
    return {
        "pairings": page.object_list,
        "pairings_page": page,
        "pairing_total": pairing_total,
        "unmatched": unmatched_page.object_list,
        "unmatched_page": unmatched_page,
        "unmatched_total": len(unmatched_all),
        "unmatched_found": len(unmatched),
        "q": text,
        # The other list's page is kept when one list turns its page.
        "pairings_query": _query(q=text, unmatched_page=request.GET.get("unmatched_page")),
        "unmatched_query": _query(q=text, page=request.GET.get("page")),
        "picker_limit": PICKER_LIMIT,
    }


def _query(**values) -> str:
    return urlencode({key: value for key, value in values.items() if value})


# --- the pickers' search ----------------------------------------------------------------


def pairing_search_view(request, object_id):
    """GET ?q=: at most PICKER_LIMIT pairings of the latest finished run as
    JSON, for the swap's pickers. The same 404 as the page for anyone else."""
    cycle = _cycle_or_404(request, object_id)
    run = latest_done_run(cycle=cycle)
    if run is None:
        return JsonResponse({"results": []})
    pairings = run.pairings.select_related("mentor__person", "mentee__person").order_by(
        "-score", "pk"
    )
    return JsonResponse({"results": pairing_choices(pairings, request.GET.get("q", ""))})


def signup_search_view(request, object_id, role):
    """GET ?q=: at most PICKER_LIMIT unmatched mentees (role "mentee") or
    mentors (role "mentor") of the cycle as JSON, for the pair-by-hand pickers."""
    cycle = _cycle_or_404(request, object_id)
    if role == Role.MENTEE:
        signups = unmatched_mentees(latest_done_run(cycle=cycle), cycle)
    elif role == Role.MENTOR:
        signups = cycle_mentors(cycle)
    else:
        raise access.not_found()
    return JsonResponse({"results": signup_choices(signups, request.GET.get("q", ""))})
