"""review pages."""

urlpatterns: list = []
