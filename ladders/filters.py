"""Filters for browsing stretch assignments."""

import django_filters
from django import forms
from django.db.models import Q

from people.models import Team

from .models import StretchAssignment
from .selectors.stretch import competency_code_choices

# Hours per week: (label, lowest, highest); None means no bound.
COMMITMENTS = {
    "light": ("Up to 2 hours a week", None, 2),
    "medium": ("3 to 5 hours a week", 3, 5),
    "heavy": ("More than 5 hours a week", 6, None),
}


class StretchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    # By code, not by row: each ladder revision has its own competency rows,
    # and an assignment posted against last year's revision still counts.
    competency = django_filters.ChoiceFilter(
        choices=competency_code_choices,
        field_name="competencies__code",
        method="with_competency",
        label="Competency",
        empty_label="Any competency",
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.order_by("name"), empty_label="Any team"
    )
    commitment = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _, _) in COMMITMENTS.items()],
        method="with_commitment",
        label="Time commitment",
        empty_label="Any time commitment",
    )
    open_seats = django_filters.BooleanFilter(
        method="with_open_seats",
        label="Only with open seats",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = StretchAssignment
        fields = ["q", "competency", "team", "commitment", "open_seats"]

    def search(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset

    def with_competency(self, queryset, name, value):
        # A subquery, so an assignment naming the code twice is listed once.
        building = StretchAssignment.objects.filter(competencies__code=value).values("pk")
        return queryset.filter(pk__in=building)

    def with_commitment(self, queryset, name, value):
        _, lowest, highest = COMMITMENTS[value]
        if lowest is not None:
            queryset = queryset.filter(hours_per_week__gte=lowest)
        if highest is not None:
            queryset = queryset.filter(hours_per_week__lte=highest)
        return queryset

    def with_open_seats(self, queryset, name, value):
        # Needs the seats_left annotation of selectors.stretch.stretch_list().
        return queryset.filter(seats_left__gt=0) if value else queryset
