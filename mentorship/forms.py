"""The forms of the rotation pages: signing up (mentor and mentee), check-ins
and feedback, and proposing a kick-off slot. The review page's forms are the
admin's (admin/review_listing.py)."""

from django import forms

from core.limits import bound_text
from ladders.models import Competency

from .models import CheckIn, Feedback, RotationCycle
from .selectors.signups import cycle_competencies, mentor_choices
from .services import signups as services

# --- signing up -------------------------------------------------------------------------

RANKS = ("First", "Second", "Third")


class CompetencyField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        team = f", {obj.person.team}" if obj.person.team else ""
        return f"{obj.person}{team}: “{obj.project_title}”"


class SignUpForm(forms.Form):
    """What both roles share: competencies of the cycle's ladder, by theme."""

    competencies = CompetencyField(
        queryset=Competency.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, cycle: RotationCycle, suggested=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["competencies"]
        assert isinstance(field, CompetencyField)  # declared above
        field.queryset = cycle_competencies(cycle=cycle)
        self.suggested_ids = {c.pk for c in suggested}

    def competency_groups(self) -> list[tuple[str, list[tuple]]]:
        """(theme, [(checkbox, competency, from_gaps), ...]) in ladder order."""
        groups: dict[str, list[tuple]] = {}
        for checkbox in self["competencies"]:
            competency = checkbox.data["value"].instance
            from_gaps = competency.pk in self.suggested_ids
            groups.setdefault(competency.theme, []).append((checkbox, competency, from_gaps))
        return list(groups.items())

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class MentorSignUpForm(SignUpForm):
    capacity = forms.IntegerField(
        min_value=1,
        max_value=services.MAX_CAPACITY,
        label="How many mentees can you take?",
    )
    project_title = forms.CharField(
        max_length=160,
        label="Project title",
        help_text="A focused piece of work to do together, e.g. “Make checkout retries safe”.",
    )
    project_outcome = bound_text(
        forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}),
            label="Expected outcome",
            help_text="What the project should deliver by the end of the rotation.",
        )
    )
    hours_per_week = forms.IntegerField(
        min_value=1, max_value=services.MAX_HOURS_PER_WEEK, label="Hours per week"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["competencies"]
        field.required, field.label = True, "Competencies you can teach"
        field.help_text = "Mentees whose learning goals you cover are matched with you first."


class MenteeSignUpForm(SignUpForm):
    goals = bound_text(
        forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            label="What do you want to learn?",
            help_text="In your own words: what you want to be able to do after the rotation.",
        )
    )

    def __init__(self, *args, cycle: RotationCycle, person, **kwargs):
        super().__init__(*args, cycle=cycle, **kwargs)
        field = self.fields["competencies"]
        field.label = "Learning goals"
        field.help_text = (
            "Competencies of the ladder you want to grow in. Those marked “from your ladder "
            "gaps” are your biggest gaps on your last assessment."
        )
        for rank, name in enumerate(RANKS, start=1):
            self.fields[f"preference_{rank}"] = MentorChoiceField(
                queryset=mentor_choices(cycle=cycle, person=person),
                required=False,
                label=f"{name} choice",
                empty_label="No preference",
            )

    def preference_fields(self):
        return [self[f"preference_{rank}"] for rank in range(1, len(RANKS) + 1)]

    def clean(self):
        cleaned = super().clean()
        chosen = [m for m in self._ranked(cleaned) if m]
        if len({m.pk for m in chosen}) != len(chosen):
            self.add_error("preference_1", "Name each mentor only once.")
        if not cleaned.get("competencies") and not (cleaned.get("goals") or "").strip():
            self.add_error(
                "competencies",
                "Tick at least one learning goal, or say in words what you want to learn.",
            )
        return cleaned

    def _ranked(self, cleaned) -> list:
        return [cleaned.get(f"preference_{rank}") for rank in range(1, len(RANKS) + 1)]

    def service_kwargs(self) -> dict:
        cleaned = self.cleaned_data
        return {
            "competencies": cleaned["competencies"],
            "goals": cleaned["goals"],
            "preferences": [m for m in self._ranked(cleaned) if m],
        }


# --- check-ins and feedback -----------------------------------------------------------------


class CheckInForm(forms.Form):
    mood = forms.ChoiceField(
        label="How is your rotation going?", choices=CheckIn.Mood.choices, widget=forms.RadioSelect
    )
    note = bound_text(
        forms.CharField(
            label="Anything to add?",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Only you can read this. The people team sees how many answered each mood.",
        )
    )


class FeedbackForm(forms.Form):
    project_landed = forms.ChoiceField(
        label="Did the project land?", choices=Feedback.Landed.choices, widget=forms.RadioSelect
    )
    learned = bound_text(
        forms.CharField(
            label="What did you learn?",
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 5}),
            help_text="A few sentences for yourself: a skill, a way of working, a part of the "
            "system.",
        )
    )
    would_pair_again = forms.TypedChoiceField(
        label="Would you pair with them again?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


# --- the kick-off ------------------------------------------------------------------------


class KickoffForm(forms.Form):
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time"}))
