"""The rotation's admin forms: the cycle's dates and rules, a mentee's ranked
preference, and the match review's two edits made by typing names (swap two
mentors, pair an unmatched mentee by hand), whose fields are search pickers."""

from django import forms
from django.db.models import QuerySet

from ladders.models import Level
from ladders.selectors.standing import latest_published
from people.errors import ApplicationError

from .models import Pairing, Preference, Role, RotationCycle, SignUp
from .selectors.review import pairing_pick, signup_pick
from .services.signups import MAX_CAPACITY


class RotationCycleForm(forms.ModelForm):
    class Meta:
        model = RotationCycle
        fields = [
            "name",
            "theme",
            "description",
            "signup_opens_on",
            "signup_closes_on",
            "starts_on",
            "ends_on",
            "ladder",
            "mentor_min_level",
            "mentee_min_level",
            "mentee_max_level",
            "min_level_gap",
            "default_mentor_capacity",
            "require_cross_team",
            "repeat_window",
            "max_mentees_per_team",
        ]

    # The database refuses dates out of order with the constraint's name; these
    # say it in words, on the field to fix: (earlier, later, may be equal, message).
    DATE_ORDER = [
        ("signup_opens_on", "signup_closes_on", True, "Sign-ups cannot close before they open."),
        ("signup_closes_on", "starts_on", True, "The rotation starts once sign-ups are closed."),
        ("starts_on", "ends_on", False, "The rotation must end after the day it starts."),
    ]

    def clean(self):
        cleaned = super().clean()
        self._check_dates(cleaned)
        self._check_capacity(cleaned)
        self._check_levels(cleaned)
        return cleaned

    def _check_dates(self, cleaned) -> None:
        for earlier, later, equal_ok, message in self.DATE_ORDER:
            first, then = cleaned.get(earlier), cleaned.get(later)
            if first and then and (then < first or (then == first and not equal_ok)):
                self.add_error(later, message)

    def _check_capacity(self, cleaned) -> None:
        capacity = cleaned.get("default_mentor_capacity")
        if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
            self.add_error(
                "default_mentor_capacity",
                f"A mentor takes between 1 and {MAX_CAPACITY} mentees.",
            )

    def _check_levels(self, cleaned) -> None:
        """Level codes must exist on the ladder's latest published revision, and the
        mentee range must hold at least one level."""
        ladder = cleaned.get("ladder")
        if ladder is None:
            return
        revision = latest_published(ladder_id=ladder.pk)
        positions = (
            dict(Level.objects.filter(revision=revision).values_list("code", "position"))
            if revision
            else {}
        )
        if not positions:
            self.add_error("ladder", f"{ladder} has no published revision with levels yet.")
            return
        codes = sorted(positions, key=positions.get)
        for name in ("mentor_min_level", "mentee_min_level", "mentee_max_level"):
            code = cleaned.get(name)
            if code and code not in positions:
                self.add_error(
                    name, f"{code} is not a level of {ladder}; choose one of {', '.join(codes)}."
                )
        low, high = cleaned.get("mentee_min_level"), cleaned.get("mentee_max_level")
        if low in positions and high in positions and positions[low] > positions[high]:
            self.add_error(
                "mentee_max_level",
                f"The highest mentee level ({high}) is below the lowest ({low}) on {ladder}, "
                "so no one could sign up as a mentee: swap them.",
            )


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["rank", "mentor"]

    def clean_mentor(self):
        mentor = self.cleaned_data["mentor"]
        mentee = self.instance.mentee if self.instance.mentee_id else None
        elsewhere = mentee is not None and mentor.cycle_id != mentee.cycle_id
        if mentor.role != Role.MENTOR or mentor.status != SignUp.Status.ACTIVE or elsewhere:
            raise forms.ValidationError(
                f"{mentor.person} is not an active mentor of this cycle: choose someone else."
            )
        return mentor


# --- the match review ----------------------------------------------------------------


class SwapForm(forms.Form):
    """Two pairings of the proposal whose mentors trade places, each found
    by a search field: the template renders each as an <input list> whose
    list static/js/review_picker.js fills from the search endpoint (at most
    PICKER_LIMIT entries). Without script, typing words that only one pairing
    matches works too."""

    pairing_a = forms.CharField(label="First pairing", max_length=300)
    pairing_b = forms.CharField(label="Second pairing", max_length=300)

    def __init__(self, data=None, *, pairings: QuerySet[Pairing], initial=None):
        # Only a swap posts these fields; other buttons leave the form unbound.
        bound = data if data is not None and data.get("action") == "swap" else None
        super().__init__(bound, initial=initial)
        self.pairings = pairings
        for field in self.fields.values():
            field.help_text = "Type part of the mentor's or the mentee's name or team."
        self.picked: dict[str, Pairing] = {}

    def _pick(self, name: str) -> str:
        text = self.cleaned_data[name]
        try:
            self.picked[name] = pairing_pick(self.pairings, text)
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from None
        return text

    def clean_pairing_a(self):
        return self._pick("pairing_a")

    def clean_pairing_b(self):
        return self._pick("pairing_b")

    def clean(self):
        cleaned = super().clean()
        a, b = self.picked.get("pairing_a"), self.picked.get("pairing_b")
        if a is not None and b is not None and a.pk == b.pk:
            self.add_error("pairing_b", "Pick two different pairings to swap.")
        return cleaned

    def chosen(self) -> tuple[Pairing, Pairing]:
        return self.picked["pairing_a"], self.picked["pairing_b"]


class PairByHandForm(forms.Form):
    """An unmatched mentee and any mentor of the cycle, each found by a search
    picker like the swap's (a plain text field without script); the service
    checks the rules."""

    mentee = forms.CharField(label="Unmatched mentee", max_length=300)
    mentor = forms.CharField(label="Mentor", max_length=300)

    def __init__(self, data=None, *, mentees: QuerySet[SignUp], mentors: QuerySet[SignUp]):
        # Only "Pair them" posts these fields; other buttons leave the form unbound.
        bound = data if data is not None and data.get("action") == "pair" else None
        super().__init__(bound)
        self.choices = {Role.MENTEE: mentees, Role.MENTOR: mentors}
        for field in self.fields.values():
            field.help_text = "Type part of the person's name, email or team."
        self.picked: dict[str, SignUp] = {}

    def _pick(self, role: str) -> str:
        text = self.cleaned_data[role]
        try:
            self.picked[role] = signup_pick(self.choices[role], text, role=role)
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from None
        return text

    def clean_mentee(self):
        return self._pick(Role.MENTEE)

    def clean_mentor(self):
        return self._pick(Role.MENTOR)

    def chosen(self) -> dict[str, SignUp]:
        """The two sign-ups, as pairing_create_by_hand takes them."""
        return {"mentee": self.picked[Role.MENTEE], "mentor": self.picked[Role.MENTOR]}
