"""Messages for the people team: Slack messages and notice emails sent, what
was refused and why (a person not in Slack, an address the mail server
refused), a send-again once the cause is fixed, and the texts they edit."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from core.admin import PeopleTeamOnlyAdmin
from people.access import is_people_team
from people.errors import ApplicationError
from people.models import User

from .models import MessageText, QueuedEmail, SlackMessage
from .services import slack_message_retry
from .testsend import sample_rendering, test_send
from .texts import (
    KINDS,
    default_body,
    default_changed,
    default_fingerprint,
    render_failure,
    text_problems,
)


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


@admin.register(QueuedEmail)
class QueuedEmailAdmin(PeopleTeamOnlyAdmin, admin.ModelAdmin):
    """Emails of notices: what was sent, and any address the mail server refused."""

    list_display = ["created_at", "kind", "recipient", "subject", "status", "error", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "subject", "recipient__email"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in QueuedEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- the people team's own words ------------------------------------------------------


class MessageTextForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=[(key, kind.label) for key, kind in KINDS.items()])

    class Meta:
        model = MessageText
        fields = ["kind", "subject", "body"]
        widgets = {
            "subject": forms.TextInput(attrs={"size": 90}),
            "body": forms.Textarea(attrs={"rows": 14, "cols": 90}),
        }

    def clean(self):
        cleaned = super().clean()
        kind, subject, body = cleaned.get("kind"), cleaned.get("subject"), cleaned.get("body")
        if kind not in KINDS:
            return cleaned
        if subject and not KINDS[kind].is_email:
            self.add_error("subject", "Slack messages have no subject: leave it empty.")
        elif subject:
            for problem in text_problems(kind, subject):
                self.add_error("subject", problem)
        if body:
            for problem in text_problems(kind, body):
                self.add_error("body", problem)
        self._refuse_what_fails(kind, subject, body)
        return cleaned

    sample_person: User | None = None  # set per request by MessageTextAdmin.get_form

    def _refuse_what_fails(self, kind: str, subject: str | None, body: str | None) -> None:
        """A text that passes the checks can still fail as it is filled in
        (``{{ days|divisibleby:0 }}``): filled in with the sample data here,
        it is refused now rather than sent in the default words later."""
        if self.errors or self.sample_person is None:
            return
        context = KINDS[kind].sample(self.sample_person)
        for name, source in (("subject", subject), ("body", body)):
            failure = render_failure(kind, source, context) if source else None
            if failure:
                self.add_error(name, failure)


@admin.register(MessageText)
class MessageTextAdmin(PeopleTeamOnlyAdmin, admin.ModelAdmin):
    """Edit a message's words; the page previews them with a real person's
    data (yourself, or ``?person=<id>``) and can send a test to yourself."""

    form = MessageTextForm
    list_display = [
        "kind",
        "subject",
        "updated_at",
        "default_changed_since_saved",
        "failed_since_saved",
    ]
    readonly_fields = ["placeholders", "default_text", "preview"]
    actions = ["send_test"]
    change_form_template = "admin/messaging/messagetext/change_form.html"

    def has_delete_permission(self, request, obj=None):
        # Deleting an override brings back the default text.
        return is_people_team(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        person_id = request.GET.get("person", "")
        found = User.objects.filter(pk=person_id).first() if person_id.isdigit() else None
        self._preview_person = found or request.user
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.sample_person = request.user  # the sample data's person, as in the preview
        return form

    def save_model(self, request, obj, form, change):
        # Saving, even unchanged, is the people team saying "we saw this
        # default" (the page shows it beside their text). Here, not in
        # MessageText.save(): the admin is the only place texts are written,
        # and models keep no logic in save() (STYLE.md); a row written any
        # other way keeps an empty fingerprint and shows as "Maybe".
        if obj.kind in KINDS:
            obj.default_seen = default_fingerprint(obj.kind, own_subject=bool(obj.subject))
        obj.failed = ""  # saved again: the people team has seen why it failed
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk and _default_changed(obj):
            context["default_changed"] = "changed" if obj.default_seen else "unknown"
            context["delete_url"] = reverse("admin:messaging_messagetext_delete", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if "_send_test" in request.POST:
            self._send_test_of(request, obj)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_send_test" in request.POST:
            self._send_test_of(request, obj)
            return HttpResponseRedirect(
                reverse("admin:messaging_messagetext_change", args=[obj.pk])
            )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description="Send a test of the selected texts to myself")
    def send_test(self, request, queryset):
        for text in queryset:
            self._send_test_of(request, text)

    def _send_test_of(self, request, text: MessageText) -> None:
        try:
            where = test_send(text=text, person=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"A test of “{text.kind}” was sent to you {where}.")

    @admin.display(description="Failed since saved")
    def failed_since_saved(self, obj):
        # The words failed for someone; the default words were sent instead.
        return obj.failed or "\u2013"

    @admin.display(description="Default changed since saved")
    def default_changed_since_saved(self, obj):
        # Words, not the admin's coloured icons: "Maybe" is a text saved
        # before we recorded its default, worth one comparison all the same.
        if not _default_changed(obj):
            return "No"
        return format_html("<strong>{}</strong>", "Yes" if obj.default_seen else "Maybe")

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
        if not obj or obj.kind not in KINDS:
            return ""
        kind = KINDS[obj.kind]
        if kind.is_email:
            return format_html(
                "<p>Subject: {}</p><pre>{}</pre>", kind.subject, default_body(obj.kind)
            )
        return default_body(obj.kind)

    @admin.display(description="Preview")
    def preview(self, obj):
        if not obj or obj.kind not in KINDS:
            return ""
        person = getattr(self, "_preview_person", None)
        intro = format_html(
            "<p>With the data of {} (add ?person=&lt;id&gt; to the address for someone else):</p>",
            person,
        )
        subject, body = sample_rendering(text=obj, person=person)
        if subject is None:
            return format_html("{}<pre>{}</pre>", intro, body)
        return format_html(
            "{}<p>Subject: <strong>{}</strong></p><pre>{}</pre>", intro, subject, body
        )


def _default_changed(text: MessageText) -> bool:
    return default_changed(text.kind, text.default_seen, own_subject=bool(text.subject))
