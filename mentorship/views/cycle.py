"""cycle pages."""

urlpatterns: list = []
