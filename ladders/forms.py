"""The forms of ladders' pages: assessments (one side, a request, finalising)
and stretch assignments (apply, complete, post). Admin forms stay with their
ModelAdmin in admin/."""

from django import forms

from core.limits import bound_text
from people.models import Team

from .models import Rating
from .selectors import stretch as stretch_selectors
from .services import stretch as stretch_services

# --- assessments ----------------------------------------------------------------------


class AssessmentSideForm(forms.Form):
    """One side's answers: a rating, evidence and an optional completed stretch
    assignment per competency. Every field is optional: a draft may be partial."""

    def __init__(self, *args, rows, side: str, stretch_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            mine = row.ratings.get(side)
            pk = row.competency.pk
            self.fields[f"rating_{pk}"] = forms.TypedChoiceField(
                label="Rating",
                choices=[("", "Not rated yet"), *Rating.choices],
                coerce=int,
                empty_value=None,
                required=False,
                initial=mine.rating if mine else None,
            )
            self.fields[f"evidence_{pk}"] = bound_text(
                forms.CharField(
                    label="Evidence",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    help_text="What you did, with links or examples.",
                    initial=mine.evidence if mine else "",
                )
            )
            if stretch_choices:
                self.fields[f"stretch_{pk}"] = forms.TypedChoiceField(
                    label="Completed stretch assignment (optional)",
                    choices=[("", "None"), *stretch_choices],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=mine.stretch_id if mine else None,
                )

    def themes(self):
        """(theme, [(row, rating, evidence, stretch field or None)]) for the template."""
        grouped: dict[str, list] = {}
        for row in self.rows:
            pk = row.competency.pk
            stretch = self[f"stretch_{pk}"] if f"stretch_{pk}" in self.fields else None
            grouped.setdefault(row.competency.theme, []).append(
                (row, self[f"rating_{pk}"], self[f"evidence_{pk}"], stretch)
            )
        return list(grouped.items())

    def ratings(self) -> dict[int, tuple[int | None, str, int | None]]:
        data = self.cleaned_data
        return {
            row.competency.pk: (
                data[f"rating_{row.competency.pk}"],
                data[f"evidence_{row.competency.pk}"],
                data.get(f"stretch_{row.competency.pk}"),
            )
            for row in self.rows
        }

    def flag_missing(self, competencies) -> None:
        for competency in competencies:
            self.add_error(f"rating_{competency.pk}", "Choose a rating before submitting.")


class AssessmentRequestForm(forms.Form):
    note = forms.CharField(
        label="A note for your manager (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why now, e.g. “I would like to talk about moving to the next level.”",
    )


class FinaliseForm(forms.Form):
    summary = bound_text(
        forms.CharField(
            label="Closing summary",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="What you agreed, and what to focus on next. The person sees it.",
        )
    )


# --- stretch assignments ----------------------------------------------------------------


class StretchApplyForm(forms.Form):
    motivation = bound_text(
        forms.CharField(
            label="Why do you want this assignment?",
            help_text="What you hope to learn, and what you bring. The poster reads this.",
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    )


class StretchCompleteForm(forms.Form):
    outcome = bound_text(
        forms.CharField(
            label="Outcome",
            help_text="What was done and learned. Assessments can cite it as evidence.",
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    )


class CompetencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.theme}, {obj.revision.ladder.name})"


class StretchAssignmentForm(forms.Form):
    title = forms.CharField(max_length=160)
    description = bound_text(
        forms.CharField(
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text="What the work is, who it is with, and what someone will learn.",
        )
    )
    competencies = CompetencyChoiceField(
        queryset=stretch_selectors.stretch_competency_choices(),
        widget=forms.CheckboxSelectMultiple,
        label="Competencies it builds",
        help_text="Completing the assignment counts as evidence against these.",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="No team"
    )
    hours_per_week = forms.IntegerField(
        min_value=1, max_value=stretch_services.MAX_HOURS_PER_WEEK, label="Hours per week"
    )
    seats = forms.IntegerField(min_value=1, max_value=50, initial=1)
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Starts on")
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Ends on")
    cross_functional = forms.BooleanField(
        required=False,
        label="Cross-functional",
        help_text="Works with people outside engineering (product, design, sales...).",
    )
