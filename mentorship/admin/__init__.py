"""The people team's rotation admin: cycles (dates, rules, and the moves from
sign-up to close), sign-ups, match runs (read-only figures), and the review
page where a run's proposal is locked, pruned, swapped, paired by hand,
re-run and published. Importing the modules registers them."""

from . import cycles, review, runs, signups

__all__ = ["cycles", "review", "runs", "signups"]
