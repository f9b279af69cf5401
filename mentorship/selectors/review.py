"""Reads for the people team's review page at any size: the run's pairings a
page at a time and searched by name, the unmatched list searched the same way,
and the pickers that find one pairing from what someone typed (a run can hold
5,000 pairings: nobody scrolls a select of that length, and the page should
not carry it)."""

import re

from django.db.models import Q, QuerySet

from people.errors import ApplicationError

from ..models import MatchRun, PairExclusion, Pairing, RotationCycle, SignUp

# How many matches a picker offers at once (the datalist under the field).
PICKER_LIMIT = 20
MAX_WORDS = 5

_ID_AT_END = re.compile(r"#(\d+)\)?\s*$")


def latest_done_run(*, cycle: RotationCycle) -> MatchRun | None:
    """The run whose proposal the review shows: the newest that finished."""
    return (
        MatchRun.objects.filter(cycle=cycle, status=MatchRun.Status.DONE)
        .order_by("-created_at", "-pk")
        .first()
    )


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
    found = pairing_search(pairings, text) if text.strip() else pairings
    return [{"id": p.pk, "label": pairing_label(p)} for p in found[:PICKER_LIMIT]]


def pairing_pick(pairings: QuerySet[Pairing], text: str) -> Pairing:
    """The one pairing that what was typed names: a label from the list (or a
    bare id), else the only pairing whose people match every word."""
    return _pick_one(pairings, text, pairing_search, "pairing", "of this run", "pairings")


def signup_search(signups: QuerySet[SignUp], text: str) -> QuerySet[SignUp]:
    """Sign-ups whose person's name, email or team holds every word (at most five)."""
    for word in text.split()[:MAX_WORDS]:
        signups = signups.filter(
            Q(person__name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(person__team__name__icontains=word)
        )
    return signups


def signup_label(signup: SignUp) -> str:
    """What a sign-up picker shows and accepts back: the person, their team, the id."""
    team = f", {signup.person.team}" if signup.person.team_id else ""
    return f"{signup.person}{team} (#{signup.pk})"


def signup_choices(signups: QuerySet[SignUp], text: str) -> list[dict]:
    """At most PICKER_LIMIT matches for a sign-up picker's list, as id and label."""
    found = signup_search(signups, text) if text.strip() else signups
    return [{"id": s.pk, "label": signup_label(s)} for s in found[:PICKER_LIMIT]]


def signup_pick(signups: QuerySet[SignUp], text: str, noun: str, plural: str) -> SignUp:
    """The one sign-up that what was typed names (see pairing_pick)."""
    return _pick_one(signups, text, signup_search, noun, "", plural)


def _pick_one(found_in, text: str, search, noun: str, where: str, plural: str):
    """One row of ``found_in``: by the id at the end of a picked label (or a
    bare id), else the only row whose words match; or a sentence saying why not."""
    text = text.strip()
    what = f"{noun} {where}".strip()
    if not text:
        raise ApplicationError(f"Type a name and pick a {noun} from the list.")
    exact = _ID_AT_END.search(text) or (re.fullmatch(r"\d+", text) and re.match(r"(\d+)", text))
    if exact:
        row = found_in.filter(pk=int(exact.group(1))).first()
        if row is None:
            raise ApplicationError(f"No {what} is “{text}”: pick one from the list.")
        return row
    found = list(search(found_in, text)[:2])
    if not found:
        raise ApplicationError(f"No {what} matches “{text}”.")
    if len(found) > 1:
        count = search(found_in, text).count()
        raise ApplicationError(
            f"“{text}” matches {count} {plural}: type more of a name, or pick one from the list."
        )
    return found[0]


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


def unmatched_reason(row: dict, *, to_them: bool = False) -> str:
    """An unmatched row's reason as the person reads it on their own page
    (``to_them``), or as the people team and their manager read it. Rows
    written before both voices were stored hold only the person's own."""
    said = row.get("reason", "") if to_them else row.get("team_reason") or row.get("reason", "")
    return str(said)
