"""The forms of onboarding's pages: choosing another buddy. Admin forms stay
with their ModelAdmin in admin.py."""

from django import forms

from people.models import User

from .models import OnboardingPlan
from .selectors import buddies as buddy_selectors


def _buddy_label(choice: buddy_selectors.BuddyChoice) -> str:
    person = choice.person
    team = f" · {person.team.name}" if person.team else ""
    return f"{person.name}{team} · {choice.level_code} · looks after {choice.load} of {choice.cap}"


class BuddyForm(forms.Form):
    """Only people who may be chosen are offered: experienced enough, not a
    new hire, with room; same team first."""

    buddy = forms.ModelChoiceField(queryset=User.objects.none(), label="New buddy")

    def __init__(self, *args, plan: OnboardingPlan, **kwargs):
        super().__init__(*args, **kwargs)
        choices = buddy_selectors.buddy_choices(plan=plan)
        field = self.fields["buddy"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        field.queryset = User.objects.filter(pk__in=[c.person.pk for c in choices])
        field.choices = [("", "Choose someone")] + [
            (str(c.person.pk), _buddy_label(c)) for c in choices
        ]
        self.choices_count = len(choices)
