"""Every non-trivial read about mentorship. Split by sub-domain; import the modules."""
