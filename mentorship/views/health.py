"""health pages."""

urlpatterns: list = []
