"""Forms for people: sign-up extras and accepting an invitation."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm


class SignupForm(forms.Form):
    """Extra fields allauth's sign-up asks for (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(
        max_length=150, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class InvitationAcceptForm(SetPasswordForm):
    """Choose a password to finish an invitation."""
