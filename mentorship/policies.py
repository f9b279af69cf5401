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
