"""Who may see what in rotations (DESIGN.md): a sign-up is seen by the person,
their manager chain and the people team; a pairing also by the partner and
both sides' managers; individual feedback only by its author, the people
team seeing aggregates over at least five answers."""

from people import access

from .models import Feedback, Pairing, SignUp

MIN_ANSWERS_FOR_AGGREGATES = 5


def can_view_signup(viewer, signup: SignUp) -> bool:
    return access.can_view_private(viewer, signup.person)


def can_view_pairing(viewer, pairing: Pairing) -> bool:
    mentor, mentee = pairing.mentor.person, pairing.mentee.person
    if pairing.status != Pairing.Status.PUBLISHED:
        return access.is_people_team(viewer)
    return access.can_view_private(viewer, mentor) or access.can_view_private(viewer, mentee)


def can_view_feedback(viewer, feedback: Feedback) -> bool:
    return viewer.pk == feedback.author_id


def can_run_cycles(viewer) -> bool:
    return access.is_people_team(viewer)


# --- sign-ups and cycle pages (issue 4, items 2 and 6) ---------------------------------


def can_change_signup(viewer, signup: SignUp) -> bool:
    """Edit or withdraw: only the person who signed up (their manager sees it)."""
    return viewer.is_authenticated and viewer.pk == signup.person_id


def can_view_cycle(viewer, cycle) -> bool:
    """Every colleague sees a cycle once it leaves draft; the people team always."""
    if not viewer.is_authenticated:
        return False
    return cycle.status != cycle.Status.DRAFT or access.is_people_team(viewer)


# --- check-ins, feedback and program health (issue 4, items 5 and 7) -------------------


def is_pairing_participant(viewer, pairing: Pairing) -> bool:
    """Check-in and feedback pages: only the two people of a published pairing."""
    if not viewer.is_authenticated or pairing.status != Pairing.Status.PUBLISHED:
        return False
    return viewer.pk in {pairing.mentor.person_id, pairing.mentee.person_id}


def can_view_program_health(viewer) -> bool:
    """Aggregates only: individual feedback stays with its author."""
    return access.is_people_team(viewer)
