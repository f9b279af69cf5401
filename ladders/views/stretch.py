"""stretch pages."""

urlpatterns: list = []
