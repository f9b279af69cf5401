"""Every write about onboarding. Split by sub-domain; import the modules."""
