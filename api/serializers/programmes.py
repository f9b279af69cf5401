"""Rotations (cycles, sign-ups, published pairings) and onboarding plans."""

from rest_framework import serializers

from ladders.models import Competency
from mentorship.models import Pairing, RotationCycle, SignUp
from onboarding.models import OnboardingPlan


class RotationCycleSerializer(serializers.ModelSerializer):
    ladder = serializers.CharField(source="ladder.slug")

    class Meta:
        model = RotationCycle
        fields = [
            "id",
            "name",
            "theme",
            "description",
            "status",
            "ladder",
            "signup_opens_on",
            "signup_closes_on",
            "starts_on",
            "ends_on",
            "created_at",
        ]


class SignUpSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="person.email")
    competencies: serializers.SlugRelatedField[Competency] = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = SignUp
        fields = [
            "id",
            "cycle_id",
            "person_id",
            "email",
            "role",
            "status",
            "capacity",
            "competencies",
            "goals",
            "project_title",
            "project_outcome",
            "hours_per_week",
            "created_at",
            "updated_at",
        ]


class PairingSerializer(serializers.ModelSerializer):
    mentor_id = serializers.IntegerField(source="mentor.person_id")
    mentor_email = serializers.EmailField(source="mentor.person.email")
    mentee_id = serializers.IntegerField(source="mentee.person_id")
    mentee_email = serializers.EmailField(source="mentee.person.email")

    class Meta:
        model = Pairing
        fields = [
            "id",
            "cycle_id",
            "mentor_id",
            "mentor_email",
            "mentee_id",
            "mentee_email",
            "score",
            "explanation",
            "published_at",
        ]


class OnboardingPlanSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="new_hire.email")
    buddy_email = serializers.EmailField(source="buddy.email", default=None)
    tasks_total = serializers.IntegerField()
    tasks_done = serializers.IntegerField()
    progress = serializers.SerializerMethodField(help_text="Share of tasks done, 0 to 100.")

    class Meta:
        model = OnboardingPlan
        fields = [
            "id",
            "new_hire_id",
            "email",
            "start_date",
            "timezone",
            "buddy_id",
            "buddy_email",
            "buddy_status",
            "status",
            "templates",
            "tasks_total",
            "tasks_done",
            "progress",
            "first_pairing_done_at",
            "created_at",
        ]

    def get_progress(self, plan) -> int:
        return round(100 * plan.tasks_done / plan.tasks_total) if plan.tasks_total else 0
