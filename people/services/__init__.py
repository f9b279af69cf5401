"""Every write about people. Split by sub-domain; import the modules."""
