from django import forms

from messaging.models import Channel


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        choices=Channel.choices,
        widget=forms.RadioSelect,
        label="Send me messages by",
    )
