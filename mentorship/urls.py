"""Rotation URLs: every page of the app, by the views module that serves it."""

from django.urls import path

from .views import checkins, cycle, health, kickoff, signup

app_name = "mentorship"

urlpatterns = [
    # Rotations, a cycle, my rotation and my team (views/cycle.py)
    path("", cycle.cycle_list, name="cycle_list"),
    path("mine/", cycle.my_rotation, name="my_rotation"),
    path("team/", cycle.team_participation, name="team_participation"),
    path("<int:cycle_id>/", cycle.cycle_detail, name="cycle_detail"),
    # Signing up, editing and withdrawing (views/signup.py)
    path("<int:cycle_id>/signup/<str:role>/", signup.signup_create, name="signup_create"),
    path("signups/<int:signup_id>/edit/", signup.signup_edit, name="signup_edit"),
    path("signups/<int:signup_id>/withdraw/", signup.signup_withdraw, name="signup_withdraw"),
    # Check-ins and feedback on a pairing (views/checkins.py)
    path("pairings/<int:pairing_id>/checkin/", checkins.checkin, name="checkin"),
    path("pairings/<int:pairing_id>/feedback/", checkins.feedback, name="feedback"),
    # Proposing another kick-off slot (views/kickoff.py)
    path("pairings/<int:pairing_id>/kickoff/", kickoff.kickoff_slot, name="kickoff_slot"),
    # The programme's health (views/health.py)
    path("health/", health.health, name="health"),
]
