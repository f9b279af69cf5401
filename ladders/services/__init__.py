"""Every write about ladders. Split by sub-domain; import from here."""

from .assessments import (
    MissingRatings,
    assessment_finalise,
    assessment_save_side,
    assessment_start,
)
from .exchange_io import revision_to_data, revision_to_dict
from .placements import placement_record
from .requests import assessment_request, assessment_request_notify
from .revisions import (
    draft_for,
    ladder_import,
    published_revision,
    revision_changes,
    revision_publish,
    revision_start_draft,
)
from .stretch import (
    stretch_apply,
    stretch_complete,
    stretch_decide,
    stretch_post,
    stretch_withdraw,
)

__all__ = [
    "MissingRatings",
    "assessment_finalise",
    "assessment_request",
    "assessment_request_notify",
    "assessment_save_side",
    "assessment_start",
    "draft_for",
    "ladder_import",
    "placement_record",
    "published_revision",
    "revision_changes",
    "revision_publish",
    "revision_start_draft",
    "revision_to_data",
    "revision_to_dict",
    "stretch_apply",
    "stretch_complete",
    "stretch_decide",
    "stretch_post",
    "stretch_withdraw",
]
