from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
