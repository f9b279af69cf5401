"""Who may see and do what with ladders, placements, assessments and stretch
assignments. Builds on people/access.py: a person's level, assessments and
evidence are seen by the person, their manager chain and the people team."""

from people import access

from .models import Assessment, StretchAssignment


def can_view_growth(viewer, person) -> bool:
    """Level, placements, assessments, gaps, evidence."""
    return access.can_view_private(viewer, person)


def can_start_assessment(viewer, person) -> bool:
    return access.is_people_team(viewer) or access.is_in_manager_chain(viewer, person)


def can_place(viewer, person) -> bool:
    """Record someone's level: their manager chain or the people team."""
    return can_start_assessment(viewer, person)


def can_view_assessment(viewer, assessment: Assessment) -> bool:
    return can_view_growth(viewer, assessment.person)


def writes_self_side(viewer, assessment: Assessment) -> bool:
    return viewer.pk == assessment.person_id


def writes_manager_side(viewer, assessment: Assessment) -> bool:
    return viewer.pk == assessment.manager_id


def sees_both_sides(viewer, assessment: Assessment) -> bool:
    """Neither side sees the other before both have submitted; the rest of the
    chain and the people team see a side once it is submitted."""
    if assessment.status != Assessment.Status.OPEN:
        return can_view_assessment(viewer, assessment)
    return False


def can_finalise(viewer, assessment: Assessment) -> bool:
    return viewer.pk == assessment.manager_id and assessment.status == Assessment.Status.REVIEW


def can_post_stretch(viewer) -> bool:
    return access.is_manager(viewer) or access.is_people_team(viewer)


def can_decide_stretch(viewer, assignment: StretchAssignment) -> bool:
    return viewer.pk == assignment.posted_by_id or access.is_people_team(viewer)
