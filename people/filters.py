"""The people directory's filters, and the audit log's."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from . import audit
from .models import Team, User
from .selectors import search_people


def _managers(request=None):
    has_reports = User.objects.filter(manager=OuterRef("pk"), is_active=True)
    return User.objects.filter(Exists(has_reports), is_active=True).order_by("name")


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.order_by("name"))
    # django-filter calls a callable queryset with the request; the stubs only
    # know the plain queryset form.
    manager = django_filters.ModelChoiceFilter(
        queryset=_managers,  # type: ignore[arg-type]
        label="Manager",
    )
    title = django_filters.CharFilter(lookup_expr="icontains", label="Title")

    class Meta:
        model = User
        fields = ["q", "team", "manager", "title"]

    def search(self, queryset, name, value):
        return search_people(queryset, value)


# --- the audit log -----------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return cleaned


def _people_matching(text: str):
    """Ids of people whose name or email contains every word (a subquery)."""
    people = User.objects.all()
    for word in text.split()[:5]:
        people = people.filter(Q(name__icontains=word) | Q(email__icontains=word))
    return people.values("pk")


class AuditFilter(django_filters.FilterSet):
    """Filters for the audit log. The log spans the history of several models,
    so the same filters are applied to each kind's rows (rows()) and the
    results are put together in one query (people/audit.py)."""

    kind = django_filters.ChoiceFilter(
        choices=audit.kind_choices, method="all_rows", label="Kind", empty_label="Every kind"
    )
    person = django_filters.CharFilter(method="about", label="About (name or email)")
    changed_by = django_filters.CharFilter(method="by", label="Changed by (name or email)")
    since = django_filters.DateFilter(
        field_name="history_date",
        lookup_expr="date__gte",
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="history_date",
        lookup_expr="date__lte",
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        form = AuditFilterForm

    def __init__(self, data=None, *, person: User | None = None, **kwargs):
        super().__init__(data, queryset=User.history.none(), **kwargs)
        self.fixed_person = person
        if person is not None:
            del self.filters["person"]  # one person's page: it is about them
        self._kind: audit.AuditKind | None = None

    def rows(self):
        """The union of every selected kind's filtered rows, newest first, or
        None when the filters do not validate."""
        if not self.is_valid():
            return None
        chosen = self.form.cleaned_data.get("kind")
        kinds = [audit.audit_kinds()[chosen]] if chosen else list(audit.audit_kinds().values())
        parts = {}
        for kind in kinds:
            rows = kind.rows()
            if self.fixed_person is not None:
                rows = rows.filter(kind.about_people([self.fixed_person.pk]))
            self._kind = kind
            parts[kind.key] = self.filter_queryset(rows)
        return audit.audit_union(parts)

    def all_rows(self, queryset, name, value):
        return queryset  # the kind chooses which tables are read, in rows()

    def about(self, queryset, name, value):
        return queryset.filter(self._kind.about_people(_people_matching(value)))

    def by(self, queryset, name, value):
        return queryset.filter(history_user__in=_people_matching(value))
