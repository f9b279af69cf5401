"""What rotations hand over when someone leaves (person_left, see
people/hooks.py and settings.PERSON_LIFECYCLE_SUBSCRIBERS):

- their sign-ups to cycles not yet published are withdrawn (preferences
  naming them go too), so no re-run matches them again;
- a pairing they are in, proposed in the proposal under review or published,
  is flagged (who left and when) for the people team: on the cycle and
  review pages and in the team's channel. A flagged proposal is unlocked, so
  a re-run re-matches the mentee; by hand, the people team removes the pair
  and pairs the mentee with someone else;
- the partner of a published pairing is told once (email, with the kick-off
  cancelled; Slack when they take it), by a job, and the leaver gets the
  kick-off's cancellation if it was emailed to them, while their mailbox is
  open (kickoff_changes._leaver_cancel). A proposal was never announced, so
  nobody but the people team hears of it.

Small writes in the leaving's transaction plus jobs; safe to run twice.
Rehiring gives nothing back."""

from django.db.models import Q
from django.utils import timezone

from core.jobs import jobs_enqueue
from people.history import history_bulk_update
from people.models import User

from ..models import MatchRun, Pairing, RotationCycle, SignUp
from .signups import signups_withdraw_for
from .slack import pairings_left_people_team

Status = RotationCycle.Status
BEFORE_PUBLICATION = (Status.DRAFT, Status.OPEN, Status.MATCHING, Status.REVIEW)
RUNNING = (Status.PUBLISHED, Status.ACTIVE)


def rotations_hand_over(person_ids: list[int]) -> None:
    """person_left: withdraw their open sign-ups, flag their pairings. In
    bulk: a fixed number of queries however many leave at once."""
    leavers = User.objects.in_bulk(person_ids)
    signups_withdraw_for(
        signups=SignUp.objects.filter(
            person_id__in=person_ids,
            status=SignUp.Status.ACTIVE,
            cycle__status__in=BEFORE_PUBLICATION,
        )
    )
    pairings = _pairings_to_flag(person_ids)
    for pairing in pairings:
        mentor = pairing.mentor.person_id
        _flag(pairing, leavers[mentor if mentor in leavers else pairing.mentee.person_id])
    # Unlocked: a re-run may re-match the one who stays.
    history_bulk_update(pairings, same={"locked": False}, each=["left_person", "left_on"])
    pairings_left_people_team(pairings)
    published = [p for p in pairings if p.status == Pairing.Status.PUBLISHED]
    jobs_enqueue("mentorship.tasks.kickoff_invitation_cancel_task", [[p.pk] for p in published])


def _pairings_to_flag(person_ids: list[int]) -> list[Pairing]:
    """Published pairings of running cycles, and the proposal under review
    (the latest finished run's); older runs are history and stay as they are."""
    theirs = Q(mentor__person_id__in=person_ids) | Q(mentee__person_id__in=person_ids)
    candidates = list(
        Pairing.objects.select_for_update(of=("self",))
        .filter(theirs, left_person=None)
        .filter(
            Q(status=Pairing.Status.PUBLISHED, cycle__status__in=RUNNING)
            | Q(status=Pairing.Status.PROPOSED, cycle__status=Status.REVIEW)
        )
        .select_related("cycle", "mentor__person", "mentee__person")
        .order_by("pk")
    )
    latest_runs = _latest_done_runs({p.cycle_id for p in candidates if p.status == "proposed"})
    return [
        p
        for p in candidates
        if p.status == Pairing.Status.PUBLISHED or latest_runs.get(p.cycle_id) == p.run_id
    ]


def _latest_done_runs(cycle_ids: set[int]) -> dict[int, int]:
    latest: dict[int, int] = {}
    runs = MatchRun.objects.filter(cycle_id__in=cycle_ids, status=MatchRun.Status.DONE)
    for cycle_id, run_id in runs.order_by("cycle_id", "-created_at", "-pk").values_list(
        "cycle_id", "pk"
    ):
        latest.setdefault(cycle_id, run_id)
    return latest


def _flag(pairing: Pairing, leaver: User) -> None:
    pairing.left_person = leaver
    pairing.left_on = leaver.end_date or timezone.localdate()
    pairing._change_reason = f"{leaver} left"


def pairings_left(*, cycle: RotationCycle):
    """The cycle's flagged pairings, for its pages: who left and when."""
    return (
        Pairing.objects.filter(cycle=cycle, left_person__isnull=False)
        .select_related("left_person", "mentor__person", "mentee__person")
        .order_by("left_on", "pk")
    )
