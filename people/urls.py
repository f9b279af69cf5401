from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/reports/", views.person_reports, name="person_reports"),
    path("people/<int:person_id>/history/", views.person_history, name="person_history"),
    path("audit/", views.audit_log, name="audit_log"),
    path("my-team/", views.my_team, name="my_team"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
