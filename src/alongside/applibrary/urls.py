from alongside.applibrary.views import urlpatterns

app_name = "applibrary"

__all__ = ["app_name", "urlpatterns"]
