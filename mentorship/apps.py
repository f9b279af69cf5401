from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"

    def ready(self):
        from people import audit

        from .audit import KINDS

        audit.register(*KINDS)

        # Ladders may not import mentorship (dependencies point one way), so
        # rotations join the concurrent-commitment count from this side.
        from ladders.selectors import stretch

        from .selectors.commitments import rotation_commitment_count, rotation_commitment_names

        if rotation_commitment_count not in stretch.COMMITMENT_COUNTERS:
            stretch.COMMITMENT_COUNTERS.append(rotation_commitment_count)
        if rotation_commitment_names not in stretch.COMMITMENT_NAMERS:
            stretch.COMMITMENT_NAMERS.append(rotation_commitment_names)
