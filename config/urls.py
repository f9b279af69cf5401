"""URL wiring: the admin (behind allauth's login protection), accounts and the apps."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from people import views as people_views

# Django's admin login would bypass allauth's rate limits; route it through them.
# allauth documents this replacement; mypy refuses assigning to a method.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Growth administration"
admin.site.site_title = "Growth admin"
admin.site.index_title = "People team"

urlpatterns = [
    path("", people_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("people.urls")),
    path("ladders/", include("ladders.urls")),
    path("rotations/", include("mentorship.urls")),
    path("onboarding/", include("onboarding.urls")),
    path("api/", include("api.urls")),
    path("scim/v2/", include("api.scim.urls")),
    path("", include("calendars.urls")),
    path("", include("core.urls")),
]
