"""The people team's ladder admin: ladders, revisions, levels, competencies and
expectations (editable in a draft, read-only once published), publishing, new
drafts, file import and export, and placements. Importing the modules registers them."""

from . import content, placements, revisions

__all__ = ["content", "placements", "revisions"]
