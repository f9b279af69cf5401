"""/scim/v2/: Users, Groups and the discovery endpoints. Okta and Entra ID
call these without a trailing slash."""

from django.urls import path, re_path

from . import views

app_name = "scim"
urlpatterns = [
    path("Users", views.UsersView.as_view(), name="users"),
    path("Users/<str:pk>", views.UserView.as_view(), name="user"),
    path("Groups", views.GroupsView.as_view(), name="groups"),
    path("Groups/<str:pk>", views.GroupView.as_view(), name="group"),
    path("ServiceProviderConfig", views.ServiceProviderConfigView.as_view(), name="config"),
    path("ResourceTypes", views.ResourceTypesView.as_view(), name="resource_types"),
    path("ResourceTypes/<str:name>", views.ResourceTypesView.as_view(), name="resource_type"),
    path("Schemas", views.SchemasView.as_view(), name="schemas"),
    re_path(r"^Schemas/(?P<urn>.+)$", views.SchemasView.as_view(), name="schema"),
]
