"""Reads for the people team's review page at any size: the run's pairings a
page at a time and searched by name, the unmatched list searched the same way,
and the pickers that find one pairing (to swap) or one sign-up (to pair by
hand) from what someone typed (a run can hold 5,000 pairings and a cycle more
sign-ups: nobody scrolls a select of that length, and the page should not
carry it)."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from people.errors import ApplicationError

from ..models import MatchRun, PairExclusion, Pairing, Role, RotationCycle, SignUp

# How many matches a picker offers at once (the datalist under the field).
PICKER_LIMIT = 20
MAX_WORDS = 5

_ID_AT_END = re.compile(r"#(\d+)\)?\s*$")


def run_pairings(run: MatchRun) -> QuerySet[Pairing]:
    """The run's pairings, best first, with both people and their teams."""
    return run.pairings.select_related("mentor__person__team", "mentee__person__team").order_by(
        "-score", "pk"
    )


def pairing_search(pairings: QuerySet[Pairing], text: str) -> QuerySet[Pairing]:
    """Pairings where every word (at most five) is in the mentor's or the
    mentee's name, email or team."""
    for word in text.split()[:MAX_WORDS]:
        pairings = pairings.filter(
            Q(mentor__person__name__icontains=word)
            | Q(mentor__person__email__icontains=word)
            | Q(mentor__person__team__name__icontains=word)
            | Q(mentee__person__name__icontains=word)
            | Q(mentee__person__email__icontains=word)
            | Q(mentee__person__team__name__icontains=word)
        )
    return pairings


def pairing_label(pairing: Pairing) -> str:
    """What a picker shows and accepts back: the pair, then its id to be exact."""
    return f"{pairing.mentor.person} with {pairing.mentee.person} (#{pairing.pk})"


def pairing_choices(pairings: QuerySet[Pairing], text: str) -> list[dict]:
    """At most PICKER_LIMIT matches for a picker's list, as id and label."""
    return _choices(pairings, text, pairing_search, pairing_label)


def pairing_pick(pairings: QuerySet[Pairing], text: str) -> Pairing:
    """The one pairing that what was typed names: a label from the list (or a
    bare id), else the only pairing whose people match every word."""
    return _pick(pairings, text, pairing_search, Noun("pairing", "pairing of this run"))


# --- the pair-by-hand pickers: sign-ups --------------------------------------------------


def unmatched_mentees(run: MatchRun | None, cycle: RotationCycle) -> QuerySet[SignUp]:
    """The cycle's active mentees without a pair in the run, by name."""
    mentees = _active_signups(cycle, Role.MENTEE)
    return mentees.exclude(pk__in=run.pairings.values("mentee_id")) if run else mentees


def cycle_mentors(cycle: RotationCycle) -> QuerySet[SignUp]:
    """The cycle's active mentors, by name."""
    return _active_signups(cycle, Role.MENTOR)


def _active_signups(cycle: RotationCycle, role: str) -> QuerySet[SignUp]:
    return (
        SignUp.objects.filter(cycle=cycle, role=role, status=SignUp.Status.ACTIVE)
        .select_related("person__team")
        .order_by("person__name", "pk")
    )


def signup_search(signups: QuerySet[SignUp], text: str) -> QuerySet[SignUp]:
    """Sign-ups where every word (at most five) is in the person's name, email or team."""
    for word in text.split()[:MAX_WORDS]:
        signups = signups.filter(
            Q(person__name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(person__team__name__icontains=word)
        )
    return signups


def signup_label(signup: SignUp) -> str:
    """What a picker shows and accepts back: the person and team, then the id."""
    team = f", {signup.person.team}" if signup.person.team_id else ""
    return f"{signup.person}{team} (#{signup.pk})"


def signup_choices(signups: QuerySet[SignUp], text: str) -> list[dict]:
    return _choices(signups, text, signup_search, signup_label)


def signup_pick(signups: QuerySet[SignUp], text: str, *, role: str) -> SignUp:
    """The one sign-up (of ``signups``) that what was typed names."""
    noun = (
        Noun("unmatched mentee", "unmatched mentee")
        if role == Role.MENTEE
        else Noun("mentor", "mentor of this cycle")
    )
    return _pick(signups, text, signup_search, noun)


# --- what both pickers share ------------------------------------------------------------


@dataclass(frozen=True)
class Noun:
    """What a picker finds, in its messages: "pairing", "pairing of this run"."""

    one: str
    among: str


def _choices(found: QuerySet, text: str, search: Callable, label: Callable) -> list[dict]:
    found = search(found, text) if text.strip() else found
    return [{"id": item.pk, "label": label(item)} for item in found[:PICKER_LIMIT]]


def _pick(rows: QuerySet, text: str, search: Callable, noun: Noun):
    """A label from the list (or a bare id) names one row exactly; other text
    must match one row only."""
    text = text.strip()
    if not text:
        raise ApplicationError(f"Type a name and pick a {noun.one} from the list.")
    exact = _ID_AT_END.search(text) or (re.fullmatch(r"\d+", text) and re.match(r"(\d+)", text))
    if exact:
        row = rows.filter(pk=int(exact.group(1))).first()
        if row is None:
            raise ApplicationError(f"No {noun.among} is “{text}”: pick one from the list.")
        return row
    found = list(search(rows, text)[:2])
    if not found:
        raise ApplicationError(f"No {noun.among} matches “{text}”.")
    if len(found) > 1:
        count = search(rows, text).count()
        raise ApplicationError(
            f"“{text}” matches {count} {noun.one}s: type more of a name, or pick one from the list."
        )
    return found[0]


def unmatched_reason(row: dict, *, to_them: bool = False) -> str:
    """An unmatched row's reason as the person reads it on their own page
    (``to_them``), or as the people team and their manager read it. Rows
    written before both voices were stored hold only the person's own."""
    said = row.get("reason", "") if to_them else row.get("team_reason") or row.get("reason", "")
    return str(said)


def unmatched_search(rows: list[dict], text: str) -> list[dict]:
    """The run's unmatched people whose name or team holds every word."""
    words = [word.casefold() for word in text.split()[:MAX_WORDS]]
    if not words:
        return rows
    return [
        row
        for row in rows
        if all(
            word in f"{row.get('person', '')} {row.get('team', '')}".casefold() for word in words
        )
    ]


def exclusions_of(*, cycle: RotationCycle) -> QuerySet[PairExclusion]:
    """The pairs removed in review, kept apart for the rest of the cycle."""
    return PairExclusion.objects.filter(cycle=cycle).select_related(
        "mentor__person", "mentee__person", "created_by"
    )
