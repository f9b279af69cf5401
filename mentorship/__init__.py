"""Mentorship rotations: cycles, sign-ups, matching, pairings and feedback."""
