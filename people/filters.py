"""The people directory's filters."""

import django_filters
from django.db.models import Exists, OuterRef, Q

from .models import Team, User


def _managers(request=None):
    has_reports = User.objects.filter(manager=OuterRef("pk"), is_active=True)
    return User.objects.filter(Exists(has_reports), is_active=True).order_by("name")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.order_by("name"))
    manager = django_filters.ModelChoiceFilter(queryset=_managers, label="Manager")
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title")

    class Meta:
        model = User
        fields = ["q", "team", "manager", "title"]

    def search(self, queryset, name, value):
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(email__icontains=word)
                | Q(title__icontains=word)
                | Q(team__name__icontains=word)
            )
        return queryset
