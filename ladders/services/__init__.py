"""Every write about ladders. Split by sub-domain; import from here."""

from .exchange_io import revision_to_data, revision_to_dict
from .revisions import (
    draft_for,
    ladder_import,
    published_revision,
    revision_changes,
    revision_publish,
    revision_start_draft,
)

__all__ = [
    "draft_for",
    "ladder_import",
    "published_revision",
    "revision_changes",
    "revision_publish",
    "revision_start_draft",
    "revision_to_data",
    "revision_to_dict",
]
