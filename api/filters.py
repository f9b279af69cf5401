"""Query filters of the API, by the fields people filter on; `updated_since`
(an ISO date-time) is what a sync asks for."""

import django_filters as filters
from django.db.models import Q

from ladders.models import Placement, StretchAssignment
from mentorship.models import Pairing, RotationCycle, SignUp
from onboarding.models import OnboardingPlan
from people.models import Team, User


class PersonFilter(filters.FilterSet):
    email = filters.CharFilter(lookup_expr="iexact")
    employee_id = filters.CharFilter()
    team = filters.CharFilter(field_name="team__name", lookup_expr="iexact")
    manager_email = filters.CharFilter(field_name="manager__email", lookup_expr="iexact")
    active = filters.BooleanFilter(field_name="is_active")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    started_after = filters.DateFilter(field_name="start_date", lookup_expr="gte")

    class Meta:
        model = User
        fields = ["email", "employee_id", "team", "manager_email", "active", "updated_since"]


class TeamFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="iexact")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Team
        fields = ["name", "updated_since"]


class PlacementFilter(filters.FilterSet):
    email = filters.CharFilter(field_name="person__email", lookup_expr="iexact")
    employee_id = filters.CharFilter(field_name="person__employee_id")
    ladder = filters.CharFilter(field_name="level__revision__ladder__slug")
    level = filters.CharFilter(field_name="level__code")
    updated_since = filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gte")

    class Meta:
        model = Placement
        fields = ["email", "employee_id", "ladder", "level", "updated_since"]


class StretchFilter(filters.FilterSet):
    team = filters.CharFilter(field_name="team__name", lookup_expr="iexact")
    updated_since = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = StretchAssignment
        fields = ["status", "team", "updated_since"]


class CycleFilter(filters.FilterSet):
    class Meta:
        model = RotationCycle
        fields = ["status"]


class SignUpFilter(filters.FilterSet):
    email = filters.CharFilter(field_name="person__email", lookup_expr="iexact")
    updated_since = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = SignUp
        fields = ["cycle", "role", "status", "email", "updated_since"]


class PairingFilter(filters.FilterSet):
    email = filters.CharFilter(method="with_person", label="Mentor's or mentee's email")
    updated_since = filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")

    class Meta:
        model = Pairing
        fields = ["cycle", "email", "updated_since"]

    def with_person(self, queryset, name, value):
        return queryset.filter(
            Q(mentor__person__email__iexact=value) | Q(mentee__person__email__iexact=value)
        )


class PlanFilter(filters.FilterSet):
    email = filters.CharFilter(field_name="new_hire__email", lookup_expr="iexact")
    started_after = filters.DateFilter(field_name="start_date", lookup_expr="gte")
    updated_since = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = OnboardingPlan
        fields = ["email", "started_after", "updated_since"]
