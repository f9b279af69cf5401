"""Ladder URLs: every page of the app, by the views module that serves it."""

from django.urls import path

from .views import assessments, ladder, stretch

app_name = "ladders"

urlpatterns = [
    # Where people stand, ladders and team gaps (views/ladder.py)
    path("", ladder.my_ladder, name="my_ladder"),
    path("people/<int:person_id>/", ladder.person_ladder, name="person_ladder"),
    path("team/", ladder.my_team_gaps, name="team_gaps"),
    path("people/<int:person_id>/team/", ladder.person_team_gaps, name="person_team_gaps"),
    path("ladder/<slug:slug>/", ladder.ladder_detail, name="ladder_detail"),
    path("ladder/<slug:slug>/compare/", ladder.level_compare, name="level_compare"),
    path("ladder/<slug:slug>/matrix/", ladder.ladder_matrix_view, name="ladder_matrix"),
    # Assessments (views/assessments.py)
    path("assessments/", assessments.assessment_todo, name="assessment_todo"),
    path(
        "assessments/<int:assessment_id>/", assessments.assessment_detail, name="assessment_detail"
    ),
    path(
        "assessments/<int:assessment_id>/finalise/",
        assessments.assessment_finalise_view,
        name="assessment_finalise",
    ),
    path(
        "people/<int:person_id>/assessments/", assessments.assessment_list, name="assessment_list"
    ),
    path(
        "people/<int:person_id>/assessments/request/",
        assessments.assessment_request_view,
        name="assessment_request",
    ),
    path(
        "people/<int:person_id>/assessments/start/",
        assessments.assessment_start_view,
        name="assessment_start",
    ),
    # Stretch assignments (views/stretch.py)
    path("stretch/", stretch.stretch_list, name="stretch_list"),
    path("stretch/new/", stretch.stretch_create, name="stretch_create"),
    path("stretch/mine/", stretch.stretch_mine, name="stretch_mine"),
    path("stretch/<int:assignment_id>/", stretch.stretch_detail, name="stretch_detail"),
    path(
        "stretch/applications/<int:participation_id>/withdraw/",
        stretch.stretch_withdraw,
        name="stretch_withdraw",
    ),
    path(
        "stretch/applications/<int:participation_id>/decide/",
        stretch.stretch_decide,
        name="stretch_decide",
    ),
    path(
        "stretch/applications/<int:participation_id>/complete/",
        stretch.stretch_complete,
        name="stretch_complete",
    ),
]
