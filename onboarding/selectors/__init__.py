"""Every non-trivial read about onboarding. Split by sub-domain; import the modules."""
