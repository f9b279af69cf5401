"""The people team's rotation admin, one module per part: cycles (dates,
rules and the moves from sign-up to close), the review page where a run's
proposal is locked, pruned, swapped, re-run and published (review.py, with
its forms, pickers and listing in review_listing.py), sign-ups and match runs
(read-only figures). Importing them registers each ModelAdmin."""

from . import cycles, runs, signups  # noqa: F401
