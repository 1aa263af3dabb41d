"""URL routes of clinical records (the patterns live with their views)."""

from alongside.records.views import urlpatterns

app_name = "records"

__all__ = ["app_name", "urlpatterns"]
