"""signup pages."""

urlpatterns: list = []
