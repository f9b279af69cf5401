"""Slack messages for the people team: what was sent, what Slack refused and
why (a person not in Slack, a channel the bot is not in), and a send-again
once the cause is fixed."""

from django.contrib import admin, messages

from people.access import is_people_team
from people.errors import ApplicationError

from .models import SlackMessage
from .services import slack_message_retry


@admin.register(SlackMessage)
class SlackMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "key", "status", "error", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "error", "recipients__email"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in SlackMessage._meta.fields] + ["recipients"]

    def has_module_permission(self, request):
        return is_people_team(request.user)

    def has_view_permission(self, request, obj=None):
        return is_people_team(request.user)

    def has_change_permission(self, request, obj=None):
        return is_people_team(request.user)

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
