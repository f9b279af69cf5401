"""checklist pages."""

urlpatterns: list = []
