"""Onboarding: checklist templates, plans, buddies, pairing tasks and reminders."""
