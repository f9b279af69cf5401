"""Every non-trivial read about ladders. Split by sub-domain; import the modules."""
