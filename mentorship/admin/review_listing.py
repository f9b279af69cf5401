"""The review page at any size (used by mentorship/admin.py): the run's
pairings and unmatched people a page at a time with a search, the swap form
whose two fields are search pickers, and the small search endpoint that fills
the pickers' lists as someone types. A run of 5,000 pairings renders a page
of them, not all of them twice over in two selects."""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, JsonResponse

from people.errors import ApplicationError

from .. import policies
from ..models import Pairing, Role, RotationCycle, SignUp
from ..selectors.review import (
    PICKER_LIMIT,
    latest_done_run,
    pairing_choices,
    pairing_label,
    pairing_pick,
    pairing_search,
    signup_choices,
    signup_pick,
    unmatched_search,
)
from ..services.review import AFTER_PUBLISHING

PAIRINGS_PER_PAGE = 50
UNMATCHED_PER_PAGE = 50


class SwapForm(forms.Form):
    """Two pairings of the proposal whose mentors trade places, each found
    by a search field: the template renders each as an <input list> whose
    list static/js/review_picker.js fills from the search endpoint (at most
    PICKER_LIMIT entries). Without script, typing words that only one pairing
    matches works too."""

    pairing_a = forms.CharField(label="First pairing", max_length=300)
    pairing_b = forms.CharField(label="Second pairing", max_length=300)

    def __init__(self, data=None, *, pairings: QuerySet[Pairing], initial=None):
        # Only a swap posts these fields; other buttons leave the form unbound.
        bound = data if data is not None and data.get("action") == "swap" else None
        super().__init__(bound, initial=initial)
        self.pairings = pairings
        for field in self.fields.values():
            field.help_text = "Type part of the mentor's or the mentee's name or team."
        self.picked: dict[str, Pairing] = {}

    def _pick(self, name: str) -> str:
        text = self.cleaned_data[name]
        try:
            self.picked[name] = pairing_pick(self.pairings, text)
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from None
        return text

    def clean_pairing_a(self):
        return self._pick("pairing_a")

    def clean_pairing_b(self):
        return self._pick("pairing_b")

    def clean(self):
        cleaned = super().clean()
        a, b = self.picked.get("pairing_a"), self.picked.get("pairing_b")
        if a is not None and b is not None and a.pk == b.pk:
            self.add_error("pairing_b", "Pick two different pairings to swap.")
        return cleaned

    def chosen(self) -> tuple[Pairing, Pairing]:
        return self.picked["pairing_a"], self.picked["pairing_b"]


class PairByHandForm(forms.Form):
    """An unmatched mentee and any mentor of the cycle, each found by a search
    field like the swap's (static/js/review_picker.js fills its list from
    signup_search_view); the service checks the rules. The page never carries
    every sign-up of a 5,000-pair cycle in two selects."""

    mentee = forms.CharField(label="Unmatched mentee", max_length=300)
    mentor = forms.CharField(label="Mentor", max_length=300)

    def __init__(self, data=None, *, cycle, run):
        # Only "Pair them" posts these fields; other buttons leave the form unbound.
        bound = data if data is not None and data.get("action") == "pair" else None
        super().__init__(bound)
        self.mentees, self.mentors = by_hand_signups(cycle, run)
        for field in self.fields.values():
            field.help_text = "Type part of the name, email or team."

    def clean_mentee(self) -> SignUp:
        return self._pick("mentee", self.mentees, "mentee", "unmatched mentees")

    def clean_mentor(self) -> SignUp:
        return self._pick("mentor", self.mentors, "mentor", "mentors")

    def _pick(self, name, signups, noun, plural) -> SignUp:
        try:
            return signup_pick(signups, self.cleaned_data[name], noun, plural)
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from None


def by_hand_signups(cycle, run) -> tuple[QuerySet[SignUp], QuerySet[SignUp]]:
    """The mentees the run left unmatched (or whose partner left) and the
    cycle's mentors, by name; nobody who has left. Once published, only a
    mentee whose mentor left may be paired again."""
    signups = (
        SignUp.objects.filter(cycle=cycle, status=SignUp.Status.ACTIVE, person__is_active=True)
        .select_related("person__team")
        .order_by("person__name", "pk")
    )
    paired = run.pairings.filter(left_person=None).values("mentee_id") if run else []
    mentees = signups.filter(role=Role.MENTEE).exclude(pk__in=paired)
    if cycle.status in AFTER_PUBLISHING:
        mentees = mentees.filter(pairings_as_mentee__left_person__isnull=False).distinct()
    return mentees, signups.filter(role=Role.MENTOR)


def signup_search_view(request, object_id):
    """GET ?role=mentee|mentor&q=: at most PICKER_LIMIT unmatched mentees or
    mentors of the cycle as JSON, for the pair-by-hand pickers; the same 404
    as the page for anyone else."""
    cycle = RotationCycle.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    if cycle is None or not policies.can_run_cycles(request.user):
        raise Http404("No such page.")
    mentees, mentors = by_hand_signups(cycle, latest_done_run(cycle=cycle))
    signups = mentors if request.GET.get("role") == "mentor" else mentees
    return JsonResponse({"results": signup_choices(signups, request.GET.get("q", ""))})


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


def pairing_search_view(request, object_id):
    """GET ?q=: at most PICKER_LIMIT pairings of the latest finished run as
    JSON, for the pickers. The same 404 as the page for anyone else."""
    cycle = RotationCycle.objects.filter(pk=object_id).first() if object_id.isdigit() else None
    if cycle is None or not policies.can_run_cycles(request.user):
        raise Http404("No such page.")
    run = latest_done_run(cycle=cycle)
    if run is None:
        return JsonResponse({"results": []})
    pairings = run.pairings.select_related("mentor__person", "mentee__person").order_by(
        "-score", "pk"
    )
    return JsonResponse({"results": pairing_choices(pairings, request.GET.get("q", ""))})
