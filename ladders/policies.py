"""Who may see and do what with ladders, placements, assessments and stretch
assignments. Builds on people/access.py: a person's level, assessments and
evidence are seen by the person, their manager chain and the people team."""

from people import access

from .models import Assessment, Side, StretchAssignment


def can_view_growth(viewer, person) -> bool:
    """Level, placements, assessments, gaps, evidence."""
    return access.can_view_private(viewer, person)


def can_start_assessment(viewer, person) -> bool:
    """The person themselves (a self-assessment; their manager still writes
    the manager's side), their manager chain or the people team."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    if viewer.pk == person.pk:
        return True
    return access.is_people_team(viewer) or access.is_in_manager_chain(viewer, person)


def can_request_assessment(viewer, person) -> bool:
    """Only the person asks their manager for an assessment of themselves."""
    return viewer.is_authenticated and viewer.is_active and viewer.pk == person.pk


def can_place(viewer, person) -> bool:
    """Record someone's level: their manager chain or the people team, and
    never for oneself."""
    if viewer.pk == person.pk:
        return False
    return access.is_people_team(viewer) or access.is_in_manager_chain(viewer, person)


def can_view_assessment(viewer, assessment: Assessment) -> bool:
    return can_view_growth(viewer, assessment.person)


def writes_self_side(viewer, assessment: Assessment) -> bool:
    return viewer.pk == assessment.person_id


def writes_manager_side(viewer, assessment: Assessment) -> bool:
    return viewer.pk == assessment.manager_id


def can_finalise(viewer, assessment: Assessment) -> bool:
    return viewer.pk == assessment.manager_id and assessment.status == Assessment.Status.REVIEW


def can_post_stretch(viewer) -> bool:
    return access.is_manager(viewer) or access.is_people_team(viewer)


def can_decide_stretch(viewer, assignment: StretchAssignment) -> bool:
    return viewer.pk == assignment.posted_by_id or access.is_people_team(viewer)


# --- Assessments: who starts one, who reads and writes which side -----------------


def readable_sides(viewer, assessment: Assessment) -> list[str]:
    """The sides whose ratings and evidence the viewer may read, self first.

    While the assessment is open, the person and the manager read only their
    own side (drafts included), so neither is swayed by the other; everyone
    else allowed to see the person's growth reads submitted sides only. Once
    both are submitted, everyone allowed reads both."""
    if not can_view_assessment(viewer, assessment):
        return []
    if assessment.status != Assessment.Status.OPEN:
        return [Side.SELF, Side.MANAGER]
    if writes_self_side(viewer, assessment):
        return [Side.SELF]
    if writes_manager_side(viewer, assessment):
        return [Side.MANAGER]
    submitted = [
        (Side.SELF, assessment.self_submitted_at),
        (Side.MANAGER, assessment.manager_submitted_at),
    ]
    return [side for side, at in submitted if at is not None]


def writable_side(viewer, assessment: Assessment) -> str | None:
    """The side the viewer may still change, if any."""
    if assessment.status != Assessment.Status.OPEN:
        return None
    if writes_self_side(viewer, assessment) and assessment.self_submitted_at is None:
        return Side.SELF
    if writes_manager_side(viewer, assessment) and assessment.manager_submitted_at is None:
        return Side.MANAGER
    return None


def can_edit_revision(viewer, revision) -> bool:
    """Ladder content (levels, competencies, expectations) is edited by the people
    team in a draft; a published revision never changes (revision None: not saved yet)."""
    return access.can_manage_people(viewer) and not (revision and revision.is_published)
