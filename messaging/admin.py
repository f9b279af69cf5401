"""Slack messages for the people team: what was sent, what Slack refused and
why (a person not in Slack, a channel the bot is not in), and a send-again
once the cause is fixed."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html

from core.admin import PeopleTeamOnlyAdmin
from people.access import is_people_team
from people.errors import ApplicationError
from people.models import User

from .models import MessageText, SlackMessage
from .services import slack_message_retry
from .texts import KINDS, render_text, text_problems


@admin.register(SlackMessage)
class SlackMessageAdmin(PeopleTeamOnlyAdmin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "key", "status", "error", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "error", "recipients__email"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in SlackMessage._meta.fields] + ["recipients"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed messages again", permissions=["change"])
    def send_again(self, request, queryset):
        sent = 0
        for message in queryset:
            try:
                slack_message_retry(message=message)
                sent += 1
            except ApplicationError as error:
                messages.warning(request, error.message)
        if sent:
            messages.success(request, f"{sent} message(s) will be sent again.")


# --- the people team's own words ------------------------------------------------------


class MessageTextForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=[(key, kind.label) for key, kind in KINDS.items()])

    class Meta:
        model = MessageText
        fields = ["kind", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "cols": 90})}

    def clean(self):
        cleaned = super().clean()
        kind, body = cleaned.get("kind"), cleaned.get("body")
        if kind in KINDS and body:
            problems = text_problems(kind, body)
            if problems:
                self.add_error("body", problems)
        return cleaned


@admin.register(MessageText)
class MessageTextAdmin(PeopleTeamOnlyAdmin, admin.ModelAdmin):
    """Edit a message's words; the page previews them with a real person's
    data (yourself, or ``?person=<id>``)."""

    form = MessageTextForm
    list_display = ["kind", "updated_at"]
    readonly_fields = ["placeholders", "default_text", "preview"]

    def has_delete_permission(self, request, obj=None):
        # Deleting an override brings back the default text.
        return is_people_team(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        person_id = request.GET.get("person", "")
        found = User.objects.filter(pk=person_id).first() if person_id.isdigit() else None
        self._preview_person = found or request.user
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description="Placeholders")
    def placeholders(self, obj):
        if not obj or obj.kind not in KINDS:
            return "Save once to see this kind's placeholders."
        parts = []
        for name, attributes in KINDS[obj.kind].placeholders.items():
            extra = f" (.{', .'.join(sorted(attributes))})" if attributes else ""
            parts.append("{{ " + name + " }}" + extra)
        return "; ".join(parts)

    @admin.display(description="Default text")
    def default_text(self, obj):
        return KINDS[obj.kind].default if obj and obj.kind in KINDS else ""

    @admin.display(description="Preview")
    def preview(self, obj):
        if not obj or obj.kind not in KINDS:
            return ""
        person = getattr(self, "_preview_person", None)
        context = KINDS[obj.kind].sample(person)
        return format_html(
            "<p>With the data of {} (add ?person=&lt;id&gt; to the address for someone else):"
            "</p><pre>{}</pre>",
            person,
            render_text(obj.kind, context, source=obj.body),
        )
