"""Every write about mentorship. Split by sub-domain; import the modules."""
