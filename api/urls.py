"""/api/v1/ (the REST API), /api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI
served from drf-spectacular-sidecar: no CDN, split so a strict CSP holds)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .views.people import PersonViewSet, TeamViewSet
from .views.programmes import (
    LadderViewSet,
    OnboardingPlanViewSet,
    PairingViewSet,
    PlacementViewSet,
    RotationCycleViewSet,
    SignUpViewSet,
    StretchAssignmentViewSet,
)

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("people", PersonViewSet, basename="person")
router.register("teams", TeamViewSet, basename="team")
router.register("ladders", LadderViewSet, basename="ladder")
router.register("placements", PlacementViewSet, basename="placement")
router.register("stretch-assignments", StretchAssignmentViewSet, basename="stretch")
router.register("rotation-cycles", RotationCycleViewSet, basename="cycle")
router.register("signups", SignUpViewSet, basename="signup")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("onboarding-plans", OnboardingPlanViewSet, basename="plan")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
