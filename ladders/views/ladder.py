"""ladder pages."""

urlpatterns: list = []
