"""reporting pages."""

urlpatterns: list = []
