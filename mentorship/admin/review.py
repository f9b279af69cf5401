"""The match review page: the people team locks, removes, swaps and pairs by
hand, re-runs keeping those decisions, and publishes. It is served by the
cycle's admin (ReviewPage is mixed into RotationCycleAdmin); its forms,
pickers and paged listing live in review_listing.py."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from people import access
from people.errors import ApplicationError

from .. import policies
from ..models import MatchRun, Pairing, RotationCycle
from ..scoring.reasons import in_third_person
from ..selectors.review import exclusions_of, latest_done_run, run_pairings, unmatched_reason
from ..services.cycles import cycle_publish
from ..services.leavers import pairings_left
from ..services.matching_run import cycle_rerun
from ..services.review import (
    AFTER_PUBLISHING,
    pairing_create_by_hand,
    pairing_lock,
    pairing_remove,
    pairing_swap,
)
from .review_listing import (
    PairByHandForm,
    SwapForm,
    review_listing,
    swap_initial,
)

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


class ReviewPage:
    """The review page of a cycle, for the cycle's ModelAdmin."""

    def review_view(self, request, object_id):
        cycle = RotationCycle.objects.select_related("ladder").filter(pk=object_id).first()
        if cycle is None or not policies.can_run_cycles(request.user):
            raise access.not_found()
        run = latest_done_run(cycle=cycle)
        pairings = run_pairings(run) if run else Pairing.objects.none()
        initial = swap_initial(pairings, request.GET.get("swap"))
        swap = SwapForm(request.POST or None, pairings=pairings, initial=initial)
        by_hand = PairByHandForm(request.POST or None, cycle=cycle, run=run)
        if request.method == "POST":
            response = self._review_post(request, cycle, swap, by_hand)
            if response is not None:
                return response
        latest = MatchRun.objects.filter(cycle=cycle).select_related("requested_by").first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review the match: {cycle}",
            "cycle": cycle,
            "run": run,
            "newer_run": latest if latest and (run is None or latest.pk != run.pk) else None,
            **_with_team_explanations(review_listing(request, run, pairings)),
            "figures": figure_rows(run) if run else [],
            "phases": phase_rows(run) if run else [],
            "swap": swap,
            "by_hand": by_hand,
            "exclusions": list(exclusions_of(cycle=cycle)),
            "left_pairings": list(pairings_left(cycle=cycle)),
            "in_review": cycle.status == RotationCycle.Status.REVIEW,
            "re_pairing": cycle.status in AFTER_PUBLISHING,
            "can_rerun": can_rerun(cycle, latest),
        }
        return TemplateResponse(request, "admin/mentorship/rotationcycle/review.html", context)

    def _review_post(self, request, cycle, swap, by_hand):
        """Run the button's service; None re-renders the page (a form error)."""
        action = request.POST.get("action")
        here = redirect(request.get_full_path())  # the same page and search
        form = by_hand if action == "pair" else swap
        try:
            if action == "pair":
                if not by_hand.is_valid():
                    return None
                pairing = pairing_create_by_hand(
                    cycle=cycle, by=request.user, **by_hand.cleaned_data
                )
                messages.success(request, _paired_message(pairing))
            elif action == "swap":
                if not swap.is_valid():
                    return None
                first, second = swap.chosen()
                pairing_swap(pairing_a=first, pairing_b=second)
                messages.success(
                    request,
                    f"Swapped the mentors of {first.mentee.person} and {second.mentee.person}; "
                    "both pairs are locked, so a re-run keeps the swap.",
                )
            elif action in ("lock", "unlock", "remove"):
                pairing = self._pairing(request, cycle)
                if action == "remove":
                    pairing_remove(pairing=pairing, by=request.user)
                    messages.success(
                        request,
                        f"Removed {pairing}: both are listed as unmatched, and a re-run will "
                        "not pair them again in this cycle.",
                    )
                else:
                    pairing_lock(pairing=pairing, locked=action == "lock")
                    messages.success(request, f"{pairing}: {action}ed.")
            elif action == "rerun":
                cycle_rerun(cycle=cycle, by=request.user)
                messages.success(request, "The match is re-running, keeping the locked pairs.")
            elif action == "publish":
                published = cycle_publish(cycle=cycle, by=request.user)
                messages.success(
                    request, f"Published {published.count} pairings; emails are on their way."
                )
                for sentence in published.dropped:
                    messages.warning(request, sentence)
                return redirect("admin:mentorship_rotationcycle_changelist")
            else:
                messages.error(request, "Unknown action: nothing was changed.")
        except ApplicationError as error:
            if action in ("swap", "pair"):
                form.add_error(error.field if error.field in form.fields else None, error.message)
                return None
            messages.error(request, error.message)
        return here

    def _pairing(self, request, cycle) -> Pairing:
        pairing = (
            Pairing.objects.select_related("mentor__person", "mentee__person")
            .filter(cycle=cycle, pk=request.POST.get("pairing") or 0)
            .first()
        )
        if pairing is None:
            raise ApplicationError("That pairing no longer exists: the page was out of date.")
        return pairing


def _with_team_explanations(listing: dict) -> dict:
    """Explanations are stored as the mentee reads them and unmatched reasons
    in both voices; this page is about them, not to them, so its rows read in
    the third person."""
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


def _paired_message(pairing: Pairing) -> str:
    if pairing.status == Pairing.Status.PUBLISHED:
        return f"Paired {pairing}: published, and both are told with the kick-off invitation."
    return f"Paired {pairing}: locked, so a re-run keeps the pair."
