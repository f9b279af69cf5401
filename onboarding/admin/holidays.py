"""Holidays: days no onboarding task falls due."""

from django.contrib import admin

from people import access
from people.admin import PeopleTeamOnly

from ..models import Holiday

# --- Holidays -------------------------------------------------------------------------


@admin.register(Holiday)
class HolidayAdmin(PeopleTeamOnly, admin.ModelAdmin):
    list_display = ["date", "name"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def has_delete_permission(self, request, obj=None):
        return access.can_manage_people(request.user)  # a day off can be called off
