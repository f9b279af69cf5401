"""Every write about ladders. Split by sub-domain; import the modules."""
