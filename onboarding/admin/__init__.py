"""The people team's onboarding admin: holidays, checklist templates (with
their items and reminder settings) and plans (tasks, buddies, syncing a plan
with its templates, new hires without a plan). Importing the modules
registers each ModelAdmin."""

from . import holidays, plans, templates  # noqa: F401
