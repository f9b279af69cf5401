"""Read-only views of ladders, stretch assignments, rotations and onboarding:
each list is a fixed number of queries however many rows."""

from django.db.models import Count, Prefetch, Q
from rest_framework import viewsets

from ladders.models import Ladder, Placement, Revision, StretchAssignment, StretchParticipation
from mentorship.models import Pairing, RotationCycle, SignUp
from onboarding.models import OnboardingPlan, PlanTask

from ..filters import (
    CycleFilter,
    PairingFilter,
    PlacementFilter,
    PlanFilter,
    SignUpFilter,
    StretchFilter,
)
from ..serializers.ladders import (
    LadderSerializer,
    PlacementSerializer,
    StretchAssignmentSerializer,
)
from ..serializers.programmes import (
    OnboardingPlanSerializer,
    PairingSerializer,
    RotationCycleSerializer,
    SignUpSerializer,
)


class LadderViewSet(viewsets.ReadOnlyModelViewSet):
    """Ladders as published today: levels with their expectations, and competencies."""

    serializer_class = LadderSerializer
    filterset_fields = ["slug"]

    def get_queryset(self):
        published = (
            Revision.objects.filter(status=Revision.Status.PUBLISHED)
            .order_by("-number")
            .prefetch_related("competencies", "levels__expectations__competency")
        )
        return Ladder.objects.prefetch_related(
            Prefetch("revisions", queryset=published, to_attr="published")
        )


class PlacementViewSet(viewsets.ReadOnlyModelViewSet):
    """Every placement (a person's level from a date); the latest per person is current."""

    serializer_class = PlacementSerializer
    filterset_class = PlacementFilter

    def get_queryset(self):
        return Placement.objects.select_related("person", "level__revision__ladder")


class StretchAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StretchAssignmentSerializer
    filterset_class = StretchFilter

    def get_queryset(self):
        participants = StretchParticipation.objects.select_related("person")
        return StretchAssignment.objects.select_related("team", "posted_by").prefetch_related(
            "competencies", Prefetch("participations", queryset=participants)
        )


class RotationCycleViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RotationCycleSerializer
    filterset_class = CycleFilter

    def get_queryset(self):
        return RotationCycle.objects.select_related("ladder")


class SignUpViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SignUpSerializer
    filterset_class = SignUpFilter

    def get_queryset(self):
        return SignUp.objects.select_related("person").prefetch_related("competencies")


class PairingViewSet(viewsets.ReadOnlyModelViewSet):
    """Published pairings only: proposals under review are the people team's draft."""

    serializer_class = PairingSerializer
    filterset_class = PairingFilter

    def get_queryset(self):
        return Pairing.objects.filter(status=Pairing.Status.PUBLISHED).select_related(
            "mentor__person", "mentee__person"
        )


class OnboardingPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Each new hire's plan with its progress (tasks done of all)."""

    serializer_class = OnboardingPlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        return OnboardingPlan.objects.select_related("new_hire", "buddy").annotate(
            tasks_total=Count("tasks", distinct=True),
            tasks_done=Count("tasks", filter=Q(tasks__status=PlanTask.Status.DONE), distinct=True),
        )
