from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("background/", views.background, name="background"),
    path("background/jobs/<int:job_id>/retry/", views.job_retry_view, name="job_retry"),
]
