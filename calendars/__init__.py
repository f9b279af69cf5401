"""Each person's private calendar feed: every dated item of theirs, from every app."""
