"""Calendar feed URLs."""

from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("me/calendar-and-messages/", views.my_settings, name="my_settings"),
    path("me/calendar-and-messages/reset/", views.feed_reset, name="feed_reset"),
]
