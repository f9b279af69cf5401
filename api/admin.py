"""API tokens in the admin, for the people team: create (the token is shown
once), see when each was last used, revoke."""

from django import forms
from django.contrib import admin, messages

from core.errors import ApplicationError
from people import access

from .models import ApiToken, Scope
from .services import token_create, token_revoke


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, required=True
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scopes"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "scope_list", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    actions = ["revoke"]

    def has_module_permission(self, request):
        return access.is_people_team(request.user)

    def has_view_permission(self, request, obj=None):
        return access.is_people_team(request.user)

    def has_add_permission(self, request):
        return access.is_people_team(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a token is revoked and replaced, never edited

    def has_delete_permission(self, request, obj=None):
        return False  # revoked tokens stay, so it is clear who had access when

    @admin.display(description="Scopes")
    def scope_list(self, token: ApiToken) -> str:
        return ", ".join(token.scopes)

    def save_model(self, request, obj, form, change):
        try:
            token, secret = token_create(
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                created_by=request.user,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return
        obj.pk = token.pk
        messages.warning(
            request,
            f"The token for {token.name} is {secret} — copy it now: it is shown only this once.",
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = sum(token_revoke(token=token) for token in queryset)
        messages.success(request, f"{revoked} token(s) revoked.")
